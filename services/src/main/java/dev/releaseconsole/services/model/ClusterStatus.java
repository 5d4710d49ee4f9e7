package dev.releaseconsole.services.model;

/** A cluster's connection state with a message a user can act on. */
public record ClusterStatus(ClusterRef cluster, ConnectionState state, String message) {
}
