package dev.releaseconsole.services.actions;

/**
 * A backend's failure to act, classified so the facade can audit and explain it. Messages must never carry
 * credentials.
 */
public class ActionException extends Exception {
    public enum Reason { DENIED, NOT_FOUND, CONFLICT, RATE_LIMITED, UNAVAILABLE, TIMEOUT, INVALID, UNKNOWN }

    private final Reason reason;

    public ActionException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public ActionException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
