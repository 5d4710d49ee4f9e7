package dev.releaseconsole.services.analysis;

import dev.releaseconsole.services.model.RolloutRef;

import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;

/**
 * The live verdict on one canary: the label, the 0-100 score (empty without data), one line saying why ("Fail: error
 * ratio High (critical), p95 latency High"), each metric's finding, and the window of samples it was computed from
 * (on the cluster's clock).
 */
public record CanaryVerdict(RolloutRef rollout, VerdictLabel label, OptionalInt score, String summary,
                            List<MetricVerdict> metrics, Instant from, Instant to) {
    public CanaryVerdict {
        metrics = List.copyOf(metrics);
    }

    /** "Fail · 0", "Pass · 100", "No data": the label with its score, for a badge. */
    public String badgeText() {
        return score.isPresent() ? label.text() + " \u00b7 " + score.getAsInt() : label.text();
    }
}
