package dev.releaseconsole.app.e2e;

import dev.releaseconsole.services.actions.ActionType;
import dev.releaseconsole.services.actions.Outcome;
import dev.releaseconsole.services.actions.PermissionChecker;
import dev.releaseconsole.services.actions.PolicyEngine;
import dev.releaseconsole.services.actions.ReleaseActions;
import dev.releaseconsole.services.actions.TargetOutcome;
import dev.releaseconsole.services.actions.Verdict;
import dev.releaseconsole.services.governance.AuditEntry;
import dev.releaseconsole.services.governance.AuditQuery;
import dev.releaseconsole.services.governance.AuditStage;
import dev.releaseconsole.services.governance.SqliteAuditLog;
import dev.releaseconsole.services.kube.KubeClusters;
import dev.releaseconsole.services.kube.actions.KubeRolloutActions;
import dev.releaseconsole.services.model.ActionTarget;
import dev.releaseconsole.services.model.ConnectionState;
import dev.releaseconsole.services.model.PauseCondition;
import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.store.LiveState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A user who may view rollouts but not act on them ({@code rc-local-viewer}: get/list/watch on Argo resources,
 * no patch of rollouts or rollouts/status), against the real API server's RBAC.
 */
@ExtendWith(LocalCluster.class)
class RestrictedUserE2ETest {
    private static final String NAME = "restricted";

    @TempDir
    static Path dir;

    private static LocalCluster.Running cluster;
    private static ConsoleOnCluster viewer;

    @BeforeAll
    static void deployAndConnectAsViewer(LocalCluster.Running running) {
        cluster = running;
        cluster.create(Manifests.canary(NAME, Manifests.TWO_GATES));
        viewer = ConsoleOnCluster.start(running, LocalCluster.VIEWER_CONTEXT, dir.resolve("viewer-audit.db"));
        viewer.await(NAME, "healthy on its first revision", ConsoleOnCluster::settledHealthy);
        cluster.deploy(NAME, "registry.local/restricted:2");
        viewer.await(NAME, "paused at the first gate", r -> r.updateInProgress()
                && r.hasPauseCondition(PauseCondition.CANARY_PAUSE_STEP) && r.updatedReplicas() == 1);
    }

    @AfterAll
    static void disconnect() {
        if (viewer != null) {
            viewer.close();
        }
    }

    @Test
    void theViewerSeesTheRolloutButEveryActionIsOffWithTheReason() {
        RolloutRef ref = viewer.ref(NAME);
        for (ActionType action : List.of(ActionType.PROMOTE, ActionType.PROMOTE_FULL, ActionType.ABORT)) {
            Verdict verdict = viewer.services().actions().availability(action, ref);
            assertThat(verdict.isAllowed()).as(action + " for the viewer").isFalse();
            assertThat(verdict.reason()).as(action + "'s reason")
                    .contains("you may not patch rollouts/status in namespace " + LocalCluster.NAMESPACE);
        }
        Verdict pause = viewer.services().actions().availability(ActionType.PAUSE, ref);
        assertThat(pause.isAllowed()).isFalse();
        assertThat(pause.reason()).contains("you may not patch rollouts in namespace " + LocalCluster.NAMESPACE);

        TargetOutcome promote = viewer.act(ActionType.PROMOTE, NAME, Outcome.DENIED);
        assertThat(promote.message()).contains("you may not patch rollouts/status");
        AuditEntry refusal = viewer.services().audit().query(AuditQuery.latest(1)).get(0);
        assertThat(refusal.result()).isEqualTo("DENIED");
        assertThat(refusal.actor()).contains("rc-viewer");
        assertThat(refusal.detail()).startsWith("nothing sent");
    }

    /**
     * A permission check that lets the click through (as a stale cache after an RBAC change would): the API server
     * still refuses with 403, the facade reports DENIED with the server's own words, the audit log records the
     * intent and the denial, and the rollout is unchanged.
     */
    @Test
    void aForcedAttemptIsRefusedByTheApiServerAndAuditedAsDenied() throws Exception {
        LiveState state = new LiveState();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        PermissionChecker letsEverythingThrough = new PermissionChecker() {
            @Override
            public Verdict mayPerform(ActionType action, ActionTarget target) {
                return Verdict.allowed();
            }

            @Override
            public String whoAmI(ActionTarget target) {
                return "rc-viewer";
            }
        };
        try (KubeClusters clusters = KubeClusters.create(cluster.contexts(), List.of(LocalCluster.VIEWER_CONTEXT),
                state, new KubeRolloutActions()::perform, null);
             SqliteAuditLog audit = SqliteAuditLog.open(dir.resolve("forced-audit.db"), Clock.systemUTC())) {
            clusters.startAll();
            awaitConnected(state);
            ReleaseActions forced = new ReleaseActions(state, clusters.backends(), Map.of(), letsEverythingThrough,
                    PolicyEngine.PERMISSIVE, audit, Clock.systemUTC(), pool);

            TargetOutcome outcome = forced.execute(ActionType.PROMOTE, viewer.ref(NAME), "forced").outcomes().get(0);

            assertThat(outcome.outcome()).as(outcome.message()).isEqualTo(Outcome.DENIED);
            assertThat(outcome.message()).contains("403").contains("rc-viewer")
                    .contains("cannot patch resource \"rollouts/status\"");
            List<AuditEntry> entries = audit.query(AuditQuery.latest(2));
            AuditEntry intent = entries.stream().filter(e -> e.stage() == AuditStage.INTENT).findFirst()
                    .orElseThrow(() -> new AssertionError("no intent in " + entries));
            AuditEntry denial = entries.stream().filter(e -> e.stage() == AuditStage.OUTCOME).findFirst()
                    .orElseThrow(() -> new AssertionError("no outcome in " + entries));
            assertThat(denial.result()).isEqualTo("DENIED");
            assertThat(denial.relatesTo()).isEqualTo(intent.id());
            assertThat(denial.detail()).contains("forbidden");
        } finally {
            pool.shutdownNow();
        }
        Rollout now = viewer.await(NAME, "still paused at the first gate", r -> true);
        assertThat(now.hasPauseCondition(PauseCondition.CANARY_PAUSE_STEP)).as("nothing changed on the server").isTrue();
        assertThat(now.currentStepIndex()).isEqualTo(1);
    }

    private static void awaitConnected(LiveState state) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < end) {
            if (state.clusters().get(LocalCluster.VIEWER_CONTEXT).map(s -> s.state() == ConnectionState.CONNECTED)
                    .orElse(false)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not connected: " + state.clusters().get(LocalCluster.VIEWER_CONTEXT));
    }
}
