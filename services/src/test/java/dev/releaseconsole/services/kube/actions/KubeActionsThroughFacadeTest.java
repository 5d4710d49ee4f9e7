package dev.releaseconsole.services.kube.actions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releaseconsole.services.actions.ActionException;
import dev.releaseconsole.services.actions.ActionInput;
import dev.releaseconsole.services.actions.ActionResult;
import dev.releaseconsole.services.actions.ActionType;
import dev.releaseconsole.services.actions.Outcome;
import dev.releaseconsole.services.actions.PermissionChecker;
import dev.releaseconsole.services.actions.PolicyEngine;
import dev.releaseconsole.services.actions.ReleaseActions;
import dev.releaseconsole.services.actions.RolloutBackend;
import dev.releaseconsole.services.actions.TargetOutcome;
import dev.releaseconsole.services.actions.Verdict;
import dev.releaseconsole.services.governance.AuditEntry;
import dev.releaseconsole.services.governance.AuditQuery;
import dev.releaseconsole.services.governance.AuditStage;
import dev.releaseconsole.services.governance.SqliteAuditLog;
import dev.releaseconsole.services.model.ActionTarget;
import dev.releaseconsole.services.model.ClusterRef;
import dev.releaseconsole.services.model.Environment;
import dev.releaseconsole.services.model.PauseCondition;
import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.model.Step;
import dev.releaseconsole.services.model.Strategy;
import dev.releaseconsole.services.store.LiveState;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static dev.releaseconsole.services.kube.actions.KubeMockCluster.JSON;
import static dev.releaseconsole.services.kube.actions.KubeMockCluster.status;
import static dev.releaseconsole.services.kube.actions.KubeRolloutActions.ROLLOUTS;
import static dev.releaseconsole.services.kube.actions.KubeRolloutActionsTest.REF;
import static dev.releaseconsole.services.kube.actions.KubeRolloutActionsTest.STATUS;
import static dev.releaseconsole.services.kube.actions.KubeRolloutActionsTest.canary;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kubernetes actions behind the real facade and a real SQLite audit log: a 403 from the API server ends as a
 * DENIED outcome in the audit trail, with the verb, resource, namespace and cluster named and no credential.
 * The backend here maps only the fields the facade's state rules read; the real mapping is the read side's.
 */
class KubeActionsThroughFacadeTest {
    private static final ClusterRef PROD_EU = new ClusterRef("prod-eu", "prod-eu", Environment.PRODUCTION, false);

    @TempDir
    Path dir;

    private final KubeMockCluster cluster = new KubeMockCluster();
    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    private final LiveState state = new LiveState();
    private SqliteAuditLog audit;
    private ReleaseActions facade;

    @BeforeEach
    void setUp() {
        audit = SqliteAuditLog.open(dir.resolve("audit.db"), Clock.systemUTC());
        RolloutBackend backend = new MockBackend(cluster, new KubeRolloutActions());
        PermissionChecker allowAll = new PermissionChecker() {
            @Override
            public Verdict mayPerform(ActionType action, ActionTarget target) {
                return Verdict.allowed();
            }

            @Override
            public String whoAmI(ActionTarget target) {
                return "alice@prod-eu";
            }
        };
        facade = new ReleaseActions(state, Map.of("prod-eu", backend), Map.of(), allowAll, PolicyEngine.PERMISSIVE,
                audit, Clock.systemUTC(), pool);
    }

    @AfterEach
    void tearDown() {
        pool.shutdownNow();
        audit.close();
        cluster.close();
    }

    @Test
    void aForbiddenAbortIsAuditedAsDenied() {
        cluster.create(ROLLOUTS, canary(4, false, "{\"currentPodHash\":\"new\",\"stableRS\":\"old\","
                + "\"currentStepIndex\":1}"));
        cluster.server.expect().patch().withPath(STATUS).andReturn(403, status(403, "Forbidden",
                "rollouts.argoproj.io \"checkout-api\" is forbidden: User \"alice\" cannot patch resource "
                        + "\"rollouts/status\" in API group \"argoproj.io\" in the namespace \"payments\"")).once();

        ActionResult result = facade.execute(ActionType.ABORT, REF, "error rate 4x baseline");

        TargetOutcome outcome = result.outcomes().get(0);
        assertThat(outcome.outcome()).isEqualTo(Outcome.DENIED);
        assertThat(outcome.message()).contains(
                "403 Forbidden: you may not patch rollouts/status in namespace payments on cluster prod-eu");
        List<AuditEntry> entries = audit.query(AuditQuery.latest(10));
        assertThat(entries).extracting(AuditEntry::stage).containsExactly(AuditStage.OUTCOME, AuditStage.INTENT);
        AuditEntry out = entries.get(0);
        assertThat(out.result()).isEqualTo("DENIED");
        assertThat(out.actor()).isEqualTo("alice@prod-eu");
        assertThat(out.relatesTo()).isEqualTo(entries.get(1).id());
        assertThat(out.detail()).startsWith(
                "403 Forbidden: you may not patch rollouts/status in namespace payments on cluster prod-eu");
        assertThat(out.detail()).doesNotContain("secret");
        assertThat(audit.verify().intact()).isTrue();
        assertThat(cluster.getJson(ROLLOUTS, "payments", "checkout-api").path("status").path("abort").asBoolean())
                .isFalse();
    }

    @Test
    void aPromoteOfAStepPauseIsConfirmedByReadingBack() {
        cluster.create(ROLLOUTS, canary(4, false, "{\"currentPodHash\":\"new\",\"stableRS\":\"old\","
                + "\"currentStepIndex\":1,\"controllerPause\":true,\"pauseConditions\":[{\"reason\":\"CanaryPauseStep\","
                + "\"startTime\":\"2025-03-01T10:00:00Z\"}]}"));

        ActionResult result = facade.execute(ActionType.PROMOTE, REF, null);

        assertThat(result.outcomes().get(0).outcome()).isEqualTo(Outcome.SUCCEEDED);
        AuditEntry out = audit.query(AuditQuery.latest(1)).get(0);
        assertThat(out.detail()).startsWith("sent: PATCH rollouts/status {\"status\":{\"pauseConditions\":null}}");
    }

    @Test
    void aNudgeIsOfferedOnlyWhileTheControllerIsBehindAndIsNotCalledDoneUntilItCatchesUp() {
        // The promote cleared the pause but the controller never moved on: the stall of argo-rollouts#4694.
        cluster.create(ROLLOUTS, canary(4, false, "{\"currentPodHash\":\"new\",\"stableRS\":\"old\","
                + "\"currentStepIndex\":1,\"controllerPause\":true}"));

        ActionResult result = facade.execute(ActionType.NUDGE, REF, "promote did not take");

        TargetOutcome outcome = result.outcomes().get(0);
        assertThat(outcome.outcome()).as("no controller runs here, so nothing shows it caught up")
                .isEqualTo(Outcome.UNCONFIRMED);
        assertThat(outcome.message()).startsWith("sent, but the source does not yet show it took effect");
        assertThat(cluster.getJson(ROLLOUTS, "payments", "checkout-api").path("metadata").path("annotations")
                .path("release-console.dev/nudged-at").asText()).isNotEmpty();
        AuditEntry out = audit.query(AuditQuery.latest(1)).get(0);
        assertThat(out.result()).isEqualTo("UNCONFIRMED");
        assertThat(out.detail()).startsWith("sent: PATCH rollouts {\"metadata\":{\"annotations\"");

        // Once the controller has moved on (here: written by hand as it would), there is nothing left to nudge.
        cluster.client.genericKubernetesResources(ROLLOUTS).inNamespace("payments").withName("checkout-api").delete();
        cluster.create(ROLLOUTS, canary(4, false, "{\"currentPodHash\":\"new\",\"stableRS\":\"old\","
                + "\"currentStepIndex\":2,\"controllerPause\":false}"));
        ActionResult again = facade.execute(ActionType.NUDGE, REF, null);

        assertThat(again.outcomes().get(0).outcome()).isEqualTo(Outcome.REJECTED_BY_STATE);
        assertThat(again.outcomes().get(0).message()).contains("the controller has caught up");
    }

    @Test
    void aNudgeIsConfirmedWhenTheControllerCatchesUpWithinItsWait() throws Exception {
        cluster.create(ROLLOUTS, canary(4, false, "{\"currentPodHash\":\"new\",\"stableRS\":\"old\","
                + "\"currentStepIndex\":1,\"controllerPause\":true}"));
        // Stands in for the controller: once the nudge's annotation arrives, it moves on to the next step.
        Thread controller = new Thread(() -> {
            long end = System.nanoTime() + 10_000_000_000L;
            while (System.nanoTime() < end) {
                if (!cluster.getJson(ROLLOUTS, "payments", "checkout-api").path("metadata").path("annotations")
                        .path("release-console.dev/nudged-at").asText().isEmpty()) {
                    cluster.client.genericKubernetesResources(ROLLOUTS).inNamespace("payments")
                            .withName("checkout-api").subresource("status").patch(
                                    io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                                            io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                                    "{\"status\":{\"currentStepIndex\":2,\"controllerPause\":false}}");
                    return;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "stand-in-controller");
        controller.start();

        TargetOutcome outcome = facade.execute(ActionType.NUDGE, REF, null).outcomes().get(0);
        controller.join(10_000);

        assertThat(outcome.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(outcome.message()).startsWith("Nudge controller done");
        assertThat(audit.query(AuditQuery.latest(1)).get(0).result()).isEqualTo("SUCCEEDED");
    }

    /** Reads the Rollout from the mock server and maps what RolloutStateRules looks at. */
    private static final class MockBackend implements RolloutBackend {
        private final KubeMockCluster cluster;
        private final KubeRolloutActions actions;

        MockBackend(KubeMockCluster cluster, KubeRolloutActions actions) {
            this.cluster = cluster;
            this.actions = actions;
        }

        @Override
        public ClusterRef cluster() {
            return PROD_EU;
        }

        @Override
        public Clock clock() {
            return Clock.systemUTC();
        }

        @Override
        public Optional<Rollout> read(RolloutRef ref) {
            GenericKubernetesResource res = cluster.get(ROLLOUTS, ref.namespace(), ref.name());
            if (res == null) {
                return Optional.empty();
            }
            JsonNode n = JSON.valueToTree(res);
            JsonNode status = n.path("status");
            List<Step> steps = new ArrayList<>();
            for (JsonNode s : n.path("spec").path("strategy").path("canary").path("steps")) {
                steps.add(s.has("pause") ? Step.pauseIndefinitely() : Step.setWeight(s.path("setWeight").asInt()));
            }
            List<PauseCondition> conditions = new ArrayList<>();
            for (JsonNode p : status.path("pauseConditions")) {
                conditions.add(new PauseCondition(p.path("reason").asText(),
                        Instant.parse(p.path("startTime").asText())));
            }
            return Optional.of(Rollout.builder(ref, Strategy.CANARY).steps(steps)
                    .currentStepIndex(status.path("currentStepIndex").isNumber()
                            ? status.path("currentStepIndex").asInt() : null)
                    .specPaused(n.path("spec").path("paused").asBoolean(false))
                    .controllerPause(status.path("controllerPause").asBoolean(false))
                    .pauseConditions(conditions)
                    .abort(status.path("abort").asBoolean(false))
                    .promoteFull(status.path("promoteFull").asBoolean(false))
                    .currentPodHash(status.path("currentPodHash").asText(null))
                    .stableRS(status.path("stableRS").asText(null))
                    .build());
        }

        @Override
        public String perform(ActionType action, Rollout current, ActionInput input) throws ActionException {
            return actions.perform(cluster.client, action, current, input);
        }
    }
}
