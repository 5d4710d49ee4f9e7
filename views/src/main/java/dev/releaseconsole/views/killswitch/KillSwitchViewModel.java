package dev.releaseconsole.views.killswitch;

import dev.releaseconsole.services.ConsoleServices;
import dev.releaseconsole.services.actions.ActionResult;
import dev.releaseconsole.services.actions.KillSwitchPlan;
import dev.releaseconsole.services.actions.KillSwitchStep;
import dev.releaseconsole.services.actions.ReleaseActions;
import dev.releaseconsole.services.actions.TargetOutcome;
import dev.releaseconsole.services.model.ClusterStatus;
import dev.releaseconsole.services.model.ConnectionState;
import dev.releaseconsole.services.model.Flag;
import dev.releaseconsole.services.model.FlagProviderStatus;
import dev.releaseconsole.services.model.FlagRegistration;
import dev.releaseconsole.services.model.FlagRegistry;
import dev.releaseconsole.services.model.FlagType;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.store.KeyedStore;
import dev.releaseconsole.services.store.LiveState;
import dev.releaseconsole.views.common.TaskRunner;
import dev.releaseconsole.views.fx.FxThrottle;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The kill switch, keyboard-first. On call it starts on the list of kill-switch flags across providers (type
 * kill-switch, or {@code killSwitch: true} in the registry) and rollouts with linked flags, each with its state per
 * environment and its source's connection; typing filters it, Enter arms the selected row: the plan (every flag
 * environment turned off, every rollout aborted), the typed name when production is touched, Enter executes, and
 * each target's outcome comes back with the time from the click to the last confirmed read-back. Every
 * {@link ReleaseActions} call goes through the {@link TaskRunner}.
 */
public final class KillSwitchViewModel implements AutoCloseable {
    public enum Phase { CHOOSE, PLANNING, READY, RUNNING, DONE }

    private static final long THROTTLE_MILLIS = 250;
    private static final DateTimeFormatter CLOCK_TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);

    private final LiveState state;
    private final ReleaseActions actions;
    private final TaskRunner runner;
    private final ObjectProperty<Phase> phase = new SimpleObjectProperty<>(this, "phase", Phase.CHOOSE);
    private final ObservableList<KillSwitchCandidate> candidates = FXCollections.observableArrayList();
    private final FilteredList<KillSwitchCandidate> visibleCandidates = new FilteredList<>(candidates, c -> true);
    private final StringProperty filter = new SimpleStringProperty(this, "filter", "");
    private final ObjectProperty<KillSwitchCandidate> selected = new SimpleObjectProperty<>(this, "selected");
    private final ObjectProperty<KillSwitchPlan> plan = new SimpleObjectProperty<>(this, "plan");
    private final ObservableList<KillSwitchStep> planLines = FXCollections.observableArrayList();
    private final StringProperty confirmText = new SimpleStringProperty(this, "confirmText", "");
    private final StringProperty reason = new SimpleStringProperty(this, "reason", "");
    private final ObservableList<TargetOutcome> results = FXCollections.observableArrayList();
    private final ObjectProperty<ActionResult> result = new SimpleObjectProperty<>(this, "result");
    private final StringProperty elapsedText = new SimpleStringProperty(this, "elapsedText", "");
    private final StringProperty lastUse = new SimpleStringProperty(this, "lastUse", "");
    private final javafx.beans.property.BooleanProperty lastUseSafe =
            new javafx.beans.property.SimpleBooleanProperty(this, "lastUseSafe", true);
    private final StringProperty message = new SimpleStringProperty(this, "message", "");
    private final BooleanBinding confirmationValid;
    private final BooleanBinding canExecute;
    private Consumer<ActionResult> onResult = r -> { };
    private LongSupplier nanoTime = System::nanoTime;
    private Clock wallClock = Clock.systemDefaultZone();
    private boolean onCall;
    private FxThrottle<String, Boolean> throttle;
    private KeyedStore.Listener<?, ?>[] listeners;
    private Consumer<FlagRegistry> registryListener;

    public KillSwitchViewModel(ConsoleServices services, TaskRunner runner) {
        this(services.state(), services.actions(), runner);
    }

    public KillSwitchViewModel(LiveState state, ReleaseActions actions, TaskRunner runner) {
        this.state = state;
        this.actions = actions;
        this.runner = runner;
        confirmationValid = Bindings.createBooleanBinding(() -> {
            KillSwitchPlan p = plan.get();
            return p != null && (!p.touchesProduction() || nameMatches(p, confirmText.get()));
        }, plan, confirmText);
        canExecute = Bindings.createBooleanBinding(() -> phase.get() == Phase.READY && plan.get() != null
                && plan.get().size() > 0 && confirmationValid.get(), phase, plan, confirmationValid);
        filter.addListener((o, was, now) -> applyFilter());
    }

    public static boolean nameMatches(KillSwitchPlan plan, String typed) {
        return typed != null && typed.strip().equals(plan.confirmationName());
    }

    /** On call: starts on the list, and after a use (or Esc from a plan) goes back to it rather than closing. */
    public void startOnCall() {
        onCall = true;
        loadCandidates();
    }

    public boolean isOnCall() {
        return onCall;
    }

    /** Follows flags, providers, clusters and the registry while the list is shown (the FX thread applies). */
    public void start() {
        throttle = new FxThrottle<>(THROTTLE_MILLIS, batch -> {
            if (phase.get() == Phase.CHOOSE) {
                reloadCandidates();
            }
        });
        KeyedStore.Listener<dev.releaseconsole.services.model.FlagRef, Flag> flags = (u, g) -> throttle.offer("f",
                true);
        KeyedStore.Listener<String, FlagProviderStatus> providers = (u, g) -> throttle.offer("p", true);
        KeyedStore.Listener<String, ClusterStatus> clusters = (u, g) -> throttle.offer("c", true);
        state.flags().addListener(flags);
        state.flagProviders().addListener(providers);
        state.clusters().addListener(clusters);
        registryListener = r -> throttle.offer("r", true);
        state.addFlagRegistryListener(registryListener);
        listeners = new KeyedStore.Listener<?, ?>[]{flags, providers, clusters};
    }

    @Override
    @SuppressWarnings("unchecked")
    public void close() {
        if (throttle != null) {
            throttle.close();
            state.flags().removeListener((KeyedStore.Listener<dev.releaseconsole.services.model.FlagRef, Flag>)
                    listeners[0]);
            state.flagProviders().removeListener((KeyedStore.Listener<String, FlagProviderStatus>) listeners[1]);
            state.clusters().removeListener((KeyedStore.Listener<String, ClusterStatus>) listeners[2]);
            state.removeFlagRegistryListener(registryListener);
            throttle = null;
        }
    }

    /** Lists kill-switch flags and rollouts with linked flags (from the in-memory state), for the chooser. */
    public void loadCandidates() {
        reloadCandidates();
        phase.set(Phase.CHOOSE);
    }

    private void reloadCandidates() {
        KillSwitchCandidate was = selected.get();
        candidates.setAll(candidates(state));
        applyFilter();
        if (was != null) {
            visibleCandidates.stream().filter(c -> same(c, was)).findFirst().ifPresent(selected::set);
        }
    }

    private static boolean same(KillSwitchCandidate a, KillSwitchCandidate b) {
        return java.util.Objects.equals(a.flag(), b.flag()) && java.util.Objects.equals(a.rollout(), b.rollout());
    }

    private void applyFilter() {
        String q = filter.get();
        visibleCandidates.setPredicate(c -> c.matches(q));
        KillSwitchCandidate s = selected.get();
        if (s == null || visibleCandidates.stream().noneMatch(c -> same(c, s))) {
            selected.set(visibleCandidates.isEmpty() ? null : visibleCandidates.get(0));
        }
    }

    /** The kill-switch flags (by type or by the registry), then rollouts with linked flags. */
    public static List<KillSwitchCandidate> candidates(LiveState state) {
        List<KillSwitchCandidate> out = new ArrayList<>();
        FlagRegistry registry = state.flagRegistry();
        List<Flag> flags = new ArrayList<>(state.flags().all());
        flags.sort(Comparator.comparing(Flag::ref));
        Set<RolloutRef> linked = new LinkedHashSet<>();
        for (Flag f : flags) {
            Optional<FlagRegistration> entry = registry.lookup(f.ref());
            boolean byRegistry = entry.map(FlagRegistration::killSwitch).orElse(false);
            if (f.type() == FlagType.KILL_SWITCH || byRegistry) {
                List<KillSwitchCandidate.EnvironmentState> envs = f.environments().stream()
                        .map(e -> new KillSwitchCandidate.EnvironmentState(e.environment(), e.tier(), e.enabled()))
                        .toList();
                Optional<FlagProviderStatus> provider = state.flagProviders().get(f.ref().provider());
                String detail = (f.type() == FlagType.KILL_SWITCH ? "kill-switch flag" : f.type().label()
                        + " flag, a kill switch by the registry")
                        + (f.owner() == null || f.owner().isBlank() ? "" : " · " + f.owner())
                        + (f.linkedRollouts().isEmpty() ? " · no linked rollouts"
                        : " · aborts " + String.join(", ", f.linkedRollouts().stream().map(RolloutRef::toString)
                        .toList()));
                out.add(KillSwitchCandidate.of(f.ref(), detail, envs,
                        provider.map(FlagProviderStatus::state).orElse(null),
                        provider.map(FlagProviderStatus::message).orElse("not reported")));
            }
            linked.addAll(f.linkedRollouts());
        }
        linked.stream().sorted().filter(r -> state.rollouts().get(r).isPresent()).forEach(r -> {
            long n = flags.stream().filter(f -> f.linkedRollouts().contains(r)).count();
            String status = state.rollouts().get(r).map(x -> x.statusLabel()).orElse("");
            Optional<ClusterStatus> cluster = state.clusters().get(r.cluster());
            out.add(KillSwitchCandidate.of(r, status + " · " + n + " linked flag(s)",
                    cluster.map(ClusterStatus::state).orElse(ConnectionState.CONNECTED),
                    cluster.map(ClusterStatus::message).orElse("")));
        });
        return out;
    }

    /** Arms the kill switch for the selected row: plans it (Enter or the big button). */
    public void armSelected() {
        choose(selected.get());
    }

    /** Plans the kill switch for a candidate from the chooser. */
    public void choose(KillSwitchCandidate c) {
        if (c == null) {
            return;
        }
        selected.set(c);
        if (c.isFlag()) {
            planFor(() -> actions.planKillSwitch(c.flag()));
        } else {
            planFor(c.rollout());
        }
    }

    /** Plans the kill switch for a rollout (the selected one). */
    public void planFor(RolloutRef rollout) {
        planFor(() -> actions.planKillSwitch(rollout));
    }

    private record Planned(KillSwitchPlan plan, List<KillSwitchStep> steps) {
    }

    private void planFor(java.util.concurrent.Callable<KillSwitchPlan> planner) {
        phase.set(Phase.PLANNING);
        message.set("Planning…");
        confirmText.set("");
        runner.run(() -> {
            KillSwitchPlan p = planner.call();
            return new Planned(p, actions.steps(p));
        }, planned -> {
            KillSwitchPlan p = planned.plan();
            plan.set(p);
            planLines.setAll(planned.steps());
            phase.set(Phase.READY);
            message.set(p.touchesProduction() ? "This touches production. Type " + p.confirmationName()
                    + " to confirm, then Enter." : "Press Enter to execute, Esc to go back.");
        }, err -> {
            phase.set(Phase.CHOOSE);
            message.set("Cannot plan the kill switch: " + err.getMessage());
        });
    }

    /** Executes the plan when allowed; does nothing otherwise (Enter with an incomplete name). */
    public boolean execute() {
        if (!canExecute.get()) {
            return false;
        }
        long clickedAt = nanoTime.getAsLong();
        KillSwitchPlan p = plan.get();
        String why = reason.get() == null || reason.get().isBlank() ? "kill switch from the console"
                : reason.get().trim();
        phase.set(Phase.RUNNING);
        message.set("Switching off " + p.size() + " target(s)…");
        runner.run(() -> actions.killSwitch(p, why), r -> {
            Duration clickToConfirmed = Duration.ofNanos(nanoTime.getAsLong() - clickedAt);
            // one number everywhere (here and in the main window's status bar): from the click to confirmed-off
            ActionResult timed = new ActionResult(r.action(), r.outcomes(), clickToConfirmed);
            result.set(timed);
            results.setAll(r.outcomes());
            elapsedText.set(elapsedText(r, clickToConfirmed));
            lastUseSafe.set(r.allSafe());
            lastUse.set("Last use at " + CLOCK_TIME.format(wallClock.instant().atZone(ZoneId.systemDefault()))
                    + ": " + p.incident() + " — " + elapsedText.get());
            message.set(r.summary() + (onCall ? ". Enter or Esc goes back to the list." : ""));
            phase.set(Phase.DONE);
            onResult.accept(timed);
        }, err -> {
            phase.set(Phase.DONE);
            elapsedText.set("");
            message.set("The kill switch failed before any result came back: " + err.getMessage()
                    + ". Check the audit log and the targets' state.");
        });
        return true;
    }

    /** "All 5 targets confirmed off in 42 ms" or how many were not, with the time from the click. */
    public static String elapsedText(ActionResult r, Duration clickToConfirmed) {
        long ms = clickToConfirmed.toMillis();
        if (r.allSafe()) {
            return "All " + r.outcomes().size() + " target(s) confirmed off in " + ms + " ms from the click";
        }
        long bad = r.outcomes().stream().filter(o -> !o.outcome().isSafe()).count();
        return bad + " of " + r.outcomes().size() + " target(s) NOT confirmed after " + ms
                + " ms — press the kill switch again to retry them";
    }

    /** One step back: from a plan or the results to the list (on call), or nothing to go back to (false). */
    public boolean back() {
        if (!onCall || phase.get() == Phase.CHOOSE || phase.get() == Phase.RUNNING) {
            return false;
        }
        plan.set(null);
        planLines.clear();
        confirmText.set("");
        message.set("");
        loadCandidates();
        return true;
    }

    public void setOnResult(Consumer<ActionResult> onResult) {
        this.onResult = onResult == null ? r -> { } : onResult;
    }

    /** For tests: the time source of the click-to-confirmed measurement and of the "last use" time. */
    void setTimeSources(LongSupplier nanoTime, Clock wallClock) {
        this.nanoTime = nanoTime;
        this.wallClock = wallClock;
    }

    public String executeLabel() {
        KillSwitchPlan p = plan.get();
        if (p == null) {
            return "Execute kill switch";
        }
        return "Kill switch: " + p.flags().size() + " flag env(s) off, " + p.rollouts().size() + " abort(s)";
    }

    public ReadOnlyObjectProperty<Phase> phaseProperty() {
        return phase;
    }

    public Phase phase() {
        return phase.get();
    }

    public ObservableList<KillSwitchCandidate> candidates() {
        return candidates;
    }

    /** The candidates the filter lets through, in order. */
    public ObservableList<KillSwitchCandidate> visibleCandidates() {
        return visibleCandidates;
    }

    public StringProperty filterProperty() {
        return filter;
    }

    public ObjectProperty<KillSwitchCandidate> selectedProperty() {
        return selected;
    }

    public ReadOnlyObjectProperty<KillSwitchPlan> planProperty() {
        return plan;
    }

    public ObservableList<KillSwitchStep> planLines() {
        return planLines;
    }

    public StringProperty confirmTextProperty() {
        return confirmText;
    }

    public StringProperty reasonProperty() {
        return reason;
    }

    public ObservableList<TargetOutcome> results() {
        return results;
    }

    public ReadOnlyObjectProperty<ActionResult> resultProperty() {
        return result;
    }

    public ReadOnlyStringProperty elapsedTextProperty() {
        return elapsedText;
    }

    public ReadOnlyStringProperty lastUseProperty() {
        return lastUse;
    }

    /** Whether every target of the last use was confirmed safe. */
    public javafx.beans.property.ReadOnlyBooleanProperty lastUseSafeProperty() {
        return lastUseSafe;
    }

    public ReadOnlyStringProperty messageProperty() {
        return message;
    }

    public BooleanBinding confirmationValidProperty() {
        return confirmationValid;
    }

    public BooleanBinding canExecuteProperty() {
        return canExecute;
    }
}
