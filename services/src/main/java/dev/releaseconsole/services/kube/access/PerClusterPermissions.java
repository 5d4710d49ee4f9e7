package dev.releaseconsole.services.kube.access;

import dev.releaseconsole.services.actions.ActionType;
import dev.releaseconsole.services.actions.ChangeListeners;
import dev.releaseconsole.services.actions.PermissionChecker;
import dev.releaseconsole.services.actions.Verdict;
import dev.releaseconsole.services.model.ActionTarget;
import dev.releaseconsole.services.model.FlagTarget;
import dev.releaseconsole.services.model.RolloutRef;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The facade's one {@link PermissionChecker}, routing each rollout target to its cluster's checker (the demo world's,
 * or a cluster's {@link KubeAccessReview}) and each flag target to the flags checker. Clusters come and go as they
 * connect: {@link #put} and {@link #remove} are safe from any thread.
 */
public final class PerClusterPermissions implements PermissionChecker {
    private final Map<String, PermissionChecker> clusters = new ConcurrentHashMap<>();
    private final PermissionChecker flags;
    private final ChangeListeners listeners = new ChangeListeners();
    private final Runnable forward = this::fireChanged;

    public PerClusterPermissions(Map<String, ? extends PermissionChecker> clusters, PermissionChecker flags) {
        this.clusters.putAll(clusters);
        this.flags = Objects.requireNonNull(flags, "flags");
        this.clusters.values().forEach(c -> c.addChangeListener(forward));
        flags.addChangeListener(forward);
    }

    public void put(String cluster, PermissionChecker checker) {
        PermissionChecker old = clusters.put(cluster, checker);
        if (old != null) {
            old.removeChangeListener(forward);
        }
        checker.addChangeListener(forward);
        fireChanged();
    }

    public void remove(String cluster) {
        PermissionChecker old = clusters.remove(cluster);
        if (old != null) {
            old.removeChangeListener(forward);
            fireChanged();
        }
    }

    @Override
    public void addChangeListener(Runnable listener) {
        listeners.add(listener);
    }

    @Override
    public void removeChangeListener(Runnable listener) {
        listeners.remove(listener);
    }

    private void fireChanged() {
        listeners.fire();
    }

    @Override
    public Verdict mayPerform(ActionType action, ActionTarget target) {
        if (target instanceof FlagTarget) {
            return flags.mayPerform(action, target);
        }
        RolloutRef ref = (RolloutRef) target;
        PermissionChecker checker = clusters.get(ref.cluster());
        return checker == null ? Verdict.refused("cluster " + ref.cluster() + " is not connected")
                : checker.mayPerform(action, target);
    }

    @Override
    public String whoAmI(ActionTarget target) {
        if (target instanceof FlagTarget) {
            return flags.whoAmI(target);
        }
        RolloutRef ref = (RolloutRef) target;
        PermissionChecker checker = clusters.get(ref.cluster());
        return checker == null ? "unknown@" + ref.cluster() : checker.whoAmI(target);
    }
}
