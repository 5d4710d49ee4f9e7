package dev.releaseconsole.views.common;

import javafx.application.Platform;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * {@link TaskRunner#BACKGROUND}: runs service calls (actions, availability checks, audit queries) on a small pool
 * of daemon threads and hands the result, or the failure, back on the FX thread. Package-private: views get a
 * {@link TaskRunner} injected and never reach for a thread pool of their own.
 */
final class BackgroundTaskRunner implements TaskRunner {
    private final AtomicInteger counter = new AtomicInteger();
    private final ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "ui-background-" + counter.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    @Override
    public <T> void run(Callable<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
        pool.submit(() -> {
            T result;
            try {
                result = work.call();
            } catch (Throwable t) {
                Platform.runLater(() -> onFailure.accept(t));
                return;
            }
            Platform.runLater(() -> onSuccess.accept(result));
        });
    }
}
