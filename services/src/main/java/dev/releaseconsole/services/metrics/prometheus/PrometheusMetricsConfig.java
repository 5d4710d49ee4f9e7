package dev.releaseconsole.services.metrics.prometheus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The metrics of one cluster: its Prometheus, a preset, and the metrics the configuration adds or changes.
 *
 * <ul>
 *   <li>{@code step}: the spacing of samples in range queries (default 10 s);</li>
 *   <li>{@code window}: the rate window, {@code {{window}}} in queries (default 1 m; at least two scrape intervals);
 *   </li>
 *   <li>{@code service}, {@code ingress}: patterns for those placeholders, default {@code {{rollout}}};</li>
 *   <li>{@code tracks}: overrides the preset's track label for every metric that does not set its own;</li>
 *   <li>{@code metrics}: entries whose id is a preset metric's change only the fields they set; others are added
 *       and must be complete (name, query, direction).</li>
 * </ul>
 * Built once at start-up; every mistake is an {@link IllegalArgumentException} that says which metric and what.
 */
public record PrometheusMetricsConfig(PrometheusEndpoint endpoint, MetricsPreset preset, Duration step,
                                      Duration window, String service, String ingress, TrackLabels tracks,
                                      List<MetricTemplate> metrics) {
    public static final Duration DEFAULT_STEP = Duration.ofSeconds(10);
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(1);

    public PrometheusMetricsConfig {
        Objects.requireNonNull(endpoint, "endpoint");
        preset = preset == null ? MetricsPreset.POD_TEMPLATE_HASH : preset;
        step = step == null ? DEFAULT_STEP : step;
        window = window == null ? DEFAULT_WINDOW : window;
        if (step.toMillis() < 1 || step.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("step must be between 1 ms and 1 h, got " + step);
        }
        if (window.toMillis() < 1 || window.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("window must be between 1 ms and 1 day, got " + window);
        }
        service = service == null || service.isBlank() ? "{{rollout}}" : service;
        ingress = ingress == null || ingress.isBlank() ? "{{rollout}}" : ingress;
        metrics = metrics == null ? List.of() : List.copyOf(metrics);
        Placeholders.check(service, List.of("namespace", "rollout"));
        Placeholders.check(ingress, List.of("namespace", "rollout"));
        effective(preset, tracks, metrics); // validates
    }

    /** Only the endpoint and a preset; defaults for the rest. */
    public static PrometheusMetricsConfig of(PrometheusEndpoint endpoint, MetricsPreset preset) {
        return new PrometheusMetricsConfig(endpoint, preset, null, null, null, null, null, List.of());
    }

    public PrometheusMetricsConfig withTiming(Duration newStep, Duration newWindow) {
        return new PrometheusMetricsConfig(endpoint, preset, newStep, newWindow, service, ingress, tracks, metrics);
    }

    public PrometheusMetricsConfig withMetrics(List<MetricTemplate> newMetrics) {
        return new PrometheusMetricsConfig(endpoint, preset, step, window, service, ingress, tracks, newMetrics);
    }

    public PrometheusMetricsConfig withTracks(TrackLabels newTracks) {
        return new PrometheusMetricsConfig(endpoint, preset, step, window, service, ingress, newTracks, metrics);
    }

    /** The metrics charted and judged, in order: the preset's (as changed), then the added ones. */
    public List<MetricTemplate> templates() {
        return effective(preset, tracks, metrics);
    }

    /** {@code window} as a PromQL duration: "1m", "90s", "500ms". */
    public String windowText() {
        return promDuration(window);
    }

    static String promDuration(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }

    private static List<MetricTemplate> effective(MetricsPreset preset, TrackLabels tracks,
                                                  List<MetricTemplate> metrics) {
        Map<String, MetricTemplate> out = new LinkedHashMap<>();
        for (MetricTemplate t : preset.templates()) {
            out.put(t.id(), t);
        }
        List<String> seen = new ArrayList<>();
        for (MetricTemplate m : metrics) {
            if (seen.contains(m.id())) {
                throw new IllegalArgumentException("metric " + m.id() + " is defined twice");
            }
            seen.add(m.id());
            MetricTemplate base = out.get(m.id());
            MetricTemplate merged = base == null ? m : m.over(base);
            if (!merged.complete()) {
                throw new IllegalArgumentException("metric " + m.id() + " is not one of the " + preset.configName()
                        + " preset's (" + String.join(", ", out.keySet()) + "), so it needs a name, a query and "
                        + "badWhen (up or down)");
            }
            out.put(m.id(), merged);
        }
        List<MetricTemplate> list = new ArrayList<>();
        for (MetricTemplate t : out.values()) {
            TrackLabels tl = t.tracks() != null ? t.tracks() : tracks != null ? tracks : preset.tracks();
            try {
                Placeholders.check(t.query(), Placeholders.NAMES);
                Placeholders.check(tl.canary(), Placeholders.TRACK_NAMES);
                Placeholders.check(tl.baseline(), Placeholders.TRACK_NAMES);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("metric " + t.id() + ": " + e.getMessage());
            }
            list.add(t.withTracks(tl));
        }
        return List.copyOf(list);
    }
}
