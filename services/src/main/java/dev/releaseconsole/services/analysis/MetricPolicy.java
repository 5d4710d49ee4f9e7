package dev.releaseconsole.services.analysis;

import dev.releaseconsole.services.model.MetricDefinition;

import java.util.Locale;

/**
 * How one metric counts in the verdict: its {@code weight} in the score, whether it is only reported
 * ({@code reportOnly}: shown, never scored) and whether the canary must have data for it ({@code requireData}: no
 * canary samples while the baseline has enough counts as a failure).
 */
public record MetricPolicy(double weight, boolean reportOnly, boolean requireData) {
    public MetricPolicy {
        if (!(weight > 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("a metric's weight must be a positive number, not " + weight);
        }
    }

    /** What the configuration changes for one metric; null keeps the default. */
    public record Override(Double weight, Boolean reportOnly, Boolean requireData) {
        public MetricPolicy apply(MetricPolicy base) {
            return new MetricPolicy(weight == null ? base.weight() : weight,
                    reportOnly == null ? base.reportOnly() : reportOnly,
                    requireData == null ? base.requireData() : requireData);
        }
    }

    /**
     * Weight 1; critical metrics must have data; a rate per second (unit ending in "/s", e.g. requests per second)
     * is report-only, because the router splits traffic by weight, so canary and baseline throughput differ by
     * design and say nothing about the canary's quality.
     */
    public static MetricPolicy defaultFor(MetricDefinition metric) {
        String unit = metric.unit() == null ? "" : metric.unit().trim().toLowerCase(Locale.ROOT);
        return new MetricPolicy(1, unit.endsWith("/s"), metric.critical());
    }
}
