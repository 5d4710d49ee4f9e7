package dev.releaseconsole.views.detail;

import dev.releaseconsole.views.testing.TestWorld;
import javafx.scene.Scene;
import javafx.scene.chart.XYChart;
import javafx.scene.shape.MoveTo;
import javafx.scene.shape.Path;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the charts draw for one hour of live data: four charts, canary and baseline at one sample per second, as the
 * poller prepares it. Behaviour only; how long an update takes is measured by {@link ChartUpdateBench}.
 */
@ExtendWith(ApplicationExtension.class)
class ChartsPaneFxTest {
    private final TestWorld world = new TestWorld();
    private final MetricsPoller poller = new MetricsPoller(world.metrics, world.state, c -> world.clock, b -> { });
    private ChartsPane pane;

    @Start
    void start(Stage stage) {
        pane = new ChartsPane(r -> { });
        stage.setScene(new Scene(pane, 1260, 760));
        stage.show();
    }

    @AfterEach
    void stop() {
        poller.close();
    }

    @Test
    void anHourOfSamplesIsDrawnDecimatedWithItsGapsAsBreaksInTheLine(FxRobot robot) {
        poller.open(TestWorld.CHECKOUT);
        poller.setColumns(600);
        poller.setRange(ChartRange.LAST_HOUR);
        world.clock.advance(Duration.ofMinutes(40));
        ChartFrame.Batch batch = poller.pollNow();
        robot.interact(() -> {
            pane.apply(batch);
            pane.applyCss();
            pane.layout();
        });

        int raw = batch.charts().stream().mapToInt(ChartFrame::rawPoints).sum();
        int drawn = 0;
        for (String id : new String[]{"request-rate", "error-ratio", "p95-latency", "checkout-conversion"}) {
            MetricChart chart = pane.chart(id);
            assertThat(chart).as(id).isNotNull();
            XYChart.Series<Number, Number> canary = chart.getData().get(0);
            XYChart.Series<Number, Number> baseline = chart.getData().get(1);
            assertThat(canary.getData().size()).isLessThanOrEqualTo(2 * 600 + 40);
            assertThat(baseline.getData().size()).isLessThanOrEqualTo(2 * 600 + 40);
            drawn += canary.getData().size() + baseline.getData().size();
            // the baseline has no gap: one stroke; the canary lifts the pen at each of its 36 NaN samples
            assertThat(moves(baseline)).as(id + " baseline strokes").isEqualTo(1);
            assertThat(moves(canary)).as(id + " canary strokes").isBetween(36L, 38L);
        }
        assertThat(raw).isEqualTo(4 * 2 * 3601);
        assertThat(drawn).isLessThan(raw / 2);
    }

    private static long moves(XYChart.Series<Number, Number> s) {
        return ((Path) s.getNode()).getElements().stream().filter(e -> e instanceof MoveTo).count();
    }
}
