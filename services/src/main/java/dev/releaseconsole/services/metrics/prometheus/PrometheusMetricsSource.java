package dev.releaseconsole.services.metrics.prometheus;

import dev.releaseconsole.services.metrics.Cancellation;
import dev.releaseconsole.services.metrics.MetricsException;
import dev.releaseconsole.services.metrics.MetricsException.Kind;
import dev.releaseconsole.services.metrics.MetricsSource;
import dev.releaseconsole.services.model.MetricDefinition;
import dev.releaseconsole.services.model.MetricPoint;
import dev.releaseconsole.services.model.MetricSeries;
import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.model.Track;
import dev.releaseconsole.services.store.LiveState;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Canary and baseline series of one cluster's rollouts from its Prometheus. Each metric is ONE range query for both
 * tracks, grouped by the track label; the answer is split here by matching that label's value against the canary and
 * baseline patterns. Placeholders come from the rollout as {@link LiveState} last reported it: namespace, name, and
 * the canary and stable pod-template hashes ({@code status.currentPodHash} and {@code status.stableRS}).
 *
 * <p>Range queries are aligned to the step grid (start rounded up, end rounded down to a multiple of the step), so
 * incremental polls ("from just after what I hold, to now") ask only for the new samples and never shift the grid;
 * a span longer than {@value #MAX_STEPS_PER_QUERY} steps is fetched in pieces (Prometheus refuses more than 11,000
 * points per series). Non-finite values are passed on as they came (charts draw them as gaps).
 */
public final class PrometheusMetricsSource implements MetricsSource {
    static final int MAX_STEPS_PER_QUERY = 10_000;

    private final String cluster;
    private final PrometheusMetricsConfig config;
    private final PrometheusClient client;
    private final LiveState state;
    private final Map<String, MetricTemplate> templates = new LinkedHashMap<>();
    private final List<MetricDefinition> definitions;

    public PrometheusMetricsSource(String cluster, PrometheusMetricsConfig config, LiveState state)
            throws MetricsException {
        this(cluster, config, new PrometheusClient(config.endpoint()), state);
    }

    public PrometheusMetricsSource(String cluster, PrometheusMetricsConfig config, PrometheusClient client,
                                   LiveState state) {
        this.cluster = cluster;
        this.config = config;
        this.client = client;
        this.state = state;
        config.templates().forEach(t -> templates.put(t.id(), t));
        definitions = config.templates().stream().map(MetricTemplate::definition).toList();
    }

    public PrometheusClient client() {
        return client;
    }

    public PrometheusMetricsConfig config() {
        return config;
    }

    @Override
    public List<MetricDefinition> metrics(RolloutRef rollout) {
        return rollout.cluster().equals(cluster) ? definitions : List.of();
    }

    @Override
    public List<MetricSeries> range(RolloutRef rollout, String metricId, Instant from, Instant to)
            throws MetricsException {
        return range(rollout, metricId, from, to, Cancellation.NONE);
    }

    @Override
    public List<MetricSeries> range(RolloutRef rollout, String metricId, Instant from, Instant to,
                                    Cancellation cancellation) throws MetricsException {
        MetricTemplate template = template(rollout, metricId);
        Resolved q = resolve(rollout, template);
        long step = config.step().toMillis();
        long start = ceilTo(from.toEpochMilli(), step);
        long end = Math.floorDiv(to.toEpochMilli(), step) * step;
        List<MetricPoint> canary = new ArrayList<>();
        List<MetricPoint> baseline = new ArrayList<>();
        for (long chunk = start; chunk <= end; chunk += MAX_STEPS_PER_QUERY * step) {
            long chunkEnd = Math.min(end, chunk + (MAX_STEPS_PER_QUERY - 1) * step);
            PromResult r;
            try {
                r = client.queryRange(q.promql, Instant.ofEpochMilli(chunk), Instant.ofEpochMilli(chunkEnd),
                        config.step(), cancellation);
            } catch (MetricsException e) {
                throw e.withContext(template.name());
            }
            split(q, template, r, canary, baseline);
        }
        return List.of(new MetricSeries(metricId, Track.CANARY, canary),
                new MetricSeries(metricId, Track.BASELINE, baseline));
    }

    /**
     * The query of one metric for one rollout, placeholders filled in (for display and for tests); the same text
     * {@link #range} sends.
     */
    public String promql(RolloutRef rollout, String metricId) throws MetricsException {
        return resolve(rollout, template(rollout, metricId)).promql;
    }

    private MetricTemplate template(RolloutRef rollout, String metricId) throws MetricsException {
        if (!rollout.cluster().equals(cluster)) {
            throw new MetricsException(Kind.CONFIG, "the Prometheus of cluster " + cluster + " was asked about "
                    + rollout + " of another cluster", null, null, null, null);
        }
        MetricTemplate t = templates.get(metricId);
        if (t == null) {
            throw new MetricsException(Kind.CONFIG, "unknown metric '" + metricId + "' on cluster " + cluster,
                    null, null, "known metrics: " + String.join(", ", templates.keySet()), null);
        }
        return t;
    }

    /** One metric's query for one rollout, with its compiled track patterns. */
    private record Resolved(String promql, String label, Pattern canary, Pattern baseline, boolean sameTracks,
                            String canaryText, String baselineText) {
    }

    private Resolved resolve(RolloutRef ref, MetricTemplate t) throws MetricsException {
        Optional<Rollout> found = state.rollouts().get(ref);
        if (found.isEmpty()) {
            throw new MetricsException(Kind.CONFIG, t.name() + ": " + ref + " is not reported by cluster " + cluster
                    + " (yet)", null, null, null, null);
        }
        Rollout r = found.get();
        Map<String, String> values = values(r);
        TrackLabels tl = t.tracks();
        String canary;
        String baseline;
        String promql;
        try {
            canary = Placeholders.expand(tl.canary(), Placeholders.TRACK_NAMES, values, Placeholders::regexLiteral);
            baseline = Placeholders.expand(tl.baseline(), Placeholders.TRACK_NAMES, values,
                    Placeholders::regexLiteral);
            Map<String, String> all = new LinkedHashMap<>(values);
            all.put("trackLabel", tl.label());
            all.put("canary", canary);
            all.put("baseline", baseline);
            promql = Placeholders.expand(t.query(), Placeholders.NAMES, all, Placeholders::promqlString);
        } catch (Placeholders.MissingValue e) {
            throw new MetricsException(Kind.CONFIG, t.name() + ": " + ref + " has no " + e.name(), null, null,
                    missingHint(e.name(), r), null);
        }
        boolean same = canary.equals(baseline);
        if (same && r.updateInProgress()) {
            throw new MetricsException(Kind.CONFIG, t.name() + ": the label " + tl.label() + " cannot tell the canary"
                    + " of " + ref + " from its baseline (both are '" + canary + "')", null, null,
                    "set tracks (label, canary, baseline) for this cluster in the configuration", null);
        }
        try {
            return new Resolved(promql, tl.label(), Pattern.compile(canary), Pattern.compile(baseline), same, canary,
                    baseline);
        } catch (PatternSyntaxException e) {
            throw new MetricsException(Kind.CONFIG, t.name() + ": a track pattern of label " + tl.label()
                    + " is not a regular expression", null, e.getDescription(), null, e);
        }
    }

    private static String missingHint(String name, Rollout r) {
        if (name.endsWith("Hash")) {
            return r.isFlagger() ? "a Flagger canary has no pod-template hashes; use the istio or nginx preset, or "
                    + "tracks on a label its pods carry" : "the controller has not reported it yet";
        }
        return null;
    }

    Map<String, String> values(Rollout r) throws MetricsException {
        Map<String, String> v = new LinkedHashMap<>();
        String ns = r.ref().namespace();
        String name = r.ref().name();
        v.put("namespace", ns);
        v.put("rollout", name);
        v.put("window", config.windowText());
        if (!r.isFlagger()) {
            // Argo: status.currentPodHash / status.stableRS are the pods' rollouts-pod-template-hash labels
            putIfPresent(v, "canaryHash", r.currentPodHash());
            putIfPresent(v, "stableHash", r.stableRS());
        }
        v.put("canaryWorkload", name);
        v.put("stableWorkload", r.isFlagger() ? name + "-primary" : name);
        Map<String, String> names = Map.of("namespace", ns, "rollout", name);
        try {
            v.put("service", Placeholders.expand(config.service(), List.of("namespace", "rollout"), names,
                    s -> s));
            v.put("ingress", Placeholders.expand(config.ingress(), List.of("namespace", "rollout"), names,
                    s -> s));
        } catch (Placeholders.MissingValue e) {
            throw new IllegalStateException(e); // both names are always there
        }
        return v;
    }

    private static void putIfPresent(Map<String, String> m, String k, String v) {
        if (v != null && !v.isBlank()) {
            m.put(k, v);
        }
    }

    private static void split(Resolved q, MetricTemplate t, PromResult r, List<MetricPoint> canary,
                              List<MetricPoint> baseline) throws MetricsException {
        List<String> canaryValues = new ArrayList<>();
        List<String> baselineValues = new ArrayList<>();
        List<String> other = new ArrayList<>();
        for (PromSeries s : r.series()) {
            String value = s.labels().getOrDefault(q.label, "");
            boolean c = !q.sameTracks && q.canary.matcher(value).matches();
            boolean b = q.baseline.matcher(value).matches();
            if (c && b) {
                throw new MetricsException(Kind.CONFIG, t.name() + ": " + q.label + "=\"" + value + "\" matches both "
                        + "the canary ('" + q.canaryText + "') and the baseline ('" + q.baselineText + "')", null,
                        null, "make the track patterns exclusive", null);
            }
            if (c) {
                canaryValues.add(value);
                canary.addAll(s.points());
            } else if (b) {
                baselineValues.add(value);
                baseline.addAll(s.points());
            } else {
                other.add(value);
            }
        }
        if (canaryValues.size() > 1 || baselineValues.size() > 1) {
            throw new MetricsException(Kind.QUERY, t.name() + ": the query returned several series for one track ("
                    + q.label + " = " + (canaryValues.size() > 1 ? canaryValues : baselineValues) + ")", null, null,
                    "aggregate it by the track label only, e.g. sum by (" + q.label + ") (...)", null);
        }
        if (canaryValues.isEmpty() && baselineValues.isEmpty() && !other.isEmpty()) {
            throw new MetricsException(Kind.QUERY, t.name() + ": none of the " + other.size() + " series the query "
                    + "returned has " + q.label + " matching the canary ('" + q.canaryText + "') or the baseline ('"
                    + q.baselineText + "'); it has " + other.subList(0, Math.min(5, other.size())), null, null,
                    "group the query by (" + q.label + ") or fix the track label", null);
        }
    }

    private static long ceilTo(long millis, long step) {
        return Math.floorDiv(millis + step - 1, step) * step;
    }

    /** The step the source asks Prometheus for. */
    public Duration step() {
        return config.step();
    }
}
