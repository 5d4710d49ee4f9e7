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
    /** Back to an earlier revision's pod template ({@link ActionInput#revision()}); changes the spec. */
    UNDO("Undo to revision", true),
    /** Ends a running analysis run ({@link ActionInput#analysisRun()}) as if it had succeeded. */
    TERMINATE_ANALYSIS("Terminate analysis", true),
    /**
     * Touches an annotation so a controller that missed a change re-reads the rollout (Argo Rollouts before
     * v1.10 can overwrite its cache with a stale copy: argoproj/argo-rollouts#4694). Changes no spec or status.
     */
    NUDGE("Nudge controller", false),
    FLAG_OFF("Turn flag off", true),
    FLAG_ON("Turn flag on", false),
    /** Changes a flag's gradual-rollout percentage in one environment ({@link ActionInput#percent()}). */
    FLAG_SET_ROLLOUT("Change rollout percentage", false),
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
        return !isFlagAction() && this != KILL_SWITCH;
    }

    public boolean isFlagAction() {
        return this == FLAG_OFF || this == FLAG_ON || this == FLAG_SET_ROLLOUT;
    }

    /**
     * How long the read-back may wait for the controller before calling the action unconfirmed. Zero for actions
     * the API server's answer confirms; a nudge is only confirmed by the controller catching up, which takes it well
     * under a second once it has re-read the rollout.
     */
    public java.time.Duration controllerConfirmWithin() {
        return this == NUDGE ? java.time.Duration.ofSeconds(5) : java.time.Duration.ZERO;
    }

    /** Whether the action needs an {@link ActionInput} beyond its target. */
    public boolean needsInput() {
        return this == UNDO || this == TERMINATE_ANALYSIS || this == FLAG_SET_ROLLOUT;
    }
}
