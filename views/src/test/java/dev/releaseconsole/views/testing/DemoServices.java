package dev.releaseconsole.views.testing;

import dev.releaseconsole.services.ConsoleServices;
import dev.releaseconsole.services.actions.PermissionChecker;
import dev.releaseconsole.services.actions.PolicyEngine;
import dev.releaseconsole.services.actions.ReleaseActions;
import dev.releaseconsole.services.analysis.CanaryJudge;
import dev.releaseconsole.services.analysis.CanaryJudgeService;
import dev.releaseconsole.services.analysis.CanaryVerdict;
import dev.releaseconsole.services.analysis.JudgeConfig;
import dev.releaseconsole.services.demo.DemoRunner;
import dev.releaseconsole.services.demo.DemoWorld;
import dev.releaseconsole.services.governance.SqliteAuditLog;
import dev.releaseconsole.services.model.ClusterRef;
import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.model.WorkloadKind;
import dev.releaseconsole.services.store.LiveState;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * ConsoleServices on the real demo world, wired like the app does, but with the runner stopped: tests move simulated
 * time with {@link #advance} (or {@link DemoWorld#advance}) so they are deterministic. The audit log and the action
 * facade also run on the simulated clock, so audit times are known ({@link #START} until the world advances). The
 * canary judge is there but not started: tests publish verdicts with {@link #judge(RolloutRef)}.
 */
public final class DemoServices implements AutoCloseable {
    public static final long SEED = 42;
    public static final Instant START = Instant.parse("2026-11-02T10:00:00Z");

    // The demo's rollouts the tests talk about (see the README's table of the demo world).
    /** The regressing canary: at a timed pause (step 1/7) at the start; aborted by its analysis ~5.5 minutes in. */
    public static final RolloutRef CHECKOUT_API = argo("prod-eu", "checkout", "checkout-api");
    /** A healthy canary stepping through its analysis. */
    public static final RolloutRef CART_SERVICE = argo("prod-eu", "checkout", "cart-service");
    /** Blue-green with its preview up, waiting for promotion. */
    public static final RolloutRef CHECKOUT_WEB = argo("prod-eu", "checkout", "checkout-web");
    /** Paused by a user in payments, where the demo user may look but not act. */
    public static final RolloutRef PAYMENTS_GATEWAY = argo("prod-eu", "payments", "payments-gateway");
    /** Healthy, no update in progress. */
    public static final RolloutRef LEDGER_SERVICE = argo("prod-eu", "payments", "ledger-service");
    /** Paused until promoted at step 1/5. */
    public static final RolloutRef SEARCH_INDEXER = argo("prod-eu", "search", "search-indexer");
    /** Its analysis ended Inconclusive. */
    public static final RolloutRef SEARCH_API = argo("prod-eu", "search", "search-api");
    /** Staging, healthy, no linked flag. */
    public static final RolloutRef CATALOG_API = argo("staging-us", "storefront", "catalog-api");
    /** Staging: paused until promoted, with a linked flag. */
    public static final RolloutRef STOREFRONT_WEB = argo("staging-us", "storefront", "storefront-web");

    public final LiveState state = new LiveState();
    public final DemoWorld world;
    public final DemoRunner runner;
    public final SqliteAuditLog audit;
    public final ReleaseActions actions;
    public final CanaryJudgeService judge;
    public final ConsoleServices services;
    private final ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "test-actions");
        t.setDaemon(true);
        return t;
    });

    /** The demo world of seed {@link #SEED} at {@link #START}, its audit log in {@code dir}. */
    public DemoServices(Path dir) {
        this(dir, SEED);
    }

    public DemoServices(Path dir, long seed) {
        this(dir, seed, UnaryOperator.identity());
    }

    /** As the others, with the demo's permission checker wrapped (e.g. to make answers arrive late). */
    public DemoServices(Path dir, long seed, UnaryOperator<PermissionChecker> permissions) {
        world = new DemoWorld(seed, START, state);
        audit = SqliteAuditLog.open(dir.resolve("audit-" + System.nanoTime() + ".db"), world.clock());
        Map<String, Clock> clocks = new LinkedHashMap<>();
        for (ClusterRef c : world.clusters()) {
            clocks.put(c.id(), world.clock());
        }
        actions = new ReleaseActions(state, world.backends(), Map.of(world.flags().id(), world.flags()),
                permissions.apply(world.permissions()), PolicyEngine.PERMISSIVE, audit, world.clock(), pool);
        runner = new DemoRunner(world);
        judge = new CanaryJudgeService(state, world.metrics(), cluster -> world.clock(),
                new CanaryJudge(JudgeConfig.DEFAULTS), CanaryJudgeService.Settings.DEFAULTS);
        services = new ConsoleServices(state, actions, audit, world.metrics(), clocks, Optional.of(runner),
                world.templates(), Optional.of(judge));
    }

    private static RolloutRef argo(String cluster, String namespace, String name) {
        return new RolloutRef(cluster, namespace, name, WorkloadKind.ARGO_ROLLOUT);
    }

    /** The rollout as the live state last received it. */
    public Rollout rollout(RolloutRef ref) {
        return state.rollouts().get(ref).orElseThrow(() -> new AssertionError("not in the demo world: " + ref));
    }

    /** Judges {@code ref} now and publishes its verdict, as the running judge would; empty when it is not judged. */
    public Optional<CanaryVerdict> judge(RolloutRef ref) {
        return judge.evaluate(ref);
    }

    /** Lets simulated time pass (one tick per second). */
    public void advance(Duration d) {
        world.advance(d);
    }

    /**
     * Advances simulated time in 5-second steps until {@code ref} satisfies {@code condition}; fails after
     * {@code max}.
     */
    public Rollout advanceUntil(RolloutRef ref, Predicate<Rollout> condition, Duration max) {
        for (long s = 0; s <= max.toSeconds(); s += 5) {
            if (condition.test(rollout(ref))) {
                return rollout(ref);
            }
            world.advance(Duration.ofSeconds(5));
        }
        throw new AssertionError("within " + max + " of simulated time " + ref + " never reached the expected state;"
                + " it is " + rollout(ref).statusLabel() + ": " + rollout(ref).attentionReason().orElse(""));
    }

    @Override
    public void close() {
        judge.close();
        runner.close();
        pool.shutdownNow();
        audit.close();
    }
}
