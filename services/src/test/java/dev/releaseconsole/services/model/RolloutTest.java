package dev.releaseconsole.services.model;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RolloutTest {
    private static final RolloutRef REF = new RolloutRef("prod", "shop", "api", WorkloadKind.ARGO_ROLLOUT);
    private static final Instant T0 = Instant.parse("2026-11-22T09:00:00Z");

    private static Rollout.Builder canary() {
        return Rollout.builder(REF, Strategy.CANARY).createdAt(T0)
                .steps(List.of(Step.setWeight(5), Step.pause(Duration.ofMinutes(2)), Step.analysis("success-rate"),
                        Step.setWeight(50)))
                .currentStepIndex(1).phase(Rollout.PAUSED, "CanaryPauseStep").controllerPause(true)
                .pauseConditions(List.of(new PauseCondition(PauseCondition.CANARY_PAUSE_STEP, T0)))
                .currentPodHash("b").stableRS("a");
    }

    @Test
    void phaseFollowsTheArgoPluginOverrides() {
        assertThat(canary().generation(3).observedGeneration(2).build().displayPhase()).isEqualTo("Progressing");
        assertThat(canary().generation(3).observedGeneration(2).build().displayMessage())
                .isEqualTo("waiting for rollout spec update to be observed");
        Rollout resumedByHuman = canary().pauseConditions(List.of()).build();
        assertThat(resumedByHuman.displayPhase()).isEqualTo("Progressing");
        assertThat(resumedByHuman.displayMessage()).isEqualTo("waiting for rollout to unpause");
        assertThat(canary().build().displayPhase()).isEqualTo("Paused");
    }

    @Test
    void saysWhenTheControllerHasNotActedOnAChangeTheServerHolds() {
        assertThat(canary().build().controllerBehind()).as("paused at a step, as the controller left it").isEmpty();
        assertThat(canary().pauseConditions(List.of()).build().controllerBehind()).hasValueSatisfying(
                why -> assertThat(why).contains("pause was cleared").contains("step 1/4"));
        assertThat(canary().pauseConditions(List.of()).specPaused(true).build().controllerBehind())
                .as("a user's pause is not the controller's to act on").isEmpty();
        assertThat(canary().generation(3).observedGeneration(2).build().controllerBehind())
                .hasValueSatisfying(why -> assertThat(why).contains("generation 3"));
        assertThat(canary().abort(true).build().controllerBehind())
                .hasValueSatisfying(why -> assertThat(why).contains("abort"));
        assertThat(canary().abort(true).phase(Rollout.DEGRADED, "RolloutAborted: x").build().controllerBehind())
                .isEmpty();
        assertThat(canary().promoteFull(true).build().controllerBehind())
                .hasValueSatisfying(why -> assertThat(why).contains("full promotion").contains("step 1/4"));
        assertThat(canary().promoteFull(true).pauseConditions(List.of()).controllerPause(false).build()
                .controllerBehind()).as("the controller has let go of the pause").isEmpty();
        assertThat(canary().pauseConditions(List.of()).controllerPause(false)
                .phase(Rollout.DEGRADED, "RolloutAborted: Rollout aborted update to revision 7").build()
                .controllerBehind()).hasValueSatisfying(why -> assertThat(why).contains("retry"));
        RolloutRef flagger = new RolloutRef("prod", "shop", "api", WorkloadKind.FLAGGER_CANARY);
        assertThat(Rollout.builder(flagger, Strategy.FLAGGER_CANARY).generation(3).observedGeneration(2).build()
                .controllerBehind()).as("Flagger has no such stall").isEmpty();
    }

    @Test
    void abortedIsALabelOnTopOfDegradedNotAPhase() {
        Rollout aborted = canary().abort(true).pauseConditions(List.of()).controllerPause(false)
                .phase(Rollout.DEGRADED, "RolloutAborted: Rollout aborted update to revision 7").build();
        assertThat(aborted.displayPhase()).isEqualTo("Degraded");
        assertThat(aborted.statusLabel()).isEqualTo("Aborted");
        assertThat(aborted.attentionReason()).get().asString().contains("RolloutAborted");
    }

    @Test
    void timedPauseShowsTimeLeftFromThePauseConditionStart() {
        Rollout r = canary().build();
        assertThat(r.stepLabel()).isEqualTo("1/4");
        assertThat(r.timeLeftOnPause(T0.plusSeconds(45))).contains(Duration.ofSeconds(75));
        assertThat(r.timeLeftOnPause(T0.plusSeconds(500))).contains(Duration.ZERO);
        assertThat(canary().currentStepIndex(2).build().timeLeftOnPause(T0)).isEmpty();
    }

    @Test
    void aFailingMeasurementNeedsAttentionBeforeTheControllerAborts() {
        MetricResult errors = new MetricResult("error-ratio", AnalysisPhase.Running, "", 3, 1, 2, 0, 0,
                "result < 0.01", List.of());
        AnalysisRun run = new AnalysisRun("api-7-2", AnalysisPhase.Running, "", "Step", 2, 7, T0, null,
                List.of(errors));
        Rollout r = canary().currentStepIndex(2).pauseConditions(List.of()).controllerPause(false)
                .phase(Rollout.PROGRESSING, "").analysisRuns(List.of(run)).build();
        assertThat(r.attentionReason()).contains("analysis failing: error-ratio failed 2 of 3 measurements");
    }

    @Test
    void aHealthyRolloutNeedsNobody() {
        Rollout healthy = Rollout.builder(REF, Strategy.CANARY).createdAt(T0).steps(List.of(Step.setWeight(100)))
                .currentStepIndex(1).phase(Rollout.HEALTHY, "").currentPodHash("a").stableRS("a").build();
        assertThat(healthy.needsAttention()).isFalse();
        assertThat(healthy.stepLabel()).isEqualTo("1/1");
    }
}
