package dev.releaseconsole.services.model;

import java.time.LocalDate;
import java.util.List;

/**
 * One entry of the flag registry, the file teams keep in Git: who owns a flag, what type it is, when it should be
 * gone and under which ticket, whether on-call may use it as a kill switch, and the rollouts it rides along with.
 * {@code provider} null means the entry applies to a flag of that key in every provider; {@code line} is where the
 * entry starts in the file. Optional fields are null (or false / empty).
 */
public record FlagRegistration(String key, String provider, String owner, FlagType type, LocalDate expires,
                               String ticket, boolean killSwitch, List<RolloutLink> rollouts, int line) {
    public FlagRegistration {
        rollouts = List.copyOf(rollouts);
    }

    public boolean appliesTo(FlagRef ref) {
        return key.equals(ref.key()) && (provider == null || provider.equals(ref.provider()));
    }

    /** "new-checkout-flow" or "new-checkout-flow (provider unleash-main)", as messages name it. */
    public String describe() {
        return provider == null ? key : key + " (provider " + provider + ")";
    }
}
