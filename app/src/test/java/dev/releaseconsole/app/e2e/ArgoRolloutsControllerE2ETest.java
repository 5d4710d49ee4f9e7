package dev.releaseconsole.app.e2e;

import dev.releaseconsole.services.actions.ActionType;
import dev.releaseconsole.services.actions.Outcome;
import dev.releaseconsole.services.actions.TargetOutcome;
import dev.releaseconsole.services.governance.AuditEntry;
import dev.releaseconsole.services.governance.AuditQuery;
import dev.releaseconsole.services.model.PauseCondition;
import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.model.Strategy;
import dev.releaseconsole.services.model.WorkloadKind;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console, as an admin, against the real Argo Rollouts controller: every action goes through the console's own
 * facade, and every expectation is what the controller then reports through the console's watch.
 */
@ExtendWith(LocalCluster.class)
class ArgoRolloutsControllerE2ETest {
    @TempDir
    static Path dir;

    private static LocalCluster.Running cluster;
    private static ConsoleOnCluster console;

    @BeforeAll
    static void connect(LocalCluster.Running running) {
        cluster = running;
        console = ConsoleOnCluster.start(running, LocalCluster.ADMIN_CONTEXT, dir.resolve("audit.db"));
    }

    @AfterAll
    static void disconnect() {
        if (console != null) {
            console.close();
        }
    }

    @Test
    void theSampleApplicationOfTheScriptIsWatchedHealthy() {
        RolloutRef checkout = new RolloutRef(LocalCluster.ADMIN_CONTEXT, "rc-demo", "checkout", WorkloadKind.ARGO_ROLLOUT);
        RolloutRef storefront = new RolloutRef(LocalCluster.ADMIN_CONTEXT, "rc-demo", "storefront",
                WorkloadKind.ARGO_ROLLOUT);
        Rollout canary = console.await(checkout, "Healthy", ConsoleOnCluster::settledHealthy,
                ConsoleOnCluster.CONTROLLER_DEADLINE);
        Rollout blueGreen = console.await(storefront, "Healthy", ConsoleOnCluster::settledHealthy,
                ConsoleOnCluster.CONTROLLER_DEADLINE);

        assertThat(canary.strategy()).isEqualTo(Strategy.CANARY);
        assertThat(canary.steps()).hasSize(7);
        assertThat(canary.displayPhase()).isEqualTo("Healthy");
        assertThat(canary.readyReplicas()).isEqualTo(5);
        assertThat(blueGreen.strategy()).isEqualTo(Strategy.BLUE_GREEN);
        assertThat(blueGreen.displayPhase()).isEqualTo("Healthy");
    }

    @Test
    void aDeployIsWatchedThroughTheControllersStepsToHealthy() {
        String name = "steps";
        cluster.create(Manifests.canary(name, """
                - setWeight: 25
                - pause: {duration: 5s}
                - setWeight: 50
                - pause: {duration: 5s}
                """));
        Rollout first = console.await(name, "healthy on its first revision", ConsoleOnCluster::settledHealthy);
        assertThat(first.stepLabel()).isEqualTo("4/4");

        cluster.deploy(name, "registry.local/steps:2");
        // The timed pauses hold each weight for 5 s, long enough for the console's watch to report it.
        List<String> seen = new ArrayList<>();
        Rollout done = console.await(name, "through every step to Healthy on the new revision", r -> {
            String step = r.stepLabel() + "@" + r.actualWeight() + "%";
            if (r.updateInProgress() && (seen.isEmpty() || !seen.get(seen.size() - 1).equals(step))) {
                seen.add(step);
            }
            return ConsoleOnCluster.settledHealthy(r) && !r.currentPodHash().equals(first.currentPodHash());
        });

        assertThat(seen).as("steps and actual weights the console showed on the way").contains("1/4@25%", "3/4@50%");
        assertThat(done.stepLabel()).isEqualTo("4/4");
        assertThat(done.actualWeight()).isEqualTo(100);
        assertThat(done.readyReplicas()).isEqualTo(4);
    }

    @Test
    void promotePastAPauseAndTheControllerMovesOn() {
        String name = "promote";
        Rollout paused = deployToFirstGate(name);
        assertThat(console.services().actions().availability(ActionType.PROMOTE, console.ref(name)).isAllowed())
                .as("promote is offered at a step pause").isTrue();

        TargetOutcome promoted = console.act(ActionType.PROMOTE, name, Outcome.SUCCEEDED);

        Rollout next = console.await(name, "paused at the second gate, step 3/4 with 3 of 4 pods on the canary",
                r -> Integer.valueOf(3).equals(r.currentStepIndex()) && r.hasPauseCondition(PauseCondition.CANARY_PAUSE_STEP)
                        && r.updatedReplicas() == 3 && r.readyReplicas() == 4);
        assertThat(next.actualWeight()).isEqualTo(75);
        assertThat(next.currentPodHash()).isEqualTo(paused.currentPodHash());
        // The promote's own outcome (a nudge, if the controller needed one, is audited after it).
        AuditEntry outcome = console.services().audit().query(AuditQuery.latest(20)).stream()
                .filter(e -> e.id() == promoted.auditId()).findFirst().orElseThrow();
        assertThat(outcome.action()).isEqualTo("PROMOTE");
        assertThat(outcome.result()).isEqualTo("SUCCEEDED");
        assertThat(outcome.detail()).contains("PATCH rollouts/status");
    }

    @Test
    void abortScalesTheCanaryAwayAndRetryStartsItAgain() {
        String name = "abort";
        Rollout paused = deployToFirstGate(name);

        console.act(ActionType.ABORT, name, Outcome.SUCCEEDED);

        Rollout aborted = console.await(name, "Degraded with the canary scaled away",
                r -> r.abort() && "Degraded".equals(r.displayPhase()) && r.updatedReplicas() == 0
                        && r.readyReplicas() == 4);
        assertThat(aborted.displayMessage()).startsWith("RolloutAborted");
        assertThat(aborted.actualWeight()).isZero();
        assertThat(canaryReplicaSet(name, paused.currentPodHash()).getSpec().getReplicas())
                .as("the canary ReplicaSet on the server").isZero();
        assertThat(console.services().actions().availability(ActionType.RETRY, console.ref(name)).isAllowed()).isTrue();
        assertThat(console.services().actions().execute(ActionType.ABORT, console.ref(name), null).outcomes().get(0)
                .outcome()).as("a second abort sends nothing").isEqualTo(Outcome.ALREADY_DONE);

        console.act(ActionType.RETRY, name, Outcome.SUCCEEDED);

        Rollout retried = console.await(name, "back at the first gate after the retry",
                r -> !r.abort() && Integer.valueOf(1).equals(r.currentStepIndex())
                        && r.hasPauseCondition(PauseCondition.CANARY_PAUSE_STEP) && r.updatedReplicas() == 1);
        assertThat(retried.displayPhase()).isEqualTo("Paused");
        assertThat(retried.currentPodHash()).isEqualTo(paused.currentPodHash());
    }

    @Test
    void promoteFullSkipsTheRemainingStepsToHealthy() {
        String name = "promote-full";
        Rollout paused = deployToFirstGate(name);

        console.act(ActionType.PROMOTE_FULL, name, Outcome.SUCCEEDED);

        Rollout done = console.await(name, "Healthy on the new revision without stopping at the second gate",
                r -> ConsoleOnCluster.settledHealthy(r) && paused.currentPodHash().equals(r.stableRS()));
        assertThat(done.updatedReplicas()).isEqualTo(4);
        assertThat(done.promoteFull()).as("the controller clears promoteFull once stable").isFalse();
    }

    @Test
    void pauseHoldsTheControllerAndResumeLetsItContinue() {
        String name = "pause";
        cluster.create(Manifests.canary(name, Manifests.TWO_GATES));
        console.await(name, "healthy on its first revision", ConsoleOnCluster::settledHealthy);

        console.act(ActionType.PAUSE, name, Outcome.SUCCEEDED);
        cluster.deploy(name, "registry.local/pause:2");

        Rollout held = console.await(name, "paused by the user with the new revision observed",
                r -> r.specPaused() && r.observedGeneration() == r.generation() && r.updateInProgress()
                        && "Paused".equals(r.displayPhase()));
        assertThat(held.pauseConditions()).extracting(PauseCondition::reason).doesNotContain(PauseCondition.CANARY_PAUSE_STEP);
        assertThat(console.services().actions().availability(ActionType.RESUME, console.ref(name)).isAllowed()).isTrue();

        console.act(ActionType.RESUME, name, Outcome.SUCCEEDED);

        Rollout gate = console.await(name, "moved on to the first step pause",
                r -> !r.specPaused() && Integer.valueOf(1).equals(r.currentStepIndex())
                        && r.hasPauseCondition(PauseCondition.CANARY_PAUSE_STEP) && r.updatedReplicas() == 1);
        assertThat(gate.actualWeight()).isEqualTo(25);
    }

    @Test
    void aBlueGreenPreviewIsPromotedToActive() {
        String name = "bluegreen";
        cluster.create(Manifests.blueGreen(name));
        Rollout first = console.await(name, "healthy on its first revision", ConsoleOnCluster::settledHealthy);
        cluster.deploy(name, "registry.local/bluegreen:2");

        Rollout preview = console.await(name, "waiting for promotion with the preview up",
                r -> r.hasPauseCondition(PauseCondition.BLUE_GREEN_PAUSE) && r.updateInProgress()
                        && r.previewSelector() != null && r.previewSelector().equals(r.currentPodHash()));
        assertThat(preview.activeSelector()).isEqualTo(first.currentPodHash());
        assertThat(preview.attentionReason()).contains("preview is up: waiting for promotion");

        console.act(ActionType.PROMOTE, name, Outcome.SUCCEEDED);

        Rollout promoted = console.await(name, "Healthy with the new revision active",
                r -> ConsoleOnCluster.settledHealthy(r) && preview.currentPodHash().equals(r.activeSelector()));
        assertThat(promoted.stableRS()).isEqualTo(preview.currentPodHash());
        Map<String, String> activeSelector = cluster.admin().services().inNamespace(LocalCluster.NAMESPACE)
                .withName(name + "-active").get().getSpec().getSelector();
        assertThat(activeSelector).as("the controller switched the active Service")
                .containsEntry("rollouts-pod-template-hash", preview.currentPodHash());
    }

    /** Creates a two-gate canary, waits for it to be healthy, deploys revision 2 and waits at the first gate. */
    private static Rollout deployToFirstGate(String name) {
        cluster.create(Manifests.canary(name, Manifests.TWO_GATES));
        console.await(name, "healthy on its first revision", ConsoleOnCluster::settledHealthy);
        cluster.deploy(name, "registry.local/" + name + ":2");
        return console.await(name, "paused at step 1/4 with one canary pod",
                r -> r.updateInProgress() && Integer.valueOf(1).equals(r.currentStepIndex())
                        && r.hasPauseCondition(PauseCondition.CANARY_PAUSE_STEP) && r.updatedReplicas() == 1
                        && r.readyReplicas() == 4);
    }

    private static ReplicaSet canaryReplicaSet(String rollout, String podHash) {
        return cluster.admin().apps().replicaSets().inNamespace(LocalCluster.NAMESPACE)
                .withLabel("rollouts-pod-template-hash", podHash).list().getItems().stream()
                .filter(rs -> rs.getMetadata().getName().startsWith(rollout + "-")).findFirst()
                .orElseThrow(() -> new AssertionError("no ReplicaSet " + rollout + "-" + podHash));
    }
}
