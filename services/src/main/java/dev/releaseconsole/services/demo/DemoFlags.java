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
import java.util.function.UnaryOperator;

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
    public String kind() {
        return "demo";
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
        update(ref, environment, e -> new FlagEnvironmentState(e.environment(), e.tier(), enabled,
                e.rolloutPercent(), e.targeting()));
        return "POST /api/admin/projects/default/features/" + ref.key() + "/environments/" + environment + "/"
                + (enabled ? "on" : "off") + " (simulated)";
    }

    @Override
    public String setRolloutPercent(FlagRef ref, String environment, int percent) throws ActionException {
        update(ref, environment, e -> {
            if (e.rolloutPercent() == null) {
                throw new IllegalStateException("flag " + ref.key() + " has no gradual rollout in " + environment);
            }
            return new FlagEnvironmentState(e.environment(), e.tier(), e.enabled(), percent, e.targeting());
        });
        return "PATCH /api/admin/projects/default/features/" + ref.key() + "/environments/" + environment
                + "/strategies/flexibleRollout [{\"op\":\"replace\",\"path\":\"/parameters/rollout\",\"value\":\""
                + percent + "\"}] (simulated)";
    }

    private void update(FlagRef ref, String environment, UnaryOperator<FlagEnvironmentState> change)
            throws ActionException {
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
            try {
                for (FlagEnvironmentState e : flag.environments()) {
                    environments.add(e.environment().equals(environment) ? change.apply(e) : e);
                }
            } catch (IllegalStateException e) {
                throw new ActionException(ActionException.Reason.INVALID, e.getMessage());
            }
            Flag changed = new Flag(flag.ref(), flag.type(), flag.description(), flag.owner(), environments,
                    flag.linkedRollouts());
            flags.put(ref, changed);
            state.flags().upsert(changed);
        }
    }

    void publishAll() {
        synchronized (lock) {
            state.flags().upsertAll(flags.values());
        }
    }
}
