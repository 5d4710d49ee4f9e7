package dev.releaseconsole.services.actions;

/**
 * Every action the console can take. Rollout actions follow the Argo plugin's semantics
 * (see the README's "Actions" table); flag actions act on one flag in one environment.
 */
public enum ActionType {
    PROMOTE("Promote", false),
    PROMOTE_FULL("Promote full", true),
    PAUSE("Pause", false),
    RESUME("Resume", false),
    ABORT("Abort", true),
    RETRY("Retry", false),
    RESTART("Restart", true),
    FLAG_OFF("Turn flag off", true),
    FLAG_ON("Turn flag on", false),
    KILL_SWITCH("Kill switch", true);

    private final String label;
    private final boolean destructive;

    ActionType(String label, boolean destructive) {
        this.label = label;
        this.destructive = destructive;
    }

    public String label() {
        return label;
    }

    /** Destructive actions ask for confirmation; on production the user types the target's name. */
    public boolean destructive() {
        return destructive;
    }

    public boolean isRolloutAction() {
        return this != FLAG_OFF && this != FLAG_ON && this != KILL_SWITCH;
    }
}
