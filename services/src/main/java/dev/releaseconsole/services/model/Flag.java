package dev.releaseconsole.services.model;

import java.util.List;
import java.util.Optional;

/** A feature flag as its provider reports it, joined with the rollouts it is linked to. */
public record Flag(FlagRef ref, FlagType type, String description, String owner,
                   List<FlagEnvironmentState> environments, List<RolloutRef> linkedRollouts) {
    public Flag {
        environments = List.copyOf(environments);
        linkedRollouts = List.copyOf(linkedRollouts);
    }

    public Optional<FlagEnvironmentState> environment(String name) {
        return environments.stream().filter(e -> e.environment().equals(name)).findFirst();
    }

    public boolean enabledAnywhere() {
        return environments.stream().anyMatch(FlagEnvironmentState::enabled);
    }
}
