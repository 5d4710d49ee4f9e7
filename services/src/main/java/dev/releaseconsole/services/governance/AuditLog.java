package dev.releaseconsole.services.governance;

import java.util.List;
import java.util.function.Consumer;

/** Append-only, hash-chained record of every action: who, what, on what, when, and how it ended. */
public interface AuditLog extends AutoCloseable {
    /** Writes and commits the intent before anything is sent. Throws if it cannot be made durable. */
    AuditEntry recordIntent(String actor, String action, String target, String detail, Long parentId);

    /** Writes the outcome of an intent (or, with a null intent, a refusal where nothing was sent). */
    AuditEntry recordOutcome(Long intentId, String actor, String action, String target, String result,
                             String detail);

    /** Newest first. */
    List<AuditEntry> query(AuditQuery query);

    ChainCheck verify();

    /** Called after each committed entry, on the writer's thread. */
    void addListener(Consumer<AuditEntry> listener);

    void removeListener(Consumer<AuditEntry> listener);

    @Override
    void close();
}
