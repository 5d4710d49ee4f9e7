package dev.releaseconsole.views.common;

import dev.releaseconsole.services.actions.ActionType;
import javafx.application.Platform;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.kordamp.ikonli.feather.Feather;

import java.util.function.Consumer;

/**
 * The confirmation for destructive actions, shared by the whole console (the detail view's action bar uses it).
 * Keyboard-first: the field (typed-name mode) or the confirm button has focus, Enter confirms when allowed, Esc
 * cancels. Ids for tests: {@code #confirmField}, {@code #confirmButton}, {@code #cancelButton}.
 */
public final class Confirmations {
    private Confirmations() {
    }

    /**
     * Asks the user to confirm {@code action} on the target; blocks (nested event loop) until answered. In
     * {@code typedName} mode the confirm button stays disabled until {@code name} is typed exactly.
     *
     * @return true when the user confirmed
     */
    public static boolean confirm(Window owner, ActionType action, String targetDescription, boolean typedName,
                                  String name) {
        return confirm(owner, action, targetDescription, typedName, name, null);
    }

    /** As above, with a warning shown above the buttons (null for none). */
    public static boolean confirm(Window owner, ActionType action, String targetDescription, boolean typedName,
                                  String name, String warning) {
        if (!Platform.isFxApplicationThread()) {
            throw new IllegalStateException("Confirmations.confirm must be called on the FX thread");
        }
        ConfirmationViewModel vm = new ConfirmationViewModel(action, targetDescription, typedName, name, warning);
        boolean[] answer = {false};
        Stage stage = build(owner, vm, ok -> answer[0] = ok);
        stage.showAndWait();
        return answer[0];
    }

    /** Builds the (not yet shown) dialog; {@code onAnswer} gets true on confirm, false on cancel or close. */
    static Stage build(Window owner, ConfirmationViewModel vm, Consumer<Boolean> onAnswer) {
        Stage stage = new Stage();
        if (owner != null) {
            stage.initOwner(owner);
            stage.initModality(Modality.WINDOW_MODAL);
        } else {
            stage.initModality(Modality.APPLICATION_MODAL);
        }
        stage.setTitle(vm.title());

        Label title = new Label(vm.title(), Icons.icon(vm.action().destructive() ? Feather.ALERT_TRIANGLE
                : Feather.HELP_CIRCLE, 24));
        title.getStyleClass().add("rc-dialog-title");
        Label question = new Label(vm.question());
        question.setWrapText(true);
        question.setId("confirmQuestion");

        VBox box = new VBox(question);
        if (!vm.warning().isEmpty()) {
            Label warningLabel = new Label(vm.warning(), Icons.icon(Feather.GIT_BRANCH, 16));
            warningLabel.setWrapText(true);
            warningLabel.setId("confirmWarning");
            warningLabel.getStyleClass().add("rc-dialog-warning");
            box.getChildren().add(warningLabel);
        }
        box.getStyleClass().add("rc-dialog");
        if (vm.action().destructive()) {
            box.getStyleClass().add("rc-dialog-danger");
        }
        box.getChildren().add(0, title);

        TextField field = new TextField();
        field.setId("confirmField");
        field.getStyleClass().add("rc-confirm-field");
        field.setPromptText(vm.name());
        field.textProperty().bindBidirectional(vm.typedProperty());
        if (vm.typedName()) {
            Label banner = new Label(vm.instruction(), Icons.icon(Feather.ALERT_OCTAGON, 18));
            banner.getStyleClass().add("rc-production-banner");
            banner.setWrapText(true);
            banner.setMaxWidth(Double.MAX_VALUE);
            banner.setLabelFor(field);
            box.getChildren().addAll(banner, field);
        }

        Button cancel = new Button("Cancel");
        cancel.setId("cancelButton");
        cancel.setCancelButton(true);
        Button ok = new Button(vm.action().label(), Icons.icon(vm.action().destructive() ? Feather.ALERT_TRIANGLE
                : Feather.CHECK));
        ok.setId("confirmButton");
        ok.setDefaultButton(true);
        ok.disableProperty().bind(vm.validProperty().not());
        if (vm.action().destructive()) {
            ok.getStyleClass().add("rc-danger-button");
        }
        Label hint = new Label(vm.typedName() ? "Enter confirms once the name matches · Esc cancels"
                : "Enter confirms · Esc cancels");
        hint.getStyleClass().add("rc-hint");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox buttons = new HBox(8, hint, spacer, cancel, ok);
        buttons.setAlignment(Pos.CENTER_RIGHT);
        box.getChildren().add(buttons);
        box.setPrefWidth(520);

        boolean[] answered = {false};
        ok.setOnAction(e -> {
            if (vm.isValid() && !answered[0]) {
                answered[0] = true;
                onAnswer.accept(true);
                stage.close();
            }
        });
        cancel.setOnAction(e -> stage.close());
        stage.setOnHidden(e -> {
            if (!answered[0]) {
                answered[0] = true;
                onAnswer.accept(false);
            }
        });
        Scene scene = new Scene(box);
        scene.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ESCAPE) {
                e.consume();
                stage.close();
            } else if (e.getCode() == KeyCode.ENTER && e.getTarget() == field) {
                e.consume();
                ok.fire();
            }
        });
        Themes.applyCurrent(scene);
        stage.setScene(scene);
        stage.setOnShown(e -> {
            stage.toFront();
            stage.requestFocus();
            (vm.typedName() ? field : ok).requestFocus();
        });
        return stage;
    }
}
