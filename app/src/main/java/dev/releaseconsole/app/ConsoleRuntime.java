package dev.releaseconsole.app;

import dev.releaseconsole.services.ConsoleServices;
import dev.releaseconsole.services.actions.ActionType;
import dev.releaseconsole.services.actions.FlagProvider;
import dev.releaseconsole.services.actions.PermissionChecker;
import dev.releaseconsole.services.actions.PolicyEngine;
import dev.releaseconsole.services.actions.ReleaseActions;
import dev.releaseconsole.services.actions.RolloutBackend;
import dev.releaseconsole.services.actions.Verdict;
import dev.releaseconsole.services.analysis.CanaryJudge;
import dev.releaseconsole.services.analysis.CanaryJudgeService;
import dev.releaseconsole.services.analysis.JudgeConfig;
import dev.releaseconsole.services.demo.DemoRunner;
import dev.releaseconsole.services.demo.DemoWorld;
import dev.releaseconsole.services.governance.SqliteAuditLog;
import dev.releaseconsole.services.kube.KubeCluster;
import dev.releaseconsole.services.kube.KubeClusters;
import dev.releaseconsole.services.kube.KubeContexts;
import dev.releaseconsole.services.kube.RolloutActuator;
import dev.releaseconsole.services.kube.access.PerClusterPermissions;
import dev.releaseconsole.services.kube.actions.KubeRolloutActions;
import dev.releaseconsole.services.kube.actions.LoadtesterRef;
import dev.releaseconsole.services.metrics.MetricsException;
import dev.releaseconsole.services.metrics.MetricsSource;
import dev.releaseconsole.services.model.ActionTarget;
import dev.releaseconsole.services.model.ClusterRef;
import dev.releaseconsole.services.model.Environment;
import dev.releaseconsole.services.model.MetricDefinition;
import dev.releaseconsole.services.model.MetricSeries;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.store.LiveState;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The running engine behind the window: the audit log, the sources (real clusters from the kubeconfig and/or the
 * demo world) and the one action facade, wired together. Built off the FX thread; closed when the window closes.
 */
public final class ConsoleRuntime implements AutoCloseable {
    /** What to start. {@code contexts} empty and {@code demo} false still starts the demo: a console with nothing to show helps nobody. */
    public record Plan(boolean demo, long seed, int speed, Instant demoStart, boolean runDemo, KubeContexts kubeconfig,
                List<String> contexts, boolean readOnly, Map<String, String> environments,
                Map<String, List<String>> namespaces, LoadtesterRef loadtester, Path auditDb, JudgeConfig judge) {
    }

    private final ConsoleServices services;
    private final List<AutoCloseable> closeables;
    private final DemoWorld world;

    private ConsoleRuntime(ConsoleServices services, List<AutoCloseable> closeables, DemoWorld world) {
        this.services = services;
        this.closeables = closeables;
        this.world = world;
    }

    /** The demo world alone, at {@code start}. */
    public static ConsoleRuntime startDemo(long seed, int speed, Path auditDb, Instant start, boolean run) {
        return start(new Plan(true, seed, speed, start, run, null, List.of(), false, Map.of(), Map.of(), null,
                auditDb, JudgeConfig.DEFAULTS));
    }

    public static ConsoleRuntime start(Plan plan) {
        List<AutoCloseable> closeables = new ArrayList<>();
        SqliteAuditLog audit = SqliteAuditLog.open(plan.auditDb(), Clock.systemUTC());
        LiveState state = new LiveState();
        Map<String, RolloutBackend> backends = new LinkedHashMap<>();
        Map<String, Clock> clocks = new LinkedHashMap<>();
        Map<String, PermissionChecker> permissions = new LinkedHashMap<>();
        Map<String, FlagProvider> flagProviders = new LinkedHashMap<>();
        PermissionChecker flagPermissions = NO_FLAG_PROVIDER;
        Map<String, MetricsSource> metricsByCluster = new LinkedHashMap<>();

        if (!plan.contexts().isEmpty()) {
            RolloutActuator actuator = plan.readOnly() ? RolloutActuator.readOnly() : new KubeRolloutActions(plan.loadtester())::perform;
            KubeClusters clusters = KubeClusters.create(plan.kubeconfig(), plan.contexts(), state, actuator,
                    name -> settingsFor(name, plan));
            closeables.add(clusters);
            for (KubeCluster cluster : clusters.clusters()) {
                backends.put(cluster.cluster().id(), cluster);
                clocks.put(cluster.cluster().id(), cluster.clock());
                ClusterPermissions checker = new ClusterPermissions(cluster, state, plan.readOnly(),
                        plan.loadtester());
                closeables.add(checker);
                permissions.put(cluster.cluster().id(), checker);
            }
            clusters.startAll();
        }

        DemoWorld world = null;
        Optional<ConsoleServices.SimulationControl> simulation = Optional.empty();
        if (plan.demo() || plan.contexts().isEmpty()) {
            world = new DemoWorld(plan.seed(), plan.demoStart().truncatedTo(ChronoUnit.SECONDS), state);
            for (ClusterRef cluster : world.clusters()) {
                backends.put(cluster.id(), world.backend(cluster.id()));
                clocks.put(cluster.id(), world.clock());
                permissions.put(cluster.id(), world.permissions());
                metricsByCluster.put(cluster.id(), world.metrics());
            }
            flagProviders.put(world.flags().id(), world.flags());
            flagPermissions = world.permissions();
            DemoRunner runner = new DemoRunner(world);
            runner.setSpeed(plan.speed());
            if (plan.runDemo()) {
                runner.start();
            }
            closeables.add(0, runner);
            simulation = Optional.of(runner);
        }

        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "actions-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        closeables.add(pool::shutdown);
        closeables.add(audit);
        ReleaseActions actions = new ReleaseActions(state, backends, flagProviders,
                new PerClusterPermissions(permissions, flagPermissions), PolicyEngine.PERMISSIVE, audit,
                Clock.systemUTC(), pool);
        MetricsSource metrics = byCluster(metricsByCluster);
        Map<String, Clock> clusterClocks = Map.copyOf(clocks);
        // the live canary verdicts: on its own threads, on each cluster's clock (the demo's is simulated)
        CanaryJudgeService judge = new CanaryJudgeService(state, metrics,
                cluster -> clusterClocks.getOrDefault(cluster, Clock.systemUTC()), new CanaryJudge(plan.judge()),
                CanaryJudgeService.Settings.DEFAULTS);
        judge.start();
        closeables.add(0, judge);
        ConsoleServices services = new ConsoleServices(state, actions, audit, metrics, clocks, simulation,
                Optional.of(judge));
        return new ConsoleRuntime(services, closeables, world);
    }

    private static KubeCluster.Settings settingsFor(String context, Plan plan) {
        KubeCluster.Settings s = KubeCluster.Settings.defaults()
                .withNamespaces(plan.namespaces().getOrDefault(context, List.of()));
        String env = plan.environments().get(context);
        return env == null ? s : s.withEnvironment(Environment.valueOf(env.trim().toUpperCase(Locale.ROOT)));
    }

    public ConsoleServices services() {
        return services;
    }

    /** The simulated world, for tests that drive its clock by hand; null when the demo is off. */
    DemoWorld world() {
        return world;
    }

    @Override
    public void close() {
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception ignored) {
                // shutting down: keep closing the rest
            }
        }
    }

    private static final PermissionChecker NO_FLAG_PROVIDER = new PermissionChecker() {
        @Override
        public Verdict mayPerform(ActionType action, ActionTarget target) {
            return Verdict.refused("no flag provider is configured");
        }

        @Override
        public String whoAmI(ActionTarget target) {
            return System.getProperty("user.name", "unknown");
        }
    };

    /**
     * Each cluster's metrics from its own source. A cluster without one (real clusters until Prometheus is
     * configured) has no metric definitions, and a query says why instead of leaving a chart blank.
     */
    private static MetricsSource byCluster(Map<String, MetricsSource> sources) {
        return new MetricsSource() {
            @Override
            public List<MetricDefinition> metrics(RolloutRef rollout) {
                MetricsSource source = sources.get(rollout.cluster());
                return source == null ? List.of() : source.metrics(rollout);
            }

            @Override
            public List<MetricSeries> range(RolloutRef rollout, String metricId, Instant from, Instant to)
                    throws MetricsException {
                MetricsSource source = sources.get(rollout.cluster());
                if (source == null) {
                    throw new MetricsException("no metrics source is configured for cluster " + rollout.cluster());
                }
                return source.range(rollout, metricId, from, to);
            }
        };
    }
}
