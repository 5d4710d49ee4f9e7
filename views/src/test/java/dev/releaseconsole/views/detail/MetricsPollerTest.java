package dev.releaseconsole.views.detail;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MetricsPollerTest {
    private final DetailFixture world = new DetailFixture();
    private final MetricsPoller poller = new MetricsPoller(world.services.metrics(), world.state,
            c -> world.clock, b -> { });

    @AfterEach
    void stop() {
        poller.close();
    }

    private ChartFrame.Batch pollSync() {
        // Stop the scheduled task so only this thread polls; the session stays.
        return poller.pollNow();
    }

    @Test
    void oneFramePerMetricWithCanaryAboveBaselineAndThresholdAndMarkers() {
        poller.start(DetailFixture.CHECKOUT);
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
        poller.start(DetailFixture.CHECKOUT);
        pollSync();
        int calls = world.metricCalls.size();
        world.metricCalls.clear();
        world.clock.advance(Duration.ofSeconds(20));
        ChartFrame.Batch b = pollSync();
        assertThat(world.metricCalls).hasSize(4);
        assertThat(world.metricCalls.get(0)).startsWith("request-rate 2026-11-02T10:30:00.001Z 2026-11-02T10:30:20Z");
        assertThat(calls).isGreaterThanOrEqualTo(4);
        assertThat(b.charts().get(0).canary()).isNotEmpty();
    }

    @Test
    void wholeRolloutDecimatesToTheColumnsAndOneHourIsFixed() {
        poller.start(DetailFixture.CHECKOUT);
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
    void stopDropsTheSession() {
        poller.start(DetailFixture.CHECKOUT);
        poller.stop();
        assertThat(poller.pollNow()).isNull();
        assertThat(poller.isPolling()).isFalse();
    }

    @Test
    void markerLabels() {
        var ev = new dev.releaseconsole.services.model.RolloutEvent(DetailFixture.CHECKOUT, DetailFixture.T0,
                "RolloutAborted", "", 0, 0);
        assertThat(MarkerLabels.label(ev)).isEqualTo("abort");
        assertThat(MarkerLabels.markers(List.of(ev, ev), 0, Long.MAX_VALUE, DetailFixture.T0.toEpochMilli()))
                .hasSize(1);
        var w25 = new dev.releaseconsole.services.model.RolloutEvent(DetailFixture.CHECKOUT, DetailFixture.T0,
                "TrafficWeightUpdated", "", 1, 25);
        var step = new dev.releaseconsole.services.model.RolloutEvent(DetailFixture.CHECKOUT, DetailFixture.T0,
                "RolloutStepCompleted", "", 2, 25);
        var pause = new dev.releaseconsole.services.model.RolloutEvent(DetailFixture.CHECKOUT, DetailFixture.T0,
                "RolloutPaused", "", 2, -1);
        var failed = new dev.releaseconsole.services.model.RolloutEvent(DetailFixture.CHECKOUT, DetailFixture.T0,
                "AnalysisRunFailed", "AnalysisRun 'x' failed", 3, -1);
        assertThat(MarkerLabels.markers(List.of(w25, pause, step, failed, ev), 0, Long.MAX_VALUE, 0))
                .extracting(ChartFrame.Marker::label).containsExactly("25%", "pause", "analysis ✗", "abort");
    }
}
