package dev.releaseconsole.views.detail;

import dev.releaseconsole.services.metrics.prometheus.MetricTemplate;
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
import dev.releaseconsole.views.testing.Snapshots;
import javafx.scene.Scene;
import javafx.scene.chart.XYChart;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rollout detail's charts fed by a real Prometheus scraping the test exporter: live data, Prometheus stopped
 * mid-run (a gap, Prometheus's message over every chart, one attempt per retry rather than one per metric per poll),
 * and recovery once it is back.
 */
@ExtendWith(ApplicationExtension.class)
class ChartsFromPrometheusFxTest {
    private static final TestExporter.Labels L = TestExporter.Labels.DEFAULT;
    private static final RolloutRef REF = new RolloutRef("prod", L.namespace(), L.rollout(),
            WorkloadKind.ARGO_ROLLOUT);
    private static TestExporter exporter;
    private static PrometheusServer prometheus;
    private static final LiveState STATE = new LiveState();

    private final AtomicLong wall = new AtomicLong(1_000_000);
    private PrometheusMetricsSource source;
    private MetricsPoller poller;
    private ChartsPane pane;

    @BeforeAll
    static void startPrometheus() {
        exporter = TestExporter.start();
        exporter.injectRegression(4, 40);
        prometheus = PrometheusServer.builder().scrape(exporter).start();
        STATE.rollouts().upsert(Rollout.builder(REF, Strategy.CANARY).currentPodHash(L.canaryHash())
                .stableRS(L.stableHash()).build());
        prometheus.awaitSeries("count_over_time(up[10s]) >= 8", Duration.ofSeconds(40));
    }

    @AfterAll
    static void stopPrometheus() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (exporter != null) {
            exporter.close();
        }
    }

    @Start
    void start(Stage stage) throws Exception {
        source = new PrometheusMetricsSource("prod", PrometheusMetricsConfig.of(PrometheusEndpoint.of(
                prometheus.url()), MetricsPreset.POD_TEMPLATE_HASH).withTiming(Duration.ofSeconds(1),
                Duration.ofSeconds(5)), STATE);
        // retries are timed by this clock, so the test decides when the retry time has come
        poller = new MetricsPoller(source, STATE, c -> Clock.systemUTC(), b -> { }, wall::get);
        pane = new ChartsPane(r -> { });
        stage.setScene(new Scene(pane, 1260, 760));
        stage.show();
    }

    @AfterEach
    void stop() {
        poller.close();
        if (!prometheus.isRunning()) {
            prometheus.start();
        }
    }

    @Test
    void prometheusStoppedMidRunShowsAGapAndItsMessageAndTheChartsRecover(FxRobot robot) throws Exception {
        poller.open(REF);
        ChartFrame.Batch live = poller.pollNow();
        assertThat(live.charts()).extracting(f -> f.metric().id()).containsExactly("error-ratio", "p95-latency",
                "p99-latency", "throughput", "checkout-success");
        assertThat(live.status()).isEmpty();
        assertThat(live.charts()).allMatch(f -> f.problem().isEmpty() && !f.canary().isEmpty()
                && !f.baseline().isEmpty());
        ChartFrame errors = live.charts().get(0);
        assertThat(errors.lastCanary()).as("canary error ratio, %").isGreaterThan(errors.lastBaseline());
        robot.interact(() -> pane.apply(live));
        assertThat(pane.card("error-ratio").problemText()).isEmpty();

        prometheus.stop();
        Thread.sleep(1100); // a new whole second (step) to ask for: within the same second nothing is sent
        long requests = source.client().stats().requests();
        ChartFrame.Batch down = poller.pollNow();
        assertThat(source.client().stats().requests() - requests).as("one attempt, not one per metric").isEqualTo(1);
        String message = "cannot connect to Prometheus at " + prometheus.url() + " (connection refused)";
        assertThat(down.status()).startsWith("metrics unavailable: " + message).contains("retrying in 1 s");
        for (ChartFrame f : down.charts()) {
            assertThat(f.problem()).as(f.metric().id()).startsWith(message).contains("Showing samples up to");
            assertThat(f.canary()).as("what was fetched stays").isNotEmpty();
        }
        robot.interact(() -> {
            pane.apply(down);
            Snapshots.write(pane.getScene(), "charts-prometheus-down");
        });
        assertThat(pane.card("p95-latency").problemText()).startsWith(message);
        assertThat(poller.pollNow().status()).as("not asked again before the retry time").contains("retrying");
        assertThat(source.client().stats().requests() - requests).isEqualTo(1);

        Thread.sleep(4000); // four seconds without scrapes
        prometheus.start();
        prometheus.awaitSeries("rate(http_requests_total[5s])", Duration.ofSeconds(30));
        Thread.sleep(3000); // a few samples after the restart
        wall.addAndGet(1000); // the retry time has come
        ChartFrame.Batch back = poller.pollNow();
        assertThat(back.status()).isEmpty();
        assertThat(back.charts()).allMatch(f -> f.problem().isEmpty());
        ChartFrame throughput = back.charts().get(3);
        List<XYChart.Data<Number, Number>> canary = throughput.canary();
        int gap = -1;
        for (int i = 0; i < canary.size(); i++) {
            if (Double.isNaN(canary.get(i).getYValue().doubleValue())) {
                gap = i;
            }
        }
        assertThat(gap).as("a gap where Prometheus was down, with samples on both sides")
                .isGreaterThan(0).isLessThan(canary.size() - 1);
        robot.interact(() -> {
            pane.apply(back);
            Snapshots.write(pane.getScene(), "charts-prometheus-recovered");
        });
        assertThat(pane.card("throughput").problemText()).isEmpty();
    }

    @Test
    void badPromqlIsShownOnItsOwnChartInPrometheussWordsAndNotAskedEveryPoll(FxRobot robot) throws Exception {
        PrometheusMetricsSource broken = new PrometheusMetricsSource("prod", PrometheusMetricsConfig.of(
                PrometheusEndpoint.of(prometheus.url()), MetricsPreset.POD_TEMPLATE_HASH)
                .withTiming(Duration.ofSeconds(1), Duration.ofSeconds(5)).withMetrics(List.of(new MetricTemplate(
                        "p99-latency", null, null, "histogram_quantile(0.99, sum by (le, {{trackLabel}}) (rate(",
                        null, null, null, null))), STATE);
        MetricsPoller p = new MetricsPoller(broken, STATE, c -> Clock.systemUTC(), b -> { }, wall::get);
        try {
            p.open(REF);
            ChartFrame.Batch b = p.pollNow();
            assertThat(b.status()).isEqualTo("1 of 5 metrics could not be fetched: see the charts");
            assertThat(b.charts().get(2).problem()).startsWith("p99 latency: Prometheus at " + prometheus.url()
                    + " answered 400: bad_data: ").contains("parse error").contains("Fix the metric's PromQL");
            assertThat(b.charts().get(0).problem()).isEmpty();
            robot.interact(() -> pane.apply(b));
            assertThat(pane.card("p99-latency").problemText()).contains("bad_data");

            Thread.sleep(1100);
            long requests = broken.client().stats().requests();
            assertThat(p.pollNow().charts().get(2).problem()).contains("bad_data");
            assertThat(broken.client().stats().requests() - requests).as("the four good metrics only").isEqualTo(4);
        } finally {
            p.close();
        }
    }

    @Test
    void anIncrementalPollFetchesOnlyTheNewSecondsOfEveryMetric() throws Exception {
        poller.open(REF);
        poller.pollNow();
        long bytes = source.client().stats().bytes();
        long requests = source.client().stats().requests();
        Thread.sleep(2000);
        ChartFrame.Batch next = poller.pollNow();
        long polledBytes = source.client().stats().bytes() - bytes;
        assertThat(source.client().stats().requests() - requests).as("one query per metric").isEqualTo(5);
        assertThat(polledBytes).as("two seconds of five metrics, both tracks").isLessThan(5 * 1200);
        assertThat(next.charts().get(0).rawPoints()).as("both tracks' samples so far").isGreaterThan(4);
    }
}
