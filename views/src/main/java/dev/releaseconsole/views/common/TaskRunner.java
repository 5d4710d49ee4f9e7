package dev.releaseconsole.views.common;

import dev.releaseconsole.views.fx.Background;

import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * How a view model runs a service call: {@link #BACKGROUND} off the FX thread with the result handed back on it
 * (production), {@link #DIRECT} on the calling thread (unit tests without a screen).
 */
@FunctionalInterface
public interface TaskRunner {
    <T> void run(Callable<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure);

    TaskRunner BACKGROUND = Background::run;

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
