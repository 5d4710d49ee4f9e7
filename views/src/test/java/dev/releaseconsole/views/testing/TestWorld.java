package dev.releaseconsole.views.testing;

import dev.releaseconsole.services.testing.MutableClock;
import dev.releaseconsole.services.analysis.CanaryVerdict;
import dev.releaseconsole.services.analysis.MetricLabel;
import dev.releaseconsole.services.analysis.MetricPolicy;
import dev.releaseconsole.services.analysis.MetricVerdict;
import dev.releaseconsole.services.analysis.VerdictLabel;
import dev.releaseconsole.services.metrics.MetricsSource;
import dev.releaseconsole.services.model.AnalysisPhase;
import dev.releaseconsole.services.model.AnalysisRun;
import dev.releaseconsole.services.model.ClusterRef;
import dev.releaseconsole.services.model.Direction;
import dev.releaseconsole.services.model.Environment;
import dev.releaseconsole.services.model.Measurement;
import dev.releaseconsole.services.model.MetricDefinition;
import dev.releaseconsole.services.model.MetricPoint;
import dev.releaseconsole.services.model.MetricResult;
import dev.releaseconsole.services.model.MetricSeries;
import dev.releaseconsole.services.model.PauseCondition;
import dev.releaseconsole.services.model.Revision;
import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.model.RolloutEvent;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.model.Step;
import dev.releaseconsole.services.model.Strategy;
import dev.releaseconsole.services.model.Track;
import dev.releaseconsole.services.model.WorkloadKind;
import dev.releaseconsole.services.store.LiveState;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The one hand-built world of the view tests, for what the demo world ({@link DemoServices}) cannot produce:
 * rollouts in exact states (a failed analysis with known measurements, a step pause at a known second), a metrics
 * source whose every sample is known (a regressing canary with a NaN gap every 100 s) and which records each call,
 * and a clock that moves only when the test says so. Everything else uses the demo world.
 */
public final class TestWorld {
    public static final Instant T0 = Instant.parse("2026-11-02T10:00:00Z");
    public static final ClusterRef PROD = new ClusterRef("prod-eu", "prod-eu", Environment.PRODUCTION, true);
    public static final ClusterRef STAGING = new ClusterRef("staging", "staging", Environment.STAGING, true);
    public static final RolloutRef CHECKOUT = argo("prod-eu", "checkout", "checkout-api");
    public static final RolloutRef CART = argo("prod-eu", "checkout", "cart");
    public static final RolloutRef PAYMENTS = argo("prod-eu", "payments", "payments-api");
    public static final RolloutRef SEARCH = argo("staging", "search", "search-api");
    public static final RolloutRef STAGING_CHECKOUT = argo("staging", "checkout", "checkout-api");

    /** Starts half an hour after {@link #T0}; moves only with {@link MutableClock#advance}. */
    public final MutableClock clock = new MutableClock(T0.plusSeconds(1800));
    public final LiveState state = new LiveState();
    public final SyntheticMetrics metrics = new SyntheticMetrics();

    /** checkout-api (failed analysis), search-api (paused until promoted), payments-api (timed pause), and events. */
    public TestWorld() {
        state.rollouts().upsert(checkout());
        state.rollouts().upsert(searchPausedIndefinitely());
        state.rollouts().upsert(payments());
        state.recordEvent(new RolloutEvent(CHECKOUT, T0.plusSeconds(60), "TrafficWeightUpdated", "", 0, 0));
        state.recordEvent(new RolloutEvent(CHECKOUT, T0.plusSeconds(600), "TrafficWeightUpdated", "", 1, 25));
        state.recordEvent(new RolloutEvent(CHECKOUT, T0.plusSeconds(1500), "RolloutStepCompleted", "", 3, 50));
    }

    public static RolloutRef argo(String cluster, String namespace, String name) {
        return new RolloutRef(cluster, namespace, name, WorkloadKind.ARGO_ROLLOUT);
    }

    /** A canary with eight steps (10/25/50/75% each followed by a 2-minute pause), created 42 minutes before T0. */
    public static Rollout canary(RolloutRef ref, int step, int actual, int desired, String phase, String message) {
        List<Step> steps = new ArrayList<>();
        for (int w : new int[]{10, 25, 50, 75}) {
            steps.add(Step.setWeight(w));
            steps.add(Step.pause(Duration.ofMinutes(2)));
        }
        return Rollout.builder(ref, Strategy.CANARY).createdAt(T0.minus(Duration.ofMinutes(42)))
                .steps(steps).currentStepIndex(step).actualWeight(actual).desiredWeight(desired)
                .phase(phase, message).currentPodHash("abc").stableRS(actual == 100 ? "abc" : "old")
                .desiredReplicas(4).readyReplicas(4).updatedReplicas(2)
                .analysisRuns(List.of(new AnalysisRun(ref.name() + "-run-1", AnalysisPhase.Running, "", "Background",
                        null, 2, T0.minusSeconds(300), null, List.of())))
                .build();
    }

    /** setWeight 25%, pause 2m, setWeight 50%, analysis, pause until promoted, setWeight 100%. */
    public static List<Step> steps() {
        return List.of(Step.setWeight(25), Step.pause(Duration.ofMinutes(2)), Step.setWeight(50),
                Step.analysis("error-ratio"), Step.pauseIndefinitely(), Step.setWeight(100));
    }

    /** At its analysis step (index 3), whose run failed error-ratio in 3 of 4 measurements. */
    public static Rollout checkout() {
        MetricResult er = new MetricResult("error-ratio", AnalysisPhase.Failed, "", 4, 1, 3, 0, 0,
                "result < 0.01", List.of(
                new Measurement(AnalysisPhase.Successful, T0.plusSeconds(1500), T0.plusSeconds(1501), "0.004", ""),
                new Measurement(AnalysisPhase.Failed, T0.plusSeconds(1560), T0.plusSeconds(1561), "0.021", ""),
                new Measurement(AnalysisPhase.Failed, T0.plusSeconds(1620), T0.plusSeconds(1621), "0.029", ""),
                new Measurement(AnalysisPhase.Failed, T0.plusSeconds(1680), T0.plusSeconds(1681), "0.034", "")));
        AnalysisRun run = new AnalysisRun("checkout-api-7-3", AnalysisPhase.Failed, "metric error-ratio failed",
                "Step", 3, 7, T0.plusSeconds(1500), T0.plusSeconds(1690), List.of(er));
        return Rollout.builder(CHECKOUT, Strategy.CANARY).createdAt(T0).steps(steps()).currentStepIndex(3)
                .stepStartedAt(T0.plusSeconds(1500)).desiredWeight(50).actualWeight(25)
                .phase(Rollout.PROGRESSING, "more replicas need to be updated")
                .currentPodHash("abc7").stableRS("abc6").desiredReplicas(8).readyReplicas(7).updatedReplicas(4)
                .revisions(List.of(new Revision(7, "abc7", List.of("registry/checkout-api:1.8.0"), "canary", 4, 3),
                        new Revision(6, "abc6", List.of("registry/checkout-api:1.7.2"), "stable", 4, 4)))
                .analysisRuns(List.of(run)).build();
    }

    /** Paused by its step 4 (pause until promoted) since T0+20m. */
    public static Rollout searchPausedIndefinitely() {
        return pausedAtStep(SEARCH, 4, 50, T0.plusSeconds(1200)).stableRS("s1").currentPodHash("s2")
                .updatedReplicas(2).build();
    }

    /** Paused by its step 1 (pause 2m) since T0+1750s: at the world's start, 50 s in and 1m10s left. */
    public static Rollout payments() {
        return pausedAtStep(PAYMENTS, 1, 25, T0.plusSeconds(1750)).stableRS("p1").currentPodHash("p2")
                .updatedReplicas(1).build();
    }

    private static Rollout.Builder pausedAtStep(RolloutRef ref, int step, int weight, Instant since) {
        return Rollout.builder(ref, Strategy.CANARY).createdAt(T0).steps(steps()).currentStepIndex(step)
                .stepStartedAt(since).desiredWeight(weight).actualWeight(weight)
                .phase(Rollout.PAUSED, "CanaryPauseStep").controllerPause(true)
                .pauseConditions(List.of(new PauseCondition(PauseCondition.CANARY_PAUSE_STEP, since)))
                .desiredReplicas(4).readyReplicas(4);
    }

    /**
     * A failing canary verdict on {@code ref} as the judge words it, over T0 to T0+200 s: error ratio High
     * (critical), p95 latency High, request rate Low but report-only.
     */
    public static CanaryVerdict failingVerdict(RolloutRef ref) {
        MetricDefinition errors = new MetricDefinition("error-ratio", "Error ratio", "%", Direction.INCREASE_IS_BAD,
                1.0, true);
        MetricDefinition p95 = new MetricDefinition("p95-latency", "p95 latency", "ms", Direction.INCREASE_IS_BAD,
                400.0, false);
        MetricDefinition rate = new MetricDefinition("request-rate", "Request rate", "req/s",
                Direction.DECREASE_IS_BAD, null, false);
        return new CanaryVerdict(ref, VerdictLabel.FAIL, OptionalInt.of(0),
                "Fail: error ratio High (critical), p95 latency High", List.of(
                metricVerdict(errors, MetricLabel.HIGH, 2.41, 0.35,
                        "Error ratio: canary 2.41% vs baseline 0.35%, +2.06 pp, higher at 98% confidence"),
                metricVerdict(p95, MetricLabel.HIGH, 412, 281,
                        "p95 latency: canary 412 ms vs baseline 281 ms, +46.6%, higher at 98% confidence"),
                metricVerdict(rate, MetricLabel.LOW, 45, 135, "Request rate: canary 45 req/s vs baseline 135 req/s,"
                        + " -66.7%, lower at 98% confidence (report only, not scored)")),
                T0, T0.plusSeconds(200));
    }

    private static MetricVerdict metricVerdict(MetricDefinition d, MetricLabel label, double canaryMean,
                                               double baselineMean, String sentence) {
        return new MetricVerdict(d, label, MetricPolicy.defaultFor(d), 200, 200, 0, canaryMean, baselineMean,
                Optional.empty(), sentence);
    }

    /**
     * One sample per second from {@link #T0} on, canary and baseline: error ratio 3% vs 0.5%, p95 latency 320 vs
     * 300 ms, the rest equal; the canary has a NaN (a gap) at every second 50 of each 100. Records each range call.
     */
    public static final class SyntheticMetrics implements MetricsSource {
        public final List<String> calls = new CopyOnWriteArrayList<>();

        @Override
        public List<MetricDefinition> metrics(RolloutRef rollout) {
            return List.of(
                    new MetricDefinition("request-rate", "Request rate", "req/s", Direction.DECREASE_IS_BAD, null, false),
                    new MetricDefinition("error-ratio", "Error ratio", "ratio", Direction.INCREASE_IS_BAD, 0.01, true),
                    new MetricDefinition("p95-latency", "p95 latency", "ms", Direction.INCREASE_IS_BAD, 500.0, false),
                    new MetricDefinition("checkout-conversion", "Checkout conversion", "ratio",
                            Direction.DECREASE_IS_BAD, 0.02, false));
        }

        @Override
        public List<MetricSeries> range(RolloutRef rollout, String metricId, Instant from, Instant to) {
            calls.add(metricId + " " + from + " " + to);
            List<MetricPoint> c = new ArrayList<>();
            List<MetricPoint> b = new ArrayList<>();
            long start = Math.max(from.toEpochMilli(), T0.toEpochMilli());
            long first = (start + 999) / 1000 * 1000;
            for (long t = first; t <= to.toEpochMilli(); t += 1000) {
                long s = (t - T0.toEpochMilli()) / 1000;
                c.add(new MetricPoint(t, s % 100 == 50 ? Double.NaN : value(metricId, true, s)));
                b.add(new MetricPoint(t, value(metricId, false, s)));
            }
            return List.of(new MetricSeries(metricId, Track.CANARY, c), new MetricSeries(metricId, Track.BASELINE, b));
        }

        private static double value(String id, boolean canary, long s) {
            double wobble = Math.sin(s / 30.0) * 0.1;
            return switch (id) {
                case "error-ratio" -> (canary ? 0.03 : 0.005) * (1 + wobble);
                case "p95-latency" -> (canary ? 320 : 300) * (1 + wobble);
                case "checkout-conversion" -> 0.031 * (1 + wobble);
                default -> 120 * (1 + wobble);
            };
        }
    }
}
