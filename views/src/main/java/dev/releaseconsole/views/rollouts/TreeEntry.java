package dev.releaseconsole.views.rollouts;

import dev.releaseconsole.services.model.ClusterStatus;
import dev.releaseconsole.services.model.ConnectionState;

import java.util.List;

/**
 * One node of the cluster/namespace tree: all clusters, a cluster (with its connection status) or a namespace,
 * with the number of rollouts under it and how many of those need attention.
 */
public record TreeEntry(Scope scope, String name, int total, int attention, ClusterStatus status,
                        List<TreeEntry> children) {
    public TreeEntry {
        children = List.copyOf(children);
    }

    /** "prod-eu (demo) · 7", "checkout · 3". */
    public String label() {
        return name + " · " + total;
    }

    public ConnectionState connection() {
        return status == null ? null : status.state();
    }

    public boolean isCluster() {
        return scope.isCluster();
    }

    public boolean isNamespace() {
        return scope.namespace() != null;
    }
}
