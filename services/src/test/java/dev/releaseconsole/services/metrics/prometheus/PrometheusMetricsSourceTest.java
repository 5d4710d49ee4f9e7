package dev.releaseconsole.services.metrics.prometheus;

import dev.releaseconsole.services.metrics.MetricsException;
import dev.releaseconsole.services.metrics.MetricsException.Kind;
import dev.releaseconsole.services.model.Direction;
import dev.releaseconsole.services.model.MetricDefinition;
import dev.releaseconsole.services.model.MetricPoint;
import dev.releaseconsole.services.model.MetricSeries;
import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.model.Strategy;
import dev.releaseconsole.services.model.Track;
import dev.releaseconsole.services.model.WorkloadKind;
import dev.releaseconsole.services.store.LiveState;
import dev.releaseconsole.services.testing.PrometheusServer;
import dev.releaseconsole.services.testing.TestExporter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Canary and baseline series from a real Prometheus scraping the test exporter: the three presets' label mapping,
 * one query per metric, incremental range fetching, a Prometheus stopped mid-run and its recovery. The exporter's
 * canary runs with a regression (+4.5 points of 5xx, +50% latency, -10 points checkout success) for the whole class,
 * so a mapping that swapped the tracks would show.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PrometheusMetricsSourceTest {
    private static final String CLUSTER = "prod";
    private static final TestExporter.Labels L = TestExporter.Labels.DEFAULT;
    private static final RolloutRef ARGO = new RolloutRef(CLUSTER, L.namespace(), L.rollout(),
            WorkloadKind.ARGO_ROLLOUT);
    private static final RolloutRef FLAGGER = new RolloutRef(CLUSTER, L.namespace(), L.rollout(),
            WorkloadKind.FLAGGER_CANARY);
    private static final RolloutRef IDLE = new RolloutRef(CLUSTER, L.namespace(), "idle", WorkloadKind.ARGO_ROLLOUT);

    private static TestExporter exporter;
    private static PrometheusServer prometheus;
    private static final LiveState STATE = new LiveState();

    @BeforeAll
    static void start() {
        exporter = TestExporter.start();
        exporter.injectRegression(4.5, 50, 10);
        prometheus = PrometheusServer.builder().scrape(exporter).start();
        STATE.rollouts().upsert(Rollout.builder(ARGO, Strategy.CANARY).currentPodHash(L.canaryHash())
                .stableRS(L.stableHash()).build());
        STATE.rollouts().upsert(Rollout.builder(FLAGGER, Strategy.FLAGGER_CANARY).currentPodHash("spec-2")
                .stableRS("spec-1").build());
        // no update in progress: its pods all carry the stable hash, which is the exporter's baseline
        STATE.rollouts().upsert(Rollout.builder(IDLE, Strategy.CANARY).currentPodHash(L.stableHash())
                .stableRS(L.stableHash()).build());
        prometheus.awaitSeries("count_over_time(up[12s]) >= 11", Duration.ofSeconds(40));
    }

    @AfterAll
    static void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (exporter != null) {
            exporter.close();
        }
    }

    private static PrometheusMetricsSource source(MetricsPreset preset) throws MetricsException {
        return source(PrometheusMetricsConfig.of(PrometheusEndpoint.of(prometheus.url()), preset));
    }

    private static PrometheusMetricsSource source(PrometheusMetricsConfig config) throws MetricsException {
        return new PrometheusMetricsSource(CLUSTER, config.withTiming(Duration.ofSeconds(1), Duration.ofSeconds(5)),
                STATE);
    }

    @Test
    void everyPresetSplitsOneQueryPerMetricIntoCanaryAndBaseline() throws Exception {
        for (MetricsPreset preset : List.of(MetricsPreset.POD_TEMPLATE_HASH, MetricsPreset.ISTIO,
                MetricsPreset.NGINX)) {
            PrometheusMetricsSource source = source(preset);
            RolloutRef ref = preset == MetricsPreset.POD_TEMPLATE_HASH ? ARGO : FLAGGER;
            assertThat(source.metrics(ref)).extracting(MetricDefinition::id).containsExactly("error-ratio",
                    "p95-latency", "p99-latency", "throughput", "checkout-success");
            long queriesBefore = rangeQueriesServed();
            Instant to = Instant.now();
            Instant from = to.minusSeconds(6);
            double[] errors = means(source.range(ref, "error-ratio", from, to));
            double[] p95 = means(source.range(ref, "p95-latency", from, to));
            double[] p99 = means(source.range(ref, "p99-latency", from, to));
            double[] throughput = means(source.range(ref, "throughput", from, to));
            double[] checkout = means(source.range(ref, "checkout-success", from, to));
            String where = preset.configName();
            // the exporter: baseline 0.5% errors, p95 240 ms, 40 req/s, 97% checkout success; canary 5%, p95 360 ms,
            // 87%
            assertThat(errors[0]).as(where + " canary error ratio").isBetween(1.5, 12.0);
            assertThat(errors[1]).as(where + " baseline error ratio").isBetween(0.0, 2.5);
            assertThat(p95[0]).as(where + " canary p95").isBetween(280.0, 480.0);
            assertThat(p95[1]).as(where + " baseline p95").isBetween(190.0, 310.0);
            assertThat(p99[0]).as(where + " p99 above p95").isGreaterThan(p95[0]);
            assertThat(errors[0]).as(where + " canary errors above baseline").isGreaterThan(errors[1]);
            assertThat(p95[0]).as(where + " canary p95 above baseline").isGreaterThan(p95[1]);
            assertThat(throughput[0]).as(where + " canary req/s").isBetween(20.0, 60.0);
            assertThat(throughput[1]).as(where + " baseline req/s").isBetween(20.0, 60.0);
            assertThat(checkout[0]).as(where + " canary checkout").isBetween(65.0, 97.0);
            assertThat(checkout[1]).as(where + " baseline checkout").isBetween(88.0, 100.0);
            // one query per metric for both tracks
            assertThat(rangeQueriesServed() - queriesBefore).as(where + " queries").isEqualTo(5);
        }
    }

    @Test
    void aRangeIsOnTheStepGridAndAnIncrementalFetchAsksOnlyForTheNewSamples() throws Exception {
        PrometheusMetricsSource source = source(MetricsPreset.POD_TEMPLATE_HASH);
        Instant to = Instant.now();
        List<MetricSeries> first = source.range(ARGO, "error-ratio", to.minusSeconds(8), to);
        assertThat(first).extracting(MetricSeries::track).containsExactly(Track.CANARY, Track.BASELINE);
        for (MetricSeries s : first) {
            // at most the 8 or 9 whole seconds in the range (a busy machine may miss a scrape)
            assertThat(s.points()).hasSizeBetween(6, 9);
            assertThat(s.points()).allMatch(p -> p.epochMillis() % 1000 == 0)
                    .allMatch(p -> p.epochMillis() >= to.toEpochMilli() - 8000 && p.epochMillis() <= to.toEpochMilli());
        }
        long last = first.get(0).points().get(first.get(0).points().size() - 1).epochMillis();
        long bytesFirst = source.client().stats().bytes();

        Thread.sleep(2100);
        Instant to2 = Instant.now();
        List<MetricSeries> next = source.range(ARGO, "error-ratio", Instant.ofEpochMilli(last + 1), to2);
        long bytesNext = source.client().stats().bytes() - bytesFirst;
        for (MetricSeries s : next) {
            assertThat(s.points()).hasSizeBetween(2, 3);
            assertThat(s.points().get(0).epochMillis()).isEqualTo(last + 1000);
        }
        // two or three samples instead of eight: fewer bytes, though the answer's envelope costs the same
        assertThat(bytesNext).as("bytes of the incremental fetch").isLessThan(bytesFirst);
    }

    @Test
    void withoutAnUpdateInProgressEverythingIsBaseline() throws Exception {
        List<MetricSeries> s = source(MetricsPreset.POD_TEMPLATE_HASH).range(IDLE, "throughput",
                Instant.now().minusSeconds(5), Instant.now());
        assertThat(s.get(0).points()).as("canary").isEmpty();
        assertThat(s.get(1).points()).as("baseline").isNotEmpty();
    }

    @Test
    void tracksThatCannotBeToldApartAreAConfigErrorThatSaysWhatToSet() throws Exception {
        // Argo names canary and stable pods after the same workload: Istio's destination_workload is the same
        MetricsException e = catchThrowableOfType(MetricsException.class, () -> source(MetricsPreset.ISTIO)
                .range(ARGO, "error-ratio", Instant.now().minusSeconds(5), Instant.now()));
        assertThat(e.kind()).isEqualTo(Kind.CONFIG);
        assertThat(e.getMessage()).contains("destination_workload cannot tell the canary of prod/shop/checkout from "
                + "its baseline").contains("Set tracks");
        // a Flagger canary has no pod-template hashes
        MetricsException f = catchThrowableOfType(MetricsException.class, () -> source(MetricsPreset.POD_TEMPLATE_HASH)
                .range(FLAGGER, "error-ratio", Instant.now().minusSeconds(5), Instant.now()));
        assertThat(f.getMessage()).contains("has no canaryHash").contains("use the istio or nginx preset");
    }

    @Test
    void customMetricsAndOverridesWithPlaceholdersAndTheirOwnTracks() throws Exception {
        PrometheusMetricsConfig config = PrometheusMetricsConfig.of(PrometheusEndpoint.of(prometheus.url()),
                MetricsPreset.POD_TEMPLATE_HASH).withMetrics(List.of(
                new MetricTemplate("error-ratio", null, null, null, null, 2.5, null, null),
                // failed orders since the exporter started: the canary's (13%) pull away from the baseline's (3%)
                new MetricTemplate("failed-orders", "Failed orders", "orders",
                        "sum by ({{trackLabel}}) (checkout_orders_total{namespace=\"{{ namespace }}\", "
                                + "result=\"failed\", {{trackLabel}}=~\"{{canary}}|{{baseline}}\"})",
                        Direction.INCREASE_IS_BAD, null, true,
                        new TrackLabels("app", "{{canaryWorkload}}", "{{stableWorkload}}-primary"))));
        PrometheusMetricsSource source = source(config);
        assertThat(source.metrics(ARGO)).extracting(MetricDefinition::id).endsWith("failed-orders");
        assertThat(source.metrics(ARGO).get(0).threshold()).isEqualTo(2.5);
        assertThat(source.metrics(ARGO).get(0).critical()).isTrue();
        assertThat(source.promql(ARGO, "failed-orders")).isEqualTo("sum by (app) (checkout_orders_total{"
                + "namespace=\"shop\", result=\"failed\", app=~\"checkout|checkout-primary\"})");
        List<MetricSeries> s = source.range(ARGO, "failed-orders", Instant.now().minusSeconds(3), Instant.now());
        double canary = s.get(0).points().get(s.get(0).points().size() - 1).value();
        double baseline = s.get(1).points().get(s.get(1).points().size() - 1).value();
        assertThat(canary).as("the canary's failed orders (app=checkout)").isGreaterThan(baseline);
    }

    @Test
    void aQueryThatIsNotAggregatedByTheTrackLabelAsksForIt() throws Exception {
        PrometheusMetricsSource source = source(PrometheusMetricsConfig.of(PrometheusEndpoint.of(prometheus.url()),
                MetricsPreset.NONE).withMetrics(List.of(new MetricTemplate("raw", "Raw", "", "rate(http_requests_total{"
                + "{{trackLabel}}=~\"{{canary}}|{{baseline}}\"}[{{window}}])", Direction.INCREASE_IS_BAD, null,
                false, null))));
        MetricsException e = catchThrowableOfType(MetricsException.class,
                () -> source.range(ARGO, "raw", Instant.now().minusSeconds(3), Instant.now()));
        assertThat(e.kind()).isEqualTo(Kind.QUERY);
        assertThat(e.getMessage()).contains("several series for one track")
                .contains("sum by (rollouts_pod_template_hash)");
    }

    @Test
    @Order(Integer.MAX_VALUE) // the outage leaves a hole the other tests' windows should not see
    void prometheusStoppedMidRunIsAClearErrorAndAfterItsRestartTheDataResumesWithAGap() throws Exception {
        PrometheusMetricsSource source = source(MetricsPreset.POD_TEMPLATE_HASH);
        Instant before = Instant.now();
        assertThat(source.range(ARGO, "throughput", before.minusSeconds(5), before).get(0).points()).isNotEmpty();

        prometheus.stop();
        Instant stopped = Instant.now();
        MetricsException e = catchThrowableOfType(MetricsException.class,
                () -> source.range(ARGO, "throughput", stopped.minusSeconds(5), stopped));
        assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
        assertThat(e.sourceDown()).isTrue();
        assertThat(e.getMessage()).isEqualTo("Throughput: cannot connect to Prometheus at " + prometheus.url()
                + " (connection refused). Is Prometheus running, and is the URL right? The console keeps retrying.");

        Thread.sleep(5000); // five seconds without scrapes
        prometheus.start();
        Instant restarted = Instant.now();
        prometheus.awaitSeries("rate(http_requests_total[5s])", Duration.ofSeconds(30));
        Thread.sleep(2000);
        List<MetricSeries> after = source.range(ARGO, "throughput", before.minusSeconds(5), Instant.now());
        for (MetricSeries s : after) {
            List<MetricPoint> pts = s.points();
            assertThat(pts).anyMatch(p -> p.epochMillis() <= stopped.toEpochMilli());
            assertThat(pts).anyMatch(p -> p.epochMillis() > restarted.toEpochMilli());
            long largestHole = 0;
            for (int i = 1; i < pts.size(); i++) {
                largestHole = Math.max(largestHole, pts.get(i).epochMillis() - pts.get(i - 1).epochMillis());
            }
            // the scrapes that never happened leave a hole of about the outage (minus the 5 s rate window)
            assertThat(largestHole).as(s.track() + " largest hole").isGreaterThanOrEqualTo(3000);
        }
    }

    /** Mean of the finite values of canary [0] and baseline [1]. */
    private static double[] means(List<MetricSeries> series) {
        assertThat(series).extracting(MetricSeries::track).containsExactly(Track.CANARY, Track.BASELINE);
        double[] out = new double[2];
        for (int i = 0; i < 2; i++) {
            OptionalDouble m = series.get(i).points().stream().mapToDouble(MetricPoint::value)
                    .filter(Double::isFinite).average();
            assertThat(m).as(series.get(i).metricId() + " " + series.get(i).track() + " has samples").isPresent();
            out[i] = m.getAsDouble();
        }
        return out;
    }

    /** Prometheus's own count of range queries it answered (its /metrics). */
    private static long rangeQueriesServed() throws Exception {
        String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(prometheus.url()
                + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("prometheus_http_requests_total\\{code=\"200\",handler=\"/api/v1/query_range\"} "
                + "(\\d+)").matcher(text);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }
}
