package dev.releaseconsole.services.governance;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqliteAuditLogTest {
    @TempDir
    Path dir;

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-22T10:15:30Z"), ZoneOffset.UTC);

    @Test
    void intentIsReadableByAnotherConnectionBeforeTheOutcomeIsWritten() throws Exception {
        Path db = dir.resolve("audit.db");
        try (SqliteAuditLog log = SqliteAuditLog.open(db, clock)) {
            AuditEntry intent = log.recordIntent("alice", "ABORT", "rollout prod/checkout/api", "state before: x", null);
            // What a crash right after the intent would leave: a second process reading the file sees the intent.
            try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + db);
                 Statement s = other.createStatement();
                 var rs = s.executeQuery("SELECT stage, result, actor FROM audit WHERE id = " + intent.id())) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("INTENT");
                assertThat(rs.getString(2)).isEqualTo("PENDING");
                assertThat(rs.getString(3)).isEqualTo("alice");
            }
        }
    }

    @Test
    void entriesSurviveReopenAndTheChainContinues() {
        Path db = dir.resolve("audit.db");
        long intentId;
        try (SqliteAuditLog log = SqliteAuditLog.open(db, clock)) {
            intentId = log.recordIntent("alice", "ABORT", "rollout a", "", null).id();
            log.recordOutcome(intentId, "alice", "ABORT", "rollout a", "FAILED", "connection refused");
        }
        try (SqliteAuditLog reopened = SqliteAuditLog.open(db, clock)) {
            reopened.recordIntent("bob", "PROMOTE", "rollout b", "", null);
            List<AuditEntry> all = reopened.query(AuditQuery.latest(10));
            assertThat(all).extracting(AuditEntry::actor).containsExactly("bob", "alice", "alice");
            AuditEntry failed = all.get(1);
            assertThat(failed.result()).isEqualTo("FAILED");
            assertThat(failed.relatesTo()).isEqualTo(intentId);
            assertThat(failed.time()).isEqualTo(Instant.parse("2026-11-22T10:15:30Z"));
            assertThat(reopened.verify().intact()).isTrue();
            assertThat(reopened.verify().entriesChecked()).isEqualTo(3);
        }
    }

    @Test
    void updatesAndDeletesAreRefusedByTheDatabase() throws SQLException {
        Path db = dir.resolve("audit.db");
        try (SqliteAuditLog log = SqliteAuditLog.open(db, clock)) {
            log.recordIntent("alice", "ABORT", "rollout a", "", null);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeUpdate("UPDATE audit SET actor = 'mallory'"))
                    .hasMessageContaining("append-only");
            assertThatThrownBy(() -> s.executeUpdate("DELETE FROM audit"))
                    .hasMessageContaining("append-only");
        }
    }

    @Test
    void verifyFindsTheRowThatWasChangedBehindTheTriggers() throws SQLException {
        Path db = dir.resolve("audit.db");
        try (SqliteAuditLog log = SqliteAuditLog.open(db, clock)) {
            long id = log.recordIntent("alice", "ABORT", "rollout a", "", null).id();
            log.recordOutcome(id, "alice", "ABORT", "rollout a", "SUCCEEDED", "");
            log.recordIntent("alice", "RETRY", "rollout a", "", null);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("DROP TRIGGER audit_no_update");
            s.executeUpdate("UPDATE audit SET result = 'FAILED' WHERE id = 2");
        }
        try (SqliteAuditLog log = SqliteAuditLog.open(db, clock)) {
            ChainCheck check = log.verify();
            assertThat(check.intact()).isFalse();
            assertThat(check.firstBrokenId()).isEqualTo(2L);
            assertThat(check.problem()).contains("changed after it was written");
        }
    }

    @Test
    void searchAndFiltersNarrowTheList() {
        try (SqliteAuditLog log = SqliteAuditLog.open(dir.resolve("audit.db"), clock)) {
            long a = log.recordIntent("alice", "ABORT", "rollout prod/checkout/api", "", null).id();
            log.recordOutcome(a, "alice", "ABORT", "rollout prod/checkout/api", "DENIED", "forbidden");
            log.recordIntent("bob", "PROMOTE", "rollout prod/search/indexer", "", null);
            assertThat(log.query(new AuditQuery("checkout", null, null, 50))).hasSize(2);
            assertThat(log.query(new AuditQuery(null, null, "DENIED", 50))).singleElement()
                    .extracting(AuditEntry::actor).isEqualTo("alice");
            assertThat(log.query(new AuditQuery(null, "PROMOTE", null, 50))).singleElement()
                    .extracting(AuditEntry::target).isEqualTo("rollout prod/search/indexer");
        }
    }

    @Test
    void secretsInDetailsNeverReachTheDatabase() {
        try (SqliteAuditLog log = SqliteAuditLog.open(dir.resolve("audit.db"), clock)) {
            log.recordIntent("alice", "FLAG_OFF", "flag x", "sent with Authorization: Bearer abc.def.ghi", null);
            AuditEntry e = log.query(AuditQuery.latest(1)).get(0);
            assertThat(e.detail()).doesNotContain("abc.def.ghi").contains("***");
        }
    }

    @Test
    void anUnwritableLocationSaysWhatToDo() {
        Path blocked = dir.resolve("file-not-dir");
        assertThatThrownBy(() -> {
            java.nio.file.Files.writeString(blocked, "x");
            SqliteAuditLog.open(blocked.resolve("audit.db"), clock);
        }).isInstanceOf(AuditException.class).hasMessageContaining("--audit-db");
    }
}
