package dev.releaseconsole.services.demo;

import dev.releaseconsole.services.metrics.MetricsException;
import dev.releaseconsole.services.metrics.MetricsSource;
import dev.releaseconsole.services.model.MetricDefinition;
import dev.releaseconsole.services.model.MetricSeries;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.model.Track;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Canary and baseline series of the simulated rollouts, read under the world's lock. */
final class DemoMetrics implements MetricsSource {
    private final Object lock;
    private final Map<RolloutRef, SimulatedRollout> rollouts;

    DemoMetrics(Object lock, Map<RolloutRef, SimulatedRollout> rollouts) {
        this.lock = lock;
        this.rollouts = rollouts;
    }

    @Override
    public List<MetricDefinition> metrics(RolloutRef rollout) {
        return rollouts.containsKey(rollout) ? TrafficModel.DEFINITIONS : List.of();
    }

    @Override
    public List<MetricSeries> range(RolloutRef rollout, String metricId, Instant from, Instant to)
            throws MetricsException {
        synchronized (lock) {
            SimulatedRollout sim = rollouts.get(rollout);
            if (sim == null) {
                throw new MetricsException("the demo world has no rollout " + rollout);
            }
            TrafficModel traffic = sim.traffic();
            if (!traffic.hasMetric(metricId)) {
                throw new MetricsException("unknown metric '" + metricId + "' for " + rollout + "; known metrics: "
                        + String.join(", ", TrafficModel.DEFINITIONS.stream().map(MetricDefinition::id).toList()));
            }
            long fromMillis = from.toEpochMilli();
            long toMillis = to.toEpochMilli();
            return List.of(
                    new MetricSeries(metricId, Track.CANARY, traffic.range(Track.CANARY, metricId, fromMillis, toMillis)),
                    new MetricSeries(metricId, Track.BASELINE,
                            traffic.range(Track.BASELINE, metricId, fromMillis, toMillis)));
        }
    }
}
