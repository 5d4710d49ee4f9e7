package dev.releaseconsole.views;

import dev.releaseconsole.services.ConsoleServices;
import dev.releaseconsole.services.actions.ActionResult;
import dev.releaseconsole.services.analysis.CanaryVerdict;
import dev.releaseconsole.services.governance.AuditEntry;
import dev.releaseconsole.services.governance.AuditStage;
import dev.releaseconsole.services.model.ClusterStatus;
import dev.releaseconsole.services.model.ConnectionState;
import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.store.KeyedStore;
import dev.releaseconsole.views.common.TaskRunner;
import dev.releaseconsole.views.common.Theme;
import dev.releaseconsole.views.fx.FxThrottle;
import dev.releaseconsole.views.rollouts.ClusterTreeViewModel;
import dev.releaseconsole.views.rollouts.RolloutRow;
import dev.releaseconsole.views.rollouts.RolloutTableViewModel;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.time.Clock;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The main window's state: theme and presenter mode, demo speed, the rollout table and cluster tree models, the
 * selected rollout, and the status bar texts. Store listeners (service threads) go through {@link FxThrottle}; the
 * {@code apply*} methods are the pure, FX-thread part and are unit-tested without a screen.
 */
public final class MainViewModel implements AutoCloseable {
    public static final List<Integer> SPEEDS = List.of(1, 2, 5, 10, 20);
    /** At most one UI batch per this many milliseconds. */
    public static final long THROTTLE_MILLIS = 150;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final ConsoleServices services;
    private final TaskRunner runner;
    private final Clock wallClock;
    private final RolloutTableViewModel table;
    private final ClusterTreeViewModel tree = new ClusterTreeViewModel();

    private final ObjectProperty<Theme> theme = new SimpleObjectProperty<>(this, "theme", Theme.DARK);
    private final BooleanProperty presenter = new SimpleBooleanProperty(this, "presenter", false);
    private final IntegerProperty speed = new SimpleIntegerProperty(this, "speed", 1);
    private final ObjectProperty<RolloutRef> selectedRollout = new SimpleObjectProperty<>(this, "selectedRollout");
    private final StringProperty connectionSummary = new SimpleStringProperty(this, "connectionSummary",
            "Waiting for clusters…");
    private final StringProperty lastUpdate = new SimpleStringProperty(this, "lastUpdate", "");
    private final StringProperty lastAction = new SimpleStringProperty(this, "lastAction", "");
    private final BooleanProperty connectionProblem = new SimpleBooleanProperty(this, "connectionProblem");
    private final StringBinding countsText;
    private final StringBinding attentionButtonText;

    private FxThrottle<RolloutRef, Optional<Rollout>> rolloutThrottle;
    private FxThrottle<String, Optional<ClusterStatus>> clusterThrottle;
    private FxThrottle<String, AuditEntry> auditThrottle;
    private FxThrottle<RolloutRef, Optional<CanaryVerdict>> verdictThrottle;
    private KeyedStore.Listener<RolloutRef, CanaryVerdict> verdictListener;
    private KeyedStore.Listener<RolloutRef, Rollout> rolloutListener;
    private KeyedStore.Listener<String, ClusterStatus> clusterListener;
    private boolean applyingSpeed;
    /** Until the first rollouts are shown (and unless the user chose one first), open on one that needs attention. */
    private boolean openOnAttention = true;

    public MainViewModel(ConsoleServices services) {
        this(services, TaskRunner.BACKGROUND, Clock.systemDefaultZone());
    }

    public MainViewModel(ConsoleServices services, TaskRunner runner, Clock wallClock) {
        this.services = services;
        this.runner = runner;
        this.wallClock = wallClock;
        this.table = new RolloutTableViewModel(cluster -> services.clockFor(cluster).instant());
        services.simulation().ifPresent(sim -> speed.set(sim.speed()));
        selectedRollout.addListener((o, was, now) -> openOnAttention = false);
        speed.addListener((o, was, now) -> {
            if (!applyingSpeed) {
                requestSpeed(now.intValue());
            }
        });
        countsText = Bindings.createStringBinding(() -> countsText(table.totalProperty().get(),
                table.attentionProperty().get()), table.totalProperty(), table.attentionProperty());
        attentionButtonText = Bindings.createStringBinding(() -> "Needs attention · "
                + table.attentionProperty().get(), table.attentionProperty());
    }

    /** Reads what the stores hold now and subscribes to their changes. Call once, on the FX thread. */
    public void start() {
        load();
        subscribe();
    }

    /**
     * Reads what the stores hold now: rollouts, clusters, counts. If there are rollouts and nothing is selected yet,
     * selects the first one that needs attention, so the window opens on something worth looking at.
     */
    public void load() {
        Map<String, Optional<ClusterStatus>> clusters = new HashMap<>();
        services.state().clusters().all().forEach(c -> clusters.put(c.cluster().id(), Optional.of(c)));
        applyClusters(clusters);
        table.loadAll(services.state().rollouts().all());
        Map<RolloutRef, Optional<CanaryVerdict>> verdicts = new HashMap<>();
        services.state().verdicts().all().forEach(v -> verdicts.put(v.rollout(), Optional.of(v)));
        table.applyVerdicts(verdicts);
        rebuildTree();
        openOnAttentionOnce();
        markUpdated();
    }

    private void openOnAttentionOnce() {
        if (!openOnAttention || table.totalProperty().get() == 0) {
            return;
        }
        openOnAttention = false;
        if (selectedRollout.get() == null) {
            table.visibleRows().stream().filter(RolloutRow::needsAttention).findFirst()
                    .ifPresent(r -> selectedRollout.set(r.ref()));
        }
    }

    private void subscribe() {
        rolloutThrottle = new FxThrottle<>(THROTTLE_MILLIS, this::applyRollouts);
        clusterThrottle = new FxThrottle<>(THROTTLE_MILLIS, this::applyClusters);
        auditThrottle = new FxThrottle<>(THROTTLE_MILLIS, batch -> batch.values().forEach(this::applyAuditEntry));
        rolloutListener = (upserted, removed) -> {
            upserted.forEach(r -> rolloutThrottle.offer(r.ref(), Optional.of(r)));
            removed.forEach(k -> rolloutThrottle.offer(k, Optional.empty()));
        };
        clusterListener = (upserted, removed) -> {
            upserted.forEach(c -> clusterThrottle.offer(c.cluster().id(), Optional.of(c)));
            removed.forEach(k -> clusterThrottle.offer(k, Optional.empty()));
        };
        verdictThrottle = new FxThrottle<>(THROTTLE_MILLIS, this::applyVerdicts);
        verdictListener = (upserted, removed) -> {
            upserted.forEach(v -> verdictThrottle.offer(v.rollout(), Optional.of(v)));
            removed.forEach(k -> verdictThrottle.offer(k, Optional.empty()));
        };
        services.state().verdicts().addListener(verdictListener);
        services.state().rollouts().addListener(rolloutListener);
        services.state().clusters().addListener(clusterListener);
        if (services.audit() != null) {
            services.audit().addListener(e -> {
                if (e.stage() == AuditStage.OUTCOME) {
                    auditThrottle.offer("latest", e);
                }
            });
        }
    }

    /** Applies a coalesced batch of rollout changes (FX thread). Empty values are removals. */
    public void applyRollouts(Map<RolloutRef, Optional<Rollout>> batch) {
        table.apply(batch);
        rebuildTree();
        RolloutRef sel = selectedRollout.get();
        if (sel != null && batch.containsKey(sel) && batch.get(sel).isEmpty()) {
            selectedRollout.set(null);
        }
        openOnAttentionOnce();
        markUpdated();
    }

    /** Applies a coalesced batch of canary verdicts (FX thread). Empty values are verdicts withdrawn. */
    public void applyVerdicts(Map<RolloutRef, Optional<CanaryVerdict>> batch) {
        table.applyVerdicts(batch);
        rebuildTree();
    }

    /** The tree counts what the table counts: a failing canary verdict also needs attention. */
    private void rebuildTree() {
        tree.rebuild(rolloutsNow(), r -> table.row(r.ref()).map(RolloutRow::needsAttention)
                .orElseGet(r::needsAttention));
    }

    /** Applies a coalesced batch of cluster status changes (FX thread). */
    public void applyClusters(Map<String, Optional<ClusterStatus>> batch) {
        batch.forEach((id, st) -> {
            if (st.isPresent()) {
                tree.updateStatuses(List.of(st.get()));
            } else {
                tree.removeStatus(id);
            }
        });
        rebuildTree();
        Collection<ClusterStatus> all = tree.statuses().values();
        connectionSummary.set(connectionSummary(all));
        connectionProblem.set(all.stream().anyMatch(s -> s.state() != ConnectionState.CONNECTED));
        markUpdated();
    }

    /** Shows the latest action outcome from the audit log in the status bar (actions from any view). */
    public void applyAuditEntry(AuditEntry e) {
        lastAction.set(LocalTime.ofInstant(e.time(), wallClock.getZone()).format(TIME) + "  "
                + e.action() + " " + e.target() + ": " + e.result());
    }

    /** Shows an action's summary in the status bar. */
    public void reportResult(ActionResult result) {
        String elapsed = result.elapsed() == null ? "" : " in " + result.elapsed().toMillis() + " ms";
        lastAction.set(LocalTime.now(wallClock).format(TIME) + "  " + result.summary() + elapsed);
    }

    public void reportMessage(String message) {
        lastAction.set(LocalTime.now(wallClock).format(TIME) + "  " + message);
    }

    private List<Rollout> rolloutsNow() {
        return table.allRows().stream().map(r -> r.rollout()).toList();
    }

    private void markUpdated() {
        lastUpdate.set("Updated " + LocalTime.now(wallClock).format(TIME));
    }

    private void requestSpeed(int s) {
        services.simulation().ifPresent(sim -> runner.run(() -> {
            sim.setSpeed(s);
            return sim.speed();
        }, actual -> {
            applyingSpeed = true;
            try {
                speed.set(actual);
            } finally {
                applyingSpeed = false;
            }
        }, err -> {
            reportMessage("Could not change the demo speed: " + err.getMessage());
            applyingSpeed = true;
            try {
                speed.set(sim.speed()); // show the speed the world actually runs at
            } finally {
                applyingSpeed = false;
            }
        }));
    }

    // ---- pure texts ----

    public static String countsText(int total, int attention) {
        return total + (total == 1 ? " rollout, " : " rollouts, ") + attention
                + (attention == 1 ? " needs attention" : " need attention");
    }

    public static String connectionSummary(Collection<ClusterStatus> statuses) {
        if (statuses.isEmpty()) {
            return "No clusters connected yet";
        }
        long ok = statuses.stream().filter(s -> s.state() == ConnectionState.CONNECTED).count();
        if (ok == statuses.size()) {
            return "All " + ok + (ok == 1 ? " cluster" : " clusters") + " connected";
        }
        StringBuilder sb = new StringBuilder(ok + " of " + statuses.size() + " clusters connected");
        statuses.stream().filter(s -> s.state() != ConnectionState.CONNECTED)
                .sorted(java.util.Comparator.comparing(s -> s.cluster().id()))
                .forEach(s -> sb.append(" · ").append(s.cluster().displayName()).append(": ")
                        .append(s.state().name().toLowerCase(Locale.ROOT))
                        .append(s.message() == null || s.message().isBlank() ? "" : " (" + s.message() + ")"));
        return sb.toString();
    }

    public static String speedLabel(Integer s) {
        return s == null ? "" : s + "x";
    }

    // ---- actions on the shell ----

    public void toggleTheme() {
        theme.set(theme.get().other());
    }

    public void togglePresenter() {
        presenter.set(!presenter.get());
    }

    public void toggleAttention() {
        table.attentionOnlyProperty().set(!table.attentionOnlyProperty().get());
    }

    // ---- accessors ----

    public ConsoleServices services() {
        return services;
    }

    public TaskRunner runner() {
        return runner;
    }

    public RolloutTableViewModel table() {
        return table;
    }

    public ClusterTreeViewModel tree() {
        return tree;
    }

    public boolean isDemo() {
        return services.simulation().isPresent();
    }

    public String demoBadgeText() {
        return services.simulation().map(s -> "DEMO — simulated world").orElse("");
    }

    public ObjectProperty<Theme> themeProperty() {
        return theme;
    }

    public BooleanProperty presenterProperty() {
        return presenter;
    }

    public IntegerProperty speedProperty() {
        return speed;
    }

    public ObjectProperty<RolloutRef> selectedRolloutProperty() {
        return selectedRollout;
    }

    public StringProperty searchTextProperty() {
        return table.searchTextProperty();
    }

    public BooleanProperty attentionOnlyProperty() {
        return table.attentionOnlyProperty();
    }

    public ReadOnlyStringProperty connectionSummaryProperty() {
        return connectionSummary;
    }

    public BooleanProperty connectionProblemProperty() {
        return connectionProblem;
    }

    public StringBinding countsTextProperty() {
        return countsText;
    }

    public StringBinding attentionButtonTextProperty() {
        return attentionButtonText;
    }

    public ReadOnlyStringProperty lastUpdateProperty() {
        return lastUpdate;
    }

    public ReadOnlyStringProperty lastActionProperty() {
        return lastAction;
    }

    @Override
    public void close() {
        if (rolloutListener != null) {
            services.state().rollouts().removeListener(rolloutListener);
            services.state().clusters().removeListener(clusterListener);
            services.state().verdicts().removeListener(verdictListener);
        }
        for (AutoCloseable c : new AutoCloseable[]{rolloutThrottle, clusterThrottle, auditThrottle,
                verdictThrottle}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // FxThrottle.close does not throw
                }
            }
        }
    }

    /** For tests and other views: run something with the view model's task runner. */
    public <T> void run(java.util.concurrent.Callable<T> work, Consumer<T> ok, Consumer<Throwable> fail) {
        runner.run(work, ok, fail);
    }
}
