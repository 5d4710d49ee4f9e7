package dev.releaseconsole.views.detail;

import dev.releaseconsole.services.ConsoleServices;
import dev.releaseconsole.services.actions.ActionInput;
import dev.releaseconsole.services.actions.ActionResult;
import dev.releaseconsole.services.actions.ActionType;
import dev.releaseconsole.services.actions.GitOpsWarnings;
import dev.releaseconsole.services.actions.ReleaseActions;
import dev.releaseconsole.services.actions.RolloutStateRules;
import dev.releaseconsole.services.actions.Verdict;
import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.views.common.Confirmations;
import dev.releaseconsole.views.common.TaskRunner;
import dev.releaseconsole.views.fx.FxThrottle;
import dev.releaseconsole.views.killswitch.KillSwitchDialog;
import javafx.beans.InvalidationListener;
import javafx.beans.binding.Bindings;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ContentDisplay;
import javafx.scene.control.Label;
import javafx.scene.control.OverrunStyle;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import javafx.util.Duration;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Promote, Promote full, Pause, Resume, Abort, Retry, Restart and the kill switch for the shown rollout. Buttons are
 * enabled only when {@link ReleaseActions#availability} allows the action (computed off the FX thread whenever the
 * rollout changes, through the injected {@link TaskRunner}); a disabled button's tooltip says why. Destructive actions are confirmed (typed name on
 * production). Results show what the source reports afterwards, never a guess.
 *
 * <p>Shortcuts (handled by {@link #handleShortcut}, ignored while typing in a text field): P promote, Shift+P promote
 * full, Ctrl+Shift+S pause/resume (whichever is available), A abort, R retry, Ctrl+R restart.
 */
final class ActionBar extends VBox {
    private static final Map<ActionType, KeyCombination> SHORTCUTS = new EnumMap<>(ActionType.class);

    static {
        SHORTCUTS.put(ActionType.PROMOTE, new KeyCodeCombination(KeyCode.P));
        SHORTCUTS.put(ActionType.PROMOTE_FULL, new KeyCodeCombination(KeyCode.P, KeyCombination.SHIFT_DOWN));
        SHORTCUTS.put(ActionType.PAUSE, new KeyCodeCombination(KeyCode.S, KeyCombination.SHORTCUT_DOWN,
                KeyCombination.SHIFT_DOWN));
        SHORTCUTS.put(ActionType.ABORT, new KeyCodeCombination(KeyCode.A));
        SHORTCUTS.put(ActionType.RETRY, new KeyCodeCombination(KeyCode.R));
        SHORTCUTS.put(ActionType.RESTART, new KeyCodeCombination(KeyCode.R, KeyCombination.SHORTCUT_DOWN));
    }

    /** Bar widths (at the 14 px base font) from which the key hints, and the action words, are shown. */
    static final double KEYS_FROM_WIDTH = 1180;
    static final double LABELS_FROM_WIDTH = 900;

    private final ConsoleServices services;
    private final TaskRunner runner;
    private final ActionBarViewModel vm = new ActionBarViewModel();
    private final Map<ActionType, Button> buttons = new LinkedHashMap<>();
    private final BooleanProperty showKeys = new SimpleBooleanProperty(true);
    private final BooleanProperty showLabels = new SimpleBooleanProperty(true);
    /**
     * How long the controller must look behind before Nudge is offered: a promote or abort normally takes it well
     * under a second, and a button that flickered in for that moment would only distract.
     */
    static final java.time.Duration NUDGE_AFTER = java.time.Duration.ofSeconds(5);

    private RolloutRef ref;
    private long availabilityToken;
    /** When the shown rollout was first seen with the controller behind (System.nanoTime), 0 when it is not. */
    private long behindSinceNanos;
    private final javafx.animation.PauseTransition lookAgain = new javafx.animation.PauseTransition();

    ActionBar(ConsoleServices services, TaskRunner runner) {
        this.services = services;
        this.runner = runner;
        setId("actionBar");
        getStyleClass().add("detail-action-bar");
        setSpacing(4);
        FlowPane row = new FlowPane(6, 6);
        row.setAlignment(Pos.CENTER_LEFT);
        row.getStyleClass().add("action-buttons");
        for (ActionType a : ActionBarViewModel.buttons()) {
            Button b = button(a);
            buttons.put(a, b);
            row.getChildren().add(slot(b, a));
        }
        ProgressIndicator spinner = new ProgressIndicator();
        spinner.setId("actionSpinner");
        spinner.getStyleClass().add("action-spinner");
        spinner.setPrefSize(18, 18);
        spinner.setMaxSize(18, 18);
        Label running = new Label();
        running.setId("actionRunning");
        running.textProperty().bind(vm.runningTextProperty());
        HBox runningBox = new HBox(6, spinner, running);
        runningBox.setAlignment(Pos.CENTER_LEFT);
        runningBox.visibleProperty().bind(vm.runningProperty());
        runningBox.managedProperty().bind(runningBox.visibleProperty());
        row.getChildren().add(runningBox);
        // On a narrow window the key hints go, and on a narrower one the words of the rollout actions (both stay in
        // the tooltips and the accessible text), so the buttons fit on one line; the kill switch keeps its word.
        Button probe = buttons.get(ActionType.PROMOTE);
        InvalidationListener fit = o -> {
            double scale = Math.max(1, probe.getFont().getSize() / 14.0); // presenter mode's type is larger
            showKeys.set(getWidth() >= KEYS_FROM_WIDTH * scale);
            showLabels.set(getWidth() <= 0 || getWidth() >= LABELS_FROM_WIDTH * scale);
        };
        widthProperty().addListener(fit);
        probe.fontProperty().addListener(fit);

        getChildren().addAll(row, nudgeLine(), resultLine());
        vm.disableAll("select a rollout");
        // A permission answer can arrive after the buttons were computed ("checking permissions…"): look again.
        FxThrottle<String, Boolean> answers = new FxThrottle<>(150, m -> refreshAvailability());
        services.actions().addAvailabilityListener(() -> answers.offer("permissions", Boolean.TRUE));
    }

    /** While Nudge is offered: why, in words, so the button is not a riddle at 3 a.m. */
    private Label nudgeLine() {
        Label why = new Label();
        why.setId("nudgeExplanation");
        why.getStyleClass().add("nudge-explanation");
        why.setWrapText(true);
        why.setGraphic(new FontIcon(Feather.ALERT_TRIANGLE));
        why.textProperty().bind(vm.nudgeExplanationProperty());
        why.visibleProperty().bind(vm.neededProperty(ActionType.NUDGE));
        why.managedProperty().bind(why.visibleProperty());
        return why;
    }

    /**
     * The last result: one line with its icon (the whole text in the tooltip), and for several targets a "details"
     * toggle that shows one line per target below it, at most about three lines high (scrolls beyond), so a kill
     * switch's result never squeezes the tabs.
     */
    private VBox resultLine() {
        Label result = new Label();
        result.setId("actionResult");
        result.getStyleClass().add("action-result");
        result.setWrapText(false);
        result.setTextOverrun(OverrunStyle.ELLIPSIS);
        result.setMinWidth(0);
        result.textProperty().bind(vm.resultTextProperty());
        FontIcon resultIcon = new FontIcon(Feather.INFO);
        result.setGraphic(resultIcon);
        vm.resultKindProperty().addListener((o, was, k) -> applyResultKind(result, resultIcon, k));
        Tooltip full = new Tooltip();
        full.setWrapText(true);
        full.setMaxWidth(720);
        full.textProperty().bind(Bindings.createStringBinding(() -> vm.resultDetailsProperty()
                .get().isEmpty() ? vm.resultTextProperty().get()
                : vm.resultTextProperty().get() + "\n" + vm.resultDetailsProperty().get(),
                vm.resultTextProperty(), vm.resultDetailsProperty()));
        full.setShowDuration(Duration.seconds(30));
        result.setTooltip(full);

        ToggleButton more = new ToggleButton();
        more.setId("actionResultMore");
        more.getStyleClass().addAll("action-result-more", "flat");
        more.setFocusTraversable(true);
        more.textProperty().bind(Bindings.createStringBinding(() -> {
            int n = vm.resultDetailsProperty().get().isEmpty() ? 0
                    : vm.resultDetailsProperty().get().split("\n").length;
            return (more.isSelected() ? "Hide details" : "Details") + " (" + n + ")";
        }, vm.resultDetailsProperty(), more.selectedProperty()));
        more.setGraphic(new FontIcon(Feather.CHEVRON_DOWN));
        more.selectedProperty().addListener((o, was, now) -> ((FontIcon) more.getGraphic()).setIconCode(
                now ? Feather.CHEVRON_UP : Feather.CHEVRON_DOWN));
        DetailHeader.hideWhenEmpty(more, vm.resultDetailsProperty());
        vm.resultDetailsProperty().addListener((o, was, now) -> more.setSelected(false));

        HBox line = new HBox(8, result, more);
        line.setAlignment(Pos.CENTER_LEFT);
        HBox.setHgrow(result, Priority.SOMETIMES);
        DetailHeader.hideWhenEmpty(line, vm.resultTextProperty());

        Label details = new Label();
        details.setId("actionResultDetails");
        details.getStyleClass().add("action-result-details");
        details.textProperty().bind(vm.resultDetailsProperty());
        ScrollPane scroll = new ScrollPane(details);
        scroll.setId("actionResultScroll");
        scroll.getStyleClass().add("action-result-scroll");
        scroll.setFitToWidth(true);
        scroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        // about three lines, whatever the font size (presenter mode is larger)
        scroll.maxHeightProperty().bind(Bindings.createDoubleBinding(
                () -> Math.ceil(details.getFont().getSize() * 1.3 * 3 + 4), details.fontProperty()));
        scroll.prefHeightProperty().bind(Bindings.createDoubleBinding(
                () -> Math.min(scroll.getMaxHeight(), details.prefHeight(-1) + 6),
                scroll.maxHeightProperty(), details.textProperty(), details.fontProperty()));
        scroll.visibleProperty().bind(more.selectedProperty().and(more.visibleProperty()));
        scroll.managedProperty().bind(scroll.visibleProperty());
        details.visibleProperty().bind(scroll.visibleProperty());

        VBox box = new VBox(2, line, scroll);
        box.setId("actionResultBox");
        return box;
    }

    private Button button(ActionType a) {
        String shortcut = ActionBarViewModel.shortcut(a);
        // Label plus a small key hint ("Abort  A"); the whole text is also the accessible text.
        Label name = new Label(a.label());
        name.getStyleClass().add("action-label");
        if (a != ActionType.KILL_SWITCH) {
            name.visibleProperty().bind(showLabels);
            name.managedProperty().bind(showLabels);
        }
        HBox graphic = new HBox(5, new FontIcon(icon(a)), name);
        graphic.setAlignment(Pos.CENTER_LEFT);
        if (!shortcut.isEmpty()) {
            Label key = new Label(shortcut);
            key.getStyleClass().add("action-key");
            key.visibleProperty().bind(showKeys);
            key.managedProperty().bind(showKeys);
            graphic.getChildren().add(key);
        }
        Button b = new Button(null, graphic);
        b.setContentDisplay(ContentDisplay.GRAPHIC_ONLY);
        b.setAccessibleText(a.label() + (shortcut.isEmpty() ? "" : ", shortcut " + shortcut));
        b.setMnemonicParsing(false);
        b.setId(id(a));
        b.getStyleClass().addAll("action-button", "action-" + a.name().toLowerCase().replace('_', '-'));
        if (a.destructive()) {
            b.getStyleClass().add("action-destructive");
        }
        b.setFocusTraversable(true);
        b.disableProperty().bind(vm.enabledBinding(a).not());
        Tooltip t = new Tooltip();
        t.textProperty().bind(vm.tooltipProperty(a));
        t.setShowDelay(Duration.millis(300));
        t.setShowDuration(Duration.seconds(20));
        b.setTooltip(t);
        b.accessibleHelpProperty().bind(vm.tooltipProperty(a));
        b.setOnAction(e -> request(a));
        return b;
    }

    /**
     * A disabled control gets no mouse events, so its own tooltip never shows: the slot around it carries the same
     * text while the button is disabled, so hovering still tells why.
     */
    private StackPane slot(Button b, ActionType a) {
        StackPane slot = new StackPane(b);
        slot.getStyleClass().add("action-slot");
        slot.visibleProperty().bind(vm.neededProperty(a));
        slot.managedProperty().bind(slot.visibleProperty());
        Tooltip whyNot = new Tooltip();
        whyNot.textProperty().bind(vm.tooltipProperty(a));
        whyNot.setShowDelay(Duration.millis(300));
        whyNot.setShowDuration(Duration.seconds(20));
        b.disabledProperty().addListener((o, was, disabled) -> {
            if (disabled) {
                Tooltip.install(slot, whyNot);
            } else {
                Tooltip.uninstall(slot, whyNot);
            }
        });
        if (b.isDisabled()) {
            Tooltip.install(slot, whyNot);
        }
        return slot;
    }

    static String id(ActionType a) {
        switch (a) {
            case PROMOTE:
                return "promoteButton";
            case PROMOTE_FULL:
                return "promoteFullButton";
            case PAUSE:
                return "pauseButton";
            case RESUME:
                return "resumeButton";
            case ABORT:
                return "abortButton";
            case RETRY:
                return "retryButton";
            case RESTART:
                return "restartButton";
            case NUDGE:
                return "nudgeButton";
            case KILL_SWITCH:
                return "rolloutKillSwitchButton";
            default:
                return a.name().toLowerCase() + "Button";
        }
    }

    private static Ikon icon(ActionType a) {
        switch (a) {
            case PROMOTE:
                return Feather.SKIP_FORWARD;
            case PROMOTE_FULL:
                return Feather.FAST_FORWARD;
            case PAUSE:
                return Feather.PAUSE;
            case RESUME:
                return Feather.PLAY;
            case ABORT:
                return Feather.X_OCTAGON;
            case RETRY:
                return Feather.ROTATE_CCW;
            case RESTART:
                return Feather.REFRESH_CW;
            case NUDGE:
                return Feather.ZAP;
            case KILL_SWITCH:
                return Feather.POWER;
            default:
                return Feather.CIRCLE;
        }
    }

    private static void applyResultKind(Label l, FontIcon icon, ActionBarViewModel.ResultKind k) {
        l.getStyleClass().removeAll("result-success", "result-warning", "result-failure");
        switch (k) {
            case SUCCESS:
                l.getStyleClass().add("result-success");
                icon.setIconCode(Feather.CHECK_CIRCLE);
                break;
            case WARNING:
                l.getStyleClass().add("result-warning");
                icon.setIconCode(Feather.ALERT_TRIANGLE);
                break;
            case FAILURE:
                l.getStyleClass().add("result-failure");
                icon.setIconCode(Feather.X_CIRCLE);
                break;
            default:
                icon.setIconCode(Feather.INFO);
        }
    }

    ActionBarViewModel viewModel() {
        return vm;
    }

    /** A new rollout is shown (or none): forget the last result, recompute availability. */
    void setRollout(RolloutRef newRef) {
        boolean changed = !java.util.Objects.equals(ref, newRef);
        ref = newRef;
        if (changed) {
            behindSinceNanos = 0;
            vm.clearResult();
            vm.disableAll(newRef == null ? "select a rollout" : "checking what is allowed…");
        }
        refreshAvailability();
    }

    /** Computes availability of every action off the FX thread and applies it if the rollout is still shown. */
    void refreshAvailability() {
        RolloutRef target = ref;
        long token = ++availabilityToken;
        if (target == null) {
            return;
        }
        ReleaseActions actions = services.actions();
        Map<ActionType, String> needed = new java.util.concurrent.ConcurrentHashMap<>();
        runner.run(() -> {
            Map<ActionType, Verdict> m = new EnumMap<>(ActionType.class);
            Rollout known = services.state().rollouts().get(target).orElse(null);
            for (ActionType a : ActionBarViewModel.SHOWN_WHEN_NEEDED) {
                Verdict byState = known == null ? null : RolloutStateRules.check(a, known);
                if (byState != null && byState.isAllowed()) {
                    needed.put(a, byState.reason() == null ? "" : byState.reason());
                }
            }
            for (ActionType a : ActionBarViewModel.ROLLOUT_ACTIONS) {
                m.put(a, actions.availability(a, target));
            }
            for (ActionType a : ActionBarViewModel.ROW_ACTIONS) {
                m.put(a, actions.availability(a, target));
            }
            // The kill switch plans per target and reports each outcome; it is offered while the rollout is known.
            m.put(ActionType.KILL_SWITCH, services.state().rollouts().get(target).isPresent() ? Verdict.allowed()
                    : Verdict.refused("the rollout is no longer reported by its cluster"));
            return m;
        }, m -> {
            if (token == availabilityToken && target.equals(ref)) {
                vm.applyNeeded(afterGrace(needed));
                vm.applyAvailability(m);
            }
        }, t -> {
            if (token == availabilityToken && target.equals(ref)) {
                vm.disableAll("could not check what is allowed: " + t.getMessage());
            }
        });
    }

    /** Offers Nudge only once the controller has stayed behind for {@link #NUDGE_AFTER}; looks again then. */
    private Map<ActionType, String> afterGrace(Map<ActionType, String> byState) {
        if (!byState.containsKey(ActionType.NUDGE)) {
            behindSinceNanos = 0;
            return byState;
        }
        long now = System.nanoTime();
        behindSinceNanos = behindSinceNanos == 0 ? now : behindSinceNanos;
        long left = NUDGE_AFTER.toNanos() - (now - behindSinceNanos);
        if (left <= 0) {
            return byState;
        }
        lookAgain.setDuration(Duration.millis(left / 1_000_000.0 + 50));
        lookAgain.setOnFinished(e -> refreshAvailability());
        lookAgain.playFromStart();
        Map<ActionType, String> notYet = new EnumMap<>(ActionType.class);
        notYet.putAll(byState);
        notYet.remove(ActionType.NUDGE);
        return notYet;
    }

    /** Keyboard shortcuts; returns true when the event was handled. */
    boolean handleShortcut(KeyEvent e) {
        if (ref == null || vm.runningProperty().get()) {
            return false;
        }
        for (Map.Entry<ActionType, KeyCombination> s : SHORTCUTS.entrySet()) {
            if (s.getValue().match(e)) {
                ActionType a = s.getKey();
                if (a == ActionType.PAUSE && !vm.isEnabled(ActionType.PAUSE)) {
                    a = ActionType.RESUME; // one key toggles: pause when running, resume when paused by a user
                }
                if (vm.isEnabled(a)) {
                    buttons.get(a).fire();
                }
                return true;
            }
        }
        return false;
    }

    /** Runs {@code a} on the shown rollout: confirm if destructive, execute off the FX thread, show the outcome. */
    void request(ActionType a) {
        RolloutRef target = ref;
        if (target == null || !vm.isEnabled(a)) {
            return;
        }
        if (a == ActionType.KILL_SWITCH) {
            killSwitch(target);
            return;
        }
        request(a, ActionInput.NONE);
    }

    /**
     * A row action (undo to a revision, terminate an analysis run) or a bar action with its input: the same path,
     * the input named in the confirmation and the audit log.
     */
    void request(ActionType a, ActionInput input) {
        RolloutRef target = ref;
        if (target == null || !vm.isEnabled(a)) {
            return;
        }
        ReleaseActions actions = services.actions();
        // A GitOps owner may revert a spec change: say so, and ask even for an action that is not destructive.
        String gitOps = services.state().rollouts().get(target).flatMap(r -> GitOpsWarnings.forAction(a, r))
                .orElse(null);
        if (a.destructive() || gitOps != null) {
            boolean typed = a.destructive() && actions.requiresTypedConfirmation(target);
            if (!confirm(a, target.describe() + input.describe(), typed, ReleaseActions.confirmationName(target),
                    gitOps)) {
                vm.cancelled(a);
                return;
            }
        }
        vm.startRunning(a);
        runner.run(() -> actions.execute(a, target, input, ""), result -> finished(target, result),
                t -> failed(target, a, t));
    }

    /**
     * The kill switch is the console's shared dialog (it plans, shows the plan, asks for the typed name on
     * production, runs and lists per-target results); its result also lands in this bar's result label.
     */
    private void killSwitch(RolloutRef target) {
        Window owner = getScene() == null ? null : getScene().getWindow();
        vm.clearResult();
        KillSwitchDialog.open(owner, services, runner, target, result -> finished(target, result));
    }

    private void finished(RolloutRef target, ActionResult result) {
        vm.finish(result);
        if (target.equals(ref)) {
            refreshAvailability();
        }
    }

    private void failed(RolloutRef target, ActionType a, Throwable t) {
        vm.fail(a, t);
        if (target.equals(ref)) {
            refreshAvailability();
        }
    }

    /** The one place the shared confirmation dialog is called. */
    private boolean confirm(ActionType action, String targetDescription, boolean typedName, String name,
                            String warning) {
        Window owner = getScene() == null ? null : getScene().getWindow();
        return Confirmations.confirm(owner, action, targetDescription, typedName, name, warning);
    }

    Button button(String id) {
        return buttons.values().stream().filter(b -> id.equals(b.getId())).findFirst().orElse(null);
    }
}
