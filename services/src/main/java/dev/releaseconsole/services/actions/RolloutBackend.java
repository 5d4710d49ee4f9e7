package dev.releaseconsole.services.actions;

import dev.releaseconsole.services.model.ClusterRef;
import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.model.RolloutRef;

import java.time.Clock;
import java.util.Optional;

/**
 * One cluster's way to act on rollouts: the demo world, or (later) a Kubernetes connection. Only
 * {@link ReleaseActions} calls {@link #perform}; nothing else mutates a cluster.
 */
public interface RolloutBackend {
    ClusterRef cluster();

    /** The cluster's clock: the simulated one for the demo world, the system clock for real clusters. */
    Clock clock();

    /** Reads the rollout fresh from the source (not from a cache) to confirm what an action did. */
    Optional<Rollout> read(RolloutRef ref) throws ActionException;

    /**
     * Sends the requests for {@code action} given the state the facade checked. Returns a short description of what
     * was sent (e.g. "PATCH rollouts/status {\"status\":{\"abort\":true}}") for the audit log.
     */
    String perform(ActionType action, Rollout current, ActionInput input) throws ActionException;

    default String perform(ActionType action, Rollout current) throws ActionException {
        return perform(action, current, ActionInput.NONE);
    }
}
