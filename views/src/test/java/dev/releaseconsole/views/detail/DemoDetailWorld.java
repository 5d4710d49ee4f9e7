package dev.releaseconsole.views.detail;

import dev.releaseconsole.services.ConsoleServices;
import dev.releaseconsole.services.actions.PolicyEngine;
import dev.releaseconsole.services.actions.ReleaseActions;
import dev.releaseconsole.services.demo.DemoWorld;
import dev.releaseconsole.services.governance.AuditLog;
import dev.releaseconsole.services.governance.SqliteAuditLog;
import dev.releaseconsole.services.model.ClusterRef;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.model.WorkloadKind;
import dev.releaseconsole.services.store.LiveState;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The demo world wired the way the app wires it, without a ticking scheduler: tests move time themselves. */
final class DemoDetailWorld implements AutoCloseable {
    static final RolloutRef CHECKOUT = new RolloutRef("prod-eu", "checkout", "checkout-api", WorkloadKind.ARGO_ROLLOUT);
    static final RolloutRef INDEXER = new RolloutRef("prod-eu", "search", "search-indexer", WorkloadKind.ARGO_ROLLOUT);
    static final RolloutRef GATEWAY = new RolloutRef("prod-eu", "payments", "payments-gateway",
            WorkloadKind.ARGO_ROLLOUT);

    final LiveState state = new LiveState();
    final DemoWorld world;
    final ConsoleServices services;
    private final AuditLog audit;
    private final ExecutorService pool = Executors.newCachedThreadPool();

    DemoDetailWorld() throws Exception {
        world = new DemoWorld(42, Instant.parse("2026-11-02T10:00:00Z"), state);
        Path dir = Files.createTempDirectory("detail-demo");
        audit = SqliteAuditLog.open(dir.resolve("audit.db"), Clock.systemUTC());
        ReleaseActions actions = new ReleaseActions(state, world.backends(), Map.of(world.flags().id(), world.flags()),
                world.permissions(), PolicyEngine.PERMISSIVE, audit, Clock.systemUTC(), pool);
        Map<String, Clock> clocks = new LinkedHashMap<>();
        for (ClusterRef c : world.clusters()) {
            clocks.put(c.id(), world.clock());
        }
        services = new ConsoleServices(state, actions, audit, world.metrics(), clocks, Optional.empty());
    }

    @Override
    public void close() {
        pool.shutdownNow();
        audit.close();
    }
}
