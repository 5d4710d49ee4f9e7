package dev.releaseconsole.services.model;

import java.time.Duration;
import java.util.Objects;

/**
 * One canary step. {@code weight} is set for SET_WEIGHT; {@code pauseDuration} is null for an indefinite
 * pause (waits for a human); {@code analysisTemplates} names the templates of an ANALYSIS step.
 */
public record Step(StepKind kind, Integer weight, Duration pauseDuration, String analysisTemplates) {
    public Step {
        Objects.requireNonNull(kind, "kind");
    }

    public static Step setWeight(int weight) {
        return new Step(StepKind.SET_WEIGHT, weight, null, null);
    }

    public static Step pause(Duration duration) {
        return new Step(StepKind.PAUSE, null, duration, null);
    }

    public static Step pauseIndefinitely() {
        return new Step(StepKind.PAUSE, null, null, null);
    }

    public static Step analysis(String templates) {
        return new Step(StepKind.ANALYSIS, null, null, templates);
    }

    public boolean isIndefinitePause() {
        return kind == StepKind.PAUSE && pauseDuration == null;
    }

    /** Short text as the Argo dashboard shows a step. */
    public String describe() {
        return switch (kind) {
            case SET_WEIGHT -> "setWeight " + weight + "%";
            case PAUSE -> pauseDuration == null ? "pause (until promoted)" : "pause " + Durations.compact(pauseDuration);
            case ANALYSIS -> "analysis " + (analysisTemplates == null ? "" : analysisTemplates);
            case EXPERIMENT -> "experiment";
            case SET_CANARY_SCALE -> "setCanaryScale";
            case UNKNOWN -> "unknown step";
        };
    }
}
