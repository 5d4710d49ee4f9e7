package dev.releaseconsole.views.killswitch;

import dev.releaseconsole.services.ConsoleServices;
import dev.releaseconsole.services.actions.ActionResult;
import dev.releaseconsole.services.actions.KillSwitchPlan;
import dev.releaseconsole.services.actions.ReleaseActions;
import dev.releaseconsole.services.actions.TargetOutcome;
import dev.releaseconsole.services.model.Environment;
import dev.releaseconsole.services.model.Flag;
import dev.releaseconsole.services.model.FlagEnvironmentState;
import dev.releaseconsole.services.model.FlagTarget;
import dev.releaseconsole.services.model.FlagType;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.store.LiveState;
import dev.releaseconsole.views.common.TaskRunner;
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

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The kill switch, keyboard-first: choose what (unless a rollout was given), see the plan (every flag environment
 * turned off, every rollout aborted), type the confirmation name when production is touched, execute, and see each
 * target's outcome with the elapsed time. Every {@link ReleaseActions} call goes through the {@link TaskRunner}.
 */
public final class KillSwitchViewModel {
    public enum Phase { CHOOSE, PLANNING, READY, RUNNING, DONE }

    private final LiveState state;
    private final ReleaseActions actions;
    private final TaskRunner runner;
    private final ObjectProperty<Phase> phase = new SimpleObjectProperty<>(this, "phase", Phase.CHOOSE);
    private final ObservableList<KillSwitchCandidate> candidates = FXCollections.observableArrayList();
    private final ObjectProperty<KillSwitchPlan> plan = new SimpleObjectProperty<>(this, "plan");
    private final ObservableList<PlanLine> planLines = FXCollections.observableArrayList();
    private final StringProperty confirmText = new SimpleStringProperty(this, "confirmText", "");
    private final StringProperty reason = new SimpleStringProperty(this, "reason", "");
    private final ObservableList<TargetOutcome> results = FXCollections.observableArrayList();
    private final ObjectProperty<ActionResult> result = new SimpleObjectProperty<>(this, "result");
    private final StringProperty elapsedText = new SimpleStringProperty(this, "elapsedText", "");
    private final StringProperty message = new SimpleStringProperty(this, "message", "");
    private final BooleanBinding confirmationValid;
    private final BooleanBinding canExecute;
    private Consumer<ActionResult> onResult = r -> { };

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
    }

    public static boolean nameMatches(KillSwitchPlan plan, String typed) {
        return typed != null && typed.strip().equals(plan.confirmationName());
    }

    /** Lists kill-switch flags and rollouts with linked flags (from the in-memory state), for the chooser. */
    public void loadCandidates() {
        candidates.setAll(candidates(state));
        phase.set(Phase.CHOOSE);
    }

    public static List<KillSwitchCandidate> candidates(LiveState state) {
        List<KillSwitchCandidate> out = new ArrayList<>();
        List<Flag> flags = new ArrayList<>(state.flags().all());
        flags.sort(Comparator.comparing(Flag::ref));
        Set<RolloutRef> linked = new LinkedHashSet<>();
        for (Flag f : flags) {
            if (f.type() == FlagType.KILL_SWITCH) {
                long on = f.environments().stream().filter(FlagEnvironmentState::enabled).count();
                out.add(KillSwitchCandidate.of(f.ref(), "kill-switch flag · on in " + on + " of "
                        + f.environments().size() + " environments"
                        + (f.linkedRollouts().isEmpty() ? "" : " · " + f.linkedRollouts().size() + " linked rollout(s)")));
            }
            linked.addAll(f.linkedRollouts());
        }
        linked.stream().sorted().filter(r -> state.rollouts().get(r).isPresent()).forEach(r -> {
            long n = flags.stream().filter(f -> f.linkedRollouts().contains(r)).count();
            String status = state.rollouts().get(r).map(x -> x.statusLabel()).orElse("");
            out.add(KillSwitchCandidate.of(r, status + " · " + n + " linked flag(s)"));
        });
        return out;
    }

    /** Plans the kill switch for a candidate from the chooser. */
    public void choose(KillSwitchCandidate c) {
        if (c == null) {
            return;
        }
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

    private void planFor(java.util.concurrent.Callable<KillSwitchPlan> planner) {
        phase.set(Phase.PLANNING);
        message.set("Planning…");
        confirmText.set("");
        runner.run(planner, p -> {
            plan.set(p);
            planLines.setAll(lines(p));
            phase.set(Phase.READY);
            message.set(p.touchesProduction() ? "This touches production. Type " + p.confirmationName()
                    + " to confirm." : "Press Enter to execute, Esc to cancel.");
        }, err -> {
            phase.set(Phase.CHOOSE);
            message.set("Cannot plan the kill switch: " + err.getMessage());
        });
    }

    /** The plan in words, one line per target: flags first, then rollouts. */
    public List<PlanLine> lines(KillSwitchPlan p) {
        List<PlanLine> out = new ArrayList<>();
        for (FlagTarget f : p.flags()) {
            Environment tier = state.flags().get(f.flag()).flatMap(fl -> fl.environment(f.environment()))
                    .map(FlagEnvironmentState::tier).orElse(null);
            boolean on = state.flags().get(f.flag()).flatMap(fl -> fl.environment(f.environment()))
                    .map(FlagEnvironmentState::enabled).orElse(true);
            out.add(new PlanLine(f, "Turn off flag " + f.flag().key() + " in " + f.environment()
                    + (tier == null ? "" : " (" + tier.label() + ")") + (on ? "" : " — already off"),
                    tier == Environment.PRODUCTION));
        }
        for (RolloutRef r : p.rollouts()) {
            String status = state.rollouts().get(r).map(x -> x.statusLabel()).orElse("not reported");
            out.add(new PlanLine(r, "Abort rollout " + r + " (now " + status + ")", false));
        }
        return out;
    }

    /** Executes the plan when allowed; does nothing otherwise (Enter with an incomplete name). */
    public boolean execute() {
        if (!canExecute.get()) {
            return false;
        }
        KillSwitchPlan p = plan.get();
        String why = reason.get() == null || reason.get().isBlank() ? "kill switch from the console"
                : reason.get().trim();
        phase.set(Phase.RUNNING);
        message.set("Switching off " + p.size() + " target(s)…");
        runner.run(() -> actions.killSwitch(p, why), r -> {
            result.set(r);
            results.setAll(r.outcomes());
            elapsedText.set(elapsedText(r));
            message.set(r.summary());
            phase.set(Phase.DONE);
            onResult.accept(r);
        }, err -> {
            phase.set(Phase.DONE);
            elapsedText.set("");
            message.set("The kill switch failed before any result came back: " + err.getMessage()
                    + ". Check the audit log and the targets' state.");
        });
        return true;
    }

    public static String elapsedText(ActionResult r) {
        long ms = r.elapsed() == null ? 0 : r.elapsed().toMillis();
        if (r.allSafe()) {
            return "Confirmed in " + ms + " ms";
        }
        long bad = r.outcomes().stream().filter(o -> !o.outcome().isSafe()).count();
        return "Finished in " + ms + " ms — " + bad + " of " + r.outcomes().size() + " target(s) NOT confirmed";
    }

    public void setOnResult(Consumer<ActionResult> onResult) {
        this.onResult = onResult == null ? r -> { } : onResult;
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

    public ReadOnlyObjectProperty<KillSwitchPlan> planProperty() {
        return plan;
    }

    public ObservableList<PlanLine> planLines() {
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
