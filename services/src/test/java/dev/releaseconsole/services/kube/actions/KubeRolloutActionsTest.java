package dev.releaseconsole.services.kube.actions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releaseconsole.services.actions.ActionException;
import dev.releaseconsole.services.actions.ActionException.Reason;
import dev.releaseconsole.services.actions.ActionType;
import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.model.Strategy;
import dev.releaseconsole.services.model.WorkloadKind;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.releaseconsole.services.kube.actions.KubeMockCluster.JSON;
import static dev.releaseconsole.services.kube.actions.KubeMockCluster.status;
import static dev.releaseconsole.services.kube.actions.KubeRolloutActions.ANALYSIS_RUNS;
import static dev.releaseconsole.services.kube.actions.KubeRolloutActions.CANARIES;
import static dev.releaseconsole.services.kube.actions.KubeRolloutActions.ROLLOUTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Every action against fabric8's mock API server: the exact method, path and body the server received (main object
 * vs the /status subresource), and what the stored object looks like afterwards.
 */
class KubeRolloutActionsTest {
    static final String NS = "payments";
    static final String NAME = "checkout-api";
    static final String MAIN = "/apis/argoproj.io/v1alpha1/namespaces/payments/rollouts/checkout-api";
    static final String STATUS = MAIN + "/status";
    static final RolloutRef REF = new RolloutRef("prod-eu", NS, NAME, WorkloadKind.ARGO_ROLLOUT);
    static final Rollout CURRENT = Rollout.builder(REF, Strategy.CANARY).build();
    static final Instant NOW = Instant.parse("2025-03-01T10:15:30.789Z");

    private final KubeMockCluster cluster = new KubeMockCluster();
    private final List<Duration> slept = new ArrayList<>();
    private final KubeRolloutActions actions = new KubeRolloutActions(null, Clock.fixed(NOW, ZoneOffset.UTC),
            slept::add);

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    // ------------------------------------------------------------------------------------------ fixtures

    /** A canary with {@code steps} steps alternating setWeight and an indefinite pause. */
    static String canary(int steps, boolean paused, String status) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < steps; i++) {
            s.append(i > 0 ? "," : "").append(i % 2 == 0 ? "{\"setWeight\":" + (20 * (i / 2 + 1)) + "}"
                    : "{\"pause\":{}}");
        }
        return rollout("{\"canary\":{\"steps\":[" + s + "]}}", paused, status);
    }

    static String blueGreen(boolean paused, String status) {
        return rollout("{\"blueGreen\":{\"activeService\":\"checkout-api\",\"autoPromotionEnabled\":false}}",
                paused, status);
    }

    static String rollout(String strategy, boolean paused, String status) {
        return """
                {"apiVersion":"argoproj.io/v1alpha1","kind":"Rollout",
                 "metadata":{"name":"checkout-api","namespace":"payments"},
                 "spec":{"replicas":3,"paused":%s,
                   "selector":{"matchLabels":{"app":"checkout-api"}},
                   "template":{"metadata":{"labels":{"app":"checkout-api"}},
                     "spec":{"containers":[{"name":"app","image":"shop/checkout-api:2.0.0"}]}},
                   "strategy":%s},
                 "status":%s}
                """.formatted(paused, strategy, status);
    }

    void create(String json) throws InterruptedException {
        cluster.create(ROLLOUTS, json);
        cluster.drain();
    }

    JsonNode stored() {
        return cluster.getJson(ROLLOUTS, NS, NAME);
    }

    // ------------------------------------------------------------------------------------------ simple actions

    @Test
    void pausePatchesSpecPausedOnTheMainObject() throws Exception {
        create(canary(4, false, "{\"currentPodHash\":\"new\",\"stableRS\":\"old\",\"currentStepIndex\":1}"));

        String sent = actions.perform(cluster.client, ActionType.PAUSE, CURRENT);

        List<KubeMockCluster.Seen> requests = cluster.drain();
        assertThat(requests).hasSize(1);
        assertThat(requests.get(0).method()).isEqualTo("PATCH");
        assertThat(requests.get(0).path()).isEqualTo(MAIN);
        assertThat(requests.get(0).body()).isEqualTo("{\"spec\":{\"paused\":true}}");
        assertThat(requests.get(0).contentType()).startsWith("application/merge-patch+json");
        assertThat(sent).isEqualTo("PATCH rollouts {\"spec\":{\"paused\":true}}");
        assertThat(stored().path("spec").path("paused").asBoolean()).isTrue();
        assertThat(stored().path("status").path("currentStepIndex").asInt()).isEqualTo(1);
    }

    @Test
    void resumeUnpausesTheSpecOnly() throws Exception {
        create(canary(4, true, "{\"currentPodHash\":\"new\",\"stableRS\":\"old\"}"));

        String sent = actions.perform(cluster.client, ActionType.RESUME, CURRENT);

        assertThat(cluster.writes()).containsExactly("PATCH " + MAIN + " {\"spec\":{\"paused\":false}}");
        assertThat(sent).isEqualTo("PATCH rollouts {\"spec\":{\"paused\":false}}");
        assertThat(stored().path("spec").path("paused").asBoolean()).isFalse();
    }

    @Test
    void abortPatchesTheStatusSubresource() throws Exception {
        create(canary(4, false, "{\"currentPodHash\":\"new\",\"stableRS\":\"old\",\"currentStepIndex\":2}"));

        String sent = actions.perform(cluster.client, ActionType.ABORT, CURRENT);

        assertThat(cluster.writes()).containsExactly("PATCH " + STATUS + " {\"status\":{\"abort\":true}}");
        assertThat(sent).isEqualTo("PATCH rollouts/status {\"status\":{\"abort\":true}}");
        assertThat(stored().path("status").path("abort").asBoolean()).isTrue();
        assertThat(stored().path("metadata").path("generation").asLong()).as("status writes leave generation")
                .isEqualTo(1);
    }

    @Test
    void retryClearsAbortOnTheStatusSubresource() throws Exception {
        create(canary(4, false, "{\"currentPodHash\":\"new\",\"stableRS\":\"old\",\"abort\":true}"));

        String sent = actions.perform(cluster.client, ActionType.RETRY, CURRENT);

        assertThat(cluster.writes()).containsExactly("PATCH " + STATUS + " {\"status\":{\"abort\":false}}");
        assertThat(sent).isEqualTo("PATCH rollouts/status {\"status\":{\"abort\":false}}");
        assertThat(stored().path("status").path("abort").asBoolean()).isFalse();
    }

    @Test
    void nudgeTouchesOnlyAnAnnotationSoTheControllerReReadsTheRollout() throws Exception {
        // The stall Argo Rollouts before v1.10.2 can leave: the promote cleared the pause, the controller missed it.
        create(canary(4, false, "{\"currentPodHash\":\"new\",\"stableRS\":\"old\",\"currentStepIndex\":1,"
                + "\"controllerPause\":true}"));
        JsonNode before = stored();

        String sent = actions.perform(cluster.client, ActionType.NUDGE, CURRENT);

        assertThat(cluster.writes()).containsExactly("PATCH " + MAIN
                + " {\"metadata\":{\"annotations\":{\"release-console.dev/nudged-at\":\"2025-03-01T10:15:30Z\"}}}");
        assertThat(sent).startsWith("PATCH rollouts ");
        JsonNode after = stored();
        assertThat(after.path("metadata").path("annotations").path("release-console.dev/nudged-at").asText())
                .isEqualTo("2025-03-01T10:15:30Z");
        assertThat(after.path("spec")).as("the spec is untouched").isEqualTo(before.path("spec"));
        assertThat(after.path("status")).as("the status is untouched").isEqualTo(before.path("status"));
    }

    @Test
    void restartSetsRestartAtToNowInUtcWithSecondsPrecision() throws Exception {
        create(canary(4, false, "{\"currentPodHash\":\"a\",\"stableRS\":\"a\"}"));

        actions.perform(cluster.client, ActionType.RESTART, CURRENT);

        assertThat(cluster.writes()).containsExactly(
                "PATCH " + MAIN + " {\"spec\":{\"restartAt\":\"2025-03-01T10:15:30Z\"}}");
        assertThat(stored().path("spec").path("restartAt").asText()).isEqualTo("2025-03-01T10:15:30Z");
    }

    // ------------------------------------------------------------------------------------------ promote

    @Test
    void promoteWithPauseConditionsClearsThemOnStatus() throws Exception {
        create(canary(4, false, "{\"currentPodHash\":\"new\",\"stableRS\":\"old\",\"currentStepIndex\":1,"
                + "\"controllerPause\":true,\"pauseConditions\":[{\"reason\":\"CanaryPauseStep\","
                + "\"startTime\":\"2025-03-01T10:00:00Z\"}]}"));

        String sent = actions.perform(cluster.client, ActionType.PROMOTE, CURRENT);

        List<KubeMockCluster.Seen> requests = cluster.drain();
        assertThat(requests).extracting(KubeMockCluster.Seen::method).containsExactly("GET", "PATCH");
        assertThat(requests.get(1).path()).isEqualTo(STATUS);
        assertThat(requests.get(1).body()).isEqualTo("{\"status\":{\"pauseConditions\":null}}");
        assertThat(sent).isEqualTo("PATCH rollouts/status {\"status\":{\"pauseConditions\":null}}");
        JsonNode status = stored().path("status");
        assertThat(status.path("pauseConditions").isNull() || status.path("pauseConditions").isMissingNode())
                .isTrue();
        assertThat(status.path("controllerPause").asBoolean()).as("left for the controller").isTrue();
        assertThat(status.path("currentStepIndex").asInt()).isEqualTo(1);
    }

    @Test
    void promoteOfACanaryWithoutPauseConditionsSkipsTheCurrentStep() throws Exception {
        create(canary(5, false, "{\"currentPodHash\":\"new\",\"stableRS\":\"old\",\"currentStepIndex\":2}"));

        actions.perform(cluster.client, ActionType.PROMOTE, CURRENT);

        assertThat(cluster.writes()).containsExactly(
                "PATCH " + STATUS + " {\"status\":{\"pauseConditions\":null,\"currentStepIndex\":3}}");
        assertThat(stored().path("status").path("currentStepIndex").asInt()).isEqualTo(3);
    }

    @Test
    void theStepSkipIsCappedAtTheNumberOfSteps() throws Exception {
        create(canary(5, false, "{\"currentPodHash\":\"new\",\"stableRS\":\"old\",\"currentStepIndex\":5}"));

        actions.perform(cluster.client, ActionType.PROMOTE, CURRENT);

        assertThat(cluster.writes()).containsExactly(
                "PATCH " + STATUS + " {\"status\":{\"pauseConditions\":null,\"currentStepIndex\":5}}");
    }

    @Test
    void anUnsetStepIndexCountsAsStepZero() throws Exception {
        create(canary(3, false, "{\"currentPodHash\":\"new\",\"stableRS\":\"old\"}"));

        actions.perform(cluster.client, ActionType.PROMOTE, CURRENT);

        assertThat(cluster.writes()).containsExactly(
                "PATCH " + STATUS + " {\"status\":{\"pauseConditions\":null,\"currentStepIndex\":1}}");
    }

    @Test
    void promoteOfAnInconclusiveStepClearsControllerPauseAndMovesOn() throws Exception {
        create(canary(6, false, "{\"currentPodHash\":\"new\",\"stableRS\":\"old\",\"currentStepIndex\":3,"
                + "\"controllerPause\":true,\"pauseConditions\":[{\"reason\":\"InconclusiveAnalysisRun\","
                + "\"startTime\":\"2025-03-01T10:00:00Z\"}],"
                + "\"canary\":{\"currentStepAnalysisRunStatus\":{\"name\":\"checkout-api-7-3\","
                + "\"status\":\"Inconclusive\"}}}"));

        actions.perform(cluster.client, ActionType.PROMOTE, CURRENT);

        assertThat(cluster.writes()).containsExactly("PATCH " + STATUS
                + " {\"status\":{\"pauseConditions\":null,\"controllerPause\":false,\"currentStepIndex\":4}}");
        JsonNode status = stored().path("status");
        assertThat(status.path("controllerPause").asBoolean()).isFalse();
        assertThat(status.path("currentStepIndex").asInt()).isEqualTo(4);
    }

    @Test
    void anInconclusivePauseWithoutControllerPauseOnlyClearsTheConditions() throws Exception {
        create(canary(6, false, "{\"currentPodHash\":\"new\",\"stableRS\":\"old\",\"currentStepIndex\":3,"
                + "\"pauseConditions\":[{\"reason\":\"InconclusiveAnalysisRun\","
                + "\"startTime\":\"2025-03-01T10:00:00Z\"}],"
                + "\"canary\":{\"currentStepAnalysisRunStatus\":{\"status\":\"Inconclusive\"}}}"));

        actions.perform(cluster.client, ActionType.PROMOTE, CURRENT);

        assertThat(cluster.writes()).containsExactly("PATCH " + STATUS + " {\"status\":{\"pauseConditions\":null}}");
    }

    @Test
    void promoteOfAPausedRolloutSendsTheStatusPatchThenUnpausesTheMainObject() throws Exception {
        create(canary(4, true, "{\"currentPodHash\":\"new\",\"stableRS\":\"old\",\"currentStepIndex\":1,"
                + "\"pauseConditions\":[{\"reason\":\"CanaryPauseStep\",\"startTime\":\"2025-03-01T10:00:00Z\"}]}"));

        String sent = actions.perform(cluster.client, ActionType.PROMOTE, CURRENT);

        assertThat(cluster.writes()).containsExactly(
                "PATCH " + STATUS + " {\"status\":{\"pauseConditions\":null}}",
                "PATCH " + MAIN + " {\"spec\":{\"paused\":false}}");
        assertThat(sent).isEqualTo("PATCH rollouts/status {\"status\":{\"pauseConditions\":null}}; "
                + "PATCH rollouts {\"spec\":{\"paused\":false}}");
        assertThat(stored().path("spec").path("paused").asBoolean()).isFalse();
    }

    @Test
    void aBlueGreenWithoutPauseConditionsThatIsNotPausedGetsNothing() throws Exception {
        create(blueGreen(false, "{\"currentPodHash\":\"new\",\"stableRS\":\"old\"}"));

        String sent = actions.perform(cluster.client, ActionType.PROMOTE,
                Rollout.builder(REF, Strategy.BLUE_GREEN).build());

        assertThat(cluster.writes()).isEmpty();
        assertThat(sent).isEqualTo("nothing sent: a blue-green rollout with no pause condition that is not paused: "
                + "there is nothing to promote");
    }

    @Test
    void aPausedBlueGreenWithoutPauseConditionsIsOnlyUnpaused() throws Exception {
        create(blueGreen(true, "{\"currentPodHash\":\"new\",\"stableRS\":\"old\"}"));

        actions.perform(cluster.client, ActionType.PROMOTE, Rollout.builder(REF, Strategy.BLUE_GREEN).build());

        assertThat(cluster.writes()).containsExactly("PATCH " + MAIN + " {\"spec\":{\"paused\":false}}");
    }

    @Test
    void aBlueGreenPausedForPromotionClearsItsCondition() throws Exception {
        create(blueGreen(false, "{\"currentPodHash\":\"new\",\"stableRS\":\"old\",\"controllerPause\":true,"
                + "\"pauseConditions\":[{\"reason\":\"BlueGreenPause\",\"startTime\":\"2025-03-01T10:00:00Z\"}]}"));

        actions.perform(cluster.client, ActionType.PROMOTE, Rollout.builder(REF, Strategy.BLUE_GREEN).build());

        assertThat(cluster.writes()).containsExactly("PATCH " + STATUS + " {\"status\":{\"pauseConditions\":null}}");
    }

    @Test
    void promoteFullSetsPromoteFullOnStatusWhenAnUpdateIsUnderWay() throws Exception {
        create(canary(4, false, "{\"currentPodHash\":\"new\",\"stableRS\":\"old\",\"currentStepIndex\":1}"));

        String sent = actions.perform(cluster.client, ActionType.PROMOTE_FULL, CURRENT);

        assertThat(cluster.writes()).containsExactly("PATCH " + STATUS + " {\"status\":{\"promoteFull\":true}}");
        assertThat(sent).isEqualTo("PATCH rollouts/status {\"status\":{\"promoteFull\":true}}");
        assertThat(stored().path("status").path("promoteFull").asBoolean()).isTrue();
    }

    @Test
    void promoteFullOfAPausedRolloutAlsoUnpausesIt() throws Exception {
        create(canary(4, true, "{\"currentPodHash\":\"new\",\"stableRS\":\"old\",\"currentStepIndex\":1}"));

        actions.perform(cluster.client, ActionType.PROMOTE_FULL, CURRENT);

        assertThat(cluster.writes()).containsExactly(
                "PATCH " + STATUS + " {\"status\":{\"promoteFull\":true}}",
                "PATCH " + MAIN + " {\"spec\":{\"paused\":false}}");
    }

    @Test
    void promoteFullOfAStableRolloutSendsNothing() throws Exception {
        create(canary(4, false, "{\"currentPodHash\":\"same\",\"stableRS\":\"same\"}"));

        String sent = actions.perform(cluster.client, ActionType.PROMOTE_FULL, CURRENT);

        assertThat(cluster.writes()).isEmpty();
        assertThat(sent).startsWith("nothing sent: the current revision is already stable");
    }

    @Test
    void theBodiesAreTheJsonKubectlSends() throws Exception {
        // kubectl-argo-rollouts v1.9.1 promote.go constants (whitespace differs, JSON is the same).
        assertThat(JSON.readTree(String.format(PromotePlan.SKIP_INCONCLUSIVE, 4))).isEqualTo(JSON.readTree(
                "{\"status\":{\"pauseConditions\":null, \"controllerPause\":false, \"currentStepIndex\":4}}"));
        assertThat(JSON.readTree(String.format(PromotePlan.SKIP_STEP, 2))).isEqualTo(JSON.readTree(
                "{\"status\":{\"pauseConditions\":null, \"currentStepIndex\":2}}"));
        // restart.go sends an indented body; same JSON.
        assertThat(JSON.readTree(String.format(KubeRolloutActions.RESTART, "2025-03-01T10:15:30Z"))).isEqualTo(
                JSON.readTree("{\n\t\"spec\": {\n\t\t\"restartAt\": \"2025-03-01T10:15:30Z\"\n\t}\n}"));
    }

    // ------------------------------------------------------------------------------------------ partial failure

    @Test
    void whenTheUnpauseFailsAfterTheStatusPatchTheMessageSaysWhichOneWentThrough() throws Exception {
        create(canary(4, true, "{\"currentPodHash\":\"new\",\"stableRS\":\"old\",\"currentStepIndex\":1,"
                + "\"pauseConditions\":[{\"reason\":\"CanaryPauseStep\",\"startTime\":\"2025-03-01T10:00:00Z\"}]}"));
        cluster.server.expect().patch().withPath(MAIN).andReturn(403, status(403, "Forbidden",
                "rollouts.argoproj.io \"checkout-api\" is forbidden: User \"alice\" cannot patch resource "
                        + "\"rollouts\" in API group \"argoproj.io\" in the namespace \"payments\"")).once();

        ActionException e = catchThrowableOfType(
                () -> actions.perform(cluster.client, ActionType.PROMOTE, CURRENT), ActionException.class);

        assertThat(e.reason()).isEqualTo(Reason.DENIED);
        assertThat(e.getMessage()).startsWith("only part of the promote went through: PATCH rollouts/status "
                + "{\"status\":{\"pauseConditions\":null}} was applied, but PATCH rollouts {\"spec\":{\"paused\":false}} "
                + "failed: 403 Forbidden: you may not patch rollouts in namespace payments on cluster prod-eu");
        JsonNode after = stored();
        assertThat(after.path("status").path("pauseConditions").isNull()).isTrue();
        assertThat(after.path("spec").path("paused").asBoolean()).isTrue();
    }

    @Test
    void aForbiddenStatusPatchIsDeniedAndNamesVerbResourceNamespaceAndCluster() throws Exception {
        create(canary(4, false, "{\"currentPodHash\":\"new\",\"stableRS\":\"old\"}"));
        cluster.server.expect().patch().withPath(STATUS).andReturn(403, status(403, "Forbidden",
                "rollouts.argoproj.io \"checkout-api\" is forbidden: User \"alice\" cannot patch resource "
                        + "\"rollouts/status\" (Authorization: Bearer abc.def.ghi)")).once();

        ActionException e = catchThrowableOfType(
                () -> actions.perform(cluster.client, ActionType.ABORT, CURRENT), ActionException.class);

        assertThat(e.reason()).isEqualTo(Reason.DENIED);
        assertThat(e.getMessage()).startsWith(
                "403 Forbidden: you may not patch rollouts/status in namespace payments on cluster prod-eu");
        assertThat(e.getMessage()).doesNotContain("abc.def.ghi").doesNotContain("secret");
        assertThat(cluster.writes()).hasSize(1);
    }

    @Test
    void unauthorizedIsDeniedWithAHintToLogInAgain() throws Exception {
        create(canary(4, false, "{}"));
        cluster.server.expect().patch().withPath(MAIN).andReturn(401, status(401, "Unauthorized", "Unauthorized"))
                .once();

        ActionException e = catchThrowableOfType(
                () -> actions.perform(cluster.client, ActionType.PAUSE, CURRENT), ActionException.class);

        assertThat(e.reason()).isEqualTo(Reason.DENIED);
        assertThat(e.getMessage()).startsWith("401 Unauthorized").contains("log in again");
    }

    @Test
    void aMissingRolloutIsNotFound() {
        ActionException e = catchThrowableOfType(
                () -> actions.perform(cluster.client, ActionType.ABORT, CURRENT), ActionException.class);

        assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND);
        assertThat(e.getMessage()).contains("rollouts payments/checkout-api does not exist on cluster prod-eu");
    }

    @Test
    void aServerErrorIsUnavailableAndNotRetriedBehindOurBack() throws Exception {
        create(canary(4, false, "{}"));
        cluster.server.expect().patch().withPath(MAIN).andReturn(503, status(503, "ServiceUnavailable",
                "etcdserver: leader changed")).always();

        ActionException e = catchThrowableOfType(
                () -> actions.perform(cluster.client, ActionType.PAUSE, CURRENT), ActionException.class);

        assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE);
        assertThat(e.getMessage()).contains("etcdserver: leader changed").contains("may or may not have been applied");
        assertThat(cluster.writes()).as("fabric8's own retry is off").hasSize(1);
    }

    @Test
    void aSlowApiServerIsATimeout() throws Exception {
        Config config = new ConfigBuilder(cluster.client.getConfiguration()).withRequestTimeout(300).build();
        try (KubernetesClient slowClient = new KubernetesClientBuilder().withConfig(config).build()) {
            create(canary(4, false, "{}"));
            cluster.server.expect().patch().delay(2, TimeUnit.SECONDS).withPath(MAIN).andReturn(200, "{}").once();

            ActionException e = catchThrowableOfType(
                    () -> actions.perform(slowClient, ActionType.PAUSE, CURRENT), ActionException.class);

            assertThat(e.reason()).isEqualTo(Reason.TIMEOUT);
            assertThat(e.getMessage()).contains("may or may not have been applied");
        }
    }

    // ------------------------------------------------------------------------------------------ conflicts

    @Test
    void aConflictOnAbortIsRetriedOnceOnFreshState() throws Exception {
        create(canary(4, false, "{\"currentPodHash\":\"new\",\"stableRS\":\"old\"}"));
        cluster.server.expect().patch().withPath(STATUS).andReturn(409, status(409, "Conflict",
                "Operation cannot be fulfilled on rollouts.argoproj.io \"checkout-api\"")).once();

        actions.perform(cluster.client, ActionType.ABORT, CURRENT);

        List<KubeMockCluster.Seen> requests = cluster.drain();
        assertThat(requests).extracting(KubeMockCluster.Seen::line)
                .containsExactly("PATCH " + STATUS, "GET " + MAIN, "PATCH " + STATUS);
        assertThat(requests.get(2).body()).isEqualTo("{\"status\":{\"abort\":true}}");
        assertThat(stored().path("status").path("abort").asBoolean()).isTrue();
    }

    @Test
    void aConflictOnAbortIsNotResentWhenFreshStateIsAlreadyAborted() throws Exception {
        create(canary(4, false, "{\"currentPodHash\":\"new\",\"stableRS\":\"old\",\"abort\":true}"));
        cluster.server.expect().patch().withPath(STATUS).andReturn(409, status(409, "Conflict", "conflict")).once();

        String sent = actions.perform(cluster.client, ActionType.ABORT, CURRENT);

        assertThat(cluster.writes()).hasSize(1);
        assertThat(sent).isEqualTo("PATCH rollouts/status {\"status\":{\"abort\":true}}");
    }

    @Test
    void aSecondConflictIsReportedAsConflict() throws Exception {
        create(canary(4, false, "{\"currentPodHash\":\"new\",\"stableRS\":\"old\"}"));
        cluster.server.expect().patch().withPath(STATUS).andReturn(409, status(409, "Conflict", "conflict")).times(2);

        ActionException e = catchThrowableOfType(
                () -> actions.perform(cluster.client, ActionType.ABORT, CURRENT), ActionException.class);

        assertThat(e.reason()).isEqualTo(Reason.CONFLICT);
        assertThat(cluster.writes()).hasSize(2);
    }

    @Test
    void aConflictOnAStepSkipIsNotBlindlyResentWhenTheRolloutMovedOn() throws Exception {
        String atStep2 = canary(5, false, "{\"currentPodHash\":\"new\",\"stableRS\":\"old\",\"currentStepIndex\":2}");
        String atStep3 = canary(5, false, "{\"currentPodHash\":\"new\",\"stableRS\":\"old\",\"currentStepIndex\":3}");
        create(atStep2);
        cluster.server.expect().get().withPath(MAIN).andReturn(200, withMeta(atStep2)).once();
        cluster.server.expect().get().withPath(MAIN).andReturn(200, withMeta(atStep3)).once();
        cluster.server.expect().patch().withPath(STATUS).andReturn(409, status(409, "Conflict", "conflict")).once();

        ActionException e = catchThrowableOfType(
                () -> actions.perform(cluster.client, ActionType.PROMOTE, CURRENT), ActionException.class);

        assertThat(e.reason()).isEqualTo(Reason.CONFLICT);
        assertThat(e.getMessage()).contains("nothing was re-sent");
        List<KubeMockCluster.Seen> requests = cluster.drain();
        assertThat(requests).extracting(KubeMockCluster.Seen::line)
                .containsExactly("GET " + MAIN, "PATCH " + STATUS, "GET " + MAIN);
        assertThat(stored().path("status").path("currentStepIndex").asInt()).as("unchanged by us").isEqualTo(2);
    }

    @Test
    void aConflictOnAStepSkipIsDecidedAgainOnFreshStateWhenNothingMoved() throws Exception {
        create(canary(5, false, "{\"currentPodHash\":\"new\",\"stableRS\":\"old\",\"currentStepIndex\":2}"));
        cluster.server.expect().patch().withPath(STATUS).andReturn(409, status(409, "Conflict", "conflict")).once();

        actions.perform(cluster.client, ActionType.PROMOTE, CURRENT);

        List<KubeMockCluster.Seen> requests = cluster.drain();
        assertThat(requests).extracting(KubeMockCluster.Seen::line)
                .containsExactly("GET " + MAIN, "PATCH " + STATUS, "GET " + MAIN, "PATCH " + STATUS);
        assertThat(requests.get(3).body())
                .isEqualTo("{\"status\":{\"pauseConditions\":null,\"currentStepIndex\":3}}");
        assertThat(stored().path("status").path("currentStepIndex").asInt()).as("one step, not two").isEqualTo(3);
    }

    // ------------------------------------------------------------------------------------------ rate limits

    @Test
    void aRateLimitedIdempotentRequestHonoursRetryAfterOnce() throws Exception {
        create(canary(4, false, "{}"));
        cluster.server.expect().patch().withPath(MAIN).andReturn(429, tooManyRequests(2)).once();

        actions.perform(cluster.client, ActionType.PAUSE, CURRENT);

        assertThat(slept).containsExactly(Duration.ofSeconds(2));
        assertThat(cluster.writes()).hasSize(2);
        assertThat(stored().path("spec").path("paused").asBoolean()).isTrue();
    }

    @Test
    void theRetryAfterHeaderOfAPlainTextTooManyRequestsIsHonoured() throws Exception {
        // kube-apiserver's max-in-flight and APF filters answer 429 with a Retry-After header and a text body.
        create(canary(4, false, "{\"currentPodHash\":\"new\",\"stableRS\":\"old\"}"));
        cluster.server.expect().patch().withPath(STATUS)
                .andReturn(429, "Too many requests, please try again later.\n").withHeader("Retry-After", "3").once();

        actions.perform(cluster.client, ActionType.ABORT, CURRENT);

        assertThat(slept).containsExactly(Duration.ofSeconds(3));
        assertThat(cluster.writes()).containsExactly("PATCH " + STATUS + " {\"status\":{\"abort\":true}}",
                "PATCH " + STATUS + " {\"status\":{\"abort\":true}}");
        assertThat(stored().path("status").path("abort").asBoolean()).isTrue();
    }

    @Test
    void aRetryAfterLongerThanTenSecondsIsReportedInsteadOfWaitedFor() throws Exception {
        create(canary(4, false, "{}"));
        cluster.server.expect().patch().withPath(MAIN)
                .andReturn(429, "Too many requests, please try again later.\n").withHeader("Retry-After", "60").once();

        ActionException e = catchThrowableOfType(
                () -> actions.perform(cluster.client, ActionType.PAUSE, CURRENT), ActionException.class);

        assertThat(e.reason()).isEqualTo(Reason.RATE_LIMITED);
        assertThat(e.getMessage()).contains("retry after 60s");
        assertThat(slept).isEmpty();
    }

    @Test
    void aSecondRateLimitIsReported() throws Exception {
        create(canary(4, false, "{}"));
        cluster.server.expect().patch().withPath(MAIN).andReturn(429, tooManyRequests(1)).times(2);

        ActionException e = catchThrowableOfType(
                () -> actions.perform(cluster.client, ActionType.PAUSE, CURRENT), ActionException.class);

        assertThat(e.reason()).isEqualTo(Reason.RATE_LIMITED);
        assertThat(e.getMessage()).contains("retry after 1s");
        assertThat(slept).hasSize(1);
    }

    @Test
    void aRateLimitedStepSkipIsNotRetried() throws Exception {
        create(canary(5, false, "{\"currentPodHash\":\"new\",\"stableRS\":\"old\",\"currentStepIndex\":2}"));
        cluster.server.expect().patch().withPath(STATUS).andReturn(429, tooManyRequests(1)).once();

        ActionException e = catchThrowableOfType(
                () -> actions.perform(cluster.client, ActionType.PROMOTE, CURRENT), ActionException.class);

        assertThat(e.reason()).isEqualTo(Reason.RATE_LIMITED);
        assertThat(slept).isEmpty();
        assertThat(cluster.writes()).hasSize(1);
    }

    // ------------------------------------------------------------------------------------------ undo, terminate

    @Test
    void undoReplacesTheTemplateWithThePreviousRevisionsWithoutItsHashLabel() throws Exception {
        String uid = cluster.create(ROLLOUTS, canary(4, false, "{\"currentPodHash\":\"h3\",\"stableRS\":\"h3\"}"))
                .getMetadata().getUid();
        replicaSet("checkout-api-h1", uid, 1, "h1", "shop/checkout-api:1.0.0");
        replicaSet("checkout-api-h2", uid, 2, "h2", "shop/checkout-api:1.5.0");
        replicaSet("checkout-api-h3", uid, 3, "h3", "shop/checkout-api:2.0.0");
        replicaSet("someone-elses", "another-uid", 9, "h9", "shop/other:9");
        cluster.drain();

        String sent = actions.undo(cluster.client, REF, 0);

        List<KubeMockCluster.Seen> requests = cluster.drain();
        KubeMockCluster.Seen patch = requests.get(requests.size() - 1);
        assertThat(patch.method()).isEqualTo("PATCH");
        assertThat(patch.path()).isEqualTo(MAIN);
        assertThat(patch.contentType()).startsWith("application/json-patch+json");
        assertThat(JSON.readTree(patch.body())).isEqualTo(JSON.readTree("""
                [{"op":"replace","path":"/spec/template","value":
                  {"metadata":{"labels":{"app":"checkout-api"}},
                   "spec":{"containers":[{"name":"app","image":"shop/checkout-api:1.5.0"}]}}}]"""));
        assertThat(sent).startsWith("PATCH rollouts/checkout-api (JSON patch) replace /spec/template with the "
                + "template of revision 2 (ReplicaSet checkout-api-h2");
        assertThat(stored().path("spec").path("template").path("spec").path("containers").get(0).path("image")
                .asText()).isEqualTo("shop/checkout-api:1.5.0");
    }

    @Test
    void undoToANamedRevision() throws Exception {
        String uid = cluster.create(ROLLOUTS, canary(4, false, "{}")).getMetadata().getUid();
        replicaSet("checkout-api-h1", uid, 1, "h1", "shop/checkout-api:1.0.0");
        replicaSet("checkout-api-h2", uid, 2, "h2", "shop/checkout-api:1.5.0");

        actions.undo(cluster.client, REF, 1);

        assertThat(stored().path("spec").path("template").path("spec").path("containers").get(0).path("image")
                .asText()).isEqualTo("shop/checkout-api:1.0.0");
    }

    @Test
    void undoToTheCurrentTemplateSendsNothing() throws Exception {
        String uid = cluster.create(ROLLOUTS, canary(4, false, "{}")).getMetadata().getUid();
        replicaSet("checkout-api-h1", uid, 1, "h1", "shop/checkout-api:2.0.0");
        replicaSet("checkout-api-h2", uid, 2, "h2", "shop/checkout-api:3.0.0");
        cluster.drain();

        String sent = actions.undo(cluster.client, REF, 1);

        assertThat(sent).isEqualTo("nothing sent: the current template already matches revision 1");
        assertThat(cluster.writes()).isEmpty();
    }

    @Test
    void undoToAnUnknownRevisionIsInvalid() throws Exception {
        String uid = cluster.create(ROLLOUTS, canary(4, false, "{}")).getMetadata().getUid();
        replicaSet("checkout-api-h1", uid, 1, "h1", "shop/checkout-api:1.0.0");

        assertThatThrownBy(() -> actions.undo(cluster.client, REF, 7)).isInstanceOf(ActionException.class)
                .hasMessageContaining("unable to find revision 7");
        assertThatThrownBy(() -> actions.undo(cluster.client, REF, 0)).isInstanceOf(ActionException.class)
                .hasMessageContaining("no previous revision");
    }

    @Test
    void terminateAnalysisPatchesTheAnalysisRunSpec() throws Exception {
        cluster.create(ANALYSIS_RUNS, """
                {"apiVersion":"argoproj.io/v1alpha1","kind":"AnalysisRun",
                 "metadata":{"name":"checkout-api-7-3","namespace":"payments"},
                 "spec":{"metrics":[{"name":"success-rate","provider":{"prometheus":{"query":"up"}}}]},
                 "status":{"phase":"Running"}}""");
        cluster.drain();

        String sent = actions.terminateAnalysis(cluster.client, NS, "checkout-api-7-3");

        assertThat(cluster.writes()).containsExactly("PATCH /apis/argoproj.io/v1alpha1/namespaces/payments/"
                + "analysisruns/checkout-api-7-3 {\"spec\":{\"terminate\":true}}");
        assertThat(sent).isEqualTo("PATCH analysisruns payments/checkout-api-7-3 {\"spec\":{\"terminate\":true}}");
        assertThat(cluster.getJson(ANALYSIS_RUNS, NS, "checkout-api-7-3").path("spec").path("terminate")
                .asBoolean()).isTrue();
    }

    // ------------------------------------------------------------------------------------------ Flagger

    static final RolloutRef PODINFO = new RolloutRef("prod-eu", "test", "podinfo", WorkloadKind.FLAGGER_CANARY);
    static final String CANARY = "/apis/flagger.app/v1beta1/namespaces/test/canaries/podinfo";

    void createCanary() throws InterruptedException {
        cluster.create(CANARIES, """
                {"apiVersion":"flagger.app/v1beta1","kind":"Canary",
                 "metadata":{"name":"podinfo","namespace":"test"},
                 "spec":{"targetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"podinfo"},
                   "analysis":{"interval":"1m","threshold":5,"maxWeight":50,"stepWeight":10}},
                 "status":{"phase":"Progressing","canaryWeight":20}}""");
        cluster.drain();
    }

    Rollout flagger() {
        return Rollout.builder(PODINFO, Strategy.FLAGGER_CANARY).phase("Progressing").build();
    }

    @Test
    void flaggerPauseResumeAndPromoteFullPatchTheCanarySpec() throws Exception {
        createCanary();

        assertThat(actions.perform(cluster.client, ActionType.PAUSE, flagger()))
                .isEqualTo("PATCH canaries {\"spec\":{\"suspend\":true}}");
        assertThat(cluster.getJson(CANARIES, "test", "podinfo").path("spec").path("suspend").asBoolean()).isTrue();
        actions.perform(cluster.client, ActionType.RESUME, flagger());
        assertThat(cluster.getJson(CANARIES, "test", "podinfo").path("spec").path("suspend").asBoolean()).isFalse();
        actions.perform(cluster.client, ActionType.PROMOTE_FULL, flagger());
        assertThat(cluster.getJson(CANARIES, "test", "podinfo").path("spec").path("skipAnalysis").asBoolean())
                .isTrue();

        List<String> writes = new ArrayList<>();
        for (KubeMockCluster.Seen r : cluster.drain()) {
            if ("PATCH".equals(r.method())) {
                writes.add(r.path() + " " + r.body());
            }
        }
        assertThat(writes).containsExactly(CANARY + " {\"spec\":{\"suspend\":true}}",
                CANARY + " {\"spec\":{\"suspend\":false}}", CANARY + " {\"spec\":{\"skipAnalysis\":true}}");
    }

    @Test
    void flaggerPromoteAndAbortOpenTheLoadtesterGatesThroughTheServiceProxy() throws Exception {
        String gate = "/api/v1/namespaces/flagger-system/services/flagger-loadtester:80/proxy/gate/open";
        String rollback = "/api/v1/namespaces/flagger-system/services/flagger-loadtester:80/proxy/rollback/open";
        cluster.server.expect().post().withPath(gate).andReturn(202, "").once();
        cluster.server.expect().post().withPath(rollback).andReturn(202, "").once();
        KubeRolloutActions withLoadtester = new KubeRolloutActions(LoadtesterRef.defaultIn("flagger-system"));

        String promoted = withLoadtester.perform(cluster.client, ActionType.PROMOTE, flagger());
        String aborted = withLoadtester.perform(cluster.client, ActionType.ABORT, flagger());

        assertThat(cluster.writes()).containsExactly(
                "POST " + gate + " {\"name\":\"podinfo\",\"namespace\":\"test\"}",
                "POST " + rollback + " {\"name\":\"podinfo\",\"namespace\":\"test\"}");
        assertThat(promoted).isEqualTo("POST " + gate + " {\"name\":\"podinfo\",\"namespace\":\"test\"}");
        assertThat(aborted).startsWith("POST " + rollback);
    }

    @Test
    void aForbiddenServiceProxyIsDeniedNamingTheLoadtesterNamespace() {
        String gate = "/api/v1/namespaces/flagger-system/services/flagger-loadtester:80/proxy/gate/open";
        cluster.server.expect().post().withPath(gate).andReturn(403, status(403, "Forbidden", "forbidden")).once();
        KubeRolloutActions withLoadtester = new KubeRolloutActions(LoadtesterRef.defaultIn("flagger-system"));

        ActionException e = catchThrowableOfType(
                () -> withLoadtester.perform(cluster.client, ActionType.PROMOTE, flagger()), ActionException.class);

        assertThat(e.reason()).isEqualTo(Reason.DENIED);
        assertThat(e.getMessage()).startsWith(
                "403 Forbidden: you may not create services/proxy in namespace flagger-system on cluster prod-eu");
    }

    @Test
    void flaggerGatesWithoutALoadtesterAreRefusedWithWhatToConfigure() throws Exception {
        ActionException e = catchThrowableOfType(
                () -> actions.perform(cluster.client, ActionType.PROMOTE, flagger()), ActionException.class);

        assertThat(e.reason()).isEqualTo(Reason.INVALID);
        assertThat(e.getMessage()).startsWith("Flagger gates need the flagger-loadtester: configure");
        assertThat(cluster.writes()).isEmpty();
    }

    @Test
    void flaggerRetryChangesTheTargetsPodTemplate() throws Exception {
        createCanary();
        cluster.create(KubeRolloutActions.DEPLOYMENTS, """
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"podinfo","namespace":"test"},
                 "spec":{"selector":{"matchLabels":{"app":"podinfo"}},
                   "template":{"metadata":{"labels":{"app":"podinfo"}},
                     "spec":{"containers":[{"name":"podinfo","image":"stefanprodan/podinfo:6.5.0"}]}}}}""");
        cluster.drain();

        String sent = actions.perform(cluster.client, ActionType.RETRY, flagger());

        assertThat(cluster.writes()).containsExactly("PATCH /apis/apps/v1/namespaces/test/deployments/podinfo "
                + "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":"
                + "{\"kubectl.kubernetes.io/restartedAt\":\"2025-03-01T10:15:30Z\"}}}}}");
        assertThat(sent).startsWith("PATCH deployments test/podinfo ");
    }

    // ------------------------------------------------------------------------------------------ helpers

    private void replicaSet(String name, String ownerUid, int revision, String hash, String image) {
        cluster.create(KubeRolloutActions.REPLICA_SETS, """
                {"apiVersion":"apps/v1","kind":"ReplicaSet",
                 "metadata":{"name":"%s","namespace":"payments",
                   "labels":{"app":"checkout-api","rollouts-pod-template-hash":"%s"},
                   "annotations":{"rollout.argoproj.io/revision":"%d"},
                   "ownerReferences":[{"apiVersion":"argoproj.io/v1alpha1","kind":"Rollout","name":"checkout-api",
                     "uid":"%s","controller":true}]},
                 "spec":{"replicas":1,"selector":{"matchLabels":{"app":"checkout-api",
                     "rollouts-pod-template-hash":"%s"}},
                   "template":{"metadata":{"labels":{"app":"checkout-api","rollouts-pod-template-hash":"%s"}},
                     "spec":{"containers":[{"name":"app","image":"%s"}]}}}}
                """.formatted(name, hash, revision, ownerUid, hash, hash, image));
    }

    private static String withMeta(String rolloutJson) throws Exception {
        JsonNode n = JSON.readTree(rolloutJson);
        ((com.fasterxml.jackson.databind.node.ObjectNode) n.path("metadata")).put("uid", "u-1")
                .put("resourceVersion", "7");
        return n.toString();
    }

    private static String tooManyRequests(int seconds) {
        return "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                + "\"message\":\"Too many requests, please try again later.\",\"reason\":\"TooManyRequests\","
                + "\"details\":{\"retryAfterSeconds\":" + seconds + "},\"code\":429}";
    }
}
