package dev.releaseconsole.services.analysis;

import org.apache.commons.math3.stat.inference.MannWhitneyUTest;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The test statistic, the Hodges-Lehmann shift and its interval, checked against brute force and commons-math3. */
class MannWhitneyTest {

    @Test
    void independentContinuousSamplesGiveCommonsMathsPValue() {
        SplittableRandom r = new SplittableRandom(7);
        for (int run = 0; run < 20; run++) {
            double[] c = gaussian(r, 40 + run, 10.3);
            double[] b = gaussian(r, 55, 10);

            MannWhitney.Result result = MannWhitney.compare(c, b, 0.98, false);

            assertThat(result.pValue()).isCloseTo(new MannWhitneyUTest().mannWhitneyUTest(c, b), within(1e-9));
            assertThat(result.repeat()).isEqualTo(1.0);
        }
    }

    @Test
    void uCountsThePairsInWhichTheCanaryIsHigherWithTiesAsHalf() {
        MannWhitney.Result r = MannWhitney.compare(new double[]{1, 2, 3}, new double[]{2, 0}, 0.9, false);

        // pairs canary > baseline: 1>0, 2>0, 3>0, 3>2 = 4, plus the tie 2=2 as a half
        assertThat(r.u()).isEqualTo(4.5);
    }

    @Test
    void shiftAndIntervalAreOrderStatisticsOfAllDifferences() {
        SplittableRandom r = new SplittableRandom(11);
        for (int run = 0; run < 30; run++) {
            double[] c = rounded(gaussian(r, 3 + r.nextInt(40), 5));
            double[] b = rounded(gaussian(r, 3 + r.nextInt(40), 4));
            double[] diffs = differences(c, b);

            MannWhitney.Result result = MannWhitney.compare(c, b, 0.95, false);

            int count = diffs.length;
            double median = count % 2 == 1 ? diffs[count / 2] : (diffs[count / 2 - 1] + diffs[count / 2]) / 2;
            assertThat(result.shift()).isEqualTo(median);
            assertThat(result.lower()).isLessThanOrEqualTo(result.shift());
            assertThat(result.upper()).isGreaterThanOrEqualTo(result.shift());
            assertThat(Arrays.binarySearch(diffs, result.lower())).isNotNegative();
            assertThat(Arrays.binarySearch(diffs, result.upper())).isNotNegative();
            for (long k = 1; k <= count; k += Math.max(1, count / 7)) {
                double[] cs = c.clone();
                double[] bs = b.clone();
                Arrays.sort(cs);
                Arrays.sort(bs);
                assertThat(MannWhitney.kthDifference(cs, bs, k)).isEqualTo(diffs[(int) k - 1]);
            }
        }
    }

    @Test
    void theIntervalCoversTheTrueShiftAtAboutItsConfidence() {
        SplittableRandom r = new SplittableRandom(3);
        int covered = 0;
        int runs = 1000;
        for (int run = 0; run < runs; run++) {
            double[] canary = Arrays.stream(gaussian(r, 50, 10)).map(v -> v + 7).toArray();
            MannWhitney.Result result = MannWhitney.compare(canary, gaussian(r, 60, 10), 0.9, false);
            if (result.lower() <= 7 && result.upper() >= 7) {
                covered++;
            }
        }
        assertThat(covered).as("a 90%% interval covers the true shift of 7 in about 90%% of %d runs", runs)
                .isBetween(870, 930);
    }

    @Test
    void samplesThatRepeatEachOtherCountAsFewer() {
        SplittableRandom r = new SplittableRandom(5);
        double[] independent = gaussian(r, 600, 0);
        double[] window = new double[600];
        double[] raw = gaussian(r, 630, 0);
        for (int i = 0; i < window.length; i++) {
            for (int k = 0; k < 30; k++) {
                window[i] += raw[i + k] / 30;
            }
        }

        assertThat(MannWhitney.repeatFactor(independent)).isBetween(1.0, 1.5);
        assertThat(MannWhitney.repeatFactor(window)).as("a 30-sample moving mean repeats over about 30 samples")
                .isBetween(20.0, 45.0);
        assertThat(MannWhitney.repeatFactor(new double[]{1, 1, 1, 1, 1, 1, 1, 1, 1, 1})).isEqualTo(1.0);
    }

    @Test
    void withTooFewIndependentSamplesTheIntervalIsUnbounded() {
        double[] c = {10, 11, 12, 13, 14, 15};
        double[] b = {1, 2, 3, 4, 5, 6};

        MannWhitney.Result independent = MannWhitney.compare(c, b, 0.98, 1.0);
        MannWhitney.Result repeating = MannWhitney.compare(c, b, 0.98, 6.0);

        assertThat(independent.lower()).isPositive();
        assertThat(repeating.lower()).as("six samples that repeat over six are one observation")
                .isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(repeating.upper()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(repeating.pValue()).isGreaterThan(independent.pValue());
    }

    @Test
    void allTiedSamplesHaveNoSpreadToTest() {
        MannWhitney.Result r = MannWhitney.compare(new double[]{2, 2, 2}, new double[]{2, 2}, 0.98, true);

        assertThat(r.pValue()).isEqualTo(1.0);
        assertThat(r.shift()).isZero();
        assertThat(r.lower()).isZero();
        assertThat(r.upper()).isZero();
    }

    @Test
    void refusesEmptyTracksAndNonsenseConfidence() {
        assertThatThrownBy(() -> MannWhitney.compare(new double[0], new double[]{1}, 0.98, true))
                .hasMessageContaining("both tracks need samples");
        assertThatThrownBy(() -> MannWhitney.compare(new double[]{1}, new double[]{1}, 1.5, true))
                .hasMessageContaining("confidence");
    }

    private static double[] gaussian(SplittableRandom r, int n, double sd) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = 100 + sd * r.nextGaussian() + (sd == 0 ? r.nextGaussian() : 0);
        }
        return out;
    }

    private static double[] rounded(double[] v) {
        return Arrays.stream(v).map(Math::rint).toArray();
    }

    private static double[] differences(double[] c, double[] b) {
        double[] d = new double[c.length * b.length];
        int k = 0;
        for (double x : c) {
            for (double y : b) {
                d[k++] = x - y;
            }
        }
        Arrays.sort(d);
        return d;
    }
}
