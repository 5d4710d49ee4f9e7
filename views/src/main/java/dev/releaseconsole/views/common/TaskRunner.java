package dev.releaseconsole.views.common;

import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * The one way views run a service call: {@link #BACKGROUND} off the FX thread with the result handed back on it
 * (production), {@link #DIRECT} on the calling thread (tests: deterministic, nothing to wait for). Views and view
 * models get a runner injected; live updates from services reach the FX thread through
 * {@link dev.releaseconsole.views.fx.FxThrottle}, the one coalescing path.
 */
@FunctionalInterface
public interface TaskRunner {
    <T> void run(Callable<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure);

    TaskRunner BACKGROUND = new BackgroundTaskRunner();

    TaskRunner DIRECT = new TaskRunner() {
        @Override
        public <T> void run(Callable<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
            T result;
            try {
                result = work.call();
            } catch (Throwable t) {
                onFailure.accept(t);
                return;
            }
            onSuccess.accept(result);
        }
    };
}
