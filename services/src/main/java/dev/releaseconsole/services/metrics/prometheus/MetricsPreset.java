package dev.releaseconsole.services.metrics.prometheus;

import dev.releaseconsole.services.model.Direction;

import java.util.List;
import java.util.Locale;

/**
 * Ready-made metric templates for three common setups, each with error ratio, p95 and p99 latency, throughput and a
 * business metric (checkout success ratio), one query per metric for both tracks:
 * <ul>
 *   <li>{@link #POD_TEMPLATE_HASH}: the application's own metrics ({@code http_requests_total{code}},
 *       {@code http_request_duration_seconds_bucket}, {@code checkout_orders_total{result}}) scraped from pods that
 *       carry Argo's {@code rollouts-pod-template-hash} label (as {@code rollouts_pod_template_hash});</li>
 *   <li>{@link #ISTIO}: Istio's standard metrics ({@code istio_requests_total},
 *       {@code istio_request_duration_milliseconds_bucket}, reporter "destination") split by
 *       {@code destination_workload}: {@code name} (canary) and {@code name-primary} (baseline) as Flagger names them;
 *       the business metric from the app's pods by their {@code app} label;</li>
 *   <li>{@link #NGINX}: ingress-nginx's {@code nginx_ingress_controller_requests} and
 *       {@code nginx_ingress_controller_request_duration_seconds_bucket} for the rollout's ingress, split by the
 *       {@code canary} label (non-empty for requests the canary served); business metric as for Istio.</li>
 * </ul>
 * Error ratio and the business metric are percentages; a window without requests gives NaN (a gap), not 0.
 * Throughput is each track's total, so it follows the traffic split: compare it with the weight in mind.
 */
public enum MetricsPreset {
    POD_TEMPLATE_HASH("pod-template-hash",
            new TrackLabels("rollouts_pod_template_hash", "{{canaryHash}}", "{{stableHash}}"),
            "namespace=\"{{namespace}}\", {{trackLabel}}=~\"{{canary}}|{{baseline}}\"",
            "http_requests_total", "code", "1000 * ", "http_request_duration_seconds_bucket", null),
    ISTIO("istio",
            new TrackLabels("destination_workload", "{{canaryWorkload}}", "{{stableWorkload}}"),
            "reporter=\"destination\", destination_workload_namespace=\"{{namespace}}\", "
                    + "{{trackLabel}}=~\"{{canary}}|{{baseline}}\"",
            "istio_requests_total", "response_code", "", "istio_request_duration_milliseconds_bucket",
            new TrackLabels("app", "{{canaryWorkload}}", "{{stableWorkload}}")),
    NGINX("nginx",
            new TrackLabels("canary", ".+", ""),
            "namespace=\"{{namespace}}\", ingress=\"{{ingress}}\"",
            "nginx_ingress_controller_requests", "status", "1000 * ",
            "nginx_ingress_controller_request_duration_seconds_bucket",
            new TrackLabels("app", "{{canaryWorkload}}", "{{stableWorkload}}")),
    /** No preset metrics: only what the configuration defines. */
    NONE("none", new TrackLabels("rollouts_pod_template_hash", "{{canaryHash}}", "{{stableHash}}"), null, null, null,
            null, null, null);

    public static final String ERROR_RATIO = "error-ratio";
    public static final String P95_LATENCY = "p95-latency";
    public static final String P99_LATENCY = "p99-latency";
    public static final String THROUGHPUT = "throughput";
    public static final String CHECKOUT_SUCCESS = "checkout-success";

    private final String configName;
    private final TrackLabels tracks;
    private final List<MetricTemplate> templates;

    MetricsPreset(String configName, TrackLabels tracks, String selector, String requests, String statusLabel,
                  String toMillis, String durationBuckets, TrackLabels businessTracks) {
        this.configName = configName;
        this.tracks = tracks;
        this.templates = selector == null ? List.of() : List.of(
                new MetricTemplate(ERROR_RATIO, "Error ratio", "%", ratio(requests, selector,
                        statusLabel + "=~\"5..\""), Direction.INCREASE_IS_BAD, 1.0, true, null),
                new MetricTemplate(P95_LATENCY, "p95 latency", "ms", quantile("0.95", toMillis, durationBuckets,
                        selector), Direction.INCREASE_IS_BAD, null, false, null),
                new MetricTemplate(P99_LATENCY, "p99 latency", "ms", quantile("0.99", toMillis, durationBuckets,
                        selector), Direction.INCREASE_IS_BAD, null, false, null),
                new MetricTemplate(THROUGHPUT, "Throughput", "req/s",
                        "sum by ({{trackLabel}}) (rate(" + requests + "{" + selector + "}[{{window}}]))",
                        Direction.DECREASE_IS_BAD, null, false, null),
                new MetricTemplate(CHECKOUT_SUCCESS, "Checkout success", "%", ratio("checkout_orders_total",
                        businessTracks == null ? selector : "namespace=\"{{namespace}}\", "
                                + "{{trackLabel}}=~\"{{canary}}|{{baseline}}\"", "result=\"success\""),
                        Direction.DECREASE_IS_BAD, null, false, businessTracks));
    }

    /**
     * 100 x matching / all per track. "or ... * 0" makes a track with traffic but no matching requests 0% instead
     * of missing; a track without traffic is 0/0 = NaN, drawn as a gap.
     */
    private static String ratio(String counter, String selector, String match) {
        String all = "sum by ({{trackLabel}}) (rate(" + counter + "{" + selector + "}[{{window}}]))";
        String some = "sum by ({{trackLabel}}) (rate(" + counter + "{" + selector + ", " + match + "}[{{window}}]))";
        return "100 * (" + some + " or " + all + " * 0) / " + all;
    }

    private static String quantile(String q, String toMillis, String buckets, String selector) {
        return toMillis + "histogram_quantile(" + q + ", sum by (le, {{trackLabel}}) (rate(" + buckets + "{"
                + selector + "}[{{window}}])))";
    }

    /** The name in the configuration file: pod-template-hash, istio, nginx, none. */
    public String configName() {
        return configName;
    }

    public TrackLabels tracks() {
        return tracks;
    }

    public List<MetricTemplate> templates() {
        return templates;
    }

    public static MetricsPreset fromConfig(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (MetricsPreset p : values()) {
            if (p.configName.equals(n)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown metrics preset '" + name + "'; known: pod-template-hash, istio, "
                + "nginx, none");
    }
}
