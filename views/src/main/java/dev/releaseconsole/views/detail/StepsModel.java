package dev.releaseconsole.views.detail;

import dev.releaseconsole.services.model.Durations;
import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.model.Step;
import dev.releaseconsole.services.model.StepKind;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Pure functions from a rollout to its steps timeline; no JavaFX, unit-tested. */
public final class StepsModel {
    private StepsModel() {
    }

    /**
     * Each step with its state: before the current index done, at it current, after it pending. Once the index has
     * passed the last step (the controller reports index == steps.size()) every step is done.
     */
    public static List<StepItem> items(Rollout r) {
        List<StepItem> out = new ArrayList<>();
        if (r == null) {
            return out;
        }
        List<Step> steps = r.steps();
        Integer cur = r.currentStepIndex();
        for (int i = 0; i < steps.size(); i++) {
            StepItem.State state;
            if (cur == null) {
                state = StepItem.State.PENDING;
            } else if (i < cur) {
                state = StepItem.State.DONE;
            } else if (i == cur) {
                state = StepItem.State.CURRENT;
            } else {
                state = StepItem.State.PENDING;
            }
            out.add(new StepItem(i, steps.get(i).describe(), state));
        }
        return out;
    }

    /**
     * What the current step has been doing, in words, at {@code now} (the cluster's clock): "step 3/8 · pause 2m ·
     * in step 1m10s · 50s left". Steps are counted as everywhere in the console, Argo's way
     * ({@link Rollout#stepLabel()}: the current step's index over the number of steps, so "0/7" is at the first
     * step). "step 7/7 · all steps done" once the index has passed the last step; empty without steps.
     */
    public static String currentStepTiming(Rollout r, Instant now) {
        if (r == null || now == null) {
            return "";
        }
        Optional<Step> step = r.currentStep();
        if (step.isEmpty()) {
            if (!r.steps().isEmpty() && r.currentStepIndex() != null && r.currentStepIndex() >= r.steps().size()) {
                return "step " + r.stepLabel() + " · all steps done";
            }
            return "";
        }
        StringBuilder sb = new StringBuilder("step ").append(r.stepLabel()).append(" · ")
                .append(step.get().describe());
        r.timeInStep(now).ifPresent(d -> sb.append(" · in step ").append(Durations.compact(d)));
        if (step.get().kind() == StepKind.PAUSE) {
            if (step.get().pauseDuration() == null) {
                if (!r.pauseConditions().isEmpty()) {
                    sb.append(" · waiting for promotion");
                }
            } else {
                Optional<Duration> left = r.timeLeftOnPause(now);
                if (left.isPresent()) {
                    sb.append(" · ").append(Durations.compact(left.get())).append(" left");
                }
            }
        }
        if (r.specPaused()) {
            sb.append(" · paused by a user");
        }
        return sb.toString();
    }

    private static final java.time.format.DateTimeFormatter HHMMSS = java.time.format.DateTimeFormatter
            .ofPattern("HH:mm:ss").withZone(java.time.ZoneOffset.UTC);

    /**
     * The rollout's events as history rows, newest first, each with how long its state lasted until the next event
     * (for the newest: how long so far, at {@code now}). Answers "how long did each step take".
     */
    public static List<HistoryRow> history(List<dev.releaseconsole.services.model.RolloutEvent> events, Instant now) {
        List<HistoryRow> rows = new ArrayList<>(events.size());
        for (int i = events.size() - 1; i >= 0; i--) {
            dev.releaseconsole.services.model.RolloutEvent e = events.get(i);
            Instant next = i + 1 < events.size() ? events.get(i + 1).time() : null;
            String lasted;
            if (e.time() == null) {
                lasted = "";
            } else if (next != null) {
                lasted = Durations.compact(Duration.between(e.time(), next));
            } else {
                lasted = now == null ? "ongoing" : Durations.compact(Duration.between(e.time(), now)) + " so far";
            }
            rows.add(new HistoryRow(e.time() == null ? "" : HHMMSS.format(e.time()),
                    e.stepIndex() < 0 ? "" : String.valueOf(e.stepIndex()),
                    e.weight() < 0 ? "" : e.weight() + "%",
                    e.reason() == null ? "" : e.reason(),
                    e.message() == null ? "" : e.message(), lasted));
        }
        return rows;
    }

    /** Time left on a timed pause as a 0..1 fraction done, or -1 when the current step is not a timed pause. */
    public static double pauseProgress(Rollout r, Instant now) {
        if (r == null || now == null) {
            return -1;
        }
        Optional<Step> step = r.currentStep();
        Optional<Duration> left = r.timeLeftOnPause(now);
        if (step.isEmpty() || left.isEmpty() || step.get().pauseDuration() == null
                || step.get().pauseDuration().isZero()) {
            return -1;
        }
        double total = step.get().pauseDuration().toMillis();
        return Math.max(0, Math.min(1, 1 - left.get().toMillis() / total));
    }
}
