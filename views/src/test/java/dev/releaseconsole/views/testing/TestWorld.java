package dev.releaseconsole.views.testing;

import dev.releaseconsole.services.ConsoleServices;
import dev.releaseconsole.services.actions.ActionType;
import dev.releaseconsole.services.actions.FlagProvider;
import dev.releaseconsole.services.actions.PermissionChecker;
import dev.releaseconsole.services.actions.PolicyEngine;
import dev.releaseconsole.services.actions.ReleaseActions;
import dev.releaseconsole.services.actions.RolloutBackend;
import dev.releaseconsole.services.actions.Verdict;
import dev.releaseconsole.services.governance.SqliteAuditLog;
import dev.releaseconsole.services.model.AnalysisPhase;
import dev.releaseconsole.services.model.AnalysisRun;
import dev.releaseconsole.services.model.ClusterRef;
import dev.releaseconsole.services.model.ClusterStatus;
import dev.releaseconsole.services.model.ConnectionState;
import dev.releaseconsole.services.model.Environment;
import dev.releaseconsole.services.model.Flag;
import dev.releaseconsole.services.model.FlagEnvironmentState;
import dev.releaseconsole.services.model.FlagRef;
import dev.releaseconsole.services.model.FlagType;
import dev.releaseconsole.services.model.PauseCondition;
import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.model.Step;
import dev.releaseconsole.services.model.Strategy;
import dev.releaseconsole.services.model.WorkloadKind;
import dev.releaseconsole.services.store.LiveState;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A small hand-made world for view tests until (and besides) the demo world: two clusters, a handful of rollouts,
 * two flags, fake backends that act on the LiveState, and a real SQLite audit log in a temp directory.
 */
public final class TestWorld implements AutoCloseable {
    public static final Instant NOW = Instant.parse("2026-11-02T10:00:00Z");
    public static final ClusterRef PROD = new ClusterRef("prod-eu", "prod-eu", Environment.PRODUCTION, true);
    public static final ClusterRef STAGING = new ClusterRef("staging", "staging", Environment.STAGING, true);
    public static final RolloutRef CHECKOUT = new RolloutRef("prod-eu", "checkout", "checkout-api",
            WorkloadKind.ARGO_ROLLOUT);
    public static final RolloutRef CART = new RolloutRef("prod-eu", "checkout", "cart", WorkloadKind.ARGO_ROLLOUT);
    public static final RolloutRef PAYMENTS = new RolloutRef("prod-eu", "payments", "payments-api",
            WorkloadKind.ARGO_ROLLOUT);
    public static final RolloutRef SEARCH = new RolloutRef("staging", "search", "search-api",
            WorkloadKind.ARGO_ROLLOUT);
    public static final RolloutRef STAGING_CHECKOUT = new RolloutRef("staging", "checkout", "checkout-api",
            WorkloadKind.ARGO_ROLLOUT);
    public static final FlagRef NEW_FLOW = new FlagRef("demo", "checkout-new-flow");
    public static final FlagRef PAYMENTS_KILL = new FlagRef("demo", "payments-kill");
    public static final FlagRef SEARCH_FLAG = new FlagRef("demo", "search-v2");

    public final LiveState state = new LiveState();
    public final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    public final SqliteAuditLog audit;
    public final ReleaseActions actions;
    public final ConsoleServices services;
    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private final Map<FlagRef, Flag> flags = new ConcurrentHashMap<>();
    public volatile int speed = 1;

    public TestWorld(Path dir) {
        audit = SqliteAuditLog.open(dir.resolve("audit.db"), clock);
        state.clusters().upsert(new ClusterStatus(PROD, ConnectionState.CONNECTED, ""));
        state.clusters().upsert(new ClusterStatus(STAGING, ConnectionState.CONNECTED, ""));
        state.rollouts().upsertAll(List.of(
                canary(CHECKOUT, 2, 25, 50, Rollout.PROGRESSING, "more replicas need to be updated"),
                canary(CART, 8, 100, 100, Rollout.HEALTHY, ""),
                canary(PAYMENTS, 8, 100, 100, Rollout.HEALTHY, ""),
                canary(STAGING_CHECKOUT, 8, 100, 100, Rollout.HEALTHY, ""),
                canary(SEARCH, 3, 40, 40, Rollout.PAUSED, "CanaryPauseStep").toBuilder()
                        .steps(List.of(Step.setWeight(20), Step.pause(Duration.ofMinutes(5)), Step.setWeight(40),
                                Step.pauseIndefinitely(), Step.setWeight(100)))
                        .pauseConditions(List.of(new PauseCondition(PauseCondition.CANARY_PAUSE_STEP,
                                NOW.minusSeconds(60))))
                        .controllerPause(true).build()));
        putFlag(new Flag(NEW_FLOW, FlagType.RELEASE, "new checkout flow", "team-checkout", List.of(
                new FlagEnvironmentState("staging", Environment.STAGING, true, null, ""),
                new FlagEnvironmentState("production", Environment.PRODUCTION, true, 25, "")), List.of(CHECKOUT)));
        putFlag(new Flag(PAYMENTS_KILL, FlagType.KILL_SWITCH, "turns off the new payments path", "team-pay",
                List.of(new FlagEnvironmentState("production", Environment.PRODUCTION, true, null, "")), List.of()));
        putFlag(new Flag(SEARCH_FLAG, FlagType.RELEASE, "search v2", "team-search",
                List.of(new FlagEnvironmentState("staging", Environment.STAGING, true, null, "")), List.of(SEARCH)));

        RolloutBackend prod = backend(PROD);
        RolloutBackend staging = backend(STAGING);
        PermissionChecker everyone = new PermissionChecker() {
            @Override
            public Verdict mayPerform(ActionType action, dev.releaseconsole.services.model.ActionTarget target) {
                return Verdict.allowed();
            }

            @Override
            public String whoAmI(dev.releaseconsole.services.model.ActionTarget target) {
                return "alice@example.com";
            }
        };
        actions = new ReleaseActions(state, Map.of(PROD.id(), prod, STAGING.id(), staging),
                Map.of("demo", flagProvider()), everyone, PolicyEngine.PERMISSIVE, audit, clock, pool);
        ConsoleServices.SimulationControl sim = new ConsoleServices.SimulationControl() {
            @Override
            public int speed() {
                return speed;
            }

            @Override
            public void setSpeed(int s) {
                speed = Math.max(1, Math.min(20, s));
            }

            @Override
            public long seed() {
                return 42;
            }
        };
        dev.releaseconsole.services.metrics.MetricsSource noMetrics = new dev.releaseconsole.services.metrics.MetricsSource() {
            @Override
            public List<dev.releaseconsole.services.model.MetricDefinition> metrics(RolloutRef rollout) {
                return List.of();
            }

            @Override
            public List<dev.releaseconsole.services.model.MetricSeries> range(RolloutRef rollout, String metricId,
                                                                             Instant from, Instant to) {
                return List.of();
            }
        };
        services = new ConsoleServices(state, actions, audit, noMetrics, Map.of(PROD.id(), clock, STAGING.id(), clock),
                Optional.of(sim));
    }

    public static Rollout canary(RolloutRef ref, int step, int actual, int desired, String phase, String message) {
        List<Step> steps = new ArrayList<>();
        for (int w : new int[]{10, 25, 50, 75}) {
            steps.add(Step.setWeight(w));
            steps.add(Step.pause(Duration.ofMinutes(2)));
        }
        return Rollout.builder(ref, Strategy.CANARY).createdAt(NOW.minus(Duration.ofMinutes(42)))
                .steps(steps).currentStepIndex(step).actualWeight(actual).desiredWeight(desired)
                .phase(phase, message).currentPodHash("abc").stableRS(actual == 100 ? "abc" : "old")
                .desiredReplicas(4).readyReplicas(4).updatedReplicas(2)
                .analysisRuns(List.of(new AnalysisRun(ref.name() + "-run-1", AnalysisPhase.Running, "", "Background",
                        null, 2, NOW.minusSeconds(300), null, List.of())))
                .build();
    }

    /** Makes checkout-api degrade with a failed analysis, as the demo world's scripted incident does. */
    public void degradeCheckout() {
        Rollout r = state.rollouts().get(CHECKOUT).orElseThrow();
        state.rollouts().upsert(r.toBuilder().phase(Rollout.DEGRADED, "analysis error-rate failed")
                .analysisRuns(List.of(new AnalysisRun("checkout-api-run-1", AnalysisPhase.Failed,
                        "error-rate 4.2% > 1%", "Background", null, 2, NOW.minusSeconds(300), NOW, List.of())))
                .build());
    }

    private void putFlag(Flag f) {
        flags.put(f.ref(), f);
        state.flags().upsert(f);
    }

    private RolloutBackend backend(ClusterRef cluster) {
        return new RolloutBackend() {
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
            public String perform(ActionType action, Rollout current) {
                Rollout.Builder b = current.toBuilder();
                switch (action) {
                    case ABORT -> b.abort(true).abortedAt(NOW).phase(Rollout.DEGRADED, "RolloutAborted")
                            .actualWeight(0).desiredWeight(0);
                    case PAUSE -> b.specPaused(true).phase(Rollout.PAUSED, "");
                    case RESUME -> b.specPaused(false).pauseConditions(List.of()).controllerPause(false)
                            .phase(Rollout.PROGRESSING, "");
                    case PROMOTE, PROMOTE_FULL -> b.pauseConditions(List.of()).controllerPause(false)
                            .currentStepIndex(current.steps().size()).actualWeight(100).desiredWeight(100)
                            .stableRS(current.currentPodHash()).phase(Rollout.HEALTHY, "");
                    case RETRY -> b.abort(false).phase(Rollout.PROGRESSING, "");
                    default -> { }
                }
                state.rollouts().upsert(b.build());
                return "PATCH " + action;
            }
        };
    }

    private FlagProvider flagProvider() {
        return new FlagProvider() {
            @Override
            public String id() {
                return "demo";
            }

            @Override
            public List<Flag> list() {
                return List.copyOf(flags.values());
            }

            @Override
            public Optional<Flag> read(FlagRef ref) {
                return Optional.ofNullable(flags.get(ref));
            }

            @Override
            public String setEnabled(FlagRef ref, String environment, boolean enabled) {
                flags.computeIfPresent(ref, (k, f) -> new Flag(f.ref(), f.type(), f.description(), f.owner(),
                        f.environments().stream().map(e -> e.environment().equals(environment)
                                ? new FlagEnvironmentState(e.environment(), e.tier(), enabled, e.rolloutPercent(),
                                e.targeting()) : e).toList(), f.linkedRollouts()));
                return "set " + ref.key() + " " + environment + " " + enabled;
            }
        };
    }

    @Override
    public void close() {
        pool.shutdownNow();
        audit.close();
    }
}
