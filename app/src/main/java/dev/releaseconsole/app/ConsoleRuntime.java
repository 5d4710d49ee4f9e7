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
import dev.releaseconsole.services.flags.FlagSync;
import dev.releaseconsole.services.flags.registry.FlagRegistryWatcher;
import dev.releaseconsole.services.flags.registry.RegistryJoin;
import dev.releaseconsole.services.governance.SqliteAuditLog;
import dev.releaseconsole.services.kube.KubeCluster;
import dev.releaseconsole.services.kube.KubeClusters;
import dev.releaseconsole.services.kube.KubeContexts;
import dev.releaseconsole.services.kube.RolloutActuator;
import dev.releaseconsole.services.kube.access.PerClusterPermissions;
import dev.releaseconsole.services.kube.actions.KubeRolloutActions;
import dev.releaseconsole.services.kube.actions.LoadtesterRef;
import dev.releaseconsole.services.kube.AnalysisTemplateReader;
import dev.releaseconsole.services.metrics.AnalysisTemplateSource;
import dev.releaseconsole.services.metrics.Cancellation;
import dev.releaseconsole.services.metrics.MetricsException;
import dev.releaseconsole.services.metrics.prometheus.PrometheusMetricsConfig;
import dev.releaseconsole.services.metrics.prometheus.PrometheusMetricsSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
import java.time.Duration;
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
                Map<String, List<String>> namespaces, LoadtesterRef loadtester, Path auditDb,
                Map<String, PrometheusMetricsConfig> metrics, FlagsPlan flags, JudgeConfig judge) {
        public Plan {
            metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
            flags = flags == null ? FlagsPlan.NONE : flags;
            judge = judge == null ? JudgeConfig.DEFAULTS : judge;
        }

        /**
         * Without Prometheus for any cluster, flag providers or a registry (the demo's own flags and registry), with the
         * canary judge's defaults.
         */
        public Plan(boolean demo, long seed, int speed, Instant demoStart, boolean runDemo, KubeContexts kubeconfig,
                    List<String> contexts, boolean readOnly, Map<String, String> environments,
                    Map<String, List<String>> namespaces, LoadtesterRef loadtester, Path auditDb) {
            this(demo, seed, speed, demoStart, runDemo, kubeconfig, contexts, readOnly, environments, namespaces,
                    loadtester, auditDb, Map.of(), FlagsPlan.NONE, JudgeConfig.DEFAULTS);
        }

        /** The same plan with the demo world's clock stopped (the command line acts on a still world). */
        public Plan withoutRunningDemo() {
            return new Plan(demo, seed, speed, demoStart, false, kubeconfig, contexts, readOnly, environments,
                    namespaces, loadtester, auditDb, metrics, flags, judge);
        }
    }

    /**
     * The flags section to start: the registry file (null: none, the demo's own while the demo runs), how often the
     * providers are polled, how often the registry file is checked when its file system sends no change events, the
     * configured providers, and where their relative paths start (the configuration file's directory, the home).
     */
    public record FlagsPlan(Path registry, Duration syncInterval, Duration registryPoll,
                            List<FlagsConfig.Provider> providers, Path configDir, String home) {
        public static final FlagsPlan NONE = new FlagsPlan(null, FlagsConfig.DEFAULT_SYNC_INTERVAL,
                Duration.ofSeconds(2), List.of(), null, System.getProperty("user.home"));

        public FlagsPlan {
            providers = List.copyOf(providers);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleRuntime.class);

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
                auditDb));
    }

    public static ConsoleRuntime start(Plan plan) {
        List<AutoCloseable> closeables = new ArrayList<>();
        SqliteAuditLog audit = SqliteAuditLog.open(plan.auditDb(), Clock.systemUTC());
        LiveState state = new LiveState();
        // The registry first: the demo's flags and every provider's pass through its join as they are published.
        FlagRegistryWatcher registry = null;
        if (plan.flags().registry() != null) {
            registry = new FlagRegistryWatcher(plan.flags().registry(), state, Clock.systemUTC(),
                    plan.flags().registryPoll());
            registry.loadNow();
            closeables.add(registry);
        }
        Map<String, RolloutBackend> backends = new LinkedHashMap<>();
        Map<String, Clock> clocks = new LinkedHashMap<>();
        Map<String, PermissionChecker> permissions = new LinkedHashMap<>();
        Map<String, FlagProvider> flagProviders = new LinkedHashMap<>();
        Map<String, PermissionChecker> flagCheckers = new LinkedHashMap<>();
        Map<String, MetricsSource> metricsByCluster = new LinkedHashMap<>();
        Map<String, AnalysisTemplateSource> templatesByCluster = new LinkedHashMap<>();

        KubeClusters kube = null;
        if (!plan.contexts().isEmpty()) {
            RolloutActuator actuator = plan.readOnly() ? RolloutActuator.readOnly() : new KubeRolloutActions(plan.loadtester())::perform;
            KubeClusters clusters = KubeClusters.create(plan.kubeconfig(), plan.contexts(), state, actuator,
                    name -> settingsFor(name, plan));
            kube = clusters;
            closeables.add(clusters);
            for (KubeCluster cluster : clusters.clusters()) {
                backends.put(cluster.cluster().id(), cluster);
                clocks.put(cluster.cluster().id(), cluster.clock());
                ClusterPermissions checker = new ClusterPermissions(cluster, state, plan.readOnly(),
                        plan.loadtester());
                closeables.add(checker);
                permissions.put(cluster.cluster().id(), checker);
                templatesByCluster.put(cluster.cluster().id(), AnalysisTemplateReader.of(cluster));
                PrometheusMetricsConfig metrics = plan.metrics().get(cluster.cluster().id());
                if (metrics != null) {
                    metricsByCluster.put(cluster.cluster().id(), prometheus(cluster.cluster().id(), metrics, state));
                }
            }
            clusters.startAll();
        }
        plan.metrics().keySet().stream().filter(c -> !plan.contexts().contains(c)).forEach(c -> LOG.warn(
                "metrics are configured for context '{}', which is not watched (watched: {})", c, plan.contexts()));

        DemoWorld world = null;
        Optional<ConsoleServices.SimulationControl> simulation = Optional.empty();
        if (plan.demo() || plan.contexts().isEmpty()) {
            world = new DemoWorld(plan.seed(), plan.demoStart().truncatedTo(ChronoUnit.SECONDS), state);
            for (ClusterRef cluster : world.clusters()) {
                backends.put(cluster.id(), world.backend(cluster.id()));
                clocks.put(cluster.id(), world.clock());
                permissions.put(cluster.id(), world.permissions());
                metricsByCluster.put(cluster.id(), world.metrics());
                templatesByCluster.put(cluster.id(), world.templates());
            }
            flagProviders.put(world.flags().id(), world.flags());
            flagCheckers.put(world.flags().id(), world.permissions());
            DemoRunner runner = new DemoRunner(world);
            runner.setSpeed(plan.speed());
            if (plan.runDemo()) {
                runner.start();
            }
            closeables.add(0, runner);
            simulation = Optional.of(runner);
        }

        KubeClusters watched = kube;
        FlagProviders.Built built = FlagProviders.build(plan.flags(), state,
                context -> watched == null ? Optional.empty() : watched.get(context));
        FlagSync sync = null;
        if (!built.providers().isEmpty()) {
            Duration interval = plan.flags().syncInterval();
            Duration maxBackoff = interval.compareTo(Duration.ofSeconds(60)) > 0 ? interval : Duration.ofSeconds(60);
            sync = new FlagSync(state, built.providers(), new FlagSync.Settings(interval, maxBackoff),
                    new RegistryJoin(state), Clock.systemUTC());
            FlagSync polled = sync;
            for (FlagProvider p : built.providers()) {
                // after a write, poll that provider at once so the views show the change without waiting
                flagProviders.put(p.id(), FlagProviders.refreshingAfterWrites(p, () -> polled.refresh(p.id())));
                flagCheckers.put(p.id(), FlagProviders.tokenPermissions(plan.readOnly()));
            }
            sync.start();
            for (FlagProvider p : built.providers()) {
                if (p instanceof AutoCloseable c) {
                    closeables.add(0, c);
                }
            }
            closeables.add(0, sync); // the polls stop before their providers close
        }
        if (registry != null) {
            DemoWorld demoWorld = world;
            FlagSync polled = sync;
            registry.addReloadListener(() -> {
                if (demoWorld != null) {
                    demoWorld.republishFlags();
                }
                if (polled != null) {
                    built.providers().forEach(p -> polled.refresh(p.id()));
                }
            });
            registry.start();
        }
        PermissionChecker flagPermissions = flagCheckers.isEmpty() ? NO_FLAG_PROVIDER
                : FlagProviders.byProvider(flagCheckers, NO_FLAG_PROVIDER);

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
                templatesByCluster(templatesByCluster), Optional.of(judge));
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
                return range(rollout, metricId, from, to, Cancellation.NONE);
            }

            @Override
            public List<MetricSeries> range(RolloutRef rollout, String metricId, Instant from, Instant to,
                                            Cancellation cancellation) throws MetricsException {
                MetricsSource source = sources.get(rollout.cluster());
                if (source == null) {
                    throw new MetricsException(MetricsException.Kind.CONFIG, "no metrics source is configured for "
                            + "cluster " + rollout.cluster(), null, null, "add metrics." + rollout.cluster()
                            + ".prometheus.url to the configuration file", null);
                }
                return source.range(rollout, metricId, from, to, cancellation);
            }
        };
    }

    /** Each cluster's analysis templates from its own reader; none for a cluster without one. */
    private static AnalysisTemplateSource templatesByCluster(Map<String, AnalysisTemplateSource> sources) {
        return rollout -> {
            AnalysisTemplateSource source = sources.get(rollout.cluster());
            return source == null ? List.of() : source.templates(rollout);
        };
    }

    /**
     * A cluster's Prometheus source. A configuration the client cannot use (e.g. an unreadable CA file) does not stop
     * the console: that cluster's charts show the error instead.
     */
    private static MetricsSource prometheus(String cluster, PrometheusMetricsConfig config, LiveState state) {
        try {
            return new PrometheusMetricsSource(cluster, config, state);
        } catch (MetricsException e) {
            LOG.error("cluster {}: Prometheus is not usable: {}", cluster, e.getMessage());
            List<MetricDefinition> definitions = config.templates().stream()
                    .map(dev.releaseconsole.services.metrics.prometheus.MetricTemplate::definition).toList();
            return new MetricsSource() {
                @Override
                public List<MetricDefinition> metrics(RolloutRef rollout) {
                    return definitions;
                }

                @Override
                public List<MetricSeries> range(RolloutRef rollout, String metricId, Instant from, Instant to)
                        throws MetricsException {
                    throw e;
                }
            };
        }
    }
}
