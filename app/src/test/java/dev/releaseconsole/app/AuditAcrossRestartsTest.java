package dev.releaseconsole.app;

import dev.releaseconsole.services.actions.ActionResult;
import dev.releaseconsole.services.actions.ActionType;
import dev.releaseconsole.services.actions.Outcome;
import dev.releaseconsole.services.governance.AuditEntry;
import dev.releaseconsole.services.governance.AuditQuery;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.model.WorkloadKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The audit log outlives the process: what one run wrote, the next run reads, with the chain intact. */
class AuditAcrossRestartsTest {
    @TempDir
    Path dir;

    @Test
    void actionsOfOneRunAreInTheNextRunsAuditLog() {
        Path db = dir.resolve("audit.db");
        RolloutRef payments = new RolloutRef("prod-eu", "payments", "payments-gateway", WorkloadKind.ARGO_ROLLOUT);
        RolloutRef indexer = new RolloutRef("prod-eu", "search", "search-indexer", WorkloadKind.ARGO_ROLLOUT);
        try (ConsoleRuntime first = ConsoleRuntime.startDemo(7, 1, db, Instant.parse("2026-11-22T09:00:00Z"), false)) {
            ActionResult promoted = first.services().actions().execute(ActionType.PROMOTE, indexer, "looks good");
            assertThat(promoted.outcomes().get(0).outcome()).isEqualTo(Outcome.SUCCEEDED);
            ActionResult denied = first.services().actions().execute(ActionType.RESUME, payments, null);
            assertThat(denied.outcomes().get(0).outcome()).isEqualTo(Outcome.DENIED);
        }
        try (ConsoleRuntime second = ConsoleRuntime.startDemo(7, 1, db, Instant.parse("2026-11-22T10:00:00Z"), false)) {
            List<AuditEntry> entries = second.services().audit().query(AuditQuery.latest(10));
            assertThat(entries).extracting(AuditEntry::action, AuditEntry::result).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("RESUME", "DENIED"),
                    org.assertj.core.groups.Tuple.tuple("PROMOTE", "SUCCEEDED"),
                    org.assertj.core.groups.Tuple.tuple("PROMOTE", "PENDING"));
            assertThat(entries.get(0).detail()).contains("you may not patch rollouts in namespace payments");
            assertThat(second.services().audit().verify().intact()).isTrue();
        }
    }
}
