package dev.releaseconsole.services.demo;

import dev.releaseconsole.services.actions.ActionException;
import dev.releaseconsole.services.actions.ActionInput;
import dev.releaseconsole.services.actions.ActionType;
import dev.releaseconsole.services.actions.RolloutBackend;
import dev.releaseconsole.services.model.ClusterRef;
import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.model.RolloutRef;

import java.time.Clock;
import java.util.Optional;

/** One simulated cluster as a rollout backend: reads and requests go to the demo world. */
final class DemoBackend implements RolloutBackend {
    private final DemoWorld world;
    private final ClusterRef cluster;

    DemoBackend(DemoWorld world, ClusterRef cluster) {
        this.world = world;
        this.cluster = cluster;
    }

    @Override
    public ClusterRef cluster() {
        return cluster;
    }

    @Override
    public Clock clock() {
        return world.clock();
    }

    @Override
    public Optional<Rollout> read(RolloutRef ref) {
        return ref.cluster().equals(cluster.id()) ? world.read(ref) : Optional.empty();
    }

    @Override
    public String perform(ActionType action, Rollout current, ActionInput input) throws ActionException {
        RolloutRef ref = current.ref();
        if (!ref.cluster().equals(cluster.id())) {
            throw new ActionException(ActionException.Reason.NOT_FOUND, ref + " is not on cluster " + cluster.id());
        }
        return world.perform(action, ref, input);
    }
}
