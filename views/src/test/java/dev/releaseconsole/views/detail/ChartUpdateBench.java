package dev.releaseconsole.views.detail;

import dev.releaseconsole.services.analysis.CanaryJudge;
import dev.releaseconsole.services.analysis.CanaryVerdict;
import dev.releaseconsole.services.analysis.JudgeConfig;
import dev.releaseconsole.services.analysis.MetricVerdict;
import dev.releaseconsole.services.model.MetricDefinition;
import dev.releaseconsole.services.model.MetricSeries;
import dev.releaseconsole.services.model.Track;
import dev.releaseconsole.views.testing.TestWorld;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark (not a test): what one live update of the rollout detail's charts costs. Four charts, canary and
 * baseline each, one hour of one-second samples: 8 series x 3,600 points. Per update it measures
 * <ul>
 *   <li>the background part on the calling thread: poll the (in-memory) metrics source incrementally and decimate
 *       the hour to about one min/max pair per pixel column ({@link MetricsPoller#pollNow()});</li>
 *   <li>the FX-thread part: apply the prepared batch to the charts, CSS and layout (which rebuilds the line paths);
 *       </li>
 *   <li>the points drawn after decimation;</li>
 *   <li>the live verdict beside the charts: the canary judge over the same hour of samples (background, as
 *       {@code CanaryJudgeService} does it), and applying the verdict to the detail's verdict panel (FX thread; the
 *       verdict alternates between two, so the panel really changes every update).</li>
 * </ul>
 * It reports the median and p99 over the measured updates, after warm-up. The stage is 1920x1080 (the large layout,
 * a 2x2 grid of charts); decimation follows the charts' plot width as in the app.
 *
 * <p>Run with the {@code bench} profile (headless Monocle, see views/pom.xml):
 * {@code mvn -B -o -pl services,styles,views -Pbench -DskipTests verify}. Arguments: measured updates (default 200),
 * warm-up updates (default 50), stage width and height (default 1920 1080).
 */
public final class ChartUpdateBench {
    private ChartUpdateBench() {
    }

    public static void main(String[] args) throws Exception {
        int updates = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int warmUp = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int width = args.length > 2 ? Integer.parseInt(args[2]) : 1920;
        int height = args.length > 3 ? Integer.parseInt(args[3]) : 1080;
        if (updates < 50) {
            throw new IllegalArgumentException("measure at least 50 updates, not " + updates);
        }
        CountDownLatch started = new CountDownLatch(1);
        Platform.startup(started::countDown);
        started.await(10, TimeUnit.SECONDS);

        TestWorld world = new TestWorld();
        world.clock.advance(Duration.ofMinutes(40)); // T0+70m: samples for the whole last hour
        VerdictViewModel verdictVm = new VerdictViewModel();
        ChartsPane pane = onFx(() -> {
            ChartsPane p = new ChartsPane(r -> { });
            javafx.scene.layout.VBox.setVgrow(p, javafx.scene.layout.Priority.ALWAYS);
            Stage stage = new Stage();
            stage.setScene(new Scene(new javafx.scene.layout.VBox(new VerdictPane(verdictVm), p), width, height));
            stage.show();
            return p;
        });
        CanaryJudge judge = new CanaryJudge(JudgeConfig.DEFAULTS);
        MetricsPoller poller = new MetricsPoller(world.metrics, world.state, c -> world.clock, b -> { });
        onFx(() -> {
            pane.setOnColumns(poller::setColumns);
            return null;
        });
        // No scheduled polling: this thread polls, so only the measured work runs.
        poller.open(TestWorld.CHECKOUT);
        poller.setRange(ChartRange.LAST_HOUR);

        long[] pollNanos = new long[updates];
        long[] applyNanos = new long[updates];
        long[] layoutNanos = new long[updates];
        long[] fxNanos = new long[updates];
        long[] judgeNanos = new long[updates];
        long[] verdictNanos = new long[updates];
        CanaryVerdict previous = null;
        int[] drawn = new int[updates];
        int[] raw = new int[updates];
        for (int i = -warmUp; i < updates; i++) {
            world.clock.advance(Duration.ofSeconds(1));
            long p0 = System.nanoTime();
            ChartFrame.Batch batch = poller.pollNow();
            long p1 = System.nanoTime();
            CanaryVerdict judged = judgeLastHour(judge, world);
            long p2 = System.nanoTime();
            // alternate with the previous verdict so the panel changes on every update
            CanaryVerdict shown = previous == null || i % 2 == 0 ? judged : previous;
            previous = judged;
            long[] fx = onFx(() -> {
                long t0 = System.nanoTime();
                pane.apply(batch);
                long t1 = System.nanoTime();
                verdictVm.setVerdict(shown);
                long t2 = System.nanoTime();
                pane.getScene().getRoot().applyCss();
                pane.getScene().getRoot().layout();
                long t3 = System.nanoTime();
                return new long[]{t1 - t0, t2 - t1, t3 - t2};
            });
            if (i >= 0) {
                pollNanos[i] = p1 - p0;
                judgeNanos[i] = p2 - p1;
                applyNanos[i] = fx[0];
                verdictNanos[i] = fx[1];
                layoutNanos[i] = fx[2];
                fxNanos[i] = fx[0] + fx[1] + fx[2];
                drawn[i] = batch.charts().stream().mapToInt(f -> f.canary().size() + f.baseline().size()).sum();
                raw[i] = batch.charts().stream().mapToInt(ChartFrame::rawPoints).sum();
            }
        }
        int columns = onFx(() -> (int) Math.max(50, pane.chart("request-rate").getWidth() - 70));
        int charts = onFx(() -> pane.chart("checkout-conversion") == null ? 0 : 4);
        poller.close();

        System.out.println();
        System.out.println("ChartUpdateBench: " + charts + " charts x (canary + baseline), one hour at 1 sample/s, "
                + width + "x" + height + " stage, ~" + columns + " px plot width per chart; " + updates
                + " measured updates after " + warmUp + " warm-up");
        System.out.printf(Locale.ROOT, "  raw samples per update          %,d (8 series x ~3,600)%n", raw[0]);
        System.out.printf(Locale.ROOT, "  points drawn after decimation   %,d (median; min %,d, max %,d)%n",
                median(drawn), Arrays.stream(drawn).min().orElse(0), Arrays.stream(drawn).max().orElse(0));
        row("background poll + decimate", pollNanos);
        row("background: judge 4 metrics", judgeNanos);
        row("FX thread: apply to series", applyNanos);
        row("FX thread: verdict panel", verdictNanos);
        row("FX thread: CSS + layout", layoutNanos);
        row("FX thread per update (total)", fxNanos);
        Platform.exit();
        System.exit(0);
    }

    /** The canary judge over the last hour of every metric, as the live verdict service computes it. */
    private static CanaryVerdict judgeLastHour(CanaryJudge judge, TestWorld world) {
        java.time.Instant to = world.clock.instant();
        java.time.Instant from = to.minus(Duration.ofHours(1));
        java.util.List<MetricVerdict> found = new java.util.ArrayList<>();
        for (MetricDefinition d : world.metrics.metrics(TestWorld.CHECKOUT)) {
            java.util.List<MetricSeries> series = world.metrics.range(TestWorld.CHECKOUT, d.id(), from, to);
            found.add(judge.classify(d, track(series, Track.CANARY), track(series, Track.BASELINE)));
        }
        return judge.verdict(TestWorld.CHECKOUT, from, to, found);
    }

    private static java.util.List<dev.releaseconsole.services.model.MetricPoint> track(
            java.util.List<MetricSeries> series, Track track) {
        return series.stream().filter(s -> s.track() == track).findFirst().orElseThrow().points();
    }

    private static void row(String what, long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        System.out.printf(Locale.ROOT, "  %-31s median %6.2f ms   p99 %6.2f ms   max %6.2f ms%n", what,
                percentile(s, 50) / 1e6, percentile(s, 99) / 1e6, s[s.length - 1] / 1e6);
    }

    /** Nearest-rank percentile of sorted values. */
    static long percentile(long[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static int median(int[] values) {
        int[] s = values.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static <T> T onFx(java.util.concurrent.Callable<T> work) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                f.complete(work.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f.get(30, TimeUnit.SECONDS);
    }
}
