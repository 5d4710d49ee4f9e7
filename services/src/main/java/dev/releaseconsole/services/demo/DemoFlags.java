package dev.releaseconsole.services.demo;

import dev.releaseconsole.services.actions.ActionException;
import dev.releaseconsole.services.actions.FlagProvider;
import dev.releaseconsole.services.model.Flag;
import dev.releaseconsole.services.model.FlagEnvironmentState;
import dev.releaseconsole.services.model.FlagRef;
import dev.releaseconsole.services.store.LiveState;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The demo's flag provider ("demo"): an in-memory flag store that publishes every change to the live state. */
final class DemoFlags implements FlagProvider {
    static final String PROVIDER_ID = "demo";

    private final Object lock;
    private final LiveState state;
    private final Map<FlagRef, Flag> flags = new LinkedHashMap<>();

    DemoFlags(Object lock, LiveState state, List<Flag> initial) {
        this.lock = lock;
        this.state = state;
        initial.forEach(f -> flags.put(f.ref(), f));
    }

    @Override
    public String id() {
        return PROVIDER_ID;
    }

    @Override
    public List<Flag> list() {
        synchronized (lock) {
            return List.copyOf(flags.values());
        }
    }

    @Override
    public Optional<Flag> read(FlagRef ref) {
        synchronized (lock) {
            return Optional.ofNullable(flags.get(ref));
        }
    }

    @Override
    public String setEnabled(FlagRef ref, String environment, boolean enabled) throws ActionException {
        synchronized (lock) {
            Flag flag = flags.get(ref);
            if (flag == null) {
                throw new ActionException(ActionException.Reason.NOT_FOUND, "the demo provider has no flag "
                        + ref.key());
            }
            if (flag.environment(environment).isEmpty()) {
                throw new ActionException(ActionException.Reason.INVALID, "flag " + ref.key()
                        + " has no environment " + environment);
            }
            List<FlagEnvironmentState> environments = new ArrayList<>();
            for (FlagEnvironmentState e : flag.environments()) {
                environments.add(e.environment().equals(environment)
                        ? new FlagEnvironmentState(e.environment(), e.tier(), enabled, e.rolloutPercent(), e.targeting())
                        : e);
            }
            Flag changed = new Flag(flag.ref(), flag.type(), flag.description(), flag.owner(), environments,
                    flag.linkedRollouts());
            flags.put(ref, changed);
            state.flags().upsert(changed);
            return "POST /api/admin/projects/default/features/" + ref.key() + "/environments/" + environment + "/"
                    + (enabled ? "on" : "off") + " (simulated)";
        }
    }

    void publishAll() {
        synchronized (lock) {
            state.flags().upsertAll(flags.values());
        }
    }
}
