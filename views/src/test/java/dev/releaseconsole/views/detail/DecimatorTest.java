package dev.releaseconsole.views.detail;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DecimatorTest {
    private static SeriesBuffer.Samples series(int n, java.util.function.IntToDoubleFunction f) {
        long[] t = new long[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = i * 1000L;
            v[i] = f.applyAsDouble(i);
        }
        return new SeriesBuffer.Samples(t, v);
    }

    @Test
    void boundsThePointsToAboutTwoPerColumn() {
        SeriesBuffer.Samples in = series(36_000, i -> Math.sin(i / 100.0));
        SeriesBuffer.Samples out = Decimator.decimate(in, 0, 36_000_000L, 500, 5_000);
        assertThat(out.size()).isLessThanOrEqualTo(2 * 500 + 2);
        assertThat(out.size()).isGreaterThan(500);
    }

    @Test
    void keepsMinimumAndMaximumOfEachColumn() {
        SeriesBuffer.Samples in = series(10_000, i -> i == 4321 ? 99.0 : i == 7777 ? -50.0 : 1.0);
        SeriesBuffer.Samples out = Decimator.decimate(in, 0, 10_000_000L, 100, 5_000);
        assertThat(out.values()).contains(99.0, -50.0);
        double max = java.util.Arrays.stream(out.values()).max().orElseThrow();
        double min = java.util.Arrays.stream(out.values()).min().orElseThrow();
        assertThat(max).isEqualTo(99.0);
        assertThat(min).isEqualTo(-50.0);
    }

    @Test
    void outputIsTimeOrdered() {
        SeriesBuffer.Samples in = series(5_000, i -> (i * 7919) % 101);
        SeriesBuffer.Samples out = Decimator.decimate(in, 0, 5_000_000L, 200, 5_000);
        for (int i = 1; i < out.size(); i++) {
            assertThat(out.times()[i]).isGreaterThanOrEqualTo(out.times()[i - 1]);
        }
    }

    @Test
    void nanAndInfinityBecomeOneGapNeverAValue() {
        SeriesBuffer.Samples in = series(10, i -> i == 3 ? Double.NaN : i == 4 ? Double.POSITIVE_INFINITY
                : i == 5 ? Double.NEGATIVE_INFINITY : i);
        SeriesBuffer.Samples out = Decimator.decimate(in, 0, 10_000, 100, 5_000);
        long gaps = java.util.Arrays.stream(out.values()).filter(Double::isNaN).count();
        assertThat(gaps).isEqualTo(1);
        assertThat(java.util.Arrays.stream(out.values()).filter(v -> !Double.isNaN(v)))
                .allMatch(Double::isFinite).containsExactly(0.0, 1.0, 2.0, 6.0, 7.0, 8.0, 9.0);
    }

    @Test
    void nanInsideALargeSeriesStillBreaksTheLine() {
        SeriesBuffer.Samples in = series(20_000, i -> i >= 10_000 && i < 10_050 ? Double.NaN : 1.0);
        SeriesBuffer.Samples out = Decimator.decimate(in, 0, 20_000_000L, 200, 5_000);
        assertThat(java.util.Arrays.stream(out.values()).filter(Double::isNaN).count()).isGreaterThanOrEqualTo(1);
        assertThat(java.util.Arrays.stream(out.values()).filter(v -> !Double.isNaN(v))).allMatch(v -> v == 1.0);
    }

    @Test
    void allNanGivesNothingToDraw() {
        SeriesBuffer.Samples in = series(50, i -> Double.NaN);
        assertThat(Decimator.decimate(in, 0, 50_000, 10, 5_000).size()).isZero();
        assertThat(Decimator.decimate(new SeriesBuffer.Samples(new long[0], new double[0]), 0, 1, 10, 5_000).size())
                .isZero();
    }

    @Test
    void aHoleInTimeIsAGap() {
        long[] t = {0, 1000, 2000, 60_000, 61_000};
        double[] v = {1, 2, 3, 4, 5};
        SeriesBuffer.Samples out = Decimator.decimate(new SeriesBuffer.Samples(t, v), 0, 61_000, 100, 5_000);
        assertThat(out.values()).hasSize(6);
        assertThat(out.values()[3]).isNaN();
    }

    @Test
    void fewPointsPassThroughUnchanged() {
        SeriesBuffer.Samples in = series(20, i -> i * 0.5);
        SeriesBuffer.Samples out = Decimator.decimate(in, 0, 20_000, 100, 5_000);
        assertThat(out).isEqualTo(in);
    }
}
