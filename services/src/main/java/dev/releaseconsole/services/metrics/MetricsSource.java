package dev.releaseconsole.services.metrics;

import dev.releaseconsole.services.model.MetricDefinition;
import dev.releaseconsole.services.model.MetricSeries;
import dev.releaseconsole.services.model.RolloutRef;

import java.time.Instant;
import java.util.List;

/**
 * Canary and baseline samples per metric: the demo world here, Prometheus later. Callers poll incrementally
 * (from the end of what they already hold) on a background thread.
 */
public interface MetricsSource {
    List<MetricDefinition> metrics(RolloutRef rollout);

    /** Samples in [from, to] of one metric: one series per track (canary and baseline), oldest first. */
    List<MetricSeries> range(RolloutRef rollout, String metricId, Instant from, Instant to) throws MetricsException;
}
