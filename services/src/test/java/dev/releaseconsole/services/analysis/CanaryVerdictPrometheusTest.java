package dev.releaseconsole.services.analysis;

import dev.releaseconsole.services.metrics.prometheus.MetricsPreset;
import dev.releaseconsole.services.metrics.prometheus.PrometheusEndpoint;
import dev.releaseconsole.services.metrics.prometheus.PrometheusMetricsConfig;
import dev.releaseconsole.services.metrics.prometheus.PrometheusMetricsSource;
import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.model.Strategy;
import dev.releaseconsole.services.model.WorkloadKind;
import dev.releaseconsole.services.store.LiveState;
import dev.releaseconsole.services.testing.PrometheusServer;
import dev.releaseconsole.services.testing.TestExporter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live verdict end to end: a real Prometheus (started by the harness) scraping two test exporters, each a
 * canary beside its baseline at 100 req/s each, read through the pod-template-hash preset by {@link PrometheusMetricsSource} and
 * judged by {@link CanaryJudgeService} with the default judge. Both canaries are healthy first and must pass; then
 * one gets +2 percentage points of errors and the other +30% latency, and each must be classified High within
 * {@link #MAX_INTERVALS} intervals of {@link #INTERVAL}.
 *
 * <p>Time is compressed to keep the test short: Prometheus scrapes every second, the source asks for a sample every
 * 2 s over a 4 s rate window (in production 10 s over 1 m), and the regression starts 10 s into a step (the window
 * is the step: samples from before the onset dilute it until the regressed ones are most of it). The judge
 * is the default one (20 samples and 5 independent ones per track, 98% confidence, 25% band, 10% effect).
 */
class CanaryVerdictPrometheusTest {
    /** How often the verdict is recomputed here: one "interval". */
    static final Duration INTERVAL = Duration.ofSeconds(5);
    /**
     * The regressions must be High within this many intervals (80 s) of their onset; measured on the shared build
     * machine: +2 pp errors after 6 and 6, +30% p95 after 3, 6 and 9 intervals.
     */
    static final int MAX_INTERVALS = 16;

    /** Each track: 100 req/s, 0.5% errors, p95 240 ms, 97% checkout success. */
    private static final TestExporter.Profile BUSY = new TestExporter.Profile(100, 0.005, 240, 0.97);
    private static final String CLUSTER = "prod";
    private static final TestExporter.Labels ERRORS_LABELS = TestExporter.Labels.DEFAULT;
    private static final TestExporter.Labels LATENCY_LABELS =
            new TestExporter.Labels("shop", "cart", "7c8d9f2b4", "4b3c2d1f9", "cart");
    private static final RolloutRef ERRORS = new RolloutRef(CLUSTER, ERRORS_LABELS.namespace(),
            ERRORS_LABELS.rollout(), WorkloadKind.ARGO_ROLLOUT);
    private static final RolloutRef LATENCY = new RolloutRef(CLUSTER, LATENCY_LABELS.namespace(),
            LATENCY_LABELS.rollout(), WorkloadKind.ARGO_ROLLOUT);

    private static TestExporter errorsExporter;
    private static TestExporter latencyExporter;
    private static PrometheusServer prometheus;
    private static final LiveState STATE = new LiveState();
    private static CanaryJudgeService service;

    @BeforeAll
    static void start() throws Exception {
        errorsExporter = TestExporter.start(BUSY, BUSY, 7);
        latencyExporter = TestExporter.start(BUSY, BUSY, 8);
        latencyExporter.setLabels(LATENCY_LABELS);
        prometheus = PrometheusServer.builder().scrape("errors", errorsExporter.hostPort())
                .scrape("latency", latencyExporter.hostPort()).start();
        Instant stepStart = Instant.now();
        STATE.rollouts().upsert(canary(ERRORS, ERRORS_LABELS, stepStart));
        STATE.rollouts().upsert(canary(LATENCY, LATENCY_LABELS, stepStart));
        PrometheusMetricsConfig config = PrometheusMetricsConfig.of(PrometheusEndpoint.of(prometheus.url()),
                MetricsPreset.POD_TEMPLATE_HASH).withTiming(Duration.ofSeconds(2), Duration.ofSeconds(4));
        PrometheusMetricsSource source = new PrometheusMetricsSource(CLUSTER, config, STATE);
        service = new CanaryJudgeService(STATE, source, c -> Clock.systemUTC(),
                new CanaryJudge(JudgeConfig.DEFAULTS), new CanaryJudgeService.Settings(Duration.ofSeconds(1),
                Duration.ZERO, 2, Duration.ofSeconds(30), Duration.ofMinutes(30), Duration.ofMinutes(30)));
        prometheus.awaitSeries("count_over_time(up[12s]) >= 11", Duration.ofSeconds(40));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[]{prometheus, errorsExporter, latencyExporter}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // closing anyway
            }
        }
    }

    @Test
    void healthyCanariesPassThenInjectedErrorsAndLatencyAreHighWithinSixteenIntervals() throws Exception {
        // healthy: once the step has enough samples (20 per track at 2 s), every verdict passes
        waitFor(Duration.ofSeconds(50));
        List<String> healthy = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            for (RolloutRef ref : List.of(ERRORS, LATENCY)) {
                CanaryVerdict v = service.evaluate(ref).orElseThrow();
                healthy.add(ref.name() + ": " + v.summary());
                assertThat(v.label()).as("healthy %s: %s", ref.name(), describe(v)).isEqualTo(VerdictLabel.PASS);
            }
            Thread.sleep(INTERVAL.toMillis());
        }

        // the canaries move to a new step; 10 s into it their code regresses
        Instant stepStart = Instant.now();
        STATE.rollouts().upsert(canary(ERRORS, ERRORS_LABELS, stepStart));
        STATE.rollouts().upsert(canary(LATENCY, LATENCY_LABELS, stepStart));
        waitFor(Duration.ofSeconds(10));
        errorsExporter.injectRegression(2.0, 0);
        latencyExporter.injectRegression(0, 30);

        Integer errorsHigh = null;
        Integer latencyHigh = null;
        CanaryVerdict errorsVerdict = null;
        CanaryVerdict latencyVerdict = null;
        for (int interval = 1; interval <= MAX_INTERVALS && (errorsHigh == null || latencyHigh == null);
             interval++) {
            Thread.sleep(INTERVAL.toMillis());
            if (errorsHigh == null) {
                errorsVerdict = service.evaluate(ERRORS).orElseThrow();
                if (label(errorsVerdict, MetricsPreset.ERROR_RATIO) == MetricLabel.HIGH) {
                    errorsHigh = interval;
                }
            }
            if (latencyHigh == null) {
                latencyVerdict = service.evaluate(LATENCY).orElseThrow();
                if (label(latencyVerdict, MetricsPreset.P95_LATENCY) == MetricLabel.HIGH) {
                    latencyHigh = interval;
                }
            }
        }
        System.out.printf("CanaryVerdictPrometheusTest: error ratio +2 pp High after %s, p95 +30%% High after %s"
                + " intervals of %d s%n", errorsHigh, latencyHigh, INTERVAL.toSeconds());
        assertThat(errorsHigh).as("+2 pp errors High within %d intervals; last: %s", MAX_INTERVALS,
                describe(errorsVerdict)).isNotNull();
        assertThat(latencyHigh).as("+30%% p95 High within %d intervals; last: %s", MAX_INTERVALS,
                describe(latencyVerdict)).isNotNull();
        assertThat(errorsVerdict.label()).as("error ratio is critical").isEqualTo(VerdictLabel.FAIL);
        assertThat(errorsVerdict.summary()).startsWith("Fail: error ratio High (critical)");
        assertThat(sentence(errorsVerdict, MetricsPreset.ERROR_RATIO)).contains("pp, higher at 98% confidence");
        assertThat(latencyVerdict.summary()).contains("p95 latency High");
        assertThat(label(latencyVerdict, MetricsPreset.ERROR_RATIO)).as("its errors did not change")
                .isNotEqualTo(MetricLabel.HIGH);
        assertThat(metric(latencyVerdict, MetricsPreset.THROUGHPUT).orElseThrow().scored())
                .as("throughput is only reported").isFalse();
        assertThat(healthy).hasSize(8);
    }

    private static Rollout canary(RolloutRef ref, TestExporter.Labels labels, Instant stepStart) {
        return Rollout.builder(ref, Strategy.CANARY).currentPodHash(labels.canaryHash()).stableRS(labels.stableHash())
                .actualWeight(20).desiredWeight(20).phase(Rollout.PAUSED).stepStartedAt(stepStart).build();
    }

    private static MetricLabel label(CanaryVerdict v, String metricId) {
        return metric(v, metricId).map(MetricVerdict::label).orElse(null);
    }

    private static String sentence(CanaryVerdict v, String metricId) {
        return metric(v, metricId).map(MetricVerdict::sentence).orElse("");
    }

    private static Optional<MetricVerdict> metric(CanaryVerdict v, String metricId) {
        return v.metrics().stream().filter(m -> m.metric().id().equals(metricId)).findFirst();
    }

    private static String describe(CanaryVerdict v) {
        if (v == null) {
            return "none";
        }
        StringBuilder sb = new StringBuilder(v.summary());
        v.metrics().forEach(m -> sb.append("\n  ").append(m.sentence()).append(" | ").append(m.statistics()));
        return sb.toString();
    }

    private static void waitFor(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }
}
