package dev.releaseconsole.services.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A thread-safe map of the latest value per key that tells listeners what changed. Sources (watches, pollers, the
 * demo world) write from their own threads; listeners are called on the writer's thread and must hand off quickly
 * (the FX bridge only marks keys dirty).
 */
public final class KeyedStore<K, V> {
    /** Called with the values that were added or replaced and the keys that were removed. */
    public interface Listener<K, V> {
        void changed(Collection<V> upserted, Collection<K> removed);
    }

    private final Map<K, V> values = new ConcurrentHashMap<>();
    private final List<Listener<K, V>> listeners = new CopyOnWriteArrayList<>();
    private final Function<V, K> keyOf;

    public KeyedStore(Function<V, K> keyOf) {
        this.keyOf = keyOf;
    }

    public void upsert(V value) {
        upsertAll(List.of(value));
    }

    public void upsertAll(Collection<V> batch) {
        if (batch.isEmpty()) {
            return;
        }
        List<V> changed = new ArrayList<>(batch.size());
        for (V v : batch) {
            V previous = values.put(keyOf.apply(v), v);
            if (!v.equals(previous)) {
                changed.add(v);
            }
        }
        if (!changed.isEmpty()) {
            listeners.forEach(l -> l.changed(changed, List.of()));
        }
    }

    public void remove(K key) {
        if (values.remove(key) != null) {
            listeners.forEach(l -> l.changed(List.of(), List.of(key)));
        }
    }

    /** Replaces everything whose key matches {@code scope} with {@code fresh}: what a re-list does. */
    public void replaceAll(java.util.function.Predicate<K> scope, Collection<V> fresh) {
        Set<K> keep = new java.util.HashSet<>();
        fresh.forEach(v -> keep.add(keyOf.apply(v)));
        List<K> gone = values.keySet().stream().filter(scope).filter(k -> !keep.contains(k)).toList();
        gone.forEach(values::remove);
        upsertAll(fresh);
        if (!gone.isEmpty()) {
            listeners.forEach(l -> l.changed(List.of(), gone));
        }
    }

    public Optional<V> get(K key) {
        return Optional.ofNullable(values.get(key));
    }

    public List<V> all() {
        return List.copyOf(values.values());
    }

    public int size() {
        return values.size();
    }

    /** Adds a listener; it is not called for what the store already holds, read {@link #all()} for that. */
    public void addListener(Listener<K, V> listener) {
        listeners.add(listener);
    }

    public void removeListener(Listener<K, V> listener) {
        listeners.remove(listener);
    }
}
