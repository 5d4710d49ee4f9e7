package dev.releaseconsole.services.model;

import java.util.Objects;

/**
 * A rollout a flag registry entry names: cluster, namespace and name, and the kind only where it is needed (a
 * namespace with both an Argo Rollout and a Flagger Canary of that name). {@code kind} null means "whichever the
 * cluster reports".
 */
public record RolloutLink(String cluster, String namespace, String name, WorkloadKind kind) {
    public RolloutLink {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
    }

    public RolloutRef as(WorkloadKind k) {
        return new RolloutRef(cluster, namespace, name, k);
    }

    @Override
    public String toString() {
        return cluster + "/" + namespace + "/" + name + (kind == null ? "" : " (" + kind.kind() + ")");
    }
}
