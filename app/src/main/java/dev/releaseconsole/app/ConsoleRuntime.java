package dev.releaseconsole.app;

import dev.releaseconsole.services.ConsoleServices;
import dev.releaseconsole.services.actions.PolicyEngine;
import dev.releaseconsole.services.actions.ReleaseActions;
import dev.releaseconsole.services.actions.RolloutBackend;
import dev.releaseconsole.services.demo.DemoRunner;
import dev.releaseconsole.services.demo.DemoWorld;
import dev.releaseconsole.services.governance.SqliteAuditLog;
import dev.releaseconsole.services.model.ClusterRef;
import dev.releaseconsole.services.store.LiveState;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The running engine behind the window: the audit log, the sources (the demo world for now) and the one action
 * facade, wired together. Built off the FX thread; closed when the window closes.
 */
public final class ConsoleRuntime implements AutoCloseable {
    private final ConsoleServices services;
    private final SqliteAuditLog audit;
    private final DemoRunner runner;
    private final ExecutorService actionPool;
    private final DemoWorld world;

    private ConsoleRuntime(ConsoleServices services, SqliteAuditLog audit, DemoWorld world, DemoRunner runner,
                           ExecutorService actionPool) {
        this.services = services;
        this.world = world;
        this.audit = audit;
        this.runner = runner;
        this.actionPool = actionPool;
    }

    /** Starts the demo world at {@code start} (the wall clock, truncated, unless a test fixes it). */
    public static ConsoleRuntime startDemo(long seed, int speed, Path auditDb, Instant start, boolean run) {
        SqliteAuditLog audit = SqliteAuditLog.open(auditDb, Clock.systemUTC());
        LiveState state = new LiveState();
        DemoWorld world = new DemoWorld(seed, start.truncatedTo(ChronoUnit.SECONDS), state);
        Map<String, RolloutBackend> backends = new LinkedHashMap<>();
        Map<String, Clock> clocks = new LinkedHashMap<>();
        for (ClusterRef cluster : world.clusters()) {
            backends.put(cluster.id(), world.backend(cluster.id()));
            clocks.put(cluster.id(), world.clock());
        }
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "actions-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        ReleaseActions actions = new ReleaseActions(state, backends, Map.of(world.flags().id(), world.flags()),
                world.permissions(), PolicyEngine.PERMISSIVE, audit, Clock.systemUTC(), pool);
        DemoRunner runner = new DemoRunner(world);
        runner.setSpeed(speed);
        if (run) {
            runner.start();
        }
        ConsoleServices services = new ConsoleServices(state, actions, audit, world.metrics(), clocks,
                Optional.of(runner));
        return new ConsoleRuntime(services, audit, world, runner, pool);
    }

    public ConsoleServices services() {
        return services;
    }

    /** The simulated world, for tests that drive its clock by hand. */
    DemoWorld world() {
        return world;
    }

    @Override
    public void close() {
        runner.close();
        actionPool.shutdown();
        audit.close();
    }
}
