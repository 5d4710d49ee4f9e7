package dev.releaseconsole.views.rollouts;

import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.model.RolloutRef;
import javafx.beans.Observable;
import javafx.beans.binding.Bindings;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;
import javafx.collections.transformation.SortedList;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The rollout table across all clusters: rows keyed by {@link RolloutRef} and updated in place, filtered by search
 * text, the "needs attention" switch and the tree's scope, sorted attention-first then by name unless the user sorts
 * by a column. No controls here; works without the FX toolkit.
 */
public final class RolloutTableViewModel {
    /** Attention first, then name, then cluster and namespace. */
    public static final Comparator<RolloutRow> DEFAULT_ORDER = Comparator
            .comparing((RolloutRow r) -> !r.needsAttention())
            .thenComparing(RolloutRow::name)
            .thenComparing(RolloutRow::cluster)
            .thenComparing(RolloutRow::namespace);

    private final ObservableList<RolloutRow> rows =
            FXCollections.observableArrayList(r -> new Observable[]{r.rolloutProperty()});
    private final Map<RolloutRef, RolloutRow> index = new HashMap<>();
    private final FilteredList<RolloutRow> filtered = new FilteredList<>(rows);
    private final SortedList<RolloutRow> sorted = new SortedList<>(filtered, DEFAULT_ORDER);

    private final StringProperty searchText = new SimpleStringProperty(this, "searchText", "");
    private final BooleanProperty attentionOnly = new SimpleBooleanProperty(this, "attentionOnly", false);
    private final ObjectProperty<Scope> scope = new SimpleObjectProperty<>(this, "scope", Scope.ALL);
    private final ObjectProperty<Comparator<RolloutRow>> columnOrder =
            new SimpleObjectProperty<>(this, "columnOrder");
    private final IntegerProperty total = new SimpleIntegerProperty(this, "total");
    private final IntegerProperty attention = new SimpleIntegerProperty(this, "attention");
    private final Function<String, Instant> nowForCluster;

    /** @param nowForCluster the current time of a cluster's clock (the demo world runs on simulated time) */
    public RolloutTableViewModel(Function<String, Instant> nowForCluster) {
        this.nowForCluster = nowForCluster;
        filtered.predicateProperty().bind(Bindings.createObjectBinding(
                () -> predicate(searchText.get(), attentionOnly.get(), scope.get()),
                searchText, attentionOnly, scope));
        sorted.comparatorProperty().bind(Bindings.createObjectBinding(() -> {
            Comparator<RolloutRow> user = columnOrder.get();
            return user == null ? DEFAULT_ORDER : user.thenComparing(DEFAULT_ORDER);
        }, columnOrder));
    }

    /** The row filter for the given search text, attention switch and scope (pure; unit-tested). */
    public static Predicate<RolloutRow> predicate(String search, boolean attentionOnly, Scope scope) {
        String[] words = search == null ? new String[0]
                : search.toLowerCase(Locale.ROOT).trim().split("\\s+");
        return row -> {
            if (scope != null && !scope.contains(row.ref())) {
                return false;
            }
            if (attentionOnly && !row.needsAttention()) {
                return false;
            }
            String hay = row.searchText();
            for (String w : words) {
                if (!w.isEmpty() && !hay.contains(w)) {
                    return false;
                }
            }
            return true;
        };
    }

    /** Replaces everything with {@code all} (initial load), keeping rows whose ref survives. */
    public void loadAll(Collection<Rollout> all) {
        Map<RolloutRef, Optional<Rollout>> batch = new HashMap<>();
        index.keySet().forEach(k -> batch.put(k, Optional.empty()));
        all.forEach(r -> batch.put(r.ref(), Optional.of(r)));
        apply(batch);
    }

    /**
     * Applies one coalesced batch: a present value upserts the row in place, an empty one removes it. Call on the
     * FX thread once the table is shown.
     */
    public void apply(Map<RolloutRef, Optional<Rollout>> batch) {
        List<RolloutRow> added = new java.util.ArrayList<>();
        List<RolloutRow> removed = new java.util.ArrayList<>();
        for (Map.Entry<RolloutRef, Optional<Rollout>> e : batch.entrySet()) {
            RolloutRow row = index.get(e.getKey());
            if (e.getValue().isPresent()) {
                Rollout r = e.getValue().get();
                if (row == null) {
                    row = new RolloutRow(r);
                    index.put(r.ref(), row);
                    added.add(row);
                } else if (!row.rollout().equals(r)) {
                    row.update(r);
                }
                row.refreshAge(now(row.cluster()));
            } else if (row != null) {
                index.remove(e.getKey());
                removed.add(row);
            }
        }
        if (!removed.isEmpty()) {
            rows.removeAll(removed);
        }
        if (!added.isEmpty()) {
            rows.addAll(added);
        }
        recount();
    }

    /** Recomputes every row's age against its cluster's clock (called once a second by the view). */
    public void refreshAges() {
        for (RolloutRow row : rows) {
            row.refreshAge(now(row.cluster()));
        }
    }

    private Instant now(String cluster) {
        try {
            return nowForCluster.apply(cluster);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private void recount() {
        total.set(rows.size());
        int n = 0;
        for (RolloutRow r : rows) {
            if (r.needsAttention()) {
                n++;
            }
        }
        attention.set(n);
    }

    public Optional<RolloutRow> row(RolloutRef ref) {
        return Optional.ofNullable(index.get(ref));
    }

    /** Every row, unfiltered and unsorted. */
    public ObservableList<RolloutRow> allRows() {
        return FXCollections.unmodifiableObservableList(rows);
    }

    /** What the table shows: filtered and sorted. */
    public SortedList<RolloutRow> visibleRows() {
        return sorted;
    }

    public StringProperty searchTextProperty() {
        return searchText;
    }

    public BooleanProperty attentionOnlyProperty() {
        return attentionOnly;
    }

    public ObjectProperty<Scope> scopeProperty() {
        return scope;
    }

    /** The order a user chose by clicking column headers; null for the default attention-first order. */
    public ObjectProperty<Comparator<RolloutRow>> columnOrderProperty() {
        return columnOrder;
    }

    public ReadOnlyIntegerProperty totalProperty() {
        return total;
    }

    public ReadOnlyIntegerProperty attentionProperty() {
        return attention;
    }
}
