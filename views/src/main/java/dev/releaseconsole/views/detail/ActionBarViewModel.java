package dev.releaseconsole.views.detail;

import dev.releaseconsole.services.actions.ActionResult;
import dev.releaseconsole.services.actions.ActionType;
import dev.releaseconsole.services.actions.Outcome;
import dev.releaseconsole.services.actions.TargetOutcome;
import dev.releaseconsole.services.actions.Verdict;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * State of the action bar: per action whether the last reported state, the user's permissions and policy allow it
 * (and why not, for the tooltip), whether an action is running, and the result of the last one as the source
 * reported it afterwards. No controls; unit-tested without a screen.
 */
public final class ActionBarViewModel {
    /** The rollout actions on the bar, in button order; the kill switch comes after them. */
    public static final List<ActionType> ROLLOUT_ACTIONS = List.of(ActionType.PROMOTE, ActionType.PROMOTE_FULL,
            ActionType.PAUSE, ActionType.RESUME, ActionType.ABORT, ActionType.RETRY, ActionType.RESTART,
            ActionType.NUDGE);

    /** Buttons shown only while the rollout's state calls for them (disabled, with the reason, if not permitted). */
    public static final List<ActionType> SHOWN_WHEN_NEEDED = List.of(ActionType.NUDGE);

    /** Offered beside the rows they act on (a revision, an analysis run), not as bar buttons. */
    public static final List<ActionType> ROW_ACTIONS = List.of(ActionType.UNDO, ActionType.TERMINATE_ANALYSIS);

    public enum ResultKind { NONE, SUCCESS, WARNING, FAILURE }

    private final Map<ActionType, BooleanProperty> allowed = new EnumMap<>(ActionType.class);
    private final Map<ActionType, StringProperty> tooltips = new EnumMap<>(ActionType.class);
    private final Map<ActionType, BooleanBinding> enabled = new EnumMap<>(ActionType.class);
    private final Map<ActionType, BooleanProperty> needed = new EnumMap<>(ActionType.class);
    private final StringProperty nudgeExplanation = new SimpleStringProperty(this, "nudgeExplanation", "");
    private final BooleanProperty running = new SimpleBooleanProperty(this, "running", false);
    private final StringProperty runningText = new SimpleStringProperty(this, "runningText", "");
    private final StringProperty resultText = new SimpleStringProperty(this, "resultText", "");
    private final StringProperty resultDetails = new SimpleStringProperty(this, "resultDetails", "");
    private final ObjectProperty<ResultKind> resultKind = new SimpleObjectProperty<>(this, "resultKind",
            ResultKind.NONE);

    public ActionBarViewModel() {
        for (ActionType a : tracked()) {
            BooleanProperty ok = new SimpleBooleanProperty(this, a.name(), false);
            allowed.put(a, ok);
            tooltips.put(a, new SimpleStringProperty(this, a.name() + "Tooltip", tooltip(a, null)));
            enabled.put(a, Bindings.createBooleanBinding(() -> ok.get() && !running.get(), ok, running));
            needed.put(a, new SimpleBooleanProperty(this, a.name() + "Needed", !SHOWN_WHEN_NEEDED.contains(a)));
        }
    }

    /** Whether the action's button is shown: always, except for {@link #SHOWN_WHEN_NEEDED}. */
    public BooleanProperty neededProperty(ActionType a) {
        return needed.get(a);
    }

    /**
     * For {@link #SHOWN_WHEN_NEEDED}: why the rollout's state calls for the action now, per action; an action
     * missing from the map is not needed (hidden).
     */
    public void applyNeeded(Map<ActionType, String> whyByState) {
        for (ActionType a : SHOWN_WHEN_NEEDED) {
            String why = whyByState.get(a);
            needed.get(a).set(why != null);
            if (a == ActionType.NUDGE) {
                nudgeExplanation.set(why == null ? "" : "The controller has not caught up: " + why + ". Argo "
                        + "Rollouts before v1.10 can miss a change made during its own reconcile; a nudge makes it "
                        + "read the rollout again.");
            }
        }
    }

    /** Shown beside the Nudge button while it is offered: what the controller has missed, in words. */
    public StringProperty nudgeExplanationProperty() {
        return nudgeExplanation;
    }

    public static List<ActionType> buttons() {
        List<ActionType> all = new java.util.ArrayList<>(ROLLOUT_ACTIONS);
        all.add(ActionType.KILL_SWITCH);
        return all;
    }

    /** The bar's buttons and the row actions: everything whose availability the bar tracks. */
    public static List<ActionType> tracked() {
        List<ActionType> all = new java.util.ArrayList<>(buttons());
        all.addAll(ROW_ACTIONS);
        return all;
    }

    /** Applies availability verdicts (computed off the FX thread). Actions missing from the map become disabled. */
    public void applyAvailability(Map<ActionType, Verdict> verdicts) {
        for (ActionType a : tracked()) {
            Verdict v = verdicts.get(a);
            allowed.get(a).set(v != null && v.isAllowed());
            tooltips.get(a).set(tooltip(a, v));
        }
    }

    /** Nothing is selected, or availability is being computed: everything disabled with {@code why}. */
    public void disableAll(String why) {
        applyNeeded(Map.of());
        for (ActionType a : tracked()) {
            allowed.get(a).set(false);
            tooltips.get(a).set(tooltip(a, Verdict.refused(why)));
        }
    }

    public void startRunning(ActionType a) {
        running.set(true);
        runningText.set(progressive(a) + "…");
        resultKind.set(ResultKind.NONE);
        resultText.set("");
        resultDetails.set("");
    }

    /**
     * Shows what the source reported after the action: one line (the outcome for one target, a count for several)
     * and, for several targets, one line per target in {@link #resultDetailsProperty()}.
     */
    public void finish(ActionResult result) {
        running.set(false);
        runningText.set("");
        resultKind.set(kindOf(result));
        resultText.set(resultText(result));
        resultDetails.set(resultDetails(result));
    }

    public void fail(ActionType a, Throwable t) {
        running.set(false);
        runningText.set("");
        resultKind.set(ResultKind.FAILURE);
        String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        resultText.set(a.label() + " failed: " + msg + ". Nothing was confirmed; check the rollout's state.");
        resultDetails.set("");
    }

    public void cancelled(ActionType a) {
        running.set(false);
        runningText.set("");
        resultKind.set(ResultKind.NONE);
        resultText.set(a.label() + " cancelled: nothing was sent.");
        resultDetails.set("");
    }

    public void clearResult() {
        resultKind.set(ResultKind.NONE);
        resultText.set("");
        resultDetails.set("");
    }

    static ResultKind kindOf(ActionResult r) {
        if (r.outcomes().isEmpty()) {
            return ResultKind.WARNING;
        }
        if (r.allSafe()) {
            return ResultKind.SUCCESS;
        }
        boolean anyUnconfirmed = r.outcomes().stream().anyMatch(o -> o.outcome() == Outcome.UNCONFIRMED);
        boolean anySafe = r.outcomes().stream().anyMatch(o -> o.outcome().isSafe());
        return anyUnconfirmed || anySafe ? ResultKind.WARNING : ResultKind.FAILURE;
    }

    /** One line: the outcome's message for one target, "Kill switch: 4 of 5 target(s) confirmed" for several. */
    static String resultText(ActionResult r) {
        if (r.outcomes().isEmpty()) {
            return r.action().label() + ": nothing to do";
        }
        if (r.outcomes().size() == 1) {
            return r.outcomes().get(0).message();
        }
        return r.summary();
    }

    /** For several targets, one line per target ("✓ rollout ...: ..."); empty for one. */
    static String resultDetails(ActionResult r) {
        if (r.outcomes().size() < 2) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (TargetOutcome o : r.outcomes()) {
            sb.append(sb.length() == 0 ? "" : "\n").append(o.outcome().isSafe() ? "✓ " : "✗ ")
                    .append(o.target().describe()).append(": ").append(o.message());
        }
        return sb.toString();
    }

    /** "Promote (P)" plus the verdict's reason: why it is not possible, or what it will do. */
    static String tooltip(ActionType a, Verdict v) {
        String head = shortcut(a).isEmpty() ? a.label() : a.label() + " (" + shortcut(a) + ")";
        if (a == ActionType.KILL_SWITCH) {
            head = "Kill switch: abort this rollout and turn off every flag linked to it";
        }
        if (v == null) {
            return head + "\nselect a rollout";
        }
        if (v.isAllowed()) {
            return v.reason() == null || v.reason().isBlank() ? head : head + "\n" + v.reason();
        }
        String why = v.reason() == null || v.reason().isBlank() ? "not possible now" : v.reason();
        return head + " — not available\n" + why;
    }

    /** The keyboard shortcut shown in tooltips and on the buttons; empty for the kill switch (no shortcut here). */
    public static String shortcut(ActionType a) {
        switch (a) {
            case PROMOTE:
                return "P";
            case PROMOTE_FULL:
                return "Shift+P";
            case PAUSE:
            case RESUME:
                return "Ctrl+Shift+S";
            case ABORT:
                return "A";
            case RETRY:
                return "R";
            case RESTART:
                return "Ctrl+R";
            default:
                return "";
        }
    }

    /** "Aborting", "Promoting"... for the running label. */
    static String progressive(ActionType a) {
        switch (a) {
            case PROMOTE:
                return "Promoting";
            case PROMOTE_FULL:
                return "Promoting fully";
            case PAUSE:
                return "Pausing";
            case RESUME:
                return "Resuming";
            case ABORT:
                return "Aborting";
            case RETRY:
                return "Retrying";
            case RESTART:
                return "Restarting";
            case KILL_SWITCH:
                return "Running the kill switch";
            case UNDO:
                return "Rolling back";
            case TERMINATE_ANALYSIS:
                return "Terminating the analysis";
            case NUDGE:
                return "Nudging the controller";
            default:
                return a.label();
        }
    }

    public BooleanBinding enabledBinding(ActionType a) {
        return enabled.get(a);
    }

    public boolean isEnabled(ActionType a) {
        return enabled.get(a).get();
    }

    public boolean isAllowed(ActionType a) {
        return allowed.get(a).get();
    }

    public StringProperty tooltipProperty(ActionType a) {
        return tooltips.get(a);
    }

    public BooleanProperty runningProperty() { return running; }
    public StringProperty runningTextProperty() { return runningText; }
    public StringProperty resultTextProperty() { return resultText; }
    public StringProperty resultDetailsProperty() { return resultDetails; }
    public ObjectProperty<ResultKind> resultKindProperty() { return resultKind; }
}
