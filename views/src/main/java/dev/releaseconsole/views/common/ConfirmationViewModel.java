package dev.releaseconsole.views.common;

import dev.releaseconsole.services.actions.ActionType;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.util.Objects;

/**
 * State of a confirmation: what is asked, and whether the user may confirm yet. In typed-name mode the exact name
 * (case-sensitive, surrounding blanks ignored) must be typed first.
 */
public final class ConfirmationViewModel {
    private final ActionType action;
    private final String targetDescription;
    private final boolean typedName;
    private final String name;
    private final String warning;
    private final StringProperty typed = new SimpleStringProperty("");
    private final BooleanBinding valid;

    public ConfirmationViewModel(ActionType action, String targetDescription, boolean typedName, String name) {
        this(action, targetDescription, typedName, name, null);
    }

    /** {@code warning}: something the user must know before confirming (e.g. a GitOps owner may revert it), or null. */
    public ConfirmationViewModel(ActionType action, String targetDescription, boolean typedName, String name,
                                 String warning) {
        this.warning = warning == null ? "" : warning;
        this.action = Objects.requireNonNull(action, "action");
        this.targetDescription = targetDescription == null ? "" : targetDescription;
        this.typedName = typedName;
        this.name = name == null ? "" : name;
        this.valid = Bindings.createBooleanBinding(() -> matches(typed.get()), typed);
    }

    public boolean matches(String text) {
        if (!typedName) {
            return true;
        }
        return text != null && !name.isEmpty() && text.strip().equals(name);
    }

    public String title() {
        return action.label() + (action == ActionType.KILL_SWITCH ? "" : "?");
    }

    public String question() {
        return "You are about to " + action.label().toLowerCase(java.util.Locale.ROOT) + ": " + targetDescription
                + ".";
    }

    public String warning() {
        return warning;
    }

    public String instruction() {
        return typedName ? "This is production. Type " + name + " to confirm." : "";
    }

    public ActionType action() {
        return action;
    }

    public String targetDescription() {
        return targetDescription;
    }

    public boolean typedName() {
        return typedName;
    }

    public String name() {
        return name;
    }

    public StringProperty typedProperty() {
        return typed;
    }

    public BooleanBinding validProperty() {
        return valid;
    }

    public boolean isValid() {
        return valid.get();
    }
}
