package dev.releaseconsole.views.flags;

import dev.releaseconsole.services.ConsoleServices;
import dev.releaseconsole.services.actions.ActionException;
import dev.releaseconsole.services.actions.ReleaseActions;
import dev.releaseconsole.services.flags.debt.DebtKind;
import dev.releaseconsole.services.flags.debt.FlagDebt;
import dev.releaseconsole.services.flags.debt.FlagDebtCalculator;
import dev.releaseconsole.services.model.FlagChangeEvent;
import dev.releaseconsole.services.model.FlagProviderStatus;
import dev.releaseconsole.services.model.FlagRef;
import dev.releaseconsole.services.model.FlagRegistry;
import dev.releaseconsole.services.store.KeyedStore;
import dev.releaseconsole.services.store.LiveState;
import dev.releaseconsole.views.common.TaskRunner;
import dev.releaseconsole.views.fx.FxThrottle;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

import java.time.Clock;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The flag-debt view: every piece of debt the calculator finds, filtered by text and kind, recomputed off the FX
 * thread whenever flags, providers or the registry change (at most once a second). The provider change events the
 * "at 100% too long" rule needs are read through the facade, only for flags fully on in production.
 */
public final class FlagDebtViewModel implements AutoCloseable {
    /** "All kinds" in the filter; otherwise one {@link DebtKind}. */
    public record KindFilter(DebtKind kind, String label) {
        @Override
        public String toString() {
            return label;
        }
    }

    private static final long THROTTLE_MILLIS = 1000;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);

    private final LiveState state;
    private final ReleaseActions actions;
    private final TaskRunner runner;
    private final Clock clock;
    private final ZoneId zone;
    private final ObservableList<FlagDebt> all = FXCollections.observableArrayList();
    private final FilteredList<FlagDebt> rows = new FilteredList<>(all, d -> true);
    private final ObservableList<KindFilter> kinds = FXCollections.observableArrayList();
    private final ObjectProperty<KindFilter> kindFilter = new SimpleObjectProperty<>(this, "kindFilter");
    private final StringProperty searchText = new SimpleStringProperty(this, "searchText", "");
    private final StringProperty registryText = new SimpleStringProperty(this, "registryText", "");
    private final StringProperty registryProblem = new SimpleStringProperty(this, "registryProblem", "");
    private final StringProperty summary = new SimpleStringProperty(this, "summary", "");
    private final StringProperty historyNote = new SimpleStringProperty(this, "historyNote", "");
    private final BooleanProperty busy = new SimpleBooleanProperty(this, "busy", false);
    private FxThrottle<String, Boolean> throttle;
    private KeyedStore.Listener<FlagRef, dev.releaseconsole.services.model.Flag> flagListener;
    private KeyedStore.Listener<String, FlagProviderStatus> providerListener;
    private java.util.function.Consumer<FlagRegistry> registryListener;
    private boolean again;

    public FlagDebtViewModel(ConsoleServices services, TaskRunner runner, Clock clock) {
        this(services.state(), services.actions(), runner, clock, ZoneId.systemDefault());
    }

    public FlagDebtViewModel(LiveState state, ReleaseActions actions, TaskRunner runner, Clock clock, ZoneId zone) {
        this.state = state;
        this.actions = actions;
        this.runner = runner;
        this.clock = clock;
        this.zone = zone;
        KindFilter everything = new KindFilter(null, "All kinds");
        kinds.add(everything);
        kindFilter.set(everything);
        searchText.addListener((o, was, now) -> applyFilter());
        kindFilter.addListener((o, was, now) -> applyFilter());
    }

    /** Computes once now and again whenever flags, providers or the registry change. */
    public void start() {
        throttle = new FxThrottle<>(THROTTLE_MILLIS, batch -> refresh());
        flagListener = (up, gone) -> throttle.offer("flags", true);
        providerListener = (up, gone) -> throttle.offer("providers", true);
        registryListener = r -> throttle.offer("registry", true);
        state.flags().addListener(flagListener);
        state.flagProviders().addListener(providerListener);
        state.addFlagRegistryListener(registryListener);
        refresh();
    }

    /** Recomputes in the background; a change during a computation runs one more after it. */
    public void refresh() {
        if (busy.get()) {
            again = true;
            return;
        }
        busy.set(true);
        runner.run(this::compute, this::show, err -> {
            busy.set(false);
            summary.set("Could not compute the flag debt: " + err.getMessage());
        });
    }

    private record Computed(List<FlagDebt> debt, FlagRegistry registry, int flags, List<String> historyGaps) {
    }

    private Computed compute() {
        Map<FlagRef, List<FlagChangeEvent>> history = new HashMap<>();
        List<String> gaps = new ArrayList<>();
        for (FlagRef ref : FlagDebtCalculator.needingHistory(state)) {
            try {
                history.put(ref, actions.flagEvents(ref, FlagDebtCalculator.HISTORY_EVENTS));
            } catch (ActionException e) {
                gaps.add(ref.key() + " (" + e.getMessage() + ")");
            }
        }
        FlagRegistry registry = state.flagRegistry();
        return new Computed(FlagDebtCalculator.calculate(state, history, clock.instant()), registry,
                state.flags().size(), gaps);
    }

    private void show(Computed c) {
        busy.set(false);
        all.setAll(c.debt());
        Map<DebtKind, Integer> counts = new EnumMap<>(DebtKind.class);
        c.debt().forEach(d -> counts.merge(d.kind(), 1, Integer::sum));
        KindFilter selected = kindFilter.get();
        List<KindFilter> filters = new ArrayList<>();
        filters.add(kinds.get(0));
        counts.forEach((k, n) -> filters.add(new KindFilter(k, k.label() + " (" + n + ")")));
        kinds.setAll(filters);
        kindFilter.set(filters.stream().filter(f -> f.kind() == selected.kind()).findFirst().orElse(filters.get(0)));
        FlagRegistry r = c.registry();
        registryText.set(!r.configured() ? "No flag registry configured: set flags.registry in the configuration to"
                + " record owners, expiry dates, tickets and linked rollouts."
                : "Registry " + r.source() + (r.loadedAt() == null ? ", not loaded" : ", " + r.entries().size()
                + " entries, loaded " + TIME.format(r.loadedAt().atZone(zone)))
                + " · at 100% is debt after " + r.fullyOnLimit().toDays() + " days (since: the providers' change"
                + " events)");
        registryProblem.set(r.problem() == null ? "" : r.problem());
        summary.set(c.debt().isEmpty() ? "No flag debt in " + c.flags() + " flags."
                : c.debt().size() + " piece(s) of flag debt across " + c.flags() + " flags and "
                + r.entries().size() + " registry entries.");
        historyNote.set(c.historyGaps().isEmpty() ? "" : "Change history unavailable for "
                + String.join(", ", c.historyGaps()) + ": their time at 100% is not judged.");
        if (again) {
            again = false;
            refresh();
        }
    }

    private void applyFilter() {
        String q = searchText.get() == null ? "" : searchText.get().strip().toLowerCase(Locale.ROOT);
        DebtKind k = kindFilter.get() == null ? null : kindFilter.get().kind();
        rows.setPredicate(d -> (k == null || d.kind() == k) && (q.isEmpty() || matches(d, q)));
    }

    private static boolean matches(FlagDebt d, String q) {
        return contains(d.key(), q) || contains(d.provider(), q) || contains(d.owner(), q) || contains(d.why(), q)
                || contains(d.kind().label(), q);
    }

    private static boolean contains(String s, String q) {
        return s != null && s.toLowerCase(Locale.ROOT).contains(q);
    }

    /** The debt's date in words for the table ("since" column). */
    public String sinceText(FlagDebt d) {
        return d.since() == null ? "" : d.since().atZone(zone).toLocalDate().toString();
    }

    public ObservableList<FlagDebt> rows() {
        return rows;
    }

    public ObservableList<KindFilter> kinds() {
        return kinds;
    }

    public ObjectProperty<KindFilter> kindFilterProperty() {
        return kindFilter;
    }

    public StringProperty searchTextProperty() {
        return searchText;
    }

    public ReadOnlyStringProperty registryTextProperty() {
        return registryText;
    }

    public ReadOnlyStringProperty registryProblemProperty() {
        return registryProblem;
    }

    public ReadOnlyStringProperty summaryProperty() {
        return summary;
    }

    public ReadOnlyStringProperty historyNoteProperty() {
        return historyNote;
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy;
    }


    @Override
    public void close() {
        if (throttle != null) {
            throttle.close();
        }
        if (flagListener != null) {
            state.flags().removeListener(flagListener);
            state.flagProviders().removeListener(providerListener);
            state.removeFlagRegistryListener(registryListener);
        }
    }
}
