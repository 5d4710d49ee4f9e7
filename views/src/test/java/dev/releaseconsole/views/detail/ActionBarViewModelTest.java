package dev.releaseconsole.views.detail;

import dev.releaseconsole.views.testing.TestWorld;
import dev.releaseconsole.services.actions.ActionResult;
import dev.releaseconsole.services.actions.ActionType;
import dev.releaseconsole.services.actions.Outcome;
import dev.releaseconsole.services.actions.TargetOutcome;
import dev.releaseconsole.services.actions.Verdict;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ActionBarViewModelTest {
    @Test
    void allowedActionsAreEnabledAndRefusedOnesSayWhy() {
        ActionBarViewModel vm = new ActionBarViewModel();
        Map<ActionType, Verdict> v = new EnumMap<>(ActionType.class);
        v.put(ActionType.PROMOTE, Verdict.allowed("skips the current step 3/6"));
        v.put(ActionType.ABORT, Verdict.refused(
                "you may not patch rollouts/status in namespace payments on cluster prod-eu"));
        v.put(ActionType.RETRY, Verdict.refused("only an aborted rollout can be retried"));
        v.put(ActionType.PAUSE, Verdict.alreadyDone("the rollout is already paused"));
        vm.applyAvailability(v);

        assertThat(vm.isEnabled(ActionType.PROMOTE)).isTrue();
        assertThat(vm.tooltipProperty(ActionType.PROMOTE).get()).isEqualTo("Promote (P)\nskips the current step 3/6");
        assertThat(vm.isEnabled(ActionType.ABORT)).isFalse();
        assertThat(vm.tooltipProperty(ActionType.ABORT).get()).isEqualTo(
                "Abort (A) — not available\nyou may not patch rollouts/status in namespace payments on cluster prod-eu");
        assertThat(vm.tooltipProperty(ActionType.RETRY).get()).endsWith("only an aborted rollout can be retried");
        assertThat(vm.isEnabled(ActionType.PAUSE)).isFalse();
        assertThat(vm.tooltipProperty(ActionType.PAUSE).get()).contains("Ctrl+Shift+S", "already paused");
        // Not in the map: disabled
        assertThat(vm.isEnabled(ActionType.RESTART)).isFalse();
    }

    @Test
    void runningDisablesEverythingAndTheResultIsTheSourcesWord() {
        ActionBarViewModel vm = new ActionBarViewModel();
        Map<ActionType, Verdict> v = new EnumMap<>(ActionType.class);
        ActionBarViewModel.buttons().forEach(a -> v.put(a, Verdict.allowed()));
        vm.applyAvailability(v);
        vm.startRunning(ActionType.ABORT);
        assertThat(vm.runningTextProperty().get()).isEqualTo("Aborting…");
        assertThat(ActionBarViewModel.buttons()).noneMatch(vm::isEnabled);

        TargetOutcome o = new TargetOutcome(TestWorld.CHECKOUT, ActionType.ABORT, Outcome.UNCONFIRMED,
                "sent, but the source does not yet show it took effect; state now: Progressing", "Progressing", 3);
        vm.finish(new ActionResult(ActionType.ABORT, List.of(o), Duration.ofMillis(20)));
        assertThat(vm.runningProperty().get()).isFalse();
        assertThat(vm.isEnabled(ActionType.ABORT)).isTrue();
        assertThat(vm.resultKindProperty().get()).isEqualTo(ActionBarViewModel.ResultKind.WARNING);
        assertThat(vm.resultTextProperty().get()).isEqualTo(o.message());
        assertThat(vm.resultDetailsProperty().get()).as("one target: nothing more to list").isEmpty();
    }

    @Test
    void severalTargetsAreListedEachWithItsOutcome() {
        TargetOutcome a = new TargetOutcome(TestWorld.CHECKOUT, ActionType.ABORT, Outcome.SUCCEEDED,
                "Abort done; the controller reports Aborted", "Aborted", 1);
        TargetOutcome b = new TargetOutcome(TestWorld.PAYMENTS, ActionType.ABORT, Outcome.DENIED,
                "You may not do this", "unchanged", 2);
        ActionResult r = new ActionResult(ActionType.KILL_SWITCH, List.of(a, b), Duration.ZERO);
        assertThat(ActionBarViewModel.kindOf(r)).isEqualTo(ActionBarViewModel.ResultKind.WARNING);
        // one line for the bar; one line per target behind "details"
        assertThat(ActionBarViewModel.resultText(r)).isEqualTo("Kill switch: 1 of 2 target(s) confirmed");
        assertThat(ActionBarViewModel.resultDetails(r)).isEqualTo(
                "✓ rollout prod-eu/checkout/checkout-api: Abort done; the controller reports Aborted\n"
                        + "✗ rollout prod-eu/payments/payments-api: You may not do this");
        ActionBarViewModel vm = new ActionBarViewModel();
        vm.finish(r);
        assertThat(vm.resultTextProperty().get()).doesNotContain("\n");
        assertThat(vm.resultDetailsProperty().get().split("\n")).hasSize(2);
        vm.clearResult();
        assertThat(vm.resultDetailsProperty().get()).isEmpty();
    }

    @Test
    void nudgeIsHiddenUntilTheStateCallsForItAndItsTooltipSaysWhy() {
        ActionBarViewModel vm = new ActionBarViewModel();
        assertThat(vm.neededProperty(ActionType.NUDGE).get()).isFalse();
        assertThat(vm.neededProperty(ActionType.PROMOTE).get()).as("the usual buttons are always shown").isTrue();

        vm.applyNeeded(Map.of(ActionType.NUDGE,
                "the pause was cleared but the controller has not moved on from step 1/4"));
        vm.applyAvailability(Map.of(ActionType.NUDGE,
                Verdict.allowed("the pause was cleared but the controller has not moved on from step 1/4")));

        assertThat(vm.neededProperty(ActionType.NUDGE).get()).isTrue();
        assertThat(vm.nudgeExplanationProperty().get()).startsWith("The controller has not caught up: the pause "
                + "was cleared but the controller has not moved on from step 1/4.");
        assertThat(vm.isEnabled(ActionType.NUDGE)).isTrue();
        assertThat(vm.tooltipProperty(ActionType.NUDGE).get()).isEqualTo(
                "Nudge controller\nthe pause was cleared but the controller has not moved on from step 1/4");

        vm.disableAll("select a rollout");
        assertThat(vm.neededProperty(ActionType.NUDGE).get()).isFalse();
        assertThat(vm.nudgeExplanationProperty().get()).isEmpty();
    }

    @Test
    void shortcuts() {
        assertThat(ActionBarViewModel.shortcut(ActionType.PROMOTE)).isEqualTo("P");
        assertThat(ActionBarViewModel.shortcut(ActionType.PROMOTE_FULL)).isEqualTo("Shift+P");
        assertThat(ActionBarViewModel.shortcut(ActionType.RESUME)).isEqualTo("Ctrl+Shift+S");
        assertThat(ActionBarViewModel.shortcut(ActionType.RESTART)).isEqualTo("Ctrl+R");
    }
}
