package dev.releaseconsole.services.demo;

import dev.releaseconsole.services.actions.ActionException;
import dev.releaseconsole.services.actions.ActionInput;
import dev.releaseconsole.services.actions.ActionType;
import dev.releaseconsole.services.actions.FlagProvider;
import dev.releaseconsole.services.actions.PermissionChecker;
import dev.releaseconsole.services.actions.RolloutBackend;
import dev.releaseconsole.services.actions.RolloutStateRules;
import dev.releaseconsole.services.actions.Verdict;
import dev.releaseconsole.services.metrics.MetricsSource;
import dev.releaseconsole.services.model.ClusterRef;
import dev.releaseconsole.services.model.ClusterStatus;
import dev.releaseconsole.services.model.FlagProviderStatus;
import dev.releaseconsole.services.model.ConnectionState;
import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.model.RolloutEvent;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.store.LiveState;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * A simulated release floor: two clusters with Argo Rollouts and Flagger canaries, their traffic and metrics, a
 * flag provider and the demo user's permissions, all on a simulated clock. Fully determined by the seed: every
 * random draw comes from {@link SplittableRandom}s split from it, never from the wall clock.
 *
 * <p>Thread-safe: {@link #tick()} (from a scheduler) and actions (from UI background threads) take one lock, and
 * every change is published to the {@link LiveState} while it is held, so the store never sees states out of order.
 */
public final class DemoWorld {
    /** Metric history that exists when the world starts, so charts are not empty. */
    public static final Duration HISTORY_AT_START = Duration.ofMinutes(10);
    private static final Duration TICK = Duration.ofSeconds(1);

    private final Object lock = new Object();
    private final long seed;
    private final SimulatedClock clock;
    private final LiveState state;
    private final Map<RolloutRef, SimulatedRollout> rollouts = new LinkedHashMap<>();
    private final Map<String, RolloutBackend> backends = new LinkedHashMap<>();
    private final DemoPermissions permissions = new DemoPermissions(DemoScenario.READ_ONLY_NAMESPACES);
    private final DemoFlags flags;
    private final DemoMetrics metrics;

    public DemoWorld(long seed, Instant start, LiveState state) {
        this.seed = seed;
        this.clock = new SimulatedClock(start);
        this.state = state;
        DemoScenario.rollouts(start, new SplittableRandom(seed)).forEach(r -> rollouts.put(r.ref(), r));
        DemoScenario.CLUSTERS.forEach(c -> backends.put(c.id(), new DemoBackend(this, c)));
        this.flags = new DemoFlags(lock, state, DemoScenario.flags());
        this.metrics = new DemoMetrics(lock, rollouts);
        synchronized (lock) {
            for (Instant t = start.minus(HISTORY_AT_START).plus(TICK); !t.isAfter(start); t = t.plus(TICK)) {
                Instant sampleAt = t;
                rollouts.values().forEach(r -> r.sampleHistory(sampleAt));
            }
            rollouts.values().forEach(r -> r.catchUp(start));
            state.clusters().upsertAll(DemoScenario.CLUSTERS.stream()
                    .map(c -> new ClusterStatus(c, ConnectionState.CONNECTED, "simulated")).toList());
            publish(rollouts.values());
            flags.publishAll();
            state.flagProviders().upsert(new FlagProviderStatus(DemoFlags.PROVIDER_ID, flags.kind(),
                    ConnectionState.CONNECTED, "simulated", start));
        }
    }

    public List<ClusterRef> clusters() {
        return DemoScenario.CLUSTERS;
    }

    /** The backend of one simulated cluster. */
    public RolloutBackend backend(String clusterId) {
        RolloutBackend backend = backends.get(clusterId);
        if (backend == null) {
            throw new IllegalArgumentException("the demo world has no cluster " + clusterId + "; it has "
                    + String.join(", ", backends.keySet()));
        }
        return backend;
    }

    /** Every cluster's backend by cluster id, as {@code ReleaseActions} takes them. */
    public Map<String, RolloutBackend> backends() {
        return Map.copyOf(backends);
    }

    public FlagProvider flags() {
        return flags;
    }

    public PermissionChecker permissions() {
        return permissions;
    }

    public MetricsSource metrics() {
        return metrics;
    }

    /** Simulated time: starts at the constructor's {@code start} and moves one second per tick. */
    public Clock clock() {
        return clock;
    }

    public long seed() {
        return seed;
    }

    /** Lets one simulated second pass and publishes what changed. */
    public void tick() {
        synchronized (lock) {
            Instant now = clock.advance(TICK);
            rollouts.values().forEach(r -> r.tick(now));
            publish(rollouts.values());
        }
    }

    /** Ticks once per whole second of {@code d}; other threads may act between ticks. */
    public void advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("simulated time cannot go backwards: " + d);
        }
        for (long i = 0; i < d.toSeconds(); i++) {
            tick();
        }
    }

    Optional<Rollout> read(RolloutRef ref) {
        synchronized (lock) {
            return Optional.ofNullable(rollouts.get(ref)).map(SimulatedRollout::snapshot);
        }
    }

    /**
     * Sends {@code action} to the simulated controller: refused as the API server would (access) or as the
     * controller's state allows, otherwise applied and published at once.
     */
    String perform(ActionType action, RolloutRef ref, ActionInput input) throws ActionException {
        synchronized (lock) {
            SimulatedRollout rollout = rollouts.get(ref);
            if (rollout == null) {
                throw new ActionException(ActionException.Reason.NOT_FOUND, "rollout " + ref + " not found");
            }
            Verdict access = permissions.mayPerform(action, ref);
            if (access.isRefused()) {
                throw new ActionException(ActionException.Reason.DENIED, access.reason());
            }
            Verdict byState = RolloutStateRules.check(action, rollout.snapshot(), input);
            if (byState.isRefused()) {
                throw new ActionException(ActionException.Reason.INVALID, byState.reason());
            }
            String sent = rollout.perform(action, input, clock.instant());
            publish(List.of(rollout));
            return sent;
        }
    }

    /** Called with the lock held: one batch of snapshots, then the events in time order. */
    private void publish(Collection<SimulatedRollout> changed) {
        List<Rollout> snapshots = new ArrayList<>(changed.size());
        List<RolloutEvent> events = new ArrayList<>();
        for (SimulatedRollout r : changed) {
            snapshots.add(r.snapshot());
            events.addAll(r.drainEvents());
        }
        state.rollouts().upsertAll(snapshots);
        events.sort(Comparator.comparing(RolloutEvent::time));
        events.forEach(state::recordEvent);
    }
}
