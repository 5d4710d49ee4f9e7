package dev.releaseconsole.services.governance;

/** The audit log could not be written or read; an action whose intent cannot be recorded is not taken. */
public class AuditException extends RuntimeException {
    public AuditException(String message, Throwable cause) {
        super(message, cause);
    }
}
