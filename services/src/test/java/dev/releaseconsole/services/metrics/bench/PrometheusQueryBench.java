package dev.releaseconsole.services.metrics.bench;

import dev.releaseconsole.services.metrics.Cancellation;
import dev.releaseconsole.services.metrics.prometheus.MetricsPreset;
import dev.releaseconsole.services.metrics.prometheus.PrometheusEndpoint;
import dev.releaseconsole.services.metrics.prometheus.PrometheusMetricsConfig;
import dev.releaseconsole.services.metrics.prometheus.PrometheusMetricsSource;
import dev.releaseconsole.services.model.MetricDefinition;
import dev.releaseconsole.services.model.MetricSeries;
import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.model.Strategy;
import dev.releaseconsole.services.model.WorkloadKind;
import dev.releaseconsole.services.store.LiveState;
import dev.releaseconsole.services.testing.PrometheusServer;
import dev.releaseconsole.services.testing.TestExporter;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark (not a test): what the charts cost against a real Prometheus (the test harness's, scraping the test
 * exporter every second), with the pod-template-hash preset's five metrics at a 1 s step and a 5 s window:
 * <ul>
 *   <li>the first fetch when a rollout is opened: one range query per metric over the whole history;</li>
 *   <li>an incremental poll (what the chart poller does every second): one range query per metric for the new
 *       seconds only, its wall time and the bytes Prometheus sent;</li>
 *   <li>an instant query of the error ratio (one evaluation).</li>
 * </ul>
 * Run: {@code mvn -pl services -Pbench test-compile exec:exec
 * -Dbench.main=dev.releaseconsole.services.metrics.bench.PrometheusQueryBench
 * -Dbench.jvmArgs="-Dbench.history=120 -Dbench.polls=60"}. History is seconds of scraped data before measuring.
 */
public final class PrometheusQueryBench {
    private PrometheusQueryBench() {
    }

    public static void main(String[] args) throws Exception {
        int history = Integer.getInteger("bench.history", 120);
        int polls = Integer.getInteger("bench.polls", 60);
        TestExporter.Labels l = TestExporter.Labels.DEFAULT;
        RolloutRef ref = new RolloutRef("bench", l.namespace(), l.rollout(), WorkloadKind.ARGO_ROLLOUT);
        LiveState state = new LiveState();
        state.rollouts().upsert(Rollout.builder(ref, Strategy.CANARY).currentPodHash(l.canaryHash())
                .stableRS(l.stableHash()).build());
        try (TestExporter exporter = TestExporter.start();
             PrometheusServer prometheus = PrometheusServer.builder().scrape(exporter).start()) {
            System.out.printf(Locale.ROOT, "collecting %d s of history (1 s scrapes)...%n", history);
            Thread.sleep(history * 1000L);
            PrometheusMetricsSource source = new PrometheusMetricsSource("bench", PrometheusMetricsConfig.of(
                    PrometheusEndpoint.of(prometheus.url()), MetricsPreset.POD_TEMPLATE_HASH)
                    .withTiming(Duration.ofSeconds(1), Duration.ofSeconds(5)), state);
            List<MetricDefinition> metrics = source.metrics(ref);

            Instant now = Instant.now();
            // twice: the first includes connecting and JIT warm-up, as when the console opens its first rollout
            for (String pass : new String[]{"cold", "warm"}) {
                long b0 = source.client().stats().bytes();
                long t0 = System.nanoTime();
                int samples = 0;
                for (MetricDefinition m : metrics) {
                    for (MetricSeries s : source.range(ref, m.id(), now.minusSeconds(history), now,
                            Cancellation.NONE)) {
                        samples += s.points().size();
                    }
                }
                System.out.printf(Locale.ROOT, "first fetch (%s), %d metrics x %d s: %.1f ms, %d bytes, %d samples%n",
                        pass, metrics.size(), history, (System.nanoTime() - t0) / 1e6,
                        source.client().stats().bytes() - b0, samples);
            }

            List<Double> pollMs = new ArrayList<>();
            List<Long> pollBytes = new ArrayList<>();
            Instant last = now;
            for (int i = 0; i < polls; i++) {
                Thread.sleep(1000);
                Instant to = Instant.now();
                long bytes = source.client().stats().bytes();
                long start = System.nanoTime();
                for (MetricDefinition m : metrics) {
                    source.range(ref, m.id(), last.plusMillis(1), to, Cancellation.NONE);
                }
                pollMs.add((System.nanoTime() - start) / 1e6);
                pollBytes.add(source.client().stats().bytes() - bytes);
                last = to;
            }
            String errorRatio = source.promql(ref, "error-ratio");
            List<Double> instantMs = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                long start = System.nanoTime();
                source.client().query(errorRatio, Instant.now(), Cancellation.NONE);
                instantMs.add((System.nanoTime() - start) / 1e6);
            }
            System.out.printf(Locale.ROOT, "incremental poll (%d metrics, ~1 s of new data each), %d polls: median "
                            + "%.1f ms, p99 %.1f ms; bytes per poll median %d, max %d%n", metrics.size(), polls,
                    pct(pollMs, 50), pct(pollMs, 99), (long) pctL(pollBytes, 50), (long) pctL(pollBytes, 100));
            System.out.printf(Locale.ROOT, "instant query (error ratio, both tracks), 100 queries: median %.1f ms, "
                    + "p99 %.1f ms%n", pct(instantMs, 50), pct(instantMs, 99));
        }
    }

    private static double pct(List<Double> v, int p) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        return s.get(Math.min(s.size() - 1, (int) Math.ceil(p / 100.0 * s.size()) - 1));
    }

    private static double pctL(List<Long> v, int p) {
        List<Double> d = new ArrayList<>();
        v.forEach(x -> d.add((double) x));
        return pct(d, p);
    }
}
