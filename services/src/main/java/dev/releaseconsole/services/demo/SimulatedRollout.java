package dev.releaseconsole.services.demo;

import dev.releaseconsole.services.actions.ActionException;
import dev.releaseconsole.services.actions.ActionInput;
import dev.releaseconsole.services.actions.ActionType;
import dev.releaseconsole.services.model.Revision;
import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.model.RolloutEvent;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.model.Strategy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The mutable state of one simulated rollout and the controller that drives it. Not thread-safe: the world calls it
 * under its lock. {@link #tick} lets one simulated second pass; {@link #perform} applies what a console request
 * patches and lets the controller react at once, as a watch-triggered reconcile would.
 */
abstract class SimulatedRollout {
    /** Healthy services ship a new build every 15 to 25 simulated minutes. */
    private static final Duration RELEASE_GAP = Duration.ofMinutes(15);
    private static final Duration RELEASE_JITTER = Duration.ofMinutes(10);
    /** A stable release has been serving for long enough that any regression is fully developed. */
    private static final Duration LONG_SERVING = Duration.ofHours(1);
    private static final int RETIRED_REVISIONS_SHOWN = 2;

    protected final Workload workload;
    protected final SplittableRandom random;
    protected final TrafficModel traffic;
    protected Release stable;
    protected Release current;
    protected long generation = 1;
    /** The GitOps application that owns this rollout in the demo story, or null. */
    private String managedBy;
    protected long observedGeneration = 1;
    private final Deque<Release> retired = new ArrayDeque<>();
    private Instant canaryTrafficSince;
    private Instant nextReleaseAt;
    private final List<RolloutEvent> pendingEvents = new ArrayList<>();

    protected SimulatedRollout(Workload workload, SplittableRandom random, Release stable) {
        this.workload = workload;
        this.random = random;
        this.traffic = new TrafficModel(workload.traffic(), random.split());
        this.stable = stable;
        this.current = stable;
    }

    final RolloutRef ref() {
        return workload.ref();
    }

    final TrafficModel traffic() {
        return traffic;
    }

    final boolean updating() {
        return !current.equals(stable);
    }

    /** One simulated second: pods, controller, an automatic release when one is due, then one traffic sample. */
    final void tick(Instant now) {
        advance(now);
        if (!updating() && nextReleaseAt != null && !now.isBefore(nextReleaseAt) && mayStartRelease()) {
            startRelease(now, stable.next(random));
        }
        int weight = canaryTrafficWeight();
        if (weight == 0) {
            canaryTrafficSince = null;
        } else if (canaryTrafficSince == null) {
            canaryTrafficSince = now;
        }
        sampleTraffic(now, weight);
    }

    /** Metric history before the world's start, assuming the current weights held since the update began. */
    final void sampleHistory(Instant t) {
        boolean canaryLive = canaryTrafficSince != null && !t.isBefore(canaryTrafficSince);
        sampleTraffic(t, canaryLive ? canaryTrafficWeight() : 0);
    }

    /** Applies {@code action} (already checked against state and permissions) and returns the requests sent. */
    abstract String perform(ActionType action, ActionInput input, Instant now) throws ActionException;

    /** The rollout as its controller would report it now. */
    abstract Rollout snapshot();

    /** Brings controller state up to {@code now} when the initial scene has work that began in the past. */
    void catchUp(Instant now) {
    }

    /** Pods, traffic shifting, analysis and the controller's reconcile for one second. */
    protected abstract void advance(Instant now);

    /** Percent of user traffic the current (not yet stable) release receives. */
    protected abstract int canaryTrafficWeight();

    protected abstract void onReleaseStarted(Instant now);

    /** Step index to put on events, or -1 where the strategy has no steps. */
    protected int eventStepIndex() {
        return -1;
    }

    protected boolean mayStartRelease() {
        return true;
    }

    final void startRelease(Instant now, Release next) {
        current = next;
        canaryTrafficSince = null;
        nextReleaseAt = null;
        onReleaseStarted(now);
        event(now, "RolloutUpdated", "Rollout updated to revision " + next.revision() + " ("
                + next.image(workload.imageRepository()) + ")");
    }

    /** For the initial scene: the release after the stable one, with a hand-picked version and behaviour. */
    final Release nextRelease(String version, Release.Quality quality) {
        return Release.of(stable.revision() + 1, version, quality, random);
    }

    /** For the initial scene: the current release has served canary traffic since {@code since}. */
    final void beginUpdate(Release next, Instant since) {
        startRelease(since, next);
        canaryTrafficSince = since;
    }

    final void scheduleNextRelease(Instant at) {
        nextReleaseAt = at;
    }

    /**
     * {@code kubectl argo rollouts undo}: the pod template goes back to {@code revision}'s. Back to the stable one
     * during an update, the update is dropped (the controller finds the stable ReplicaSet already serves that
     * template); back to a retired one, its ReplicaSet is reused under the next revision number, as Argo does.
     */
    final void undoTo(long revision, Instant now) throws ActionException {
        generation++;
        if (revision == stable.revision()) {
            dropUpdate(now);
            current = stable;
            event(now, "RolloutUpdated", "Rollout updated back to stable revision " + stable.revision() + " ("
                    + stable.image(workload.imageRepository()) + ")");
            return;
        }
        Release old = retired.stream().filter(r -> r.revision() == revision).findFirst()
                .orElseThrow(() -> new ActionException(ActionException.Reason.NOT_FOUND,
                        "revision " + revision + " is not kept any more"));
        retired.remove(old);
        if (updating()) {
            dropUpdate(now);
        }
        int next = Math.max(current.revision(), stable.revision()) + 1;
        startRelease(now, new Release(next, old.podHash(), old.version(), old.quality()));
    }

    /** Scales the update's pods and traffic away without marking the rollout aborted. */
    protected abstract void dropUpdate(Instant now);

    /** The update finished: the current release becomes stable and the next one is planned. */
    protected final void promoteCurrentToStable(Instant now) {
        retired.addFirst(stable);
        while (retired.size() > RETIRED_REVISIONS_SHOWN) {
            retired.removeLast();
        }
        stable = current;
        nextReleaseAt = now.plus(RELEASE_GAP).plusSeconds(random.nextLong(RELEASE_JITTER.toSeconds()));
    }

    protected final void event(Instant time, String reason, String message) {
        pendingEvents.add(new RolloutEvent(ref(), time, reason, message, eventStepIndex(), canaryTrafficWeight()));
    }

    final List<RolloutEvent> drainEvents() {
        List<RolloutEvent> out = List.copyOf(pendingEvents);
        pendingEvents.clear();
        return out;
    }

    protected final Revision revision(Release release, String role, int replicas, int ready) {
        return new Revision(release.revision(), release.podHash(),
                List.of(release.image(workload.imageRepository())), role, replicas, ready);
    }

    /** Replaced ReplicaSets, scaled to zero, newest first. */
    protected final List<Revision> retiredRevisions() {
        return retired.stream().map(r -> revision(r, "old", 0, 0)).toList();
    }

    protected final int replicas() {
        return workload.replicas();
    }

    protected final Rollout.Builder baseSnapshot() {
        return Rollout.builder(ref(), strategy())
                .createdAt(workload.createdAt())
                .generation(generation)
                .observedGeneration(observedGeneration)
                .currentPodHash(current.podHash())
                .stableRS(stable.podHash())
                .desiredReplicas(replicas())
                .managedBy(managedBy);
    }

    final void managedBy(String owner) {
        managedBy = owner;
    }

    protected abstract Strategy strategy();

    private void sampleTraffic(Instant t, int canaryWeight) {
        Duration canaryServing = canaryTrafficSince == null ? Duration.ZERO
                : Duration.between(canaryTrafficSince, t);
        traffic.sample(t, canaryWeight, current.behaviour(canaryServing), stable.behaviour(LONG_SERVING));
    }
}
