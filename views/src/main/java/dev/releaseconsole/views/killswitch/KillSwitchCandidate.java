package dev.releaseconsole.views.killswitch;

import dev.releaseconsole.services.model.FlagRef;
import dev.releaseconsole.services.model.RolloutRef;

/**
 * Something the kill switch can be pulled for when no rollout is selected: a kill-switch flag, or a rollout that
 * has linked flags. Exactly one of {@code flag} and {@code rollout} is set.
 */
public record KillSwitchCandidate(String label, String detail, FlagRef flag, RolloutRef rollout) {
    public static KillSwitchCandidate of(FlagRef flag, String detail) {
        return new KillSwitchCandidate("flag " + flag.key() + " (" + flag.provider() + ")", detail, flag, null);
    }

    public static KillSwitchCandidate of(RolloutRef rollout, String detail) {
        return new KillSwitchCandidate("rollout " + rollout, detail, null, rollout);
    }

    public boolean isFlag() {
        return flag != null;
    }

    @Override
    public String toString() {
        return label;
    }
}
