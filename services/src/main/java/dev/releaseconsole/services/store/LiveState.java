package dev.releaseconsole.services.store;

import dev.releaseconsole.services.analysis.CanaryVerdict;
import dev.releaseconsole.services.model.ClusterStatus;
import dev.releaseconsole.services.model.Flag;
import dev.releaseconsole.services.model.FlagProviderStatus;
import dev.releaseconsole.services.model.FlagRef;
import dev.releaseconsole.services.model.FlagRegistry;
import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.model.RolloutEvent;
import dev.releaseconsole.services.model.RolloutRef;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Everything the console currently knows, as the sources last reported it: rollouts, flags, cluster connection
 * states, a bounded history of rollout events per rollout, the live canary verdicts, and the flag registry as last
 * loaded.
 */
public final class LiveState {
    /** Per rollout, the newest events kept for the timeline and chart markers. */
    public static final int EVENTS_PER_ROLLOUT = 200;

    private final KeyedStore<RolloutRef, Rollout> rollouts = new KeyedStore<>(Rollout::ref);
    private final KeyedStore<FlagRef, Flag> flags = new KeyedStore<>(Flag::ref);
    private final KeyedStore<String, ClusterStatus> clusters = new KeyedStore<>(c -> c.cluster().id());
    private final KeyedStore<String, FlagProviderStatus> flagProviders = new KeyedStore<>(FlagProviderStatus::id);
    private final KeyedStore<RolloutRef, CanaryVerdict> verdicts = new KeyedStore<>(CanaryVerdict::rollout);
    private final Map<RolloutRef, Deque<RolloutEvent>> events = new ConcurrentHashMap<>();
    private final List<Consumer<RolloutEvent>> eventListeners = new CopyOnWriteArrayList<>();
    private volatile FlagRegistry flagRegistry = FlagRegistry.NONE;
    private final List<Consumer<FlagRegistry>> registryListeners = new CopyOnWriteArrayList<>();

    public KeyedStore<RolloutRef, Rollout> rollouts() {
        return rollouts;
    }

    public KeyedStore<FlagRef, Flag> flags() {
        return flags;
    }

    public KeyedStore<String, ClusterStatus> clusters() {
        return clusters;
    }

    /** Each configured flag provider's connection state. */
    public KeyedStore<String, FlagProviderStatus> flagProviders() {
        return flagProviders;
    }

    /** The canary judge's latest verdict per rollout under way (see {@code analysis.CanaryJudgeService}). */
    public KeyedStore<RolloutRef, CanaryVerdict> verdicts() {
        return verdicts;
    }

    public void recordEvent(RolloutEvent event) {
        Deque<RolloutEvent> q = events.computeIfAbsent(event.rollout(), k -> new ArrayDeque<>());
        synchronized (q) {
            q.addLast(event);
            while (q.size() > EVENTS_PER_ROLLOUT) {
                q.removeFirst();
            }
        }
        eventListeners.forEach(l -> l.accept(event));
    }

    /** Events of one rollout, oldest first. */
    public List<RolloutEvent> events(RolloutRef ref) {
        Deque<RolloutEvent> q = events.get(ref);
        if (q == null) {
            return List.of();
        }
        synchronized (q) {
            return List.copyOf(q);
        }
    }

    public void addEventListener(Consumer<RolloutEvent> listener) {
        eventListeners.add(listener);
    }

    /** The flag registry as last loaded ({@link FlagRegistry#NONE} when none is configured). */
    public FlagRegistry flagRegistry() {
        return flagRegistry;
    }

    /** Replaces the registry (after a load or a failed reload) and tells the listeners, on the caller's thread. */
    public void publishFlagRegistry(FlagRegistry registry) {
        flagRegistry = java.util.Objects.requireNonNull(registry, "registry");
        registryListeners.forEach(l -> l.accept(registry));
    }

    public void addFlagRegistryListener(Consumer<FlagRegistry> listener) {
        registryListeners.add(listener);
    }

    public void removeFlagRegistryListener(Consumer<FlagRegistry> listener) {
        registryListeners.remove(listener);
    }
}
