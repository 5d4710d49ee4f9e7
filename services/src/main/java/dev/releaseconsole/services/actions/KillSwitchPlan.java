package dev.releaseconsole.services.actions;

import dev.releaseconsole.services.model.FlagTarget;
import dev.releaseconsole.services.model.RolloutRef;

import java.util.List;

/**
 * Exactly what a kill switch will do, shown to the user before they confirm: the flags it turns off (every
 * environment) and the rollouts it aborts. {@code confirmationName} is what a user types when production is touched.
 */
public record KillSwitchPlan(String incident, String confirmationName, List<FlagTarget> flags,
                             List<RolloutRef> rollouts, boolean touchesProduction) {
    public KillSwitchPlan {
        flags = List.copyOf(flags);
        rollouts = List.copyOf(rollouts);
    }

    public int size() {
        return flags.size() + rollouts.size();
    }
}
