package dev.releaseconsole.services.analysis;

import dev.releaseconsole.services.testing.MutableClock;
import dev.releaseconsole.services.metrics.MetricsSource;
import dev.releaseconsole.services.model.MetricDefinition;
import dev.releaseconsole.services.model.MetricPoint;
import dev.releaseconsole.services.model.MetricSeries;
import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.model.Strategy;
import dev.releaseconsole.services.model.Track;
import dev.releaseconsole.services.model.WorkloadKind;
import dev.releaseconsole.services.store.LiveState;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Benchmark (not a test): how soon the live verdict catches a regression and how often it cries wolf, against the
 * fixed-threshold rule Argo Rollouts and Flagger are usually configured with (error ratio above 5% or p95 above
 * 500 ms, checked once per interval on the canary alone), on the same seeded traces.
 *
 * <p>A trace is a canary at 10% of 200 req/s beside its baseline for 20 one-minute intervals, after 30 minutes of
 * baseline history. Prometheus is modelled as queried every 10 s: the error ratio as {@code rate(errors[30s]) /
 * rate(requests[30s])} (so consecutive samples share two thirds of their window), the p95 per 10 s. The rollout
 * moves to a new 5-minute step at minutes 0, 5, 10 and 15; a regression starts at minute 7, inside a step. Each
 * interval the verdict is computed by the real {@link CanaryJudgeService} (same window, history and judge as in
 * the app) and the fixed rule checks the last minute of the canary (total errors over total requests; the mean of
 * the six p95 samples). Scenarios: healthy (baseline 1% errors, p95 300 ms); errors +2 percentage points; p95
 * +30%; a noisy, high-variance service (1.5% errors in bursts, p95 380 ms with four times the spread), healthy; and
 * the noisy service with p95 +30%.
 *
 * <p>Reports per scenario: detection delay in intervals after the onset until the first Fail (median, 90th
 * percentile, traces never caught within the 13 intervals after onset), and the false-positive rate (evaluations
 * that fail while the canary is healthy, and traces with at least one). Run:
 * {@code mvn -pl services -Pbench test-compile exec:exec -Dbench.main=dev.releaseconsole.services.analysis.VerdictBench}
 * (-Dbench.jvmArgs="-Xmx512m -Dbench.traces=200" for more or fewer traces per scenario).
 */
public final class VerdictBench {
    private static final RolloutRef REF = new RolloutRef("bench", "shop", "checkout", WorkloadKind.ARGO_ROLLOUT);
    private static final Instant CANARY_START = Instant.parse("2027-03-01T12:00:00Z");
    private static final int STEP_SECONDS = 10;
    private static final int HISTORY_STEPS = 180; // 30 minutes before the canary
    private static final int INTERVALS = 20;
    private static final int STEPS_PER_INTERVAL = 6;
    private static final int ONSET_INTERVAL = 7;
    private static final int ROLLOUT_STEP_MINUTES = 5;
    private static final double TOTAL_RPS = 200;
    private static final double CANARY_SHARE = 0.10;
    private static final double FIXED_MAX_ERROR_PERCENT = 5;
    private static final double FIXED_MAX_P95_MS = 500;

    /** One way a service behaves; the canary's error ratio and p95 multiply by the factors from the onset on. */
    record Scenario(String name, double errorPercent, double errorBurst, double p95, double p95Sigma,
                    double canaryErrorPoints, double canaryP95Factor) {
        boolean regresses() {
            return canaryErrorPoints != 0 || canaryP95Factor != 1;
        }
    }

    private static final List<Scenario> SCENARIOS = List.of(
            new Scenario("healthy", 1.0, 0, 300, 0.08, 0, 1),
            new Scenario("error ratio +2 pp", 1.0, 0, 300, 0.08, 2, 1),
            new Scenario("p95 +30%", 1.0, 0, 300, 0.08, 0, 1.3),
            new Scenario("noisy baseline, healthy", 1.5, 0.9, 380, 0.32, 0, 1),
            new Scenario("noisy baseline, p95 +30%", 1.5, 0.9, 380, 0.32, 0, 1.3));

    private VerdictBench() {
    }

    public static void main(String[] args) {
        int traces = Integer.getInteger("bench.traces", 200);
        System.out.println();
        System.out.printf(Locale.ROOT, "VerdictBench: %d seeded traces per scenario, %d one-minute intervals, "
                + "onset at interval %d; verdict = CanaryJudgeService defaults; fixed rule = error ratio > %.0f%% "
                + "or p95 > %.0f ms per interval%n", traces, INTERVALS, ONSET_INTERVAL, FIXED_MAX_ERROR_PERCENT,
                FIXED_MAX_P95_MS);
        System.out.printf(Locale.ROOT, "  %-26s %-7s %-22s %-26s %s%n", "scenario", "rule", "delay (intervals)",
                "false positives", "cost per verdict");
        for (Scenario s : SCENARIOS) {
            Result verdict = new Result();
            Result fixed = new Result();
            long nanos = 0;
            int evaluations = 0;
            for (int seed = 0; seed < traces; seed++) {
                Trace trace = new Trace(s, seed);
                nanos += run(trace, verdict, fixed);
                evaluations += INTERVALS;
            }
            print(s, "verdict", verdict, String.format(Locale.ROOT, "%.2f ms", nanos / 1e6 / evaluations));
            print(s, "fixed", fixed, "");
        }
    }

    private static void print(Scenario s, String rule, Result r, String cost) {
        String delay = s.regresses() ? r.delayText() : "-";
        System.out.printf(Locale.ROOT, "  %-26s %-7s %-22s %-26s %s%n", s.name(), rule, delay, r.falsePositiveText(),
                cost);
    }

    /** Plays one trace interval by interval; returns the nanoseconds spent in the verdict. */
    private static long run(Trace trace, Result verdict, Result fixed) {
        LiveState state = new LiveState();
        MutableClock clock = new MutableClock(CANARY_START);
        CanaryJudgeService service = new CanaryJudgeService(state, trace, c -> clock,
                new CanaryJudge(JudgeConfig.DEFAULTS), CanaryJudgeService.Settings.DEFAULTS);
        Integer verdictCaught = null;
        Integer fixedCaught = null;
        boolean verdictFalse = false;
        boolean fixedFalse = false;
        long nanos = 0;
        for (int i = 1; i <= INTERVALS; i++) {
            Instant now = CANARY_START.plusSeconds((long) i * STEPS_PER_INTERVAL * STEP_SECONDS);
            clock.set(now);
            int minutes = i - 1;
            Instant stepStart = CANARY_START.plus(Duration.ofMinutes(minutes / ROLLOUT_STEP_MINUTES
                    * ROLLOUT_STEP_MINUTES));
            state.rollouts().upsert(Rollout.builder(REF, Strategy.CANARY).currentPodHash("new").stableRS("old")
                    .actualWeight(10).desiredWeight(10).phase(Rollout.PAUSED).stepStartedAt(stepStart).build());
            long t0 = System.nanoTime();
            CanaryVerdict v = service.evaluate(REF).orElseThrow();
            nanos += System.nanoTime() - t0;
            boolean regressed = trace.scenario.regresses() && i > ONSET_INTERVAL;
            boolean verdictFails = v.label() == VerdictLabel.FAIL;
            boolean fixedFails = trace.fixedRuleFails(i);
            verdict.evaluation(regressed, verdictFails);
            fixed.evaluation(regressed, fixedFails);
            if (regressed && verdictFails && verdictCaught == null) {
                verdictCaught = i - ONSET_INTERVAL;
            }
            if (regressed && fixedFails && fixedCaught == null) {
                fixedCaught = i - ONSET_INTERVAL;
            }
            verdictFalse |= !regressed && verdictFails;
            fixedFalse |= !regressed && fixedFails;
        }
        verdict.trace(trace.scenario.regresses(), verdictCaught, verdictFalse);
        fixed.trace(trace.scenario.regresses(), fixedCaught, fixedFalse);
        return nanos;
    }

    /** Tallies of one rule over the traces of one scenario. */
    private static final class Result {
        private final List<Integer> delays = new ArrayList<>();
        private int missed;
        private int healthyEvaluations;
        private int falseEvaluations;
        private int traces;
        private int tracesWithFalse;

        void evaluation(boolean regressed, boolean fails) {
            if (!regressed) {
                healthyEvaluations++;
                if (fails) {
                    falseEvaluations++;
                }
            }
        }

        void trace(boolean regresses, Integer caught, boolean anyFalse) {
            traces++;
            if (anyFalse) {
                tracesWithFalse++;
            }
            if (regresses) {
                if (caught == null) {
                    missed++;
                } else {
                    delays.add(caught);
                }
            }
        }

        String delayText() {
            if (delays.isEmpty()) {
                return "never (" + missed + "/" + (missed + delays.size()) + ")";
            }
            int[] d = delays.stream().mapToInt(Integer::intValue).sorted().toArray();
            String text = "median " + d[d.length / 2] + ", p90 " + d[(int) Math.min(d.length - 1,
                    Math.ceil(0.9 * d.length) - 1)];
            return missed == 0 ? text : text + ", missed " + missed;
        }

        String falsePositiveText() {
            return String.format(Locale.ROOT, "%.2f%% of evals, %d/%d traces",
                    100.0 * falseEvaluations / Math.max(1, healthyEvaluations), tracesWithFalse, traces);
        }
    }

    /** The samples of one seeded trace, served as Prometheus would for a canary and its baseline. */
    private static final class Trace implements MetricsSource {
        private static final MetricDefinition ERRORS = Synthetic.ERROR_RATIO;
        private static final MetricDefinition P95 = Synthetic.P95;
        final Scenario scenario;
        private final int steps = HISTORY_STEPS + INTERVALS * STEPS_PER_INTERVAL;
        private final long[][] requests = new long[2][steps];
        private final long[][] errors = new long[2][steps];
        private final double[][] p95 = new double[2][steps];

        Trace(Scenario scenario, long seed) {
            this.scenario = scenario;
            SplittableRandom random = new SplittableRandom(seed * 31 + scenario.name().hashCode());
            Synthetic counts = new Synthetic(random.nextLong());
            for (int t = 0; t < steps; t++) {
                boolean canaryLive = t >= HISTORY_STEPS;
                boolean regressed = t >= HISTORY_STEPS + ONSET_INTERVAL * STEPS_PER_INTERVAL;
                for (int track = 0; track < 2; track++) {
                    boolean canary = track == 0;
                    if (canary && !canaryLive) {
                        continue;
                    }
                    double share = canary ? CANARY_SHARE : canaryLive ? 1 - CANARY_SHARE : 1;
                    double percent = scenario.errorPercent();
                    if (scenario.errorBurst() > 0) {
                        double b = scenario.errorBurst();
                        percent *= Math.exp(b * random.nextGaussian() - b * b / 2);
                    }
                    double level = scenario.p95();
                    if (canary && regressed) {
                        percent += scenario.canaryErrorPoints();
                        level *= scenario.canaryP95Factor();
                    }
                    long req = counts.poisson(TOTAL_RPS * share * STEP_SECONDS);
                    requests[track][t] = req;
                    errors[track][t] = counts.poisson(req * Math.min(100, percent) / 100);
                    p95[track][t] = level * Math.exp(scenario.p95Sigma() * random.nextGaussian());
                }
            }
        }

        /** The fixed rule on the canary's interval {@code i} (1-based): errors over requests, mean p95. */
        boolean fixedRuleFails(int i) {
            int end = HISTORY_STEPS + i * STEPS_PER_INTERVAL;
            long req = 0;
            long err = 0;
            double latency = 0;
            for (int t = end - STEPS_PER_INTERVAL; t < end; t++) {
                req += requests[0][t];
                err += errors[0][t];
                latency += p95[0][t];
            }
            double errorPercent = req == 0 ? 0 : 100.0 * err / req;
            return errorPercent > FIXED_MAX_ERROR_PERCENT || latency / STEPS_PER_INTERVAL > FIXED_MAX_P95_MS;
        }

        @Override
        public List<MetricDefinition> metrics(RolloutRef rollout) {
            return List.of(ERRORS, P95);
        }

        @Override
        public List<MetricSeries> range(RolloutRef rollout, String metricId, Instant from, Instant to) {
            List<MetricSeries> out = new ArrayList<>(2);
            for (Track track : new Track[]{Track.CANARY, Track.BASELINE}) {
                int k = track == Track.CANARY ? 0 : 1;
                List<MetricPoint> points = new ArrayList<>();
                for (int t = 0; t < steps; t++) {
                    Instant at = time(t);
                    if (at.isBefore(from) || at.isAfter(to) || (k == 0 && t < HISTORY_STEPS)) {
                        continue;
                    }
                    points.add(new MetricPoint(at.toEpochMilli(), metricId.equals(ERRORS.id()) ? ratio(k, t)
                            : p95[k][t]));
                }
                out.add(new MetricSeries(metricId, track, points));
            }
            return out;
        }

        /** rate(errors[30s]) / rate(requests[30s]) at step {@code t}, in percent; NaN without requests. */
        private double ratio(int track, int t) {
            long req = 0;
            long err = 0;
            for (int s = Math.max(track == 0 ? HISTORY_STEPS : 0, t - 2); s <= t; s++) {
                req += requests[track][s];
                err += errors[track][s];
            }
            return req == 0 ? Double.NaN : 100.0 * err / req;
        }

        /** The end of step {@code t}: the canary starts at step HISTORY_STEPS. */
        private static Instant time(int t) {
            return CANARY_START.plusSeconds((long) (t - HISTORY_STEPS + 1) * STEP_SECONDS);
        }
    }
}
