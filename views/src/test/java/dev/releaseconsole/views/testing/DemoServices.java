package dev.releaseconsole.views.testing;

import dev.releaseconsole.services.ConsoleServices;
import dev.releaseconsole.services.actions.PolicyEngine;
import dev.releaseconsole.services.actions.ReleaseActions;
import dev.releaseconsole.services.demo.DemoRunner;
import dev.releaseconsole.services.demo.DemoWorld;
import dev.releaseconsole.services.governance.SqliteAuditLog;
import dev.releaseconsole.services.model.ClusterRef;
import dev.releaseconsole.services.store.LiveState;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * ConsoleServices on the demo world, wired like the app does, but with the runner stopped: tests move simulated
 * time with {@link DemoWorld#advance} so they are deterministic.
 */
public final class DemoServices implements AutoCloseable {
    public static final Instant START = Instant.parse("2026-11-02T10:00:00Z");

    public final LiveState state = new LiveState();
    public final DemoWorld world;
    public final DemoRunner runner;
    public final SqliteAuditLog audit;
    public final ReleaseActions actions;
    public final ConsoleServices services;
    private final ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "test-actions");
        t.setDaemon(true);
        return t;
    });

    public DemoServices(Path dir, long seed) {
        audit = SqliteAuditLog.open(dir.resolve("audit-" + System.nanoTime() + ".db"), Clock.systemUTC());
        world = new DemoWorld(seed, START, state);
        Map<String, Clock> clocks = new LinkedHashMap<>();
        for (ClusterRef c : world.clusters()) {
            clocks.put(c.id(), world.clock());
        }
        actions = new ReleaseActions(state, world.backends(), Map.of(world.flags().id(), world.flags()),
                world.permissions(), PolicyEngine.PERMISSIVE, audit, Clock.systemUTC(), pool);
        runner = new DemoRunner(world);
        services = new ConsoleServices(state, actions, audit, world.metrics(), clocks, Optional.of(runner));
    }

    @Override
    public void close() {
        runner.close();
        pool.shutdownNow();
        audit.close();
    }
}
