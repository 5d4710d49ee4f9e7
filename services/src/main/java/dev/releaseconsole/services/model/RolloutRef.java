package dev.releaseconsole.services.model;

import java.util.Objects;

/** Identity of one rollout across all clusters. */
public record RolloutRef(String cluster, String namespace, String name, WorkloadKind kind)
        implements ActionTarget, Comparable<RolloutRef> {
    public RolloutRef {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
    }

    public NamespaceRef namespaceRef() {
        return new NamespaceRef(cluster, namespace);
    }

    @Override
    public String describe() {
        return kind.kind().toLowerCase(java.util.Locale.ROOT) + " " + cluster + "/" + namespace + "/" + name;
    }

    @Override
    public int compareTo(RolloutRef o) {
        int c = namespaceRef().compareTo(o.namespaceRef());
        return c != 0 ? c : name.compareTo(o.name);
    }

    @Override
    public String toString() {
        return cluster + "/" + namespace + "/" + name;
    }
}
