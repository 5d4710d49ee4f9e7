package dev.releaseconsole.services.kube.access;

import java.util.Objects;

/**
 * One RBAC question for a SelfSubjectAccessReview: may I {@code verb} {@code resource}[/{@code subresource}] of API
 * group {@code group} ("" for core) in {@code namespace}? It is also the cache key.
 */
public record ResourcePermission(String namespace, String group, String resource, String subresource, String verb) {
    public ResourcePermission {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(verb, "verb");
        subresource = subresource == null ? "" : subresource;
    }

    /** "patch rollouts/status", as kubectl auth can-i and RBAC rules spell it. */
    public String describe() {
        return verb + " " + resource + (subresource.isEmpty() ? "" : "/" + subresource);
    }
}
