package dev.releaseconsole.services.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * A handle a caller cancels to stop its in-flight and future queries, e.g. when the view that asked for them closes.
 * A source registers a hook for each request it sends ({@link #onCancel}); {@link #cancel()} runs them, so a blocked
 * HTTP call ends at once instead of waiting for its timeout. Thread-safe; cancelling twice does nothing more.
 */
public final class Cancellation {
    /** Never cancelled: for callers that have nothing to cancel. */
    public static final Cancellation NONE = new Cancellation(false);

    private final boolean cancellable;
    private final List<Runnable> hooks = new ArrayList<>();
    private volatile boolean cancelled;

    private Cancellation(boolean cancellable) {
        this.cancellable = cancellable;
    }

    public static Cancellation create() {
        return new Cancellation(true);
    }

    public boolean isCancelled() {
        return cancelled;
    }

    /** Cancels: runs every registered hook once; later registrations run at once. */
    public void cancel() {
        if (!cancellable) {
            return;
        }
        List<Runnable> run;
        synchronized (hooks) {
            if (cancelled) {
                return;
            }
            cancelled = true;
            run = new ArrayList<>(hooks);
            hooks.clear();
        }
        run.forEach(Runnable::run);
    }

    /**
     * Runs {@code hook} when this is cancelled (at once when it already is). Close the returned registration when
     * the request is over, so finished requests are not kept.
     */
    public Registration onCancel(Runnable hook) {
        if (!cancellable) {
            return () -> { };
        }
        synchronized (hooks) {
            if (!cancelled) {
                hooks.add(hook);
                return () -> {
                    synchronized (hooks) {
                        hooks.remove(hook);
                    }
                };
            }
        }
        hook.run();
        return () -> { };
    }

    /** Ends a registration; never throws. */
    @FunctionalInterface
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }
}
