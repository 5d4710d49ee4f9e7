package dev.releaseconsole.services.actions;

/** How one target of an action ended. Only SUCCEEDED and ALREADY_DONE leave the target in the requested state. */
public enum Outcome {
    /** The request was sent and the source reports the requested state. */
    SUCCEEDED,
    /** The target was already in the requested state; nothing was sent. */
    ALREADY_DONE,
    /** The target's state does not allow the action. */
    REJECTED_BY_STATE,
    /** The user may not do this (RBAC or a 401/403 from the source). */
    DENIED,
    /** A policy gate refused it. */
    BLOCKED_BY_POLICY,
    /** The request was sent but the source does not report the requested state. */
    UNCONFIRMED,
    /** The request failed (network, 5xx, conflict, timeout...). */
    FAILED;

    public boolean isSafe() {
        return this == SUCCEEDED || this == ALREADY_DONE;
    }
}
