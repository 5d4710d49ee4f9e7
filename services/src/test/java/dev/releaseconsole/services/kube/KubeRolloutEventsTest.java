package dev.releaseconsole.services.kube;

import dev.releaseconsole.services.model.AnalysisPhase;
import dev.releaseconsole.services.model.AnalysisRun;
import dev.releaseconsole.services.model.PauseCondition;
import dev.releaseconsole.services.model.Revision;
import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.model.RolloutEvent;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.model.Step;
import dev.releaseconsole.services.model.Strategy;
import dev.releaseconsole.services.model.WorkloadKind;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

/** Events derived from two snapshots, with the demo world's names so chart markers read the same. */
class KubeRolloutEventsTest {
    static final Instant NOW = Instant.parse("2025-05-02T12:00:00Z");
    static final RolloutRef REF = new RolloutRef("c", "shop", "search", WorkloadKind.ARGO_ROLLOUT);
    static final RolloutRef CANARY = new RolloutRef("c", "apps", "podinfo", WorkloadKind.FLAGGER_CANARY);

    static Rollout.Builder canary(int step, int weight) {
        return Rollout.builder(REF, Strategy.CANARY)
                .steps(List.of(Step.setWeight(10), Step.pause(Duration.ofMinutes(5)), Step.analysis("error-rate"),
                        Step.setWeight(50)))
                .currentStepIndex(step).actualWeight(weight).desiredWeight(weight)
                .currentPodHash("new").stableRS("old").phase(Rollout.PROGRESSING, "")
                .revisions(List.of(new Revision(9, "new", List.of("search:3.1.0"), "canary", 1, 1),
                        new Revision(8, "old", List.of("search:3.0.7"), "stable", 3, 3)));
    }

    static AnalysisRun run(AnalysisPhase phase, String message) {
        return new AnalysisRun("search-new-9-2", phase, message, "Step", 2, 9, NOW, null, List.of());
    }

    @Test
    void firstSightYieldsNothing() {
        assertThat(RolloutEvents.diff(null, canary(1, 10).build(), NOW)).isEmpty();
    }

    @Test
    void failedAnalysisThenAbortInTheDemosOrder() {
        Rollout before = canary(2, 10).analysisRuns(List.of(run(AnalysisPhase.Running, null))).build();
        Rollout after = canary(0, 0).analysisRuns(List.of(run(AnalysisPhase.Failed, "error-rate failed")))
                .abort(true).phase(Rollout.DEGRADED, "RolloutAborted: Rollout aborted update to revision 9")
                .build();

        assertThat(RolloutEvents.diff(before, after, NOW)).extracting(RolloutEvent::reason, RolloutEvent::message)
                .containsExactly(
                        tuple("AnalysisRunFailed", "AnalysisRun 'search-new-9-2' failed: error-rate failed"),
                        tuple("TrafficWeightUpdated", "Traffic weight updated from 10 to 0"),
                        tuple("RolloutAborted", "Rollout aborted update to revision 9"));
    }

    @Test
    void retryAfterAbort() {
        Rollout aborted = canary(0, 0).abort(true).phase(Rollout.DEGRADED, "RolloutAborted: x").build();
        Rollout retried = canary(0, 0).build();

        assertThat(RolloutEvents.diff(aborted, retried, NOW)).extracting(RolloutEvent::reason)
                .containsExactly("RolloutRetry");
    }

    @Test
    void aNewRevisionAndItsCompletion() {
        Rollout stable = canary(4, 100).currentPodHash("old").phase(Rollout.HEALTHY, "").build();
        Rollout updating = canary(0, 0).build();
        Rollout done = canary(4, 100).stableRS("new").phase(Rollout.HEALTHY, "").build();

        assertThat(RolloutEvents.diff(stable, updating, NOW)).extracting(RolloutEvent::reason, RolloutEvent::message)
                .containsExactly(tuple("RolloutUpdated", "Rollout updated to revision 9 (search:3.1.0)"));
        assertThat(RolloutEvents.diff(canary(3, 50).build(), done, NOW))
                .extracting(RolloutEvent::reason, RolloutEvent::message).containsExactly(
                        tuple("RolloutStepCompleted", "Rollout step 4/4 completed (setWeight: 50)"),
                        tuple("RolloutCompleted", "Rollout completed update to revision 9 (new): Rollout is healthy"));
    }

    @Test
    void pausedAndResumed() {
        Rollout running = canary(1, 10).build();
        Rollout paused = canary(1, 10).phase(Rollout.PAUSED, "CanaryPauseStep").controllerPause(true)
                .pauseConditions(List.of(new PauseCondition(PauseCondition.CANARY_PAUSE_STEP, NOW))).build();

        assertThat(RolloutEvents.diff(running, paused, NOW)).extracting(RolloutEvent::reason, RolloutEvent::message)
                .containsExactly(tuple("RolloutPaused", "Rollout is paused (CanaryPauseStep)"));
        assertThat(RolloutEvents.diff(paused, running, NOW)).extracting(RolloutEvent::reason)
                .containsExactly("RolloutResumed");
    }

    @Test
    void flaggerUsesItsPhaseNames() {
        Rollout.Builder base = Rollout.builder(CANARY, Strategy.FLAGGER_CANARY).currentPodHash("b")
                .stableRS("a").phase("Progressing", "").failedChecks(0);
        Rollout at10 = base.actualWeight(10).desiredWeight(10).build();
        Rollout at20 = base.actualWeight(20).desiredWeight(20).build();
        Rollout failedCheck = base.failedChecks(1).build();
        Rollout rolledBack = base.failedChecks(5).actualWeight(0).phase("Failed",
                "Canary analysis failed, Deployment scaled to zero.").build();
        Rollout suspended = base.suspended(true).build();

        assertThat(RolloutEvents.diff(at10, at20, NOW)).extracting(RolloutEvent::reason, RolloutEvent::message)
                .containsExactly(tuple("WeightAdvanced", "Advance podinfo.apps canary weight 20"));
        assertThat(RolloutEvents.diff(at20, failedCheck, NOW)).extracting(RolloutEvent::reason)
                .containsExactly("CheckFailed");
        assertThat(RolloutEvents.diff(failedCheck, rolledBack, NOW)).extracting(RolloutEvent::reason,
                RolloutEvent::weight).containsExactly(tuple("RolledBack", 0));
        assertThat(RolloutEvents.diff(rolledBack, suspended, NOW)).extracting(RolloutEvent::reason)
                .contains("Suspended");
        Rollout promoted = Rollout.builder(CANARY, Strategy.FLAGGER_CANARY).currentPodHash("b").stableRS("b")
                .phase("Succeeded", "Canary analysis completed successfully, promotion finished.").build();
        assertThat(RolloutEvents.diff(at20, promoted, NOW)).extracting(RolloutEvent::reason)
                .containsExactly("Succeeded");
    }

    @Test
    void aStepsStartIsWhenTheWatchSawItChange() {
        Rollout before = canary(0, 10).build();
        Rollout moved = canary(1, 10).build();

        Rollout next = RolloutPublisher.withStepStart(before, moved, NOW);
        assertThat(next.stepStartedAt()).isEqualTo(NOW);
        Rollout later = RolloutPublisher.withStepStart(next, canary(1, 10).build(), NOW.plusSeconds(30));
        assertThat(later.stepStartedAt()).isEqualTo(NOW);
        assertThat(RolloutPublisher.withStepStart(null, moved, NOW).stepStartedAt()).isNull();
    }
}
