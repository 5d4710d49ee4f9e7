package dev.releaseconsole.views.audit;

import dev.releaseconsole.services.governance.AuditEntry;
import dev.releaseconsole.services.governance.AuditLog;
import dev.releaseconsole.services.governance.AuditQuery;
import dev.releaseconsole.services.governance.AuditStage;
import dev.releaseconsole.services.governance.ChainCheck;
import dev.releaseconsole.views.common.TaskRunner;
import dev.releaseconsole.views.fx.FxThrottle;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

/**
 * The audit log view's state: search text, result filter, the rows of the last query, and the chain check. Queries
 * and the chain check run through the {@link TaskRunner} (off the FX thread in the app); new entries trigger a
 * re-query through {@link FxThrottle}. A query is only applied if it is the newest one asked for.
 */
public final class AuditViewModel implements AutoCloseable {
    public static final int LIMIT = 500;
    public static final DateTimeFormatter TIME_FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final AuditLog audit;
    private final TaskRunner runner;
    private final ZoneId zone;
    private final StringProperty searchText = new SimpleStringProperty(this, "searchText", "");
    private final ObjectProperty<ResultFilter> resultFilter = new SimpleObjectProperty<>(this, "resultFilter",
            ResultFilter.ALL);
    private final ObservableList<AuditEntry> entries = FXCollections.observableArrayList();
    private final StringProperty chainText = new SimpleStringProperty(this, "chainText", "");
    private final ObjectProperty<ChainCheck> chainCheck = new SimpleObjectProperty<>(this, "chainCheck");
    private final BooleanProperty busy = new SimpleBooleanProperty(this, "busy");
    private final StringProperty error = new SimpleStringProperty(this, "error", "");
    private final StringProperty summary = new SimpleStringProperty(this, "summary", "");
    private final ObjectProperty<AuditEntry> selected = new SimpleObjectProperty<>(this, "selected");
    private long generation;
    private FxThrottle<String, Boolean> liveThrottle;
    private volatile boolean closed;
    private final java.util.function.Consumer<AuditEntry> auditListener = e -> {
        if (!closed && liveThrottle != null) {
            liveThrottle.offer("changed", Boolean.TRUE);
        }
    };

    public AuditViewModel(AuditLog audit, TaskRunner runner, ZoneId zone) {
        this.audit = audit;
        this.runner = runner;
        this.zone = zone;
        searchText.addListener((o, was, now) -> refresh());
        resultFilter.addListener((o, was, now) -> refresh());
    }

    /** Subscribes to new entries (coalesced, at most one re-query per 250 ms) and runs the first query. */
    public void start() {
        liveThrottle = new FxThrottle<>(250, batch -> refresh());
        audit.addListener(auditListener);
        refresh();
    }

    public AuditQuery query() {
        String text = searchText.get() == null || searchText.get().isBlank() ? null : searchText.get().trim();
        ResultFilter f = resultFilter.get() == null ? ResultFilter.ALL : resultFilter.get();
        return new AuditQuery(text, null, f.result(), LIMIT);
    }

    public void refresh() {
        if (closed) {
            return;
        }
        AuditQuery q = query();
        long mine = ++generation;
        busy.set(true);
        runner.run(() -> audit.query(q), rows -> {
            if (mine == generation) {
                AuditEntry keep = selected.get();
                entries.setAll(rows);
                if (keep != null) {
                    selected.set(rows.stream().filter(e -> e.id() == keep.id()).findFirst().orElse(null));
                }
                busy.set(false);
                error.set("");
                summary.set(rows.size() >= LIMIT ? "newest " + LIMIT + " entries shown; narrow the search"
                        : rows.size() + (rows.size() == 1 ? " entry" : " entries"));
            }
        }, err -> {
            if (mine == generation) {
                busy.set(false);
                error.set("Cannot read the audit log: " + err.getMessage());
            }
        });
    }

    /** Walks the hash chain (in the background) and says whether it is intact. */
    public void verifyChain() {
        chainText.set("Verifying…");
        runner.run(audit::verify, check -> {
            chainCheck.set(check);
            chainText.set(describe(check));
        }, err -> chainText.set("Could not verify: " + err.getMessage()));
    }

    public static String describe(ChainCheck check) {
        if (check.intact()) {
            return "Chain intact (" + check.entriesChecked() + (check.entriesChecked() == 1 ? " entry)" : " entries)");
        }
        if (check.firstBrokenId() != null) {
            return "Chain broken at entry " + check.firstBrokenId() + ": " + check.problem();
        }
        return "Chain not verified: " + check.problem();
    }

    /** "2026-11-22 18:47:05", in the view's time zone (local time in the app). */
    public String formatTime(AuditEntry e) {
        return e.time() == null ? "" : TIME_FORMAT.format(e.time().atZone(zone));
    }

    /** The entry shown in the detail pane below the table (the table's selection). */
    public ObjectProperty<AuditEntry> selectedProperty() {
        return selected;
    }

    /**
     * Everything about one entry, for the detail pane: when (local and UTC), who, what, on which target, the
     * result, the full detail, how it links to its intent or outcome, and its place in the hash chain.
     */
    public EntryDetail detail(AuditEntry e) {
        String when = "";
        if (e.time() != null) {
            ZoneOffset offset = e.time().atZone(zone).getOffset();
            when = offset.getTotalSeconds() == 0 ? formatTime(e) + " (UTC)"
                    : formatTime(e) + " (UTC" + offset.getId() + ") · " + e.time().toString().replace('T', ' ');
        }
        String what = e.action() + (e.stage() == null ? "" : " · " + e.stage().name().toLowerCase());
        String hash = (e.hash() == null ? "—" : e.hash()) + "  ← previous "
                + (e.previousHash() == null || e.previousHash().isBlank() ? "— (first entry)" : e.previousHash());
        return new EntryDetail("#" + e.id(), when, nz(e.actor()), what, nz(e.target()), nz(e.result()),
                nz(e.detail()), linkText(e), hash);
    }

    /** The detail pane's content for one entry. */
    public record EntryDetail(String id, String when, String who, String what, String target, String result,
                              String detail, String link, String hash) {
    }

    /**
     * How {@code e} links to the rest of its action, among the loaded entries: "outcome of intent #7",
     * "intent · outcome #8 · part of #1", "intent · no outcome recorded yet".
     */
    public String linkText(AuditEntry e) {
        if (e.stage() == AuditStage.OUTCOME) {
            return e.relatesTo() == null ? "outcome (no intent: refused before anything was sent)"
                    : "outcome of intent #" + e.relatesTo();
        }
        StringBuilder sb = new StringBuilder("intent");
        Optional<AuditEntry> outcome = outcomeOf(e);
        sb.append(outcome.map(o -> " · outcome #" + o.id()).orElse(" · no outcome recorded yet"));
        if (e.relatesTo() != null) {
            sb.append(" · part of #").append(e.relatesTo());
        }
        return sb.toString();
    }

    /** Where the link leads: an outcome's intent, an intent's outcome (or, without one, its parent). */
    public Optional<AuditEntry> linked(AuditEntry e) {
        if (e.stage() == AuditStage.OUTCOME) {
            return byId(e.relatesTo());
        }
        Optional<AuditEntry> outcome = outcomeOf(e);
        return outcome.isPresent() ? outcome : byId(e.relatesTo());
    }

    private Optional<AuditEntry> outcomeOf(AuditEntry intent) {
        return entries.stream().filter(o -> o.stage() == AuditStage.OUTCOME && o.relatesTo() != null
                && o.relatesTo() == intent.id()).findFirst();
    }

    private Optional<AuditEntry> byId(Long id) {
        return id == null ? Optional.empty()
                : entries.stream().filter(x -> x.id() == id).findFirst();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    public StringProperty searchTextProperty() {
        return searchText;
    }

    public ObjectProperty<ResultFilter> resultFilterProperty() {
        return resultFilter;
    }

    public ObservableList<AuditEntry> entries() {
        return entries;
    }

    public List<ResultFilter> filters() {
        return List.of(ResultFilter.values());
    }

    public ReadOnlyStringProperty chainTextProperty() {
        return chainText;
    }

    public ReadOnlyObjectProperty<ChainCheck> chainCheckProperty() {
        return chainCheck;
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy;
    }

    public ReadOnlyStringProperty errorProperty() {
        return error;
    }

    public ReadOnlyStringProperty summaryProperty() {
        return summary;
    }

    @Override
    public void close() {
        closed = true;
        audit.removeListener(auditListener);
        if (liveThrottle != null) {
            liveThrottle.close();
        }
    }
}
