package dev.releaseconsole.services.model;

import java.util.Objects;

public record NamespaceRef(String cluster, String namespace) implements Comparable<NamespaceRef> {
    public NamespaceRef {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(namespace, "namespace");
    }

    @Override
    public int compareTo(NamespaceRef o) {
        int c = cluster.compareTo(o.cluster);
        return c != 0 ? c : namespace.compareTo(o.namespace);
    }

    @Override
    public String toString() {
        return cluster + "/" + namespace;
    }
}
