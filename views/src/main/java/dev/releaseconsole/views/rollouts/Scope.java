package dev.releaseconsole.views.rollouts;

import dev.releaseconsole.services.model.RolloutRef;

/** What the cluster tree has selected: everything, one cluster, or one namespace of one cluster. */
public record Scope(String cluster, String namespace) {
    public static final Scope ALL = new Scope(null, null);

    public static Scope cluster(String cluster) {
        return new Scope(cluster, null);
    }

    public static Scope namespace(String cluster, String namespace) {
        return new Scope(cluster, namespace);
    }

    public boolean isAll() {
        return cluster == null;
    }

    public boolean isCluster() {
        return cluster != null && namespace == null;
    }

    public boolean contains(RolloutRef ref) {
        if (cluster == null) {
            return true;
        }
        if (!cluster.equals(ref.cluster())) {
            return false;
        }
        return namespace == null || namespace.equals(ref.namespace());
    }
}
