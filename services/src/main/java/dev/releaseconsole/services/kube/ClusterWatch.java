package dev.releaseconsole.services.kube;

import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.model.Strategy;
import dev.releaseconsole.services.model.WorkloadKind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * One connection's informers: Rollouts, AnalysisRuns, ReplicaSets (only those with the
 * {@code rollouts-pod-template-hash} label, i.e. Argo's) and Flagger Canaries, each across all namespaces when
 * listing there is allowed, else one informer per readable namespace. Informer callbacks only tell the
 * {@link RolloutPublisher} which rollout to re-map; an AnalysisRun or ReplicaSet change marks the Rollout that owns
 * it (by owner UID). Replaced as a whole when the connection is re-established.
 */
final class ClusterWatch {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterWatch.class);
    private static final String OWNER_INDEX = "rollout-owner";
    /** Informers list in pages of this size, so a large cluster does not need one huge response. */
    private static final long LIST_PAGE = 500;
    static final String ALL = "";

    /** What is watched, in the words a status message uses. */
    enum Kind {
        ROLLOUTS(KubeObjects.ROLLOUTS, "rollouts.argoproj.io"),
        ANALYSIS_RUNS(KubeObjects.ANALYSIS_RUNS, "analysisruns.argoproj.io"),
        REPLICA_SETS(KubeObjects.REPLICA_SETS, "replicasets.apps"),
        CANARIES(KubeObjects.CANARIES, "canaries.flagger.app");

        final ResourceDefinitionContext context;
        final String resource;

        Kind(ResourceDefinitionContext context, String resource) {
            this.context = context;
            this.resource = resource;
        }
    }

    /** How starting one informer went. */
    enum Result { OK, FORBIDDEN, NOT_INSTALLED, UNAUTHORIZED, FAILED }

    record Outcome(Result result, Throwable error) {
        static final Outcome OK = new Outcome(Result.OK, null);
    }

    /** Where one kind ended up being watched. */
    record Coverage(Kind kind, boolean allNamespaces, List<String> namespaces, boolean notInstalled,
                    List<String> forbiddenNamespaces) {
        boolean watched() {
            return allNamespaces || !namespaces.isEmpty();
        }

        boolean forbiddenEverywhere() {
            return !notInstalled && !watched();
        }
    }

    /** A failure that stops the whole connection (bad credentials, unreachable). */
    static final class ConnectFailure extends Exception {
        final Result result;

        ConnectFailure(Result result, Throwable cause) {
            super(cause);
            this.result = result;
        }
    }

    private final String clusterId;
    private final KubernetesClient client;
    private final RolloutPublisher publisher;
    private final Map<Kind, Map<String, SharedIndexInformer<GenericKubernetesResource>>> informers =
            new EnumMap<>(Kind.class);
    private final Map<String, RolloutRef> rolloutsByUid = new ConcurrentHashMap<>();
    private volatile boolean ready;
    private volatile boolean stopped;
    private volatile Throwable firstForbidden;

    ClusterWatch(String clusterId, KubernetesClient client, RolloutPublisher publisher) {
        this.clusterId = clusterId;
        this.client = client;
        this.publisher = publisher;
        for (Kind k : Kind.values()) {
            informers.put(k, new ConcurrentHashMap<>());
        }
    }

    boolean isReady() {
        return ready;
    }

    void markReady() {
        ready = true;
    }

    /** The first 403 seen while starting, whose message names the user and what they may not do. */
    Optional<Throwable> firstForbidden() {
        return Optional.ofNullable(firstForbidden);
    }

    /**
     * Starts every informer, across all namespaces where allowed and else per namespace of {@code fallback}, and
     * waits (on the caller's thread, which is the cluster's own) until each has listed or failed. A kind whose API
     * answers 404 is not installed. Throws when the credentials are rejected or the server cannot be reached.
     */
    Map<Kind, Coverage> start(List<String> fallback, Duration timeout) throws ConnectFailure, InterruptedException {
        Map<Kind, SharedIndexInformer<GenericKubernetesResource>> wide = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            wide.put(k, create(k, null));
        }
        Map<Kind, Outcome> first = awaitAll(wide, timeout);
        failFast(first.values());
        boolean argo = first.get(Kind.ROLLOUTS).result() != Result.NOT_INSTALLED;
        Map<Kind, Coverage> coverage = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            Outcome o = first.get(k);
            if (o.result() == Result.OK) {
                if (!argo && (k == Kind.ANALYSIS_RUNS || k == Kind.REPLICA_SETS)) {
                    stopInformer(k, ALL); // without Argo Rollouts there is nothing to link them to
                    coverage.put(k, new Coverage(k, false, List.of(), true, List.of()));
                } else {
                    coverage.put(k, new Coverage(k, true, List.of(), false, List.of()));
                }
            } else if (o.result() == Result.NOT_INSTALLED || (!argo && k != Kind.CANARIES)) {
                informers.get(k).remove(ALL);
                coverage.put(k, new Coverage(k, false, List.of(), true, List.of()));
            } else {
                informers.get(k).remove(ALL); // FORBIDDEN: fall back to the namespaces we may read
            }
        }
        Map<String, SharedIndexInformer<GenericKubernetesResource>> perNamespace = new LinkedHashMap<>();
        for (Kind k : Kind.values()) {
            if (!coverage.containsKey(k)) {
                for (String ns : fallback) {
                    perNamespace.put(k.name() + "/" + ns, create(k, ns));
                }
            }
        }
        Map<String, Outcome> second = awaitAll(perNamespace, timeout);
        failFast(second.values());
        for (Kind k : Kind.values()) {
            if (coverage.containsKey(k)) {
                continue;
            }
            List<String> ok = new ArrayList<>();
            List<String> forbidden = new ArrayList<>();
            boolean notInstalled = false;
            for (String ns : fallback) {
                Outcome o = second.get(k.name() + "/" + ns);
                if (o.result() == Result.OK) {
                    ok.add(ns);
                } else {
                    informers.get(k).remove(ns);
                    if (o.result() == Result.NOT_INSTALLED) {
                        notInstalled = true;
                    } else {
                        forbidden.add(ns);
                    }
                }
            }
            coverage.put(k, new Coverage(k, false, List.copyOf(ok), notInstalled && ok.isEmpty(),
                    List.copyOf(forbidden)));
        }
        return coverage;
    }

    private static void failFast(Collection<Outcome> outcomes) throws ConnectFailure {
        for (Outcome o : outcomes) {
            if (o.result() == Result.UNAUTHORIZED) {
                throw new ConnectFailure(Result.UNAUTHORIZED, o.error());
            }
        }
        for (Outcome o : outcomes) {
            if (o.result() == Result.FAILED) {
                throw new ConnectFailure(Result.FAILED, o.error());
            }
        }
    }

    private <K> Map<K, Outcome> awaitAll(Map<K, SharedIndexInformer<GenericKubernetesResource>> started,
                                         Duration timeout) throws InterruptedException {
        Map<K, java.util.concurrent.CompletableFuture<Void>> futures = new LinkedHashMap<>();
        started.forEach((k, inf) -> futures.put(k, inf.start().toCompletableFuture()));
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<K, Outcome> out = new LinkedHashMap<>();
        for (Map.Entry<K, java.util.concurrent.CompletableFuture<Void>> e : futures.entrySet()) {
            long left = Math.max(1, deadline - System.nanoTime());
            try {
                e.getValue().get(left, TimeUnit.NANOSECONDS);
                out.put(e.getKey(), Outcome.OK);
            } catch (ExecutionException ex) {
                Outcome o = outcome(ex.getCause());
                if (o.result() == Result.FORBIDDEN && firstForbidden == null) {
                    firstForbidden = ex.getCause();
                }
                out.put(e.getKey(), o);
            } catch (TimeoutException ex) {
                out.put(e.getKey(), new Outcome(Result.FAILED, new TimeoutException(
                        "listing did not finish within " + timeout.toSeconds() + " s")));
            }
        }
        return out;
    }

    static Outcome outcome(Throwable t) {
        if (ConnectionProblems.anonymous(t)) {
            return new Outcome(Result.UNAUTHORIZED, t); // no credentials were sent: not a permission problem
        }
        int code = ConnectionProblems.code(t);
        switch (code) {
            case 401:
                return new Outcome(Result.UNAUTHORIZED, t);
            case 403:
                return new Outcome(Result.FORBIDDEN, t);
            case 404:
                return new Outcome(Result.NOT_INSTALLED, t);
            default:
                return new Outcome(Result.FAILED, t);
        }
    }

    /** Creates (but does not start) the informer for {@code kind} in {@code namespace} (null: all namespaces). */
    private SharedIndexInformer<GenericKubernetesResource> create(Kind kind, String namespace) {
        var op = client.genericKubernetesResources(kind.context);
        FilterWatchListDeletable<GenericKubernetesResource, GenericKubernetesResourceList,
                Resource<GenericKubernetesResource>> scoped = namespace == null ? op.inAnyNamespace()
                : op.inNamespace(namespace);
        if (kind == Kind.REPLICA_SETS) {
            scoped = scoped.withLabel(KubeObjects.POD_TEMPLATE_HASH);
        }
        SharedIndexInformer<GenericKubernetesResource> informer = scoped.withLimit(LIST_PAGE).runnableInformer(0);
        if (kind == Kind.ANALYSIS_RUNS || kind == Kind.REPLICA_SETS) {
            informer.addIndexers(Map.of(OWNER_INDEX, KubeObjects::rolloutOwnerUids));
        }
        informer.addEventHandler(handler(kind, namespace));
        informer.exceptionHandler((started, t) -> {
            int code = ConnectionProblems.code(t);
            if (code == 410) {
                return !stopped; // Gone: the resourceVersion was compacted; a fresh list is the cure, even at start
            }
            // keep retrying a watch that was running unless the credentials or permissions are gone;
            // the cluster's health check notices a stopped informer and reconnects
            return started && code != 401 && code != 403 && !stopped;
        });
        informers.get(kind).put(namespace == null ? ALL : namespace, informer);
        return informer;
    }

    private ResourceEventHandler<GenericKubernetesResource> handler(Kind kind, String namespace) {
        WorkloadKind workload = kind == Kind.CANARIES ? WorkloadKind.FLAGGER_CANARY : WorkloadKind.ARGO_ROLLOUT;
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(GenericKubernetesResource obj) {
                changed(obj);
            }

            @Override
            public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {
                String before = oldObj.getMetadata() == null ? null : oldObj.getMetadata().getResourceVersion();
                String after = newObj.getMetadata() == null ? null : newObj.getMetadata().getResourceVersion();
                if (before == null || !before.equals(after)) {
                    changed(newObj);
                }
            }

            @Override
            public void onDelete(GenericKubernetesResource obj, boolean deletedFinalStateUnknown) {
                if (kind == Kind.ROLLOUTS) {
                    String uid = KubeObjects.uid(obj);
                    if (uid != null) {
                        rolloutsByUid.remove(uid);
                    }
                }
                changed(obj);
            }

            @Override
            public void onList(String resourceVersion, boolean remainedEmpty) {
                if (kind == Kind.ROLLOUTS || kind == Kind.CANARIES) {
                    publisher.resync(ClusterWatch.this, publisher.scope(workload, namespace));
                } else {
                    rolloutsByUid.values().stream()
                            .filter(ref -> namespace == null || ref.namespace().equals(namespace))
                            .forEach(ref -> publisher.dirty(ClusterWatch.this, ref));
                }
            }

            private void changed(GenericKubernetesResource obj) {
                if (kind == Kind.ROLLOUTS || kind == Kind.CANARIES) {
                    RolloutRef ref = new RolloutRef(clusterId, KubeObjects.namespace(obj), KubeObjects.name(obj),
                            workload);
                    String uid = KubeObjects.uid(obj);
                    if (kind == Kind.ROLLOUTS && uid != null && obj.getMetadata().getDeletionTimestamp() == null) {
                        rolloutsByUid.put(uid, ref);
                    }
                    publisher.dirty(ClusterWatch.this, ref);
                } else {
                    for (String uid : KubeObjects.rolloutOwnerUids(obj)) {
                        RolloutRef owner = rolloutsByUid.get(uid);
                        if (owner != null) {
                            publisher.dirty(ClusterWatch.this, owner);
                        }
                    }
                }
            }
        };
    }

    /** The rollout as the caches hold it now, or null when it is gone. */
    Rollout map(RolloutRef ref) {
        if (ref.kind() == WorkloadKind.FLAGGER_CANARY) {
            return find(Kind.CANARIES, ref.namespace(), ref.name()).map(this::mapCanary).orElse(null);
        }
        return find(Kind.ROLLOUTS, ref.namespace(), ref.name()).map(this::mapRollout).orElse(null);
    }

    /** Every rollout in {@code scope} as the caches hold them now. */
    List<Rollout> mapAll(Predicate<RolloutRef> scope) {
        List<Rollout> out = new ArrayList<>();
        for (Kind kind : List.of(Kind.ROLLOUTS, Kind.CANARIES)) {
            WorkloadKind workload = kind == Kind.CANARIES ? WorkloadKind.FLAGGER_CANARY : WorkloadKind.ARGO_ROLLOUT;
            for (SharedIndexInformer<GenericKubernetesResource> inf : informers.get(kind).values()) {
                for (GenericKubernetesResource obj : inf.getStore().list()) {
                    RolloutRef ref = new RolloutRef(clusterId, KubeObjects.namespace(obj), KubeObjects.name(obj),
                            workload);
                    if (scope.test(ref)) {
                        out.add(kind == Kind.CANARIES ? mapCanary(obj) : mapRollout(obj));
                    }
                }
            }
        }
        return out;
    }

    private Optional<GenericKubernetesResource> find(Kind kind, String namespace, String name) {
        Map<String, SharedIndexInformer<GenericKubernetesResource>> byNs = informers.get(kind);
        SharedIndexInformer<GenericKubernetesResource> inf = byNs.containsKey(ALL) ? byNs.get(ALL)
                : byNs.get(namespace);
        return inf == null ? Optional.empty() : Optional.ofNullable(inf.getStore().getByKey(namespace + "/" + name));
    }

    private List<GenericKubernetesResource> owned(Kind kind, String namespace, String uid) {
        Map<String, SharedIndexInformer<GenericKubernetesResource>> byNs = informers.get(kind);
        SharedIndexInformer<GenericKubernetesResource> inf = byNs.containsKey(ALL) ? byNs.get(ALL)
                : byNs.get(namespace);
        if (inf == null || uid == null) {
            return List.of();
        }
        return inf.getIndexer().byIndex(OWNER_INDEX, uid).stream()
                .filter(o -> Objects.equals(KubeObjects.namespace(o), namespace)).toList();
    }

    private Rollout mapRollout(GenericKubernetesResource ro) {
        try {
            String uid = KubeObjects.uid(ro);
            return ArgoRolloutMapper.map(clusterId, ro, owned(Kind.REPLICA_SETS, KubeObjects.namespace(ro), uid),
                    owned(Kind.ANALYSIS_RUNS, KubeObjects.namespace(ro), uid));
        } catch (RuntimeException e) {
            return unreadable(ro, WorkloadKind.ARGO_ROLLOUT, Strategy.CANARY, e);
        }
    }

    private Rollout mapCanary(GenericKubernetesResource c) {
        try {
            return FlaggerCanaryMapper.map(clusterId, c);
        } catch (RuntimeException e) {
            return unreadable(c, WorkloadKind.FLAGGER_CANARY, Strategy.FLAGGER_CANARY, e);
        }
    }

    /** A mapper bug must not hide the object: show its name with the reason it could not be read. */
    private Rollout unreadable(GenericKubernetesResource obj, WorkloadKind kind, Strategy strategy,
                               RuntimeException e) {
        LOG.warn("could not map {} {}/{}", kind.kind(), KubeObjects.namespace(obj), KubeObjects.name(obj), e);
        return Rollout.builder(new RolloutRef(clusterId, KubeObjects.namespace(obj), KubeObjects.name(obj), kind),
                        strategy)
                .phase("Unknown", "")
                .readProblems(List.of("the console could not read this object ("
                        + ConnectionProblems.shortMessage(e) + ")"))
                .build();
    }

    /** The first informer that stopped for good, with why; empty while all run. */
    Optional<Throwable> stoppedInformer() {
        for (Map<String, SharedIndexInformer<GenericKubernetesResource>> byNs : informers.values()) {
            for (SharedIndexInformer<GenericKubernetesResource> inf : byNs.values()) {
                var stoppedFuture = inf.stopped().toCompletableFuture();
                if (stoppedFuture.isDone()) {
                    try {
                        stoppedFuture.getNow(null);
                        return Optional.of(new IllegalStateException("a watch stopped"));
                    } catch (RuntimeException e) {
                        return Optional.of(ConnectionProblems.unwrap(e));
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** True when every informer has a live watch. */
    boolean allWatching() {
        for (Map<String, SharedIndexInformer<GenericKubernetesResource>> byNs : informers.values()) {
            for (SharedIndexInformer<GenericKubernetesResource> inf : byNs.values()) {
                if (!inf.isWatching()) {
                    return false;
                }
            }
        }
        return true;
    }

    private void stopInformer(Kind kind, String namespace) {
        SharedIndexInformer<GenericKubernetesResource> inf = informers.get(kind).remove(namespace);
        if (inf != null) {
            inf.stop();
        }
    }

    /** Stops every informer; the watch is finished. */
    void stop() {
        stopped = true;
        ready = false;
        for (Map<String, SharedIndexInformer<GenericKubernetesResource>> byNs : informers.values()) {
            for (SharedIndexInformer<GenericKubernetesResource> inf : byNs.values()) {
                try {
                    inf.stop();
                } catch (RuntimeException e) {
                    LOG.debug("stopping an informer failed", e);
                }
            }
            byNs.clear();
        }
    }
}
