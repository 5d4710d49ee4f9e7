package dev.releaseconsole.services.demo;

import dev.releaseconsole.services.actions.ActionException;
import dev.releaseconsole.services.actions.FlagProvider;
import dev.releaseconsole.services.model.Flag;
import dev.releaseconsole.services.model.FlagChangeEvent;
import dev.releaseconsole.services.model.FlagEnvironmentState;
import dev.releaseconsole.services.model.FlagRef;
import dev.releaseconsole.services.store.LiveState;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The demo's flag provider ("demo"): an in-memory flag store with its own change history, like Unleash's event log.
 * It reports flags as a provider would (no linked rollouts); every flag passes through {@code join} (the registry
 * join) on its way into the live state, the same road a real provider's flags take.
 */
final class DemoFlags implements FlagProvider {
    static final String PROVIDER_ID = "demo";
    /** The demo provider keeps this many change events; older ones are dropped. */
    static final int HISTORY_LIMIT = 1000;

    private final Object lock;
    private final LiveState state;
    private final Clock clock;
    private final Map<FlagRef, Flag> flags = new LinkedHashMap<>();
    private final List<FlagChangeEvent> history = new ArrayList<>();
    private final UnaryOperator<Flag> join;

    DemoFlags(Object lock, LiveState state, Clock clock, List<Flag> initial, List<FlagChangeEvent> history,
              UnaryOperator<Flag> join) {
        this.lock = lock;
        this.state = state;
        this.clock = clock;
        this.join = join;
        initial.forEach(f -> flags.put(f.ref(), f));
        this.history.addAll(history);
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
    public List<FlagChangeEvent> events(FlagRef ref, int limit) {
        synchronized (lock) {
            List<FlagChangeEvent> out = new ArrayList<>();
            for (int i = history.size() - 1; i >= 0 && out.size() < limit; i--) {
                if (history.get(i).flag().equals(ref)) {
                    out.add(history.get(i));
                }
            }
            return out;
        }
    }

    @Override
    public String setEnabled(FlagRef ref, String environment, boolean enabled) throws ActionException {
        update(ref, environment, e -> new FlagEnvironmentState(e.environment(), e.tier(), enabled,
                e.rolloutPercent(), e.targeting()), enabled ? "feature-environment-enabled"
                : "feature-environment-disabled", (enabled ? "enabled in " : "disabled in ") + environment);
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
        }, "feature-strategy-updated", "gradual rollout set to " + percent + "% in " + environment);
        return "PATCH /api/admin/projects/default/features/" + ref.key() + "/environments/" + environment
                + "/strategies/flexibleRollout [{\"op\":\"replace\",\"path\":\"/parameters/rollout\",\"value\":\""
                + percent + "\"}] (simulated)";
    }

    private void update(FlagRef ref, String environment, UnaryOperator<FlagEnvironmentState> change,
                        String eventType, String summary) throws ActionException {
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
            Flag changed = flag.withEnvironments(environments);
            flags.put(ref, changed);
            history.add(new FlagChangeEvent(ref, environment, clock.instant(), DemoPermissions.USER, eventType,
                    summary));
            if (history.size() > HISTORY_LIMIT) {
                history.remove(0);
            }
            state.flags().upsert(join.apply(changed));
        }
    }

    /** Publishes every flag through the join (at start, and again when the registry changed). */
    void publishAll() {
        synchronized (lock) {
            state.flags().upsertAll(flags.values().stream().map(join).toList());
        }
    }
}
