package dev.releaseconsole.views.detail;

import dev.releaseconsole.services.model.PauseCondition;
import dev.releaseconsole.services.model.Rollout;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.releaseconsole.views.detail.DetailFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;

class StepsModelTest {
    @Test
    void marksDoneCurrentAndPending() {
        List<StepItem> items = StepsModel.items(DetailFixture.checkout());
        assertThat(items).extracting(StepItem::state).containsExactly(StepItem.State.DONE, StepItem.State.DONE,
                StepItem.State.DONE, StepItem.State.CURRENT, StepItem.State.PENDING, StepItem.State.PENDING);
        assertThat(items).extracting(StepItem::text).containsExactly("setWeight 25%", "pause 2m", "setWeight 50%",
                "analysis error-ratio", "pause (until promoted)", "setWeight 100%");
    }

    @Test
    void everyStepIsDoneOnceTheIndexPassedTheLast() {
        Rollout r = DetailFixture.checkout().toBuilder().currentStepIndex(6).build();
        assertThat(StepsModel.items(r)).extracting(StepItem::state).containsOnly(StepItem.State.DONE);
        assertThat(StepsModel.currentStepTiming(r, T0)).isEqualTo("all 6 steps done");
    }

    @Test
    void timedPauseShowsTimeInStepAndTimeLeftFromTheClusterClock() {
        Rollout r = DetailFixture.checkout().toBuilder().currentStepIndex(1).stepStartedAt(T0)
                .pauseConditions(List.of(new PauseCondition(PauseCondition.CANARY_PAUSE_STEP, T0))).build();
        String text = StepsModel.currentStepTiming(r, T0.plusSeconds(50));
        assertThat(text).isEqualTo("step 2 of 6 · pause 2m · in step 50s · 1m10s left");
        assertThat(StepsModel.pauseProgress(r, T0.plusSeconds(60))).isEqualTo(0.5);
    }

    @Test
    void indefinitePauseSaysItWaitsForPromotion() {
        String text = StepsModel.currentStepTiming(DetailFixture.searchPausedIndefinitely(), T0.plusSeconds(1290));
        assertThat(text).isEqualTo("step 5 of 6 · pause (until promoted) · in step 1m30s · waiting for promotion");
        assertThat(StepsModel.pauseProgress(DetailFixture.searchPausedIndefinitely(), T0)).isEqualTo(-1);
    }
}
