package dev.releaseconsole.services.metrics;

import dev.releaseconsole.services.model.MetricDefinition;
import dev.releaseconsole.services.model.MetricSeries;
import dev.releaseconsole.services.model.RolloutRef;

import java.time.Instant;
import java.util.List;

/**
 * Canary and baseline samples per metric: the demo world, or Prometheus per cluster. Callers poll incrementally
 * (from the end of what they already hold) on a background thread; every call may block on the network.
 *
 * <p>Values may be NaN or infinite where the source says so (Prometheus's "NaN", "+Inf", "-Inf", e.g. an error ratio
 * over no requests); charts draw them as gaps, a judge should leave them out.
 */
public interface MetricsSource {
    List<MetricDefinition> metrics(RolloutRef rollout);

    /**
     * Samples in [from, to] of one metric: one series per track, canary first, then baseline, each oldest first. A
     * track without samples (no canary running) has an empty series.
     */
    List<MetricSeries> range(RolloutRef rollout, String metricId, Instant from, Instant to) throws MetricsException;

    /**
     * As {@link #range(RolloutRef, String, Instant, Instant)}, stopping early when {@code cancellation} is cancelled
     * (the call then throws a {@link MetricsException} of kind CANCELLED). Sources that cannot cancel a request in
     * flight (the in-memory demo) need not override it.
     */
    default List<MetricSeries> range(RolloutRef rollout, String metricId, Instant from, Instant to,
                                     Cancellation cancellation) throws MetricsException {
        if (cancellation.isCancelled()) {
            throw new MetricsException(MetricsException.Kind.CANCELLED, "query cancelled", null, null, null, null);
        }
        return range(rollout, metricId, from, to);
    }
}
