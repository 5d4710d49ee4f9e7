package dev.releaseconsole.services.model;

import java.util.Objects;

/**
 * A cluster the console watches. {@code environment} drives how careful destructive actions are:
 * production asks the user to type the target's name.
 */
public record ClusterRef(String id, String displayName, Environment environment, boolean simulated) {
    public ClusterRef {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(environment, "environment");
    }

    public boolean isProduction() {
        return environment == Environment.PRODUCTION;
    }
}
