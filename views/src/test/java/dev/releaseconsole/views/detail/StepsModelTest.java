package dev.releaseconsole.views.detail;

import dev.releaseconsole.views.testing.TestWorld;
import dev.releaseconsole.services.model.PauseCondition;
import dev.releaseconsole.services.model.Rollout;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.releaseconsole.views.testing.TestWorld.T0;
import static org.assertj.core.api.Assertions.assertThat;

class StepsModelTest {
    @Test
    void marksDoneCurrentAndPending() {
        List<StepItem> items = StepsModel.items(TestWorld.checkout());
        assertThat(items).extracting(StepItem::state).containsExactly(StepItem.State.DONE, StepItem.State.DONE,
                StepItem.State.DONE, StepItem.State.CURRENT, StepItem.State.PENDING, StepItem.State.PENDING);
        assertThat(items).extracting(StepItem::text).containsExactly("setWeight 25%", "pause 2m", "setWeight 50%",
                "analysis error-ratio", "pause (until promoted)", "setWeight 100%");
        // numbered as the table and the header count: the current step of "3/6" is the one numbered 3
        assertThat(TestWorld.checkout().stepLabel()).isEqualTo("3/6");
        assertThat(items.get(3).numbered()).isEqualTo("3 · analysis error-ratio");
    }

    @Test
    void everyStepIsDoneOnceTheIndexPassedTheLast() {
        Rollout r = TestWorld.checkout().toBuilder().currentStepIndex(6).build();
        assertThat(StepsModel.items(r)).extracting(StepItem::state).containsOnly(StepItem.State.DONE);
        assertThat(StepsModel.currentStepTiming(r, T0)).isEqualTo("step 6/6 · all steps done");
    }

    @Test
    void timedPauseShowsTimeInStepAndTimeLeftFromTheClusterClock() {
        Rollout r = TestWorld.checkout().toBuilder().currentStepIndex(1).stepStartedAt(T0)
                .pauseConditions(List.of(new PauseCondition(PauseCondition.CANARY_PAUSE_STEP, T0))).build();
        String text = StepsModel.currentStepTiming(r, T0.plusSeconds(50));
        assertThat(text).isEqualTo("step 1/6 · pause 2m · in step 50s · 1m10s left");
        assertThat(StepsModel.pauseProgress(r, T0.plusSeconds(60))).isEqualTo(0.5);
    }

    @Test
    void indefinitePauseSaysItWaitsForPromotion() {
        String text = StepsModel.currentStepTiming(TestWorld.searchPausedIndefinitely(), T0.plusSeconds(1290));
        assertThat(text).isEqualTo("step 4/6 · pause (until promoted) · in step 1m30s · waiting for promotion");
        assertThat(StepsModel.pauseProgress(TestWorld.searchPausedIndefinitely(), T0)).isEqualTo(-1);
    }

    @Test
    void historyCountsStepsLikeTheTable() {
        var events = List.of(
                new dev.releaseconsole.services.model.RolloutEvent(TestWorld.CHECKOUT, T0, "RolloutStepCompleted",
                        "Rollout step 1/6 completed (setWeight: 25)", 1, 25),
                new dev.releaseconsole.services.model.RolloutEvent(TestWorld.CHECKOUT, T0.plusSeconds(120),
                        "RolloutStepCompleted", "Rollout step 2/6 completed (pause: 2m)", 2, 25));
        List<HistoryRow> rows = StepsModel.history(events, T0.plusSeconds(150));
        assertThat(rows).extracting(HistoryRow::step).containsExactly("2", "1");
        assertThat(rows).extracting(HistoryRow::lasted).containsExactly("30s so far", "2m");
    }
}
