package dev.releaseconsole.services.analysis;

import dev.releaseconsole.services.model.MetricDefinition;

import java.util.Map;

/**
 * The judge's settings.
 *
 * @param confidence       confidence level of the shift's interval (Kayenta: 0.98)
 * @param tolerance        half-width of the tolerance band as a fraction of the Hodges-Lehmann shift (0.25): the
 *                         interval must lie wholly outside plus or minus this much of the shift
 * @param minEffect        smallest relative change of the canary's mean over the baseline's that counts (0.10 =
 *                         10%), the effect-size check; smaller significant changes pass
 * @param passScore        the score at or above which the verdict is Pass (95)
 * @param marginalScore    the score at or above which it is Marginal, below it Fail (75)
 * @param minSamples       samples each track needs in the window before a metric is compared (20)
 * @param minIndependent   independent samples each track needs (samples divided by how many consecutive ones
 *                         repeat each other, see {@link MannWhitney}) before a metric is compared (5)
 * @param serialCorrection widen the test for samples that repeat each other (on; see {@link MannWhitney})
 * @param metrics          per-metric changes to {@link MetricPolicy#defaultFor}, by metric id
 */
public record JudgeConfig(double confidence, double tolerance, double minEffect, int passScore, int marginalScore,
                          int minSamples, int minIndependent, boolean serialCorrection,
                          Map<String, MetricPolicy.Override> metrics) {
    public static final JudgeConfig DEFAULTS = new JudgeConfig(0.98, 0.25, 0.10, 95, 75, 20, 5, true, Map.of());

    public JudgeConfig {
        if (!(confidence >= 0.5 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be at least 0.5 and below 1, not " + confidence);
        }
        if (!(tolerance >= 0 && tolerance < 1)) {
            throw new IllegalArgumentException("tolerance must be at least 0 and below 1 (0.25 = 25%), not "
                    + tolerance);
        }
        if (!(minEffect >= 0) || Double.isInfinite(minEffect)) {
            throw new IllegalArgumentException("minEffect must be 0 or more (0.10 = 10%), not " + minEffect);
        }
        if (passScore < 0 || passScore > 100 || marginalScore < 0 || marginalScore > passScore) {
            throw new IllegalArgumentException("scores need 0 <= marginal <= pass <= 100, not marginal "
                    + marginalScore + " and pass " + passScore);
        }
        if (minSamples < 3) {
            throw new IllegalArgumentException("minSamples must be at least 3, not " + minSamples);
        }
        if (minIndependent < 2 || minIndependent > minSamples) {
            throw new IllegalArgumentException("minIndependent must be at least 2 and at most minSamples ("
                    + minSamples + "), not " + minIndependent);
        }
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
        metrics.forEach((id, o) -> {
            if (o.weight() != null && (!(o.weight() > 0) || o.weight().isInfinite())) {
                throw new IllegalArgumentException("metric " + id + ": weight must be a positive number, not "
                        + o.weight());
            }
        });
    }

    public MetricPolicy policyFor(MetricDefinition metric) {
        MetricPolicy.Override o = metrics.get(metric.id());
        MetricPolicy base = MetricPolicy.defaultFor(metric);
        return o == null ? base : o.apply(base);
    }

    public JudgeConfig withScores(int pass, int marginal) {
        return new JudgeConfig(confidence, tolerance, minEffect, pass, marginal, minSamples, minIndependent,
                serialCorrection,
                metrics);
    }

    public JudgeConfig withMinSamples(int samples) {
        return new JudgeConfig(confidence, tolerance, minEffect, passScore, marginalScore, samples,
                Math.min(minIndependent, samples), serialCorrection, metrics);
    }

    public JudgeConfig withSerialCorrection(boolean on) {
        return new JudgeConfig(confidence, tolerance, minEffect, passScore, marginalScore, minSamples,
                minIndependent, on, metrics);
    }

    public JudgeConfig withMetrics(Map<String, MetricPolicy.Override> policies) {
        return new JudgeConfig(confidence, tolerance, minEffect, passScore, marginalScore, minSamples,
                minIndependent, serialCorrection, policies);
    }

    /** "98%" for sentences. */
    String confidenceText() {
        return Quantities.percent(confidence * 100);
    }

    /** "25%" for sentences. */
    String toleranceText() {
        return Quantities.percent(tolerance * 100);
    }
}
