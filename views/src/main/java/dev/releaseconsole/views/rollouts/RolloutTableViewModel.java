package dev.releaseconsole.views.rollouts;

import dev.releaseconsole.services.analysis.CanaryVerdict;
import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.model.RolloutRef;
import javafx.beans.InvalidationListener;
import javafx.beans.Observable;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
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
 *
 * <p>Live updates re-sort and re-filter, which moves rows. So that a row never moves between hover and click, the
 * order the table shows ({@link #visibleRows()}) is frozen while the pointer is over the table or a mouse button is
 * down there: the rows' contents still update live, but re-sorts, rows that start or stop matching the filter and
 * new rows wait until the pointer leaves, or rests for {@link #FREEZE_IDLE} (the view reports that with
 * {@link #pointerIdle()}). What the user asks for (search, attention switch, scope, column order) applies at once;
 * a rollout that is gone leaves at once.
 */
public final class RolloutTableViewModel {
    /** Attention first, then name, then cluster and namespace. */
    public static final Comparator<RolloutRow> DEFAULT_ORDER = Comparator
            .comparing((RolloutRow r) -> !r.needsAttention())
            .thenComparing(RolloutRow::name)
            .thenComparing(RolloutRow::cluster)
            .thenComparing(RolloutRow::namespace);

    private final ObservableList<RolloutRow> rows =
            FXCollections.observableArrayList(r -> new Observable[]{r.rolloutProperty(), r.verdictProperty()});
    private final Map<RolloutRef, RolloutRow> index = new HashMap<>();
    private final FilteredList<RolloutRow> filtered = new FilteredList<>(rows);
    private final SortedList<RolloutRow> sorted = new SortedList<>(filtered, DEFAULT_ORDER);
    /** What the table shows: {@link #sorted}, except while frozen. */
    private final ObservableList<RolloutRow> shown = FXCollections.observableArrayList();
    private final ObservableList<RolloutRow> shownReadOnly = FXCollections.unmodifiableObservableList(shown);

    private final StringProperty searchText = new SimpleStringProperty(this, "searchText", "");
    private final BooleanProperty attentionOnly = new SimpleBooleanProperty(this, "attentionOnly", false);
    private final ObjectProperty<Scope> scope = new SimpleObjectProperty<>(this, "scope", Scope.ALL);
    private final ObjectProperty<Comparator<RolloutRow>> columnOrder =
            new SimpleObjectProperty<>(this, "columnOrder");
    private final IntegerProperty total = new SimpleIntegerProperty(this, "total");
    private final IntegerProperty attention = new SimpleIntegerProperty(this, "attention");
    private final BooleanProperty frozen = new SimpleBooleanProperty(this, "frozen", false);
    private final Function<String, Instant> nowForCluster;
    private boolean pointerOver;
    private boolean pointerResting;
    private boolean buttonDown;
    private boolean userChanging;
    private boolean pending;

    /** @param nowForCluster the current time of a cluster's clock (the demo world runs on simulated time) */
    public RolloutTableViewModel(Function<String, Instant> nowForCluster) {
        this.nowForCluster = nowForCluster;
        sorted.addListener((ListChangeListener<RolloutRow>) c -> {
            if (userChanging) {
                return;
            }
            if (frozen.get()) {
                pending = true;
            } else {
                syncShown();
            }
        });
        InvalidationListener userAsked = o -> applyUserChoice();
        for (Observable choice : new Observable[]{searchText, attentionOnly, scope, columnOrder}) {
            choice.addListener(userAsked);
        }
        applyUserChoice();
    }

    /** The user changed the search, the attention switch, the scope or the column order: show it at once. */
    private void applyUserChoice() {
        userChanging = true;
        try {
            filtered.setPredicate(predicate(searchText.get(), attentionOnly.get(), scope.get()));
            Comparator<RolloutRow> user = columnOrder.get();
            sorted.setComparator(user == null ? DEFAULT_ORDER : user.thenComparing(DEFAULT_ORDER));
        } finally {
            userChanging = false;
        }
        syncShown();
    }

    /** Makes {@link #shown} what {@link #sorted} holds: gone rows out, new ones in, then one permutation. */
    private void syncShown() {
        pending = false;
        if (shown.equals(sorted)) {
            return;
        }
        List<RolloutRow> target = List.copyOf(sorted);
        Map<RolloutRow, Integer> position = new HashMap<>();
        for (int i = 0; i < target.size(); i++) {
            position.put(target.get(i), i);
        }
        shown.retainAll(position.keySet());
        if (shown.size() < target.size()) {
            java.util.Set<RolloutRow> have = new java.util.HashSet<>(shown);
            shown.addAll(target.stream().filter(r -> !have.contains(r)).toList());
        }
        if (!shown.equals(target)) {
            FXCollections.sort(shown, Comparator.comparingInt(position::get));
        }
    }

    // ---- freezing the order under the pointer ----

    /** How long the pointer may rest on the table before pending re-sorts are applied anyway. */
    public static final java.time.Duration FREEZE_IDLE = java.time.Duration.ofMillis(1500);

    /** The pointer entered (true) or left (false) the table. */
    public void setPointerOver(boolean over) {
        pointerOver = over;
        pointerResting = false;
        refreshFrozen();
    }

    /** The pointer moved over the table: freeze again if it had rested. */
    public void pointerMoved() {
        pointerResting = false;
        refreshFrozen();
    }

    /** The pointer has rested on the table for {@link #FREEZE_IDLE}: apply what waits. */
    public void pointerIdle() {
        pointerResting = true;
        refreshFrozen();
    }

    /** A mouse button went down (true) or up (false) on the table. */
    public void setButtonDown(boolean down) {
        buttonDown = down;
        if (down) {
            pointerResting = false;
        }
        refreshFrozen();
    }

    private void refreshFrozen() {
        boolean now = buttonDown || (pointerOver && !pointerResting);
        if (now == frozen.get()) {
            return;
        }
        frozen.set(now);
        if (!now && pending) {
            syncShown();
        }
    }

    /** Whether live updates currently leave the row order alone. */
    public ReadOnlyBooleanProperty frozenProperty() {
        return frozen;
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
            shown.removeAll(removed); // a rollout that is gone leaves at once, frozen or not
        }
        if (!added.isEmpty()) {
            rows.addAll(added);
        }
        recount();
    }

    /**
     * Applies one coalesced batch of canary verdicts: a present value is the row's newest verdict, an empty one
     * clears it. Verdicts for rollouts without a row are dropped (the row brings none when it arrives later; the
     * next verdict fills it). Call on the FX thread once the table is shown.
     */
    public void applyVerdicts(Map<RolloutRef, Optional<CanaryVerdict>> batch) {
        boolean changed = false;
        for (Map.Entry<RolloutRef, Optional<CanaryVerdict>> e : batch.entrySet()) {
            RolloutRow row = index.get(e.getKey());
            CanaryVerdict v = e.getValue().orElse(null);
            if (row != null && !java.util.Objects.equals(row.verdict(), v)) {
                row.updateVerdict(v);
                changed = true;
            }
        }
        if (changed) {
            recount();
        }
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

    /** What the table shows: filtered and sorted, in the order frozen while the pointer is on the table. */
    public ObservableList<RolloutRow> visibleRows() {
        return shownReadOnly;
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
