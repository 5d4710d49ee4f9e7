package dev.releaseconsole.views.detail;

import dev.releaseconsole.services.ConsoleServices;
import dev.releaseconsole.services.actions.ActionException;
import dev.releaseconsole.services.actions.ActionType;
import dev.releaseconsole.services.actions.PermissionChecker;
import dev.releaseconsole.services.actions.PolicyEngine;
import dev.releaseconsole.services.actions.ReleaseActions;
import dev.releaseconsole.services.actions.RolloutBackend;
import dev.releaseconsole.services.actions.Verdict;
import dev.releaseconsole.services.governance.AuditLog;
import dev.releaseconsole.services.governance.SqliteAuditLog;
import dev.releaseconsole.services.metrics.MetricsSource;
import dev.releaseconsole.services.model.ActionTarget;
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

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small hand-built world for tests until (and beside) the demo world: a LiveState filled with Rollout.builder,
 * a backend that applies actions the way the controller would, metrics with a regressing canary, and a settable
 * clock.
 */
final class DetailFixture {
    static final Instant T0 = Instant.parse("2026-11-02T10:00:00Z");
    static final RolloutRef CHECKOUT = new RolloutRef("prod-eu", "checkout", "checkout-api", WorkloadKind.ARGO_ROLLOUT);
    static final RolloutRef SEARCH = new RolloutRef("staging", "search", "search-api", WorkloadKind.ARGO_ROLLOUT);
    static final RolloutRef PAYMENTS = new RolloutRef("prod-eu", "payments", "payments-api", WorkloadKind.ARGO_ROLLOUT);

    final MutableClock clock = new MutableClock(T0.plusSeconds(1800));
    final LiveState state = new LiveState();
    final List<String> metricCalls = new CopyOnWriteArrayList<>();
    final ConsoleServices services;

    DetailFixture() {
        state.rollouts().upsert(checkout());
        state.rollouts().upsert(searchPausedIndefinitely());
        state.rollouts().upsert(payments());
        state.recordEvent(new RolloutEvent(CHECKOUT, T0.plusSeconds(60), "TrafficWeightUpdated", "", 0, 0));
        state.recordEvent(new RolloutEvent(CHECKOUT, T0.plusSeconds(600), "TrafficWeightUpdated", "", 1, 25));
        state.recordEvent(new RolloutEvent(CHECKOUT, T0.plusSeconds(1500), "RolloutStepCompleted", "", 3, 50));
        Map<String, RolloutBackend> backends = Map.of(
                "prod-eu", new Backend(new ClusterRef("prod-eu", "prod-eu", Environment.PRODUCTION, true)),
                "staging", new Backend(new ClusterRef("staging", "staging", Environment.STAGING, true)));
        PermissionChecker perms = new PermissionChecker() {
            @Override
            public Verdict mayPerform(ActionType action, ActionTarget target) {
                if (target instanceof RolloutRef r && r.namespace().equals("payments")) {
                    return Verdict.refused("you may not patch rollouts/status in namespace payments on cluster "
                            + r.cluster());
                }
                return Verdict.allowed();
            }

            @Override
            public String whoAmI(ActionTarget target) {
                return "tester";
            }
        };
        AuditLog audit = openAudit();
        ReleaseActions actions = new ReleaseActions(state, backends, Map.of(), perms, PolicyEngine.PERMISSIVE,
                audit, Clock.systemUTC(), Executors.newCachedThreadPool());
        services = new ConsoleServices(state, actions, audit, new Metrics(),
                Map.of("prod-eu", clock, "staging", clock), Optional.empty());
    }

    private static AuditLog openAudit() {
        try {
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("detail-audit");
            dir.toFile().deleteOnExit();
            return SqliteAuditLog.open(dir.resolve("audit.db"), Clock.systemUTC());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static List<Step> steps() {
        return List.of(Step.setWeight(25), Step.pause(Duration.ofMinutes(2)), Step.setWeight(50),
                Step.analysis("error-ratio"), Step.pauseIndefinitely(), Step.setWeight(100));
    }

    static Rollout checkout() {
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

    static Rollout searchPausedIndefinitely() {
        return Rollout.builder(SEARCH, Strategy.CANARY).createdAt(T0).steps(steps()).currentStepIndex(4)
                .stepStartedAt(T0.plusSeconds(1200)).desiredWeight(50).actualWeight(50)
                .phase(Rollout.PAUSED, "CanaryPauseStep").controllerPause(true)
                .pauseConditions(List.of(new PauseCondition(PauseCondition.CANARY_PAUSE_STEP, T0.plusSeconds(1200))))
                .currentPodHash("s2").stableRS("s1").desiredReplicas(4).readyReplicas(4).updatedReplicas(2).build();
    }

    static Rollout payments() {
        return Rollout.builder(PAYMENTS, Strategy.CANARY).createdAt(T0).steps(steps()).currentStepIndex(1)
                .stepStartedAt(T0.plusSeconds(1750)).desiredWeight(25).actualWeight(25)
                .phase(Rollout.PAUSED, "CanaryPauseStep").controllerPause(true)
                .pauseConditions(List.of(new PauseCondition(PauseCondition.CANARY_PAUSE_STEP, T0.plusSeconds(1750))))
                .currentPodHash("p2").stableRS("p1").desiredReplicas(4).readyReplicas(4).updatedReplicas(1).build();
    }

    /** The controller's reaction to each action, applied to the store's state. */
    final class Backend implements RolloutBackend {
        private final ClusterRef cluster;

        Backend(ClusterRef cluster) {
            this.cluster = cluster;
        }

        @Override
        public ClusterRef cluster() {
            return cluster;
        }

        @Override
        public Clock clock() {
            return clock;
        }

        @Override
        public Optional<Rollout> read(RolloutRef ref) {
            return state.rollouts().get(ref);
        }

        @Override
        public String perform(ActionType action, Rollout r) throws ActionException {
            Rollout.Builder b = r.toBuilder();
            switch (action) {
                case PROMOTE -> b.pauseConditions(List.of()).controllerPause(false).specPaused(false)
                        .currentStepIndex(r.currentStepIndex() + 1).stepStartedAt(clock.instant())
                        .phase(Rollout.PROGRESSING, "");
                case ABORT -> b.abort(true).abortedAt(clock.instant()).currentStepIndex(0).actualWeight(0)
                        .phase(Rollout.DEGRADED, "RolloutAborted: Rollout aborted update to revision 2");
                case RETRY -> b.abort(false).phase(Rollout.PROGRESSING, "");
                case PAUSE -> b.specPaused(true);
                case RESUME -> b.specPaused(false);
                default -> {
                }
            }
            state.rollouts().upsert(b.build());
            return "PATCH " + action;
        }
    }

    /** Canary error ratio 3% vs baseline 0.5%, with a NaN every 100 s; other metrics flat. */
    final class Metrics implements MetricsSource {
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
            metricCalls.add(metricId + " " + from + " " + to);
            List<MetricPoint> c = new ArrayList<>();
            List<MetricPoint> b = new ArrayList<>();
            long start = Math.max(from.toEpochMilli(), T0.toEpochMilli());
            long first = (start + 999) / 1000 * 1000;
            for (long t = first; t <= to.toEpochMilli(); t += 1000) {
                long s = (t - T0.toEpochMilli()) / 1000;
                double base = value(metricId, false, s);
                double can = value(metricId, true, s);
                c.add(new MetricPoint(t, s % 100 == 50 ? Double.NaN : can));
                b.add(new MetricPoint(t, base));
            }
            return List.of(new MetricSeries(metricId, Track.CANARY, c), new MetricSeries(metricId, Track.BASELINE, b));
        }

        private double value(String id, boolean canary, long s) {
            double wobble = Math.sin(s / 30.0) * 0.1;
            return switch (id) {
                case "error-ratio" -> (canary ? 0.03 : 0.005) * (1 + wobble);
                case "p95-latency" -> (canary ? 320 : 300) * (1 + wobble);
                case "checkout-conversion" -> 0.031 * (1 + wobble);
                default -> 120 * (1 + wobble);
            };
        }
    }

    static final class MutableClock extends Clock {
        private final AtomicLong millis;

        MutableClock(Instant start) {
            millis = new AtomicLong(start.toEpochMilli());
        }

        void advance(Duration d) {
            millis.addAndGet(d.toMillis());
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }
    }
}
