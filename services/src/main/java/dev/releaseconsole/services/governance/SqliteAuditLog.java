package dev.releaseconsole.services.governance;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The audit log in an embedded SQLite file. Append-only (triggers refuse UPDATE and DELETE), every row chained to
 * the previous one by SHA-256, each insert committed with synchronous=FULL so an intent survives a crash.
 */
public final class SqliteAuditLog implements AuditLog {
    static final String GENESIS = "0".repeat(64);

    private final Connection connection;
    private final Clock clock;
    private final Object writeLock = new Object();
    private final List<Consumer<AuditEntry>> listeners = new CopyOnWriteArrayList<>();
    private String lastHash;

    private SqliteAuditLog(Connection connection, Clock clock) throws SQLException {
        this.connection = connection;
        this.clock = clock;
        try (Statement s = connection.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=FULL");
            s.execute("""
                    CREATE TABLE IF NOT EXISTS audit (
                      id INTEGER PRIMARY KEY,
                      ts TEXT NOT NULL,
                      actor TEXT NOT NULL,
                      action TEXT NOT NULL,
                      target TEXT NOT NULL,
                      stage TEXT NOT NULL,
                      result TEXT NOT NULL,
                      detail TEXT NOT NULL,
                      relates_to INTEGER,
                      prev_hash TEXT NOT NULL,
                      hash TEXT NOT NULL)""");
            s.execute("CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit "
                    + "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END");
            s.execute("CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit "
                    + "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END");
            try (ResultSet rs = s.executeQuery("SELECT hash FROM audit ORDER BY id DESC LIMIT 1")) {
                lastHash = rs.next() ? rs.getString(1) : GENESIS;
            }
        }
    }

    /** Opens (creating if needed) the audit database at {@code file}. */
    public static SqliteAuditLog open(Path file, Clock clock) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            return new SqliteAuditLog(c, clock);
        } catch (SQLException | java.io.IOException e) {
            throw new AuditException("cannot open the audit log at " + file + ": " + e.getMessage()
                    + ". Check that the directory is writable, or pass --audit-db with another path.", e);
        }
    }

    @Override
    public AuditEntry recordIntent(String actor, String action, String target, String detail, Long parentId) {
        return append(actor, action, target, AuditStage.INTENT, "PENDING", detail, parentId);
    }

    @Override
    public AuditEntry recordOutcome(Long intentId, String actor, String action, String target, String result,
                                    String detail) {
        return append(actor, action, target, AuditStage.OUTCOME, result, detail, intentId);
    }

    private AuditEntry append(String actor, String action, String target, AuditStage stage, String result,
                              String detail, Long relatesTo) {
        AuditEntry entry;
        synchronized (writeLock) {
            String ts = clock.instant().toString();
            String safeDetail = Secrets.redact(detail == null ? "" : detail);
            try (PreparedStatement next = connection.prepareStatement("SELECT COALESCE(MAX(id),0)+1 FROM audit");
                 ResultSet rs = next.executeQuery()) {
                rs.next();
                long id = rs.getLong(1);
                String hash = hash(lastHash, id, ts, actor, action, target, stage.name(), result, safeDetail,
                        relatesTo);
                try (PreparedStatement ins = connection.prepareStatement(
                        "INSERT INTO audit(id,ts,actor,action,target,stage,result,detail,relates_to,prev_hash,hash) "
                                + "VALUES (?,?,?,?,?,?,?,?,?,?,?)")) {
                    ins.setLong(1, id);
                    ins.setString(2, ts);
                    ins.setString(3, actor);
                    ins.setString(4, action);
                    ins.setString(5, target);
                    ins.setString(6, stage.name());
                    ins.setString(7, result);
                    ins.setString(8, safeDetail);
                    if (relatesTo == null) {
                        ins.setNull(9, java.sql.Types.INTEGER);
                    } else {
                        ins.setLong(9, relatesTo);
                    }
                    ins.setString(10, lastHash);
                    ins.setString(11, hash);
                    ins.executeUpdate();
                }
                entry = new AuditEntry(id, Instant.parse(ts), actor, action, target, stage, result, safeDetail,
                        relatesTo, lastHash, hash);
                lastHash = hash;
            } catch (SQLException e) {
                throw new AuditException("cannot write to the audit log: " + e.getMessage(), e);
            }
        }
        listeners.forEach(l -> l.accept(entry));
        return entry;
    }

    @Override
    public List<AuditEntry> query(AuditQuery q) {
        StringBuilder sql = new StringBuilder("SELECT * FROM audit WHERE 1=1");
        List<String> args = new ArrayList<>();
        if (q.text() != null && !q.text().isBlank()) {
            sql.append(" AND (actor LIKE ? OR action LIKE ? OR target LIKE ? OR result LIKE ? OR detail LIKE ?)");
            String like = "%" + q.text().trim() + "%";
            for (int i = 0; i < 5; i++) {
                args.add(like);
            }
        }
        if (q.action() != null) {
            sql.append(" AND action = ?");
            args.add(q.action());
        }
        if (q.result() != null) {
            sql.append(" AND result = ?");
            args.add(q.result());
        }
        sql.append(" ORDER BY id DESC LIMIT ").append(Math.max(1, q.limit()));
        synchronized (writeLock) {
            try (PreparedStatement ps = connection.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    ps.setString(i + 1, args.get(i));
                }
                List<AuditEntry> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(read(rs));
                    }
                }
                return out;
            } catch (SQLException e) {
                throw new AuditException("cannot read the audit log: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public ChainCheck verify() {
        synchronized (writeLock) {
            try (Statement s = connection.createStatement();
                 ResultSet rs = s.executeQuery("SELECT * FROM audit ORDER BY id")) {
                String expectedPrev = GENESIS;
                long n = 0;
                while (rs.next()) {
                    AuditEntry e = read(rs);
                    n++;
                    if (!e.previousHash().equals(expectedPrev)) {
                        return new ChainCheck(false, n, e.id(), "entry " + e.id() + " does not follow the one before it");
                    }
                    String recomputed = hash(e.previousHash(), e.id(), rs.getString("ts"), e.actor(), e.action(),
                            e.target(), e.stage().name(), e.result(), e.detail(), e.relatesTo());
                    if (!recomputed.equals(e.hash())) {
                        return new ChainCheck(false, n, e.id(), "entry " + e.id() + " was changed after it was written");
                    }
                    expectedPrev = e.hash();
                }
                return new ChainCheck(true, n, null, "");
            } catch (SQLException e) {
                return new ChainCheck(false, 0, null, "cannot read the audit log: " + e.getMessage());
            }
        }
    }

    @Override
    public void addListener(Consumer<AuditEntry> listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(Consumer<AuditEntry> listener) {
        listeners.remove(listener);
    }

    @Override
    public void close() {
        synchronized (writeLock) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // closing at shutdown: nothing left to protect
            }
        }
    }

    private static AuditEntry read(ResultSet rs) throws SQLException {
        long rel = rs.getLong("relates_to");
        Long relatesTo = rs.wasNull() ? null : rel;
        return new AuditEntry(rs.getLong("id"), Instant.parse(rs.getString("ts")), rs.getString("actor"),
                rs.getString("action"), rs.getString("target"), AuditStage.valueOf(rs.getString("stage")),
                rs.getString("result"), rs.getString("detail"), relatesTo, rs.getString("prev_hash"),
                rs.getString("hash"));
    }

    static String hash(String prev, long id, String ts, String actor, String action, String target, String stage,
                       String result, String detail, Long relatesTo) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            // Length-prefixed fields so no two different rows serialise to the same bytes.
            for (String field : new String[]{prev, Long.toString(id), ts, actor, action, target, stage, result,
                    detail, relatesTo == null ? "" : relatesTo.toString()}) {
                byte[] b = field.getBytes(StandardCharsets.UTF_8);
                md.update(Integer.toString(b.length).getBytes(StandardCharsets.UTF_8));
                md.update((byte) ':');
                md.update(b);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
