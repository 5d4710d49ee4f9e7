package dev.releaseconsole.services.kube;

import dev.releaseconsole.services.actions.ActionException;
import dev.releaseconsole.services.actions.ActionInput;
import dev.releaseconsole.services.actions.ActionType;
import dev.releaseconsole.services.actions.RolloutBackend;
import dev.releaseconsole.services.governance.Secrets;
import dev.releaseconsole.services.model.ClusterRef;
import dev.releaseconsole.services.model.ClusterStatus;
import dev.releaseconsole.services.model.ConnectionState;
import dev.releaseconsole.services.model.Environment;
import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.model.WorkloadKind;
import dev.releaseconsole.services.store.LiveState;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.okhttp.OkHttpClientFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One watched Kubernetes cluster (one kubeconfig context): a fabric8 client on OkHttp, the informers that keep its
 * Argo Rollouts and Flagger Canaries in {@link LiveState}, and its connection state in
 * {@link LiveState#clusters()}.
 *
 * <p>{@link #start()} returns at once; connecting (which may run an exec credential plugin), listing and watching
 * happen on the cluster's own daemon thread, and a failure is retried with exponential backoff (by default 1 s
 * doubling to 60 s, with jitter). Clusters share nothing, so one failing never affects another. Once connected, a
 * health check every few seconds notices a watch that stopped (for example after credentials expired) and
 * reconnects; a watch that is only reconnecting after a network blip is left to fabric8, which re-lists on 410 Gone.
 *
 * <p>As a {@link RolloutBackend}, {@link #read} is a fresh GET of the CR (with its AnalysisRuns and ReplicaSets)
 * that bypasses the caches, and {@link #perform} hands the action to the {@link RolloutActuator}.
 */
public final class KubeCluster implements RolloutBackend, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KubeCluster.class);

    /** Supplies the client configuration; called on the cluster's thread for every connection attempt. */
    @FunctionalInterface
    public interface ConfigSource {
        Config load() throws KubeconfigException;
    }

    /**
     * How a cluster connects. {@code namespaces} are watched in addition to the context's own namespace when
     * listing across all namespaces is forbidden. {@code environment} and {@code displayName} override what is
     * guessed from the context (null: guess).
     */
    public record Settings(Duration connectTimeout, Duration requestTimeout, Duration initialBackoff,
                           Duration maxBackoff, Duration healthInterval, Duration listTimeout, List<String> namespaces,
                           Environment environment, String displayName) {
        public Settings {
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            Objects.requireNonNull(requestTimeout, "requestTimeout");
            Objects.requireNonNull(initialBackoff, "initialBackoff");
            Objects.requireNonNull(maxBackoff, "maxBackoff");
            Objects.requireNonNull(healthInterval, "healthInterval");
            Objects.requireNonNull(listTimeout, "listTimeout");
            namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
        }

        /** 5 s to connect, 15 s per request, backoff 1 s to 60 s, health check every 5 s, 60 s for initial lists. */
        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(1),
                    Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofSeconds(60), List.of(), null, null);
        }

        public Settings withNamespaces(List<String> v) {
            return new Settings(connectTimeout, requestTimeout, initialBackoff, maxBackoff, healthInterval,
                    listTimeout, v, environment, displayName);
        }

        public Settings withEnvironment(Environment v) {
            return new Settings(connectTimeout, requestTimeout, initialBackoff, maxBackoff, healthInterval,
                    listTimeout, namespaces, v, displayName);
        }

        public Settings withDisplayName(String v) {
            return new Settings(connectTimeout, requestTimeout, initialBackoff, maxBackoff, healthInterval,
                    listTimeout, namespaces, environment, v);
        }

        public Settings withTimeouts(Duration connect, Duration request) {
            return new Settings(connect, request, initialBackoff, maxBackoff, healthInterval, listTimeout,
                    namespaces, environment, displayName);
        }

        public Settings withBackoff(Duration initial, Duration max) {
            return new Settings(connectTimeout, requestTimeout, initial, max, healthInterval, listTimeout,
                    namespaces, environment, displayName);
        }

        public Settings withHealthInterval(Duration v) {
            return new Settings(connectTimeout, requestTimeout, initialBackoff, maxBackoff, v, listTimeout,
                    namespaces, environment, displayName);
        }
    }

    /** How long a watch may stay down while the server answers before the whole connection is rebuilt. */
    private static final Duration STUCK_WATCH = Duration.ofMinutes(2);

    private final ClusterRef ref;
    private final ConfigSource configSource;
    private final LiveState state;
    private final RolloutActuator actuator;
    private final Settings settings;
    private final String auth;
    private final RolloutPublisher publisher;
    private final ScheduledExecutorService supervisor;
    private final Object lifecycle = new Object();

    private volatile String server;
    private volatile String contextNamespace;
    private volatile KubernetesClient client;
    private volatile ClusterWatch watch;
    private volatile ClusterStatus status;
    private volatile boolean started;
    private volatile boolean closed;
    /** Touched only on the supervisor thread. */
    private int failures;
    private String connectedMessage;
    private Instant notWatchingSince;

    /**
     * A cluster whose configuration comes from {@code configSource}. {@code serverHint} and {@code auth} (e.g.
     * "exec plugin aws", "token") are only used in messages until the configuration has been loaded.
     */
    public KubeCluster(ClusterRef ref, ConfigSource configSource, String serverHint, String auth, LiveState state,
                       RolloutActuator actuator, Settings settings) {
        this.ref = Objects.requireNonNull(ref, "ref");
        this.configSource = Objects.requireNonNull(configSource, "configSource");
        this.state = Objects.requireNonNull(state, "state");
        this.actuator = Objects.requireNonNull(actuator, "actuator");
        this.settings = settings == null ? Settings.defaults() : settings;
        this.server = serverHint == null ? "the API server of " + ref.id() : serverHint;
        this.auth = auth == null ? "unknown" : auth;
        this.publisher = new RolloutPublisher(ref.id(), state, Clock.systemUTC());
        this.supervisor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kube-" + ref.id());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * The cluster of kubeconfig context {@code contextName}. The kubeconfig files are re-read on every connection
     * attempt, so fixing a file (or a new token written by a login) is picked up by the next retry.
     */
    public static KubeCluster forContext(KubeContexts kubeconfig, String contextName, LiveState state,
                                         RolloutActuator actuator, Settings settings) {
        Settings s = settings == null ? Settings.defaults() : settings;
        Optional<KubeContexts.KubeContext> ctx = kubeconfig.context(contextName);
        Environment env = s.environment() != null ? s.environment()
                : guessEnvironment(contextName, ctx.map(KubeContexts.KubeContext::cluster).orElse(null));
        String display = s.displayName() != null ? s.displayName() : contextName;
        ClusterRef ref = new ClusterRef(contextName, display, env, false);
        List<java.nio.file.Path> files = kubeconfig.files();
        return new KubeCluster(ref, () -> KubeContexts.load(files).clientConfig(contextName),
                ctx.map(KubeContexts.KubeContext::server).orElse(null),
                ctx.map(KubeContexts.KubeContext::auth).orElse(null), state, actuator, s);
    }

    /** PRODUCTION when any name contains "prod", STAGING when one contains "stag", else DEVELOPMENT. */
    public static Environment guessEnvironment(String... names) {
        boolean staging = false;
        for (String n : names) {
            if (n == null) {
                continue;
            }
            String l = n.toLowerCase(Locale.ROOT);
            if (l.contains("prod")) {
                return Environment.PRODUCTION; // "nonprod" too: better one confirmation too many
            }
            staging |= l.contains("stag");
        }
        return staging ? Environment.STAGING : Environment.DEVELOPMENT;
    }

    /** Starts connecting in the background and returns at once. Calling it again does nothing. */
    public void start() {
        synchronized (lifecycle) {
            if (started || closed) {
                return;
            }
            started = true;
        }
        publish(ConnectionState.CONNECTING, "Connecting to " + server + "…");
        submit(this::connect, Duration.ZERO);
    }

    /** Stops watching: informers and client are closed, the rollouts removed, the state DISCONNECTED. */
    @Override
    public void close() {
        ClusterWatch w;
        KubernetesClient c;
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            w = watch;
            c = client;
            watch = null;
            client = null;
        }
        supervisor.shutdownNow();
        if (w != null) {
            publisher.detach(w);
            w.stop();
        }
        publisher.shutdown();
        if (c != null) {
            c.close();
        }
        publish(ConnectionState.DISCONNECTED, "Not watched: the console stopped watching this cluster.");
    }

    @Override
    public ClusterRef cluster() {
        return ref;
    }

    @Override
    public Clock clock() {
        return Clock.systemUTC();
    }

    /** The latest connection state, as also published in {@link LiveState#clusters()}. */
    public ClusterStatus status() {
        ClusterStatus s = status;
        return s == null ? new ClusterStatus(ref, ConnectionState.DISCONNECTED, "Not started.") : s;
    }

    /**
     * The client, once the configuration has been loaded. It survives reconnects (fabric8 refreshes expiring exec
     * and OIDC tokens itself) except after the server rejected the credentials (401), when it is rebuilt from the
     * kubeconfig; so ask for it each time rather than keeping it. For the access review: SelfSubjectAccessReviews
     * go through the same credentials.
     */
    public Optional<KubernetesClient> client() {
        return Optional.ofNullable(client);
    }

    // ---------------------------------------------------------------- RolloutBackend

    @Override
    public Optional<Rollout> read(RolloutRef target) throws ActionException {
        KubernetesClient c = requireClient(target);
        String what = "Reading " + target.describe();
        try {
            if (target.kind() == WorkloadKind.FLAGGER_CANARY) {
                GenericKubernetesResource canary = c.genericKubernetesResources(KubeObjects.CANARIES)
                        .inNamespace(target.namespace()).withName(target.name()).get();
                return Optional.ofNullable(canary).map(x -> FlaggerCanaryMapper.map(ref.id(), x));
            }
            GenericKubernetesResource ro = c.genericKubernetesResources(KubeObjects.ROLLOUTS)
                    .inNamespace(target.namespace()).withName(target.name()).get();
            if (ro == null) {
                return Optional.empty();
            }
            List<String> problems = new ArrayList<>();
            List<GenericKubernetesResource> rs = listOwned(c, KubeObjects.REPLICA_SETS, target.namespace(),
                    KubeObjects.uid(ro), true, problems);
            List<GenericKubernetesResource> ar = listOwned(c, KubeObjects.ANALYSIS_RUNS, target.namespace(),
                    KubeObjects.uid(ro), false, problems);
            Rollout mapped = ArgoRolloutMapper.map(ref.id(), ro, rs, ar);
            if (!problems.isEmpty()) {
                List<String> all = new ArrayList<>(mapped.readProblems());
                all.addAll(problems);
                mapped = mapped.toBuilder().readProblems(all).build();
            }
            return Optional.of(mapped);
        } catch (KubernetesClientException e) {
            throw ConnectionProblems.actionException(what, e, server);
        }
    }

    private static List<GenericKubernetesResource> listOwned(KubernetesClient c,
                                                             io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext rdc,
                                                             String namespace, String uid, boolean labelled,
                                                             List<String> problems) {
        try {
            var op = c.genericKubernetesResources(rdc).inNamespace(namespace);
            List<GenericKubernetesResource> items = labelled
                    ? op.withLabel(KubeObjects.POD_TEMPLATE_HASH).list().getItems() : op.list().getItems();
            return items.stream().filter(o -> KubeObjects.ownedBy(o, uid)).toList();
        } catch (KubernetesClientException e) {
            int code = ConnectionProblems.code(e);
            if (code == 403 || code == 404) {
                problems.add(rdc.getPlural() + " could not be read (" + (code == 403 ? "forbidden" : "not installed")
                        + ")");
                return List.of();
            }
            throw e;
        }
    }

    @Override
    public String perform(ActionType action, Rollout current, ActionInput input) throws ActionException {
        KubernetesClient c = requireClient(current.ref());
        return actuator.perform(c, action, current, input);
    }

    private KubernetesClient requireClient(RolloutRef target) throws ActionException {
        KubernetesClient c = client;
        if (c == null || closed) {
            throw new ActionException(ActionException.Reason.UNAVAILABLE, "Cluster " + ref.displayName()
                    + " is not connected, so " + target.describe() + " cannot be reached now: "
                    + status().message());
        }
        return c;
    }

    // ---------------------------------------------------------------- connection lifecycle (supervisor thread)

    private void submit(Runnable task, Duration delay) {
        try {
            supervisor.schedule(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.error("cluster {}: unexpected failure", ref.id(), e);
                    retryAfter(ConnectionState.UNREACHABLE, "Unexpected failure: " + ConnectionProblems.shortMessage(e)
                            + ".");
                }
            }, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    private void connect() {
        if (closed) {
            return;
        }
        KubernetesClient c = client;
        if (c == null) {
            Config config;
            try {
                config = configSource.load();
            } catch (KubeconfigException e) {
                retryAfter(ConnectionState.DISCONNECTED, e.getMessage());
                return;
            } catch (RuntimeException e) {
                retryAfter(ConnectionState.UNAUTHORIZED, "Could not set up the credentials of context '" + ref.id()
                        + "': " + ConnectionProblems.shortMessage(e) + ". Check that `kubectl --context " + ref.id()
                        + " get namespaces` works.");
                return;
            }
            tune(config);
            server = config.getMasterUrl() == null ? server : trimSlash(config.getMasterUrl());
            contextNamespace = config.getNamespace();
            KubernetesClient built = new KubernetesClientBuilder().withConfig(config)
                    .withHttpClientFactory(new OkHttpClientFactory()).build();
            synchronized (lifecycle) {
                if (closed) {
                    built.close();
                    return;
                }
                client = built;
            }
            c = built;
        }
        ClusterWatch w = new ClusterWatch(ref.id(), c, publisher);
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            watch = w;
        }
        publisher.attach(w);
        Map<ClusterWatch.Kind, ClusterWatch.Coverage> coverage;
        try {
            coverage = w.start(fallbackNamespaces(), settings.listTimeout());
        } catch (ClusterWatch.ConnectFailure f) {
            teardown(w);
            if (f.result == ClusterWatch.Result.UNAUTHORIZED) {
                dropClient(); // rebuild from the kubeconfig next time: a login may have written new credentials
            }
            ConnectionProblems.Verdict v = ConnectionProblems.classify(f.getCause(), ref.id(), server, auth);
            retryAfter(v.state(), v.message());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            teardown(w);
            return;
        }
        if (closed) {
            teardown(w);
            return;
        }
        ClusterWatch.Coverage rollouts = coverage.get(ClusterWatch.Kind.ROLLOUTS);
        ClusterWatch.Coverage canaries = coverage.get(ClusterWatch.Kind.CANARIES);
        if (!rollouts.watched() && !canaries.watched()
                && (rollouts.forbiddenEverywhere() || canaries.forbiddenEverywhere())) {
            String said = w.firstForbidden().map(ConnectionProblems::shortMessage)
                    .map(m -> " The API server said: " + m + (m.endsWith(".") ? "" : ".")).orElse("");
            teardown(w);
            retryAfter(ConnectionState.FORBIDDEN, forbiddenMessage(coverage) + said);
            return;
        }
        w.markReady();
        publisher.ready(w);
        failures = 0;
        notWatchingSince = null;
        connectedMessage = connectedMessage(coverage);
        publish(ConnectionState.CONNECTED, connectedMessage);
        submit(() -> healthCheck(w), settings.healthInterval());
    }

    private void healthCheck(ClusterWatch w) {
        if (closed || watch != w) {
            return;
        }
        Optional<Throwable> stopped = w.stoppedInformer();
        if (stopped.isPresent()) {
            teardown(w);
            ConnectionProblems.Verdict v = ConnectionProblems.classify(stopped.get(), ref.id(), server, auth);
            retryAfter(v.state(), "The watch stopped. " + v.message());
            return;
        }
        if (w.allWatching()) {
            notWatchingSince = null;
            publish(ConnectionState.CONNECTED, connectedMessage);
        } else {
            Instant now = Instant.now();
            if (notWatchingSince == null) {
                notWatchingSince = now;
            }
            Throwable probe = probe();
            if (probe != null) {
                ConnectionProblems.Verdict v = ConnectionProblems.classify(probe, ref.id(), server, auth);
                publish(v.state(), v.message() + " Showing the last known state; the watch keeps retrying.");
            } else if (Duration.between(notWatchingSince, now).compareTo(STUCK_WATCH) > 0) {
                teardown(w);
                retryAfter(ConnectionState.CONNECTING, "A watch has not recovered for "
                        + STUCK_WATCH.toMinutes() + " minutes although the server answers; reconnecting.");
                return;
            }
        }
        submit(() -> healthCheck(w), settings.healthInterval());
    }

    /** A cheap request to tell "server down" from "watch reconnecting": null when the server answered. */
    private Throwable probe() {
        KubernetesClient c = client;
        if (c == null) {
            return new IllegalStateException("no client");
        }
        try {
            c.getKubernetesVersion();
            return null;
        } catch (RuntimeException e) {
            int code = ConnectionProblems.code(e);
            return code == 403 || code == 404 ? null : e; // answered: reachable, and /version may be locked down
        }
    }

    private void dropClient() {
        KubernetesClient c;
        synchronized (lifecycle) {
            c = client;
            client = null;
        }
        if (c != null) {
            c.close();
        }
    }

    private void teardown(ClusterWatch w) {
        publisher.detach(w);
        w.stop();
        synchronized (lifecycle) {
            if (watch == w) {
                watch = null;
            }
        }
    }

    private void retryAfter(ConnectionState state, String message) {
        if (closed) {
            return;
        }
        failures++;
        long base = settings.initialBackoff().toMillis();
        long max = settings.maxBackoff().toMillis();
        long delay = base;
        for (int i = 1; i < failures && delay < max; i++) {
            delay *= 2;
        }
        delay = Math.min(delay, max);
        long jitter = delay / 5 == 0 ? 0 : ThreadLocalRandom.current().nextLong(delay / 5 + 1);
        Duration wait = Duration.ofMillis(Math.min(max, delay - delay / 10 + jitter));
        publish(state, message + " Retrying in " + human(wait) + " (attempt " + (failures + 1) + ").");
        submit(this::connect, wait);
    }

    private List<String> fallbackNamespaces() {
        LinkedHashSet<String> ns = new LinkedHashSet<>();
        ns.add(contextNamespace == null || contextNamespace.isBlank() ? "default" : contextNamespace);
        ns.addAll(settings.namespaces());
        return List.copyOf(ns);
    }

    private void tune(Config config) {
        config.setConnectionTimeout((int) settings.connectTimeout().toMillis());
        config.setRequestTimeout((int) settings.requestTimeout().toMillis());
        config.setRequestRetryBackoffLimit(0); // the cluster retries with its own backoff and says so
        config.setWatchReconnectInterval(1000);
        config.setWatchReconnectLimit(-1);
    }

    // ---------------------------------------------------------------- status messages

    private void publish(ConnectionState s, String message) {
        ClusterStatus next = new ClusterStatus(ref, s, Secrets.redact(message));
        status = next;
        state.clusters().upsert(next);
    }

    private String connectedMessage(Map<ClusterWatch.Kind, ClusterWatch.Coverage> coverage) {
        ClusterWatch.Coverage ro = coverage.get(ClusterWatch.Kind.ROLLOUTS);
        ClusterWatch.Coverage ca = coverage.get(ClusterWatch.Kind.CANARIES);
        List<String> parts = new ArrayList<>();
        if (ro.notInstalled() && ca.notInstalled()) {
            return "Connected to " + server + ", but neither Argo Rollouts nor Flagger is installed on this cluster "
                    + "(no rollouts.argoproj.io or canaries.flagger.app API): nothing to show. Reconnect after "
                    + "installing one.";
        }
        boolean allNs = (ro.allNamespaces() || ro.notInstalled()) && (ca.allNamespaces() || ca.notInstalled());
        if (allNs) {
            parts.add("Watching all namespaces.");
        } else {
            LinkedHashSet<String> namespaces = new LinkedHashSet<>();
            namespaces.addAll(ro.namespaces());
            namespaces.addAll(ca.namespaces());
            String which = namespaces.isEmpty() ? "no namespace" : "namespace"
                    + (namespaces.size() > 1 ? "s " : " ") + String.join(", ", namespaces);
            String forbiddenWhat = ro.allNamespaces() || ro.notInstalled() ? "canaries"
                    : ca.allNamespaces() || ca.notInstalled() ? "rollouts" : "rollouts and canaries";
            parts.add("Watching " + which + " only: you may not list " + forbiddenWhat + " across all namespaces "
                    + "(403). Add namespaces you may read to this cluster's configuration to see more.");
        }
        if (ro.notInstalled()) {
            parts.add("Argo Rollouts not installed on this cluster.");
        } else if (!ro.watched()) {
            parts.add("Argo rollouts not visible: you may not list them in " + String.join(", ",
                    ro.forbiddenNamespaces()) + " (403).");
        }
        if (ca.notInstalled()) {
            parts.add("Flagger not installed on this cluster.");
        } else if (!ca.watched()) {
            parts.add("Flagger canaries not visible: you may not list them in " + String.join(", ",
                    ca.forbiddenNamespaces()) + " (403).");
        }
        if (!ro.notInstalled()) {
            ClusterWatch.Coverage ar = coverage.get(ClusterWatch.Kind.ANALYSIS_RUNS);
            ClusterWatch.Coverage rs = coverage.get(ClusterWatch.Kind.REPLICA_SETS);
            if (!ar.watched()) {
                parts.add(ar.notInstalled() ? "AnalysisRuns are not installed (analysisruns.argoproj.io)."
                        : "Analysis runs not visible: you may not list analysisruns (403).");
            } else if (!ar.allNamespaces() && !ar.forbiddenNamespaces().isEmpty()) {
                parts.add("Analysis runs not visible in " + String.join(", ", ar.forbiddenNamespaces()) + " (403).");
            }
            if (!rs.watched()) {
                parts.add("Revisions not visible: you may not list replicasets (403).");
            } else if (!rs.allNamespaces() && !rs.forbiddenNamespaces().isEmpty()) {
                parts.add("Revisions not visible in " + String.join(", ", rs.forbiddenNamespaces()) + " (403).");
            }
        }
        return "Connected to " + server + ". " + String.join(" ", parts);
    }

    private String forbiddenMessage(Map<ClusterWatch.Kind, ClusterWatch.Coverage> coverage) {
        List<String> what = new ArrayList<>();
        for (ClusterWatch.Kind k : List.of(ClusterWatch.Kind.ROLLOUTS, ClusterWatch.Kind.CANARIES)) {
            if (coverage.get(k).forbiddenEverywhere()) {
                what.add(k.resource);
            }
        }
        return "You may not list " + String.join(" or ", what) + " across all namespaces, nor in namespace"
                + (fallbackNamespaces().size() > 1 ? "s " : " ") + String.join(", ", fallbackNamespaces())
                + " (403 Forbidden, context '" + ref.id() + "'). Ask your cluster admin for get, list and watch on "
                + what.stream().collect(Collectors.joining(", ")) + ", or add namespaces you may read to this "
                + "cluster's configuration.";
    }

    private static String human(Duration d) {
        long s = Math.max(1, Math.round(d.toMillis() / 1000.0));
        return s < 60 ? s + " s" : (s / 60) + " min" + (s % 60 == 0 ? "" : " " + s % 60 + " s");
    }

    private static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @Override
    public String toString() {
        return "KubeCluster[" + ref.id() + " " + status().state() + "]";
    }
}
