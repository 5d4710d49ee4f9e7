package dev.releaseconsole.services.governance;

/** An intent is written (and committed) before the act; its outcome after. */
public enum AuditStage {
    INTENT, OUTCOME
}
