package dev.releaseconsole.views.audit;

import dev.releaseconsole.services.governance.AuditEntry;
import dev.releaseconsole.services.governance.AuditLog;
import dev.releaseconsole.services.governance.AuditQuery;
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
import java.time.format.DateTimeFormatter;
import java.util.List;

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
                entries.setAll(rows);
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

    public String formatTime(AuditEntry e) {
        return e.time() == null ? "" : TIME_FORMAT.format(e.time().atZone(zone));
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
