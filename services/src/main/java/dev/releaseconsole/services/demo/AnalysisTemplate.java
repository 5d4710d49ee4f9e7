package dev.releaseconsole.services.demo;

import java.time.Duration;
import java.util.List;

/**
 * An Argo AnalysisTemplate as the demo evaluates it: every {@code interval} one measurement per metric, taken from
 * the canary's series, until {@code count} measurements or a limit is exceeded.
 */
record AnalysisTemplate(String name, Duration interval, int count, List<Metric> metrics) {
    AnalysisTemplate {
        metrics = List.copyOf(metrics);
    }

    /**
     * One metric: a measurement succeeds when {@code result < successBelow}; when {@code failAbove} is set, results
     * between the two are inconclusive and only results above it fail. {@code seriesToResult} converts the console's
     * series unit to the query's (percent to ratio). {@code query} is the PromQL a real template would run; the
     * demo shows it read-only and measures the simulated series instead.
     */
    record Metric(String metricId, String successCondition, double successBelow, Double failAbove,
                  double seriesToResult, String valueFormat, int failureLimit, int inconclusiveLimit, String query) {
    }

    /** The arguments a rollout passes: where its pods are and which hash the canary's carry. */
    static final List<String> ARGS = List.of("namespace", "canary-hash");

    private static final String CANARY = "namespace=\"{{args.namespace}}\", "
            + "rollouts_pod_template_hash=\"{{args.canary-hash}}\"";
    static final String ERROR_RATIO_QUERY = "sum(rate(http_requests_total{" + CANARY + ", code=~\"5..\"}[30s]))\n"
            + "  / sum(rate(http_requests_total{" + CANARY + "}[30s]))";
    static final String P95_QUERY = "1000 * histogram_quantile(0.95, sum by (le) (\n"
            + "  rate(http_request_duration_seconds_bucket{" + CANARY + "}[30s])))";

    /** The template most services use: error ratio below 1% and p95 below 400 ms; the fourth failure fails it. */
    static final AnalysisTemplate ERROR_RATIO_AND_LATENCY = new AnalysisTemplate("success-rate-and-latency",
            Duration.ofSeconds(30), 8, List.of(
            new Metric(TrafficModel.ERROR_RATIO, "result < 0.01", 0.01, null, 0.01, "%.4f", 3, 0, ERROR_RATIO_QUERY),
            new Metric(TrafficModel.P95_LATENCY, "result < 400", 400, null, 1, "%.1f", 3, 0, P95_QUERY)));

    /** A tight latency budget: results between 300 and 450 ms are inconclusive and wait for a human. */
    static final AnalysisTemplate STRICT_LATENCY = new AnalysisTemplate("strict-latency", Duration.ofSeconds(30), 6,
            List.of(new Metric(TrafficModel.P95_LATENCY, "result < 300", 300, 450.0, 1, "%.1f", 0, 1, P95_QUERY)));
}
