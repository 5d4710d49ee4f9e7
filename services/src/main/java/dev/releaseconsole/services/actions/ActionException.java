package dev.releaseconsole.services.actions;

import java.time.Duration;
import java.util.Optional;

/**
 * A backend's failure to act, classified so the facade can audit and explain it. Messages must never carry
 * credentials. Failures that came from an HTTP answer also carry its status (so a poller can tell a rejected
 * credential, 401, from a missing permission, 403) and, for 429/503, how long the server asked to wait.
 */
public class ActionException extends Exception {
    public enum Reason { DENIED, NOT_FOUND, CONFLICT, RATE_LIMITED, UNAVAILABLE, TIMEOUT, INVALID, UNKNOWN }

    private final Reason reason;
    private final int httpStatus;
    private final Duration retryAfter;

    public ActionException(Reason reason, String message) {
        this(reason, message, null, 0, null);
    }

    public ActionException(Reason reason, String message, Throwable cause) {
        this(reason, message, cause, 0, null);
    }

    /** {@code httpStatus} 0 when there was no HTTP answer; {@code retryAfter} null when the server named none. */
    public ActionException(Reason reason, String message, Throwable cause, int httpStatus, Duration retryAfter) {
        super(message, cause);
        this.reason = reason;
        this.httpStatus = httpStatus;
        this.retryAfter = retryAfter;
    }

    public Reason reason() {
        return reason;
    }

    /** The HTTP status the provider answered with, or 0 when the failure was not an HTTP answer. */
    public int httpStatus() {
        return httpStatus;
    }

    /** How long the provider asked the caller to wait (Retry-After), when it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
