package dev.releaseconsole.services.analysis;

import dev.releaseconsole.services.metrics.prometheus.MetricsPreset;
import dev.releaseconsole.services.metrics.prometheus.PrometheusEndpoint;
import dev.releaseconsole.services.metrics.prometheus.PrometheusMetricsConfig;
import dev.releaseconsole.services.metrics.prometheus.PrometheusMetricsSource;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The verdict end to end: a real Prometheus scraping the test exporter every second, the console's Prometheus
 * source (pod-template-hash preset, one query per metric for both tracks) and the judge over the last
 * {@value #WINDOW_SECONDS} s. A healthy canary passes; once +2 percentage points of errors and +30% latency are
 * injected, error ratio and p95 latency are High within {@value #MAX_INTERVALS} intervals of 10 s.
 */
class VerdictOnRealPrometheusTest {
    static final int WINDOW_SECONDS = 40;
    static final int MAX_INTERVALS = 6;
    private static final TestExporter.Labels L = TestExporter.Labels.DEFAULT;
    private static final RolloutRef CHECKOUT = new RolloutRef("prod", L.namespace(), L.rollout(),
            WorkloadKind.ARGO_ROLLOUT);

    private TestExporter exporter;
    private PrometheusServer prometheus;

    @AfterEach
    void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (exporter != null) {
            exporter.close();
        }
    }

    @Test
    void aHealthyCanaryPassesAndAnInjectedRegressionIsHighWithinSixIntervals() throws Exception {
        exporter = TestExporter.start();
        prometheus = PrometheusServer.builder().scrape(exporter).start();
        LiveState state = new LiveState();
        state.rollouts().upsert(Rollout.builder(CHECKOUT, Strategy.CANARY).currentPodHash(L.canaryHash())
                .stableRS(L.stableHash()).build());
        PrometheusMetricsSource source = new PrometheusMetricsSource("prod", PrometheusMetricsConfig.of(
                PrometheusEndpoint.of(prometheus.url()), MetricsPreset.POD_TEMPLATE_HASH)
                .withTiming(Duration.ofSeconds(1), Duration.ofSeconds(5)), state);
        CanaryJudge judge = new CanaryJudge(JudgeConfig.DEFAULTS);
        prometheus.awaitSeries("count_over_time(up[" + (WINDOW_SECONDS + 10) + "s]) >= " + (WINDOW_SECONDS + 5),
                Duration.ofSeconds(WINDOW_SECONDS + 60));

        MetricVerdict errorsHealthy = judge(source, judge, "error-ratio");
        MetricVerdict p95Healthy = judge(source, judge, "p95-latency");
        assertThat(errorsHealthy.label()).as(errorsHealthy.sentence()).isEqualTo(MetricLabel.PASS);
        assertThat(p95Healthy.label()).as(p95Healthy.sentence()).isEqualTo(MetricLabel.PASS);

        exporter.injectRegression(2.0, 30.0);
        Instant onset = Instant.now();
        int errorsHighAt = -1;
        int p95HighAt = -1;
        MetricVerdict errors = errorsHealthy;
        MetricVerdict p95 = p95Healthy;
        for (int interval = 1; interval <= MAX_INTERVALS && (errorsHighAt < 0 || p95HighAt < 0); interval++) {
            Duration wait = Duration.between(Instant.now(), onset.plusSeconds(10L * interval));
            if (!wait.isNegative()) {
                Thread.sleep(wait.toMillis());
            }
            errors = judge(source, judge, "error-ratio");
            p95 = judge(source, judge, "p95-latency");
            if (errorsHighAt < 0 && errors.label() == MetricLabel.HIGH) {
                errorsHighAt = interval;
            }
            if (p95HighAt < 0 && p95.label() == MetricLabel.HIGH) {
                p95HighAt = interval;
            }
        }
        System.out.printf("verdict on real Prometheus: error ratio High after %d, p95 latency High after %d interval(s)"
                + " of 10 s%n", errorsHighAt, p95HighAt);
        assertThat(errorsHighAt).as("error ratio High within %d intervals; last: %s", MAX_INTERVALS,
                errors.sentence()).isBetween(1, MAX_INTERVALS);
        assertThat(p95HighAt).as("p95 latency High within %d intervals; last: %s", MAX_INTERVALS, p95.sentence())
                .isBetween(1, MAX_INTERVALS);
        assertThat(p95.sentence()).startsWith(p95.metric().displayName() + ": canary");
    }

    /** One metric over the last window, canary against baseline, as the live judge compares them. */
    private static MetricVerdict judge(PrometheusMetricsSource source, CanaryJudge judge, String metricId)
            throws Exception {
        MetricDefinition metric = source.metrics(CHECKOUT).stream().filter(m -> m.id().equals(metricId))
                .findFirst().orElseThrow();
        Instant to = Instant.now();
        List<MetricSeries> series = source.range(CHECKOUT, metricId, to.minusSeconds(WINDOW_SECONDS), to);
        return judge.classify(metric, points(series, Track.CANARY), points(series, Track.BASELINE));
    }

    private static List<MetricPoint> points(List<MetricSeries> series, Track track) {
        return series.stream().filter(s -> s.track() == track).findFirst().map(MetricSeries::points)
                .orElse(List.of());
    }
}
