package dev.releaseconsole.services.actions;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The listeners of a {@link PermissionChecker} whose answers change: added and removed from any thread, told at once. */
public final class ChangeListeners {
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    public void add(Runnable listener) {
        listeners.add(listener);
    }

    public void remove(Runnable listener) {
        listeners.remove(listener);
    }

    /** Tells every listener, on the calling thread. */
    public void fire() {
        listeners.forEach(Runnable::run);
    }
}
