package dev.releaseconsole.views.detail;

import dev.releaseconsole.views.testing.TestWorld;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.releaseconsole.services.metrics.Cancellation;
import dev.releaseconsole.services.metrics.MetricsSource;
import dev.releaseconsole.services.model.MetricDefinition;
import dev.releaseconsole.services.model.MetricSeries;
import dev.releaseconsole.services.model.RolloutRef;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The chart data pipeline off the FX thread, on the hand-built world's known samples (a NaN every 100 s). */
class MetricsPollerTest {
    private final TestWorld world = new TestWorld();
    private final MetricsPoller poller = new MetricsPoller(world.metrics, world.state, c -> world.clock, b -> { });

    @AfterEach
    void stop() {
        poller.close();
    }

    /** Polls on this thread; sessions are opened without scheduled polling, so only the test polls. */
    private ChartFrame.Batch pollSync() {
        return poller.pollNow();
    }

    @Test
    void oneFramePerMetricWithCanaryAboveBaselineAndThresholdAndMarkers() {
        poller.open(TestWorld.CHECKOUT);
        ChartFrame.Batch b = pollSync();
        assertThat(b.charts()).extracting(f -> f.metric().id())
                .containsExactly("request-rate", "error-ratio", "p95-latency", "checkout-conversion");
        ChartFrame er = b.charts().get(1);
        assertThat(er.lastCanary()).isGreaterThan(er.lastBaseline() * 3);
        assertThat(er.threshold()).hasSize(2);
        assertThat(er.threshold().get(0).getYValue().doubleValue()).isEqualTo(0.01);
        assertThat(er.xLower()).isEqualTo(-15.0);
        assertThat(er.xUpper()).isEqualTo(0.0);
        assertThat(er.yLower()).isLessThanOrEqualTo(0.005 * 0.9);
        assertThat(er.yUpper()).isGreaterThanOrEqualTo(0.03 * 1.1);
        // 15 min at 1 sample/s, 600 columns: about 900 raw points, NaN every 100 s drawn as gaps
        assertThat(er.canary().stream().filter(d -> Double.isNaN(d.getYValue().doubleValue())).count())
                .isBetween(8L, 10L);
        // markers from events within the last 15 minutes: "50%" at T0+1500s = -5 min
        assertThat(er.markers()).extracting(ChartFrame.Marker::label).containsExactly("50%");
        assertThat(er.markers().get(0).x()).isEqualTo(-5.0);
    }

    @Test
    void fetchesIncrementallyFromTheLastSampleHeld() {
        poller.open(TestWorld.CHECKOUT);
        pollSync();
        int calls = world.metrics.calls.size();
        world.metrics.calls.clear();
        world.clock.advance(Duration.ofSeconds(20));
        ChartFrame.Batch b = pollSync();
        assertThat(world.metrics.calls).hasSize(4);
        assertThat(world.metrics.calls.get(0)).startsWith("request-rate 2026-11-02T10:30:00.001Z 2026-11-02T10:30:20Z");
        assertThat(calls).isGreaterThanOrEqualTo(4);
        assertThat(b.charts().get(0).canary()).isNotEmpty();
    }

    @Test
    void wholeRolloutDecimatesToTheColumnsAndOneHourIsFixed() {
        poller.open(TestWorld.CHECKOUT);
        poller.setColumns(200);
        poller.setRange(ChartRange.LAST_HOUR);
        world.clock.advance(Duration.ofMinutes(60));
        ChartFrame.Batch b = pollSync();
        ChartFrame er = b.charts().get(1);
        assertThat(er.xLower()).isEqualTo(-60.0);
        assertThat(er.rawPoints()).isGreaterThan(6000);
        assertThat(er.canary().size()).isLessThanOrEqualTo(2 * 200 + 60);
        poller.setRange(ChartRange.WHOLE_ROLLOUT);
        ChartFrame whole = pollSync().charts().get(1);
        // oldest event at T0+60s; now is T0+90min
        assertThat(whole.xLower()).isEqualTo(-89.0);
        assertThat(whole.markers()).extracting(ChartFrame.Marker::label).containsExactly("0%", "25%", "50%");
    }

    @Test
    void oneHourOfFourMetricsAtOneSamplePerSecondIsDecimatedToThePlotWidthKeepingTheGaps() {
        poller.open(TestWorld.CHECKOUT);
        poller.setColumns(900);
        poller.setRange(ChartRange.LAST_HOUR);
        world.clock.advance(Duration.ofMinutes(40)); // T0+70m: the whole last hour has samples
        ChartFrame.Batch b = pollSync();
        assertThat(b.charts()).hasSize(4);
        for (ChartFrame f : b.charts()) {
            // 3,600 raw samples per track: at most a min/max pair per pixel column (plus gap markers) is drawn
            assertThat(f.rawPoints()).isEqualTo(2 * 3601);
            assertThat(f.canary().size()).isLessThanOrEqualTo(2 * 900 + 40);
            assertThat(f.baseline().size()).isLessThanOrEqualTo(2 * 900 + 40);
        }
        ChartFrame er = b.charts().get(1);
        // the canary's NaN at every second 50 of each 100 survives decimation as a gap: 36 in the hour
        assertThat(er.canary().stream().filter(d -> Double.isNaN(d.getYValue().doubleValue())).count())
                .isBetween(35L, 37L);
        assertThat(er.baseline()).noneMatch(d -> Double.isNaN(d.getYValue().doubleValue()));
    }

    @Test
    void stoppingCancelsTheQueriesOfTheSession() {
        List<Cancellation> handed = new CopyOnWriteArrayList<>();
        MetricsSource recording = new MetricsSource() {
            @Override
            public List<MetricDefinition> metrics(RolloutRef rollout) {
                return world.metrics.metrics(rollout);
            }

            @Override
            public List<MetricSeries> range(RolloutRef rollout, String metricId, Instant from, Instant to) {
                return world.metrics.range(rollout, metricId, from, to);
            }

            @Override
            public List<MetricSeries> range(RolloutRef rollout, String metricId, Instant from, Instant to,
                                            Cancellation cancellation) {
                handed.add(cancellation);
                return range(rollout, metricId, from, to);
            }
        };
        MetricsPoller p = new MetricsPoller(recording, world.state, c -> world.clock, b -> { });
        p.open(TestWorld.CHECKOUT);
        p.pollNow();
        assertThat(handed).hasSize(4).noneMatch(Cancellation::isCancelled);
        p.stop();
        assertThat(handed).allMatch(Cancellation::isCancelled);
        p.close();
    }

    @Test
    void aClusterWithoutMetricsSaysHowToConfigureThemOnEveryPoll() {
        MetricsSource none = new MetricsSource() {
            @Override
            public List<MetricDefinition> metrics(RolloutRef rollout) {
                return List.of();
            }

            @Override
            public List<MetricSeries> range(RolloutRef rollout, String metricId, Instant from, Instant to) {
                throw new AssertionError("nothing to ask for");
            }
        };
        MetricsPoller p = new MetricsPoller(none, world.state, c -> world.clock, b -> { });
        p.open(TestWorld.CHECKOUT);
        for (int i = 0; i < 2; i++) {
            ChartFrame.Batch b = p.pollNow();
            assertThat(b.charts()).isEmpty();
            assertThat(b.status()).isEqualTo("No metrics are configured for cluster " + TestWorld.CHECKOUT.cluster()
                    + ": add metrics." + TestWorld.CHECKOUT.cluster() + " (its Prometheus and templates) to the "
                    + "configuration file");
        }
        p.close();
    }

    @Test
    void stopDropsTheSession() {
        poller.start(TestWorld.CHECKOUT);
        poller.stop();
        assertThat(poller.pollNow()).isNull();
        assertThat(poller.isPolling()).isFalse();
    }
}
