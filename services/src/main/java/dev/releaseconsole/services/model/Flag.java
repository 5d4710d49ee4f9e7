package dev.releaseconsole.services.model;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A feature flag as its provider reports it, joined with the rollouts it is linked to. {@code createdAt} is when the
 * provider says the flag was created (null when it does not keep that, like a flagd file); the flag-debt view
 * measures a flag's age from it.
 */
public record Flag(FlagRef ref, FlagType type, String description, String owner,
                   List<FlagEnvironmentState> environments, List<RolloutRef> linkedRollouts, Instant createdAt) {
    public Flag {
        environments = List.copyOf(environments);
        linkedRollouts = List.copyOf(linkedRollouts);
    }

    /** A flag whose provider keeps no creation time. */
    public Flag(FlagRef ref, FlagType type, String description, String owner,
                List<FlagEnvironmentState> environments, List<RolloutRef> linkedRollouts) {
        this(ref, type, description, owner, environments, linkedRollouts, null);
    }

    public Optional<FlagEnvironmentState> environment(String name) {
        return environments.stream().filter(e -> e.environment().equals(name)).findFirst();
    }

    public boolean enabledAnywhere() {
        return environments.stream().anyMatch(FlagEnvironmentState::enabled);
    }

    public Flag withEnvironments(List<FlagEnvironmentState> changed) {
        return new Flag(ref, type, description, owner, changed, linkedRollouts, createdAt);
    }
}
