package dev.releaseconsole.services.kube;

import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.model.RolloutEvent;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.model.WorkloadKind;
import dev.releaseconsole.services.store.LiveState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * The one writer of a cluster's rollouts into {@link LiveState}. Informer callbacks only mark rollouts dirty (or ask
 * for a re-list of a scope); a single thread per cluster maps each dirty rollout from the informers' current caches
 * and publishes it, so bursts coalesce (ten AnalysisRun updates in a row re-map their rollout once or twice), a
 * rollout is never published from a stale view, and events are derived in order from consecutive snapshots.
 *
 * <p>After a list (the first one, or a re-list after a watch gap or 410 Gone) the whole scope is published with
 * {@link dev.releaseconsole.services.store.KeyedStore#replaceAll}, so rollouts deleted meanwhile disappear.
 */
final class RolloutPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(RolloutPublisher.class);

    /** What a scope-wide republish covers and where its rollouts come from. */
    private record Resync(ClusterWatch origin, Predicate<RolloutRef> scope) {
    }

    private final String clusterId;
    private final LiveState state;
    private final Clock clock;
    private final ExecutorService executor;
    private final Set<RolloutRef> dirty = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<Resync> resyncs = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile ClusterWatch sources;
    /** The last published snapshot per rollout; touched only on the publisher thread. */
    private final Map<RolloutRef, Rollout> previous = new HashMap<>();

    RolloutPublisher(String clusterId, LiveState state, Clock clock) {
        this.clusterId = clusterId;
        this.state = state;
        this.clock = clock;
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "kube-" + clusterId + "-publish");
            t.setDaemon(true);
            return t;
        });
    }

    /** Everything of this cluster (both kinds, all namespaces). */
    Predicate<RolloutRef> clusterScope() {
        return ref -> ref.cluster().equals(clusterId);
    }

    /** One kind in one namespace, or in all namespaces when {@code namespace} is null. */
    Predicate<RolloutRef> scope(WorkloadKind kind, String namespace) {
        return ref -> ref.cluster().equals(clusterId) && ref.kind() == kind
                && (namespace == null || ref.namespace().equals(namespace));
    }

    /** Makes {@code watch} the source of truth; nothing is published from it until it is {@link #ready}. */
    void attach(ClusterWatch watch) {
        sources = watch;
        dirty.clear();
        resyncs.clear();
    }

    /** The watch has listed everything: publish the whole cluster from it, replacing what was there. */
    void ready(ClusterWatch watch) {
        if (sources == watch) {
            resyncs.clear();
            dirty.clear();
            resyncs.add(new Resync(watch, clusterScope()));
            schedule();
        }
    }

    void detach(ClusterWatch watch) {
        if (sources == watch) {
            sources = null;
        }
    }

    void dirty(ClusterWatch origin, RolloutRef ref) {
        if (origin == sources) {
            dirty.add(ref);
            schedule();
        }
    }

    void resync(ClusterWatch origin, Predicate<RolloutRef> scope) {
        if (origin == sources) {
            resyncs.add(new Resync(origin, scope));
            schedule();
        }
    }

    /** Stops publishing and removes this cluster's rollouts from the live state. */
    void shutdown() {
        sources = null;
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        state.rollouts().replaceAll(clusterScope(), List.of());
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                executor.execute(this::drain);
            } catch (RejectedExecutionException e) {
                scheduled.set(false); // shut down
            }
        }
    }

    private void drain() {
        scheduled.set(false);
        ClusterWatch watch = sources;
        if (watch == null || !watch.isReady()) {
            return; // the resync on ready() covers whatever was marked meanwhile
        }
        try {
            Resync r;
            while ((r = resyncs.poll()) != null) {
                if (r.origin() == watch) {
                    republish(watch, r.scope());
                }
            }
            if (!dirty.isEmpty()) {
                List<Rollout> batch = new ArrayList<>();
                List<RolloutEvent> events = new ArrayList<>();
                Instant now = clock.instant();
                for (Iterator<RolloutRef> it = dirty.iterator(); it.hasNext(); ) {
                    RolloutRef ref = it.next();
                    it.remove();
                    Rollout mapped = watch.map(ref);
                    Rollout before = previous.get(ref);
                    if (mapped == null) {
                        if (before != null || state.rollouts().get(ref).isPresent()) {
                            previous.remove(ref);
                            state.rollouts().remove(ref);
                        }
                        continue;
                    }
                    Rollout next = withStepStart(before, mapped, now);
                    events.addAll(RolloutEvents.diff(before, next, now));
                    previous.put(ref, next);
                    batch.add(next);
                }
                state.rollouts().upsertAll(batch);
                events.forEach(state::recordEvent);
            }
        } catch (RuntimeException e) {
            LOG.error("publishing rollouts of cluster {} failed", clusterId, e);
        }
    }

    /** A list completed: publish the scope afresh so what was deleted meanwhile disappears. */
    private void republish(ClusterWatch watch, Predicate<RolloutRef> scope) {
        Instant now = clock.instant();
        List<Rollout> fresh = new ArrayList<>();
        List<RolloutEvent> events = new ArrayList<>();
        for (Rollout mapped : watch.mapAll(scope)) {
            Rollout before = previous.get(mapped.ref());
            Rollout next = withStepStart(before, mapped, now);
            events.addAll(RolloutEvents.diff(before, next, now));
            fresh.add(next);
        }
        previous.keySet().removeIf(scope);
        fresh.forEach(r -> previous.put(r.ref(), r));
        dirty.removeIf(scope);
        state.rollouts().replaceAll(scope, fresh);
        events.forEach(state::recordEvent);
    }

    /**
     * The CR does not record when a canary step began (except a pause step's condition and a step analysis's
     * start, which the mapper reads). Where it does not, the step's start is when the watch saw the step change;
     * for a rollout first seen mid-step it stays unknown.
     */
    static Rollout withStepStart(Rollout before, Rollout mapped, Instant now) {
        if (mapped.stepStartedAt() != null || mapped.currentStepIndex() == null
                || mapped.ref().kind() != WorkloadKind.ARGO_ROLLOUT) {
            return mapped;
        }
        if (before == null) {
            return mapped;
        }
        boolean sameStep = Objects.equals(before.currentStepIndex(), mapped.currentStepIndex())
                && Objects.equals(before.currentPodHash(), mapped.currentPodHash());
        Instant since = sameStep ? before.stepStartedAt() : now;
        return since == null ? mapped : mapped.toBuilder().stepStartedAt(since).build();
    }
}
