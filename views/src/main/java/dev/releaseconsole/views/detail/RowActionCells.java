package dev.releaseconsole.views.detail;

import dev.releaseconsole.services.actions.ActionType;
import javafx.scene.control.Button;
import javafx.scene.control.Tooltip;
import javafx.util.Duration;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The small button a table row carries for a row action (undo to this revision, terminate this run). Its enabled
 * state and tooltip follow the action bar's availability for the action, so the reason a row action is not possible
 * reads exactly like a bar button's.
 */
final class RowActionCells {
    private RowActionCells() {
    }

    static Button button(ActionBarViewModel vm, ActionType action, String text, Ikon icon, String id) {
        Button b = new Button(text, new FontIcon(icon));
        b.setId(id);
        b.getStyleClass().addAll("row-action", "flat", "action-" + action.name().toLowerCase().replace('_', '-'));
        if (action.destructive()) {
            b.getStyleClass().add("action-destructive");
        }
        b.setMnemonicParsing(false);
        b.disableProperty().bind(vm.enabledBinding(action).not());
        Tooltip t = new Tooltip();
        t.textProperty().bind(vm.tooltipProperty(action));
        t.setShowDelay(Duration.millis(300));
        b.setTooltip(t);
        b.accessibleHelpProperty().bind(vm.tooltipProperty(action));
        return b;
    }
}
