package dev.releaseconsole.services.analysis;

import dev.releaseconsole.services.model.Direction;
import dev.releaseconsole.services.model.MetricDefinition;
import dev.releaseconsole.services.model.MetricPoint;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.model.WorkloadKind;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.releaseconsole.services.analysis.Synthetic.CONVERSION;
import static dev.releaseconsole.services.analysis.Synthetic.ERROR_RATIO;
import static dev.releaseconsole.services.analysis.Synthetic.P95;
import static dev.releaseconsole.services.analysis.Synthetic.P99;
import static dev.releaseconsole.services.analysis.Synthetic.THROUGHPUT;
import static org.assertj.core.api.Assertions.assertThat;

/** The judge on seeded synthetic samples: A/A stays Pass, known shifts are found, edge cases say what they are. */
class CanaryJudgeTest {
    private static final RolloutRef REF = new RolloutRef("prod", "shop", "checkout", WorkloadKind.ARGO_ROLLOUT);
    private static final Instant FROM = Instant.parse("2027-01-15T08:00:00Z");
    private static final Instant TO = FROM.plusSeconds(300);
    /** Seeded runs per A/A scenario. */
    private static final int RUNS = 1000;

    private final CanaryJudge judge = new CanaryJudge(JudgeConfig.DEFAULTS);

    // ---- A/A: the same distribution for canary and baseline ----

    @Test
    void aaIndependentSamplesPassInAtLeast99PercentOf1000SeededRuns() {
        int pass = 0;
        for (int seed = 0; seed < RUNS; seed++) {
            Synthetic s = new Synthetic(seed);
            CanaryVerdict v = judge.verdict(REF, FROM, TO, List.of(
                    judge.classify(ERROR_RATIO, s.errorRatio(60, 500, 1.0), s.errorRatio(60, 500, 1.0)),
                    judge.classify(P95, s.latency(60, 240, 0.1), s.latency(60, 240, 0.1)),
                    judge.classify(P99, s.latency(60, 480, 0.2), s.latency(60, 480, 0.2)),
                    judge.classify(CONVERSION, s.errorRatio(60, 500, 3.2), s.errorRatio(60, 500, 3.2))));
            if (v.label() == VerdictLabel.PASS) {
                pass++;
            }
        }
        assertThat(pass).as("A/A verdicts that pass, of %d seeded runs", RUNS).isGreaterThanOrEqualTo(RUNS * 99 / 100);
    }

    @Test
    void aaSamplesThatRepeatEachOtherPassInAtLeast99PercentOf1000SeededRuns() {
        int pass = 0;
        int passUncorrected = 0;
        CanaryJudge uncorrected = new CanaryJudge(JudgeConfig.DEFAULTS.withSerialCorrection(false));
        for (int seed = 0; seed < RUNS; seed++) {
            Synthetic s = new Synthetic(seed);
            // a rate(...[30s]) sampled every second over a 5-minute step: canary at 10% of 180 req/s, baseline at
            // 90%, whose last 30 minutes measure how much consecutive samples repeat (as the service reads them)
            List<MetricPoint> c = s.slidingErrorRatio(300, 30, 18, 1.0);
            List<MetricPoint> history = s.slidingErrorRatio(1800, 30, 162, 1.0);
            List<MetricPoint> b = history.subList(1500, 1800);
            if (judge.classify(ERROR_RATIO, c, b, judge.repeatOf(history)).label() == MetricLabel.PASS) {
                pass++;
            }
            if (uncorrected.classify(ERROR_RATIO, c, b, 1.0).label() == MetricLabel.PASS) {
                passUncorrected++;
            }
        }
        assertThat(pass).as("A/A error ratios over a sliding 30 s window that pass, of %d seeded runs", RUNS)
                .isGreaterThanOrEqualTo(RUNS * 99 / 100);
        assertThat(passUncorrected).as("without the correction for repeated samples the test is far too sure")
                .isLessThan(pass - 30);
    }

    // ---- known shifts ----

    @Test
    void aThirtyPercentHigherP95IsHighIn200Of200SeededRuns() {
        int high = 0;
        for (int seed = 0; seed < 200; seed++) {
            Synthetic s = new Synthetic(seed);
            MetricVerdict v = judge.classify(P95, s.latency(60, 240 * 1.3, 0.1), s.latency(60, 240, 0.1));
            if (v.label() == MetricLabel.HIGH) {
                high++;
            }
        }
        assertThat(high).isEqualTo(200);
    }

    @Test
    void twoPercentagePointsMoreErrorsFailTheCanaryIn200Of200SeededRuns() {
        int fail = 0;
        int slidingFail = 0;
        for (int seed = 0; seed < 200; seed++) {
            Synthetic s = new Synthetic(seed);
            CanaryVerdict v = judge.verdict(REF, FROM, TO, List.of(
                    judge.classify(ERROR_RATIO, s.errorRatio(60, 500, 3.0), s.errorRatio(60, 500, 1.0)),
                    judge.classify(P95, s.latency(60, 240, 0.1), s.latency(60, 240, 0.1))));
            if (v.label() == VerdictLabel.FAIL) {
                fail++;
            }
            List<MetricPoint> history = s.slidingErrorRatio(1800, 30, 162, 1.0);
            MetricVerdict sliding = judge.classify(ERROR_RATIO, s.slidingErrorRatio(300, 30, 18, 3.0),
                    history.subList(1500, 1800), judge.repeatOf(history));
            if (sliding.label() == MetricLabel.HIGH) {
                slidingFail++;
            }
        }
        assertThat(fail).as("error ratio 3% vs 1%, 60 independent samples of ~500 requests each").isEqualTo(200);
        assertThat(slidingFail).as("3% vs 1% at 18 vs 162 req/s over a sliding 30 s window, 300 samples")
                .isGreaterThanOrEqualTo(190);
    }

    @Test
    void aHighMetricExplainsItselfInWords() {
        Synthetic s = new Synthetic(1);
        MetricVerdict v = judge.classify(P95, fixed(s.latency(60, 312, 0.02), 312), fixed(s.latency(60, 240, 0.02), 240));

        assertThat(v.label()).isEqualTo(MetricLabel.HIGH);
        assertThat(v.sentence()).isEqualTo(
                "p95 latency: canary 312 ms vs baseline 240 ms, +30%, higher at 98% confidence");
        assertThat(v.statistics()).startsWith("Mann-Whitney p = < 0.0001; shift +")
                .contains("60 canary and 60 baseline samples");
    }

    @Test
    void sharesChangeInPercentagePoints() {
        Synthetic s = new Synthetic(2);
        MetricVerdict v = judge.classify(ERROR_RATIO, s.errorRatio(60, 2000, 3.0), s.errorRatio(60, 2000, 1.0));

        assertThat(v.label()).isEqualTo(MetricLabel.HIGH);
        assertThat(v.sentence()).matches("Error ratio: canary 3\\.\\d+% vs baseline (1|0\\.9\\d*|1\\.\\d+)%, "
                + "\\+[12]\\.\\d+ pp, higher at 98% confidence");
    }

    @Test
    void aChangeInTheGoodDirectionPasses() {
        Synthetic s = new Synthetic(3);
        MetricVerdict faster = judge.classify(P95, s.latency(60, 170, 0.1), s.latency(60, 240, 0.1));
        MetricVerdict moreCheckouts = judge.classify(CONVERSION, s.errorRatio(60, 2000, 5), s.errorRatio(60, 2000, 3));

        assertThat(faster.label()).isEqualTo(MetricLabel.PASS);
        assertThat(faster.sentence()).endsWith("lower than the baseline, which is better");
        assertThat(moreCheckouts.label()).isEqualTo(MetricLabel.PASS);
        assertThat(moreCheckouts.sentence()).endsWith("higher than the baseline, which is better");
    }

    @Test
    void aDropOfAMetricThatIsBadWhenItFallsIsLow() {
        Synthetic s = new Synthetic(4);
        MetricVerdict v = judge.classify(CONVERSION, s.errorRatio(90, 3000, 2.0), s.errorRatio(90, 3000, 3.2));

        assertThat(v.label()).isEqualTo(MetricLabel.LOW);
        assertThat(v.sentence()).contains(", -1.").endsWith("pp, lower at 98% confidence");
    }

    @Test
    void aSignificantButSmallChangeIsWithinTheEffectThatCounts() {
        Synthetic s = new Synthetic(5);
        MetricVerdict v = judge.classify(P95, s.latency(400, 250, 0.02), s.latency(400, 240, 0.02));

        assertThat(v.label()).isEqualTo(MetricLabel.PASS);
        assertThat(v.sentence()).endsWith("higher, but by less than the 10% change that counts");
    }

    // ---- no data, too few, constant, NaN/Inf, errors ----

    @Test
    void noSamplesAreNoData() {
        MetricVerdict v = judge.classify(P95, List.of(), new Synthetic(6).latency(40, 240, 0.1));

        assertThat(v.label()).isEqualTo(MetricLabel.NODATA);
        assertThat(v.sentence()).isEqualTo("p95 latency: no canary samples in the window");
        assertThat(v.scored()).isFalse();
        assertThat(judge.classify(P95, List.of(), List.of()).sentence())
                .isEqualTo("p95 latency: no canary or baseline samples in the window");
    }

    @Test
    void aRequiredMetricWithoutCanaryDataWhileTheBaselineHasItFails() {
        MetricVerdict v = judge.classify(ERROR_RATIO, List.of(), new Synthetic(7).errorRatio(40, 500, 1));

        assertThat(v.label()).isEqualTo(MetricLabel.NODATA_FAIL);
        assertThat(v.sentence()).isEqualTo("Error ratio: no canary samples in the window while the baseline has 40;"
                + " the metric is required");
        assertThat(judge.verdict(REF, FROM, TO, List.of(v)).summary())
                .isEqualTo("Fail: error ratio No data (required) (critical)");
    }

    @Test
    void tooFewSamplesSayHowManyAreNeeded() {
        Synthetic s = new Synthetic(8);
        MetricVerdict v = judge.classify(P95, s.latency(12, 240, 0.1), s.latency(40, 240, 0.1));

        assertThat(v.label()).isEqualTo(MetricLabel.NODATA);
        assertThat(v.sentence()).isEqualTo("p95 latency: too few samples yet: canary 12, baseline 40; "
                + "20 per track needed");
    }

    @Test
    void samplesThatRepeatEachOtherCountAsFewerAndSaySo() {
        Synthetic s = new Synthetic(15);
        List<MetricPoint> history = s.slidingErrorRatio(1800, 30, 162, 1.0);

        MetricVerdict v = judge.classify(ERROR_RATIO, s.slidingErrorRatio(60, 30, 18, 1.0),
                history.subList(1740, 1800), judge.repeatOf(history));

        assertThat(v.label()).isEqualTo(MetricLabel.NODATA);
        assertThat(v.sentence()).matches("Error ratio: too few independent samples yet: consecutive samples repeat"
                + " over about \\d+(\\.\\d)?, so canary 60 and baseline 60 count as about [12] and [12]; 5 per track needed");
    }

    @Test
    void constantSeriesAreHandled() {
        List<MetricPoint> zeros = constant(60, 0);
        MetricVerdict same = judge.classify(ERROR_RATIO, zeros, constant(45, 0));
        MetricVerdict apart = judge.classify(P95, constant(60, 300), constant(60, 240));
        MetricVerdict canaryFlat = judge.classify(ERROR_RATIO, constant(60, 0), new Synthetic(9).errorRatio(60, 500, 1));

        assertThat(same.label()).isEqualTo(MetricLabel.PASS);
        assertThat(same.sentence()).isEqualTo("Error ratio: canary and baseline both 0% throughout");
        assertThat(apart.label()).isEqualTo(MetricLabel.HIGH);
        assertThat(apart.sentence()).isEqualTo(
                "p95 latency: canary 300 ms vs baseline 240 ms, +25%, higher at 98% confidence");
        assertThat(canaryFlat.label()).as("no errors at all in the canary is better, not worse")
                .isEqualTo(MetricLabel.PASS);
    }

    @Test
    void nanAndInfinitiesAreIgnoredAndCounted() {
        List<MetricPoint> canary = new ArrayList<>(new Synthetic(10).latency(60, 240, 0.1));
        canary.add(new MetricPoint(1, Double.NaN));
        canary.add(new MetricPoint(2, Double.POSITIVE_INFINITY));
        List<MetricPoint> baseline = new ArrayList<>(new Synthetic(11).latency(60, 240, 0.1));
        baseline.add(new MetricPoint(3, Double.NEGATIVE_INFINITY));

        MetricVerdict v = judge.classify(P95, canary, baseline);

        assertThat(v.label()).isEqualTo(MetricLabel.PASS);
        assertThat(v.ignored()).isEqualTo(3);
        assertThat(v.canaryCount()).isEqualTo(60);
        assertThat(v.sentence()).endsWith("; 3 NaN/Inf samples ignored");
        List<MetricPoint> onlyNaN = List.of(new MetricPoint(1, Double.NaN), new MetricPoint(2, Double.NaN));
        assertThat(judge.classify(P95, onlyNaN, baseline).sentence())
                .isEqualTo("p95 latency: no canary samples in the window; 3 NaN/Inf samples ignored");
    }

    @Test
    void aMetricThatCouldNotBeFetchedIsAnErrorLeftOutOfTheScore() {
        Synthetic s = new Synthetic(12);
        MetricVerdict failed = judge.error(P95, "Prometheus answered 503: service unavailable");
        CanaryVerdict v = judge.verdict(REF, FROM, TO, List.of(failed,
                judge.classify(ERROR_RATIO, s.errorRatio(60, 500, 1), s.errorRatio(60, 500, 1))));

        assertThat(failed.label()).isEqualTo(MetricLabel.ERROR);
        assertThat(failed.sentence()).isEqualTo("p95 latency: could not fetch samples: Prometheus answered 503: "
                + "service unavailable");
        assertThat(v.label()).isEqualTo(VerdictLabel.PASS);
        assertThat(v.summary()).isEqualTo("Pass: the one metric compared is within tolerance of the baseline;"
                + " 1 without data");
        CanaryVerdict allFailed = judge.verdict(REF, FROM, TO, List.of(failed, judge.error(ERROR_RATIO, "timeout")));
        assertThat(allFailed.label()).isEqualTo(VerdictLabel.ERROR);
        assertThat(allFailed.score()).isEmpty();
    }

    // ---- the score ----

    @Test
    void theScoreIsTheWeightedShareOfPassingMetricsWithPassAndMarginalBars() {
        List<MetricVerdict> oneHighOfFour = List.of(pass(ERROR_RATIO), pass(CONVERSION), pass(P99), high(P95));

        CanaryVerdict v = judge.verdict(REF, FROM, TO, oneHighOfFour);
        assertThat(v.score()).hasValue(75);
        assertThat(v.label()).isEqualTo(VerdictLabel.MARGINAL);
        assertThat(v.summary()).isEqualTo("Marginal (score 75): p95 latency High");
        assertThat(v.badgeText()).isEqualTo("Marginal · 75");

        CanaryJudge strict = new CanaryJudge(JudgeConfig.DEFAULTS.withScores(95, 80));
        assertThat(strict.verdict(REF, FROM, TO, oneHighOfFour).label()).isEqualTo(VerdictLabel.FAIL);

        CanaryJudge weighted = new CanaryJudge(JudgeConfig.DEFAULTS.withMetrics(Map.of(
                "p95-latency", new MetricPolicy.Override(0.25, null, null))));
        CanaryVerdict light = weighted.verdict(REF, FROM, TO, oneHighOfFour.stream()
                .map(m -> new MetricVerdict(m.metric(), m.label(), weighted.config().policyFor(m.metric()),
                        m.canaryCount(), m.baselineCount(), 0, 1, 1, m.test(), m.sentence())).toList());
        assertThat(light.score()).as("3 of 3.25").hasValue(92);

        CanaryVerdict allPass = judge.verdict(REF, FROM, TO, List.of(pass(ERROR_RATIO), pass(P95)));
        assertThat(allPass.score()).hasValue(100);
        assertThat(allPass.summary()).isEqualTo("Pass: all 2 metrics compared are within tolerance of the baseline");
    }

    @Test
    void aFailingCriticalMetricForcesAFailWithScoreZero() {
        List<MetricVerdict> metrics = new ArrayList<>();
        metrics.add(high(P95));
        metrics.add(high(ERROR_RATIO));
        for (int i = 0; i < 30; i++) {
            metrics.add(pass(new MetricDefinition("m" + i, "Metric " + i, "ms", Direction.INCREASE_IS_BAD, null,
                    false)));
        }

        CanaryVerdict v = judge.verdict(REF, FROM, TO, metrics);

        assertThat(v.label()).isEqualTo(VerdictLabel.FAIL);
        assertThat(v.score()).hasValue(0);
        assertThat(v.summary()).isEqualTo("Fail: error ratio High (critical), p95 latency High");
    }

    @Test
    void aCriticalMetricWithoutDataYetMeansNoVerdictYet() {
        Synthetic s = new Synthetic(13);
        CanaryVerdict v = judge.verdict(REF, FROM, TO, List.of(
                judge.classify(ERROR_RATIO, s.errorRatio(10, 500, 1), s.errorRatio(10, 500, 1)), pass(P95)));

        assertThat(v.label()).isEqualTo(VerdictLabel.NO_DATA);
        assertThat(v.score()).isEmpty();
        assertThat(v.summary()).isEqualTo("No data: Error ratio: too few samples yet: canary 10, baseline 10; "
                + "20 per track needed");
    }

    @Test
    void throughputIsReportedButNotScoredBecauseTheRouterSplitsIt() {
        Synthetic s = new Synthetic(14);
        MetricVerdict rate = judge.classify(THROUGHPUT, s.latency(60, 18, 0.05), s.latency(60, 162, 0.05));
        CanaryVerdict v = judge.verdict(REF, FROM, TO, List.of(rate, pass(ERROR_RATIO)));

        assertThat(rate.label()).isEqualTo(MetricLabel.LOW);
        assertThat(rate.sentence()).endsWith("(report only, not scored)");
        assertThat(rate.scored()).isFalse();
        assertThat(v.label()).isEqualTo(VerdictLabel.PASS);
        assertThat(v.score()).hasValue(100);
    }

    private static List<MetricPoint> constant(int n, double value) {
        List<MetricPoint> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new MetricPoint(i * 1000L, value));
        }
        return out;
    }

    /** Samples scaled so that their mean is exactly {@code mean}. */
    private static List<MetricPoint> fixed(List<MetricPoint> points, double mean) {
        double m = points.stream().mapToDouble(MetricPoint::value).average().orElseThrow();
        return points.stream().map(p -> new MetricPoint(p.epochMillis(), p.value() * mean / m)).toList();
    }

    private MetricVerdict pass(MetricDefinition d) {
        return new MetricVerdict(d, MetricLabel.PASS, judge.config().policyFor(d), 60, 60, 0, 1, 1,
                java.util.Optional.empty(), d.displayName() + ": passes");
    }

    private MetricVerdict high(MetricDefinition d) {
        return new MetricVerdict(d, MetricLabel.HIGH, judge.config().policyFor(d), 60, 60, 0, 2, 1,
                java.util.Optional.empty(), d.displayName() + ": high");
    }
}
