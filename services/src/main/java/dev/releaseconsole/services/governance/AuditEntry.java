package dev.releaseconsole.services.governance;

import java.time.Instant;

/**
 * One row of the audit log. {@code relatesTo} links an outcome to its intent, and a kill switch's per-target intents
 * to the kill switch's own intent. {@code hash} chains this row to the previous one.
 */
public record AuditEntry(long id, Instant time, String actor, String action, String target, AuditStage stage,
                         String result, String detail, Long relatesTo, String previousHash, String hash) {
}
