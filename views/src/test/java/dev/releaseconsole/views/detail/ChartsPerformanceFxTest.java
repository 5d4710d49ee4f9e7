package dev.releaseconsole.views.detail;

import javafx.scene.Scene;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What one live update costs on the FX thread: four charts, one hour at one sample per second per track (7,200 raw
 * points per chart), decimated for a 900-pixel plot (the 1920-wide layout), applied and laid out. Prints the numbers.
 */
@ExtendWith(ApplicationExtension.class)
class ChartsPerformanceFxTest {
    private ChartsPane pane;

    @Start
    void start(Stage stage) {
        pane = new ChartsPane(r -> { });
        stage.setScene(new Scene(pane, 1260, 760));
        stage.show();
    }

    @Test
    void oneUpdateOfFourChartsStaysWellUnderAFrameBudgetAfterWarmUp(FxRobot robot) {
        DetailFixture world = new DetailFixture();
        world.clock.advance(Duration.ofMinutes(40));
        MetricsPoller poller = new MetricsPoller(world.services.metrics(), world.state, c -> world.clock, b -> { });
        poller.start(DetailFixture.CHECKOUT);
        poller.setColumns(900);
        poller.setRange(ChartRange.LAST_HOUR);
        long[] best = {Long.MAX_VALUE};
        long[] pollNanos = {Long.MAX_VALUE};
        int[] drawn = {0};
        long[] samples = new long[20];
        for (int i = 0; i < 20; i++) {
            int k = i;
            world.clock.advance(Duration.ofSeconds(1));
            long p0 = System.nanoTime();
            ChartFrame.Batch b = poller.pollNow();
            pollNanos[0] = Math.min(pollNanos[0], System.nanoTime() - p0);
            robot.interact(() -> {
                long t0 = System.nanoTime();
                pane.apply(b);
                long t1 = System.nanoTime();
                pane.applyCss();
                long t2 = System.nanoTime();
                pane.layout();
                long t3 = System.nanoTime();
                samples[k] = t3 - t0;
                best[0] = Math.min(best[0], t3 - t0);
                drawn[0] = b.charts().stream().mapToInt(f -> f.canary().size() + f.baseline().size()).sum();
            });
        }
        poller.close();
        long[] warm = java.util.Arrays.copyOfRange(samples, 5, samples.length);
        java.util.Arrays.sort(warm);
        double fxMs = warm[warm.length / 2] / 1e6;
        double pollMs = pollNanos[0] / 1e6;
        System.out.printf("detail charts: %d points drawn for 4 charts (from ~28,800 raw); FX apply+layout median %.1f ms;"
                + " background poll+decimate %.1f ms%n", drawn[0], fxMs, pollMs);
        assertThat(drawn[0]).isLessThan(4 * 2 * (2 * 900 + 100));
        assertThat(fxMs).isLessThan(200);
    }
}
