package dev.releaseconsole.services.actions;

import java.time.Duration;
import java.util.List;

/** Per-target results of one request, with the time from request to the last confirmed outcome. */
public record ActionResult(ActionType action, List<TargetOutcome> outcomes, Duration elapsed) {
    public ActionResult {
        outcomes = List.copyOf(outcomes);
    }

    public boolean allSafe() {
        return !outcomes.isEmpty() && outcomes.stream().allMatch(o -> o.outcome().isSafe());
    }

    public String summary() {
        long ok = outcomes.stream().filter(o -> o.outcome().isSafe()).count();
        return action.label() + ": " + ok + " of " + outcomes.size() + " target(s) confirmed";
    }
}
