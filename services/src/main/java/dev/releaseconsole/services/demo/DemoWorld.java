package dev.releaseconsole.services.demo;

import dev.releaseconsole.services.actions.ActionException;
import dev.releaseconsole.services.actions.ActionInput;
import dev.releaseconsole.services.actions.ActionType;
import dev.releaseconsole.services.actions.FlagProvider;
import dev.releaseconsole.services.actions.PermissionChecker;
import dev.releaseconsole.services.actions.RolloutBackend;
import dev.releaseconsole.services.actions.RolloutStateRules;
import dev.releaseconsole.services.actions.Verdict;
import dev.releaseconsole.services.metrics.AnalysisTemplateSource;
import dev.releaseconsole.services.flags.registry.FlagRegistryParser;
import dev.releaseconsole.services.flags.registry.RegistryException;
import dev.releaseconsole.services.flags.registry.RegistryJoin;
import dev.releaseconsole.services.metrics.MetricsSource;
import dev.releaseconsole.services.model.ClusterRef;
import dev.releaseconsole.services.model.ClusterStatus;
import dev.releaseconsole.services.model.FlagProviderStatus;
import dev.releaseconsole.services.model.FlagRegistry;
import dev.releaseconsole.services.model.ConnectionState;
import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.model.RolloutEvent;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.store.LiveState;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
    private final DemoTemplates templates;

    public DemoWorld(long seed, Instant start, LiveState state) {
        this.seed = seed;
        this.clock = new SimulatedClock(start);
        this.state = state;
        DemoScenario.rollouts(start, new SplittableRandom(seed)).forEach(r -> rollouts.put(r.ref(), r));
        DemoScenario.CLUSTERS.forEach(c -> backends.put(c.id(), new DemoBackend(this, c)));
        if (!state.flagRegistry().configured()) {
            state.publishFlagRegistry(bundledRegistry(start));
        }
        this.flags = new DemoFlags(lock, state, clock, DemoScenario.flags(start), DemoScenario.flagHistory(start),
                new RegistryJoin(state));
        this.metrics = new DemoMetrics(lock, rollouts);
        this.templates = new DemoTemplates(lock, rollouts);
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

    /**
     * Publishes the demo's flags again through the registry join: after the registry in the live state changed
     * (a reload, or a configured registry replacing the bundled one).
     */
    public void republishFlags() {
        flags.publishAll();
    }

    /** The demo's own flag registry ({@value DemoScenario#REGISTRY_RESOURCE}), used while none is configured. */
    public static FlagRegistry bundledRegistry(Instant loadedAt) {
        try {
            return FlagRegistryParser.parse(bundledRegistryText(), "the demo's " + DemoScenario.REGISTRY_RESOURCE
                    .substring(DemoScenario.REGISTRY_RESOURCE.lastIndexOf('/') + 1), loadedAt);
        } catch (RegistryException e) {
            throw new IllegalStateException("the demo flag registry does not parse: " + e.getMessage(), e);
        }
    }

    /** The text of the demo's flag registry: the example of the format the README points to. */
    public static String bundledRegistryText() {
        try (var in = DemoWorld.class.getResourceAsStream(DemoScenario.REGISTRY_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the demo flag registry " + DemoScenario.REGISTRY_RESOURCE
                        + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public PermissionChecker permissions() {
        return permissions;
    }

    public MetricsSource metrics() {
        return metrics;
    }

    /** The simulated analysis templates of its rollouts, with the queries a real template would run. */
    public AnalysisTemplateSource templates() {
        return templates;
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
