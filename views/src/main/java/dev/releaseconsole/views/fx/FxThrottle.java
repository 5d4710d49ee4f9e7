package dev.releaseconsole.views.fx;

import javafx.application.Platform;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Coalesces updates from service threads into one batch on the FX thread: the latest value per key wins, and at
 * most one batch is applied per {@code minIntervalMillis}. Service threads only put into a map; all UI work
 * happens in {@code apply}, on the FX thread, once per batch.
 */
public final class FxThrottle<K, V> implements AutoCloseable {
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fx-throttle");
        t.setDaemon(true);
        return t;
    });

    private final long minIntervalMillis;
    private final Consumer<Map<K, V>> apply;
    private Map<K, V> pending = new LinkedHashMap<>();
    private boolean scheduled;
    private long lastFlushNanos;
    private volatile boolean closed;

    public FxThrottle(long minIntervalMillis, Consumer<Map<K, V>> apply) {
        this.minIntervalMillis = minIntervalMillis;
        this.apply = apply;
    }

    /** Records the newest value for {@code key}; safe from any thread. */
    public void offer(K key, V value) {
        long delay;
        synchronized (this) {
            pending.put(key, value);
            if (scheduled || closed) {
                return;
            }
            scheduled = true;
            long sinceLast = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastFlushNanos);
            delay = Math.max(0, minIntervalMillis - sinceLast);
        }
        TIMER.schedule(() -> Platform.runLater(this::flush), delay, TimeUnit.MILLISECONDS);
    }

    private void flush() {
        Map<K, V> batch;
        synchronized (this) {
            batch = pending;
            pending = new LinkedHashMap<>();
            scheduled = false;
            lastFlushNanos = System.nanoTime();
        }
        if (!batch.isEmpty() && !closed) {
            apply.accept(batch);
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
