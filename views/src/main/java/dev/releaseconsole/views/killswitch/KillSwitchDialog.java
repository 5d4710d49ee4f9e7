package dev.releaseconsole.views.killswitch;

import dev.releaseconsole.services.ConsoleServices;
import dev.releaseconsole.services.actions.ActionResult;
import dev.releaseconsole.services.actions.KillSwitchPlan;
import dev.releaseconsole.services.actions.TargetOutcome;
import dev.releaseconsole.services.model.FlagTarget;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.views.common.Icons;
import dev.releaseconsole.views.common.StatusBadge;
import dev.releaseconsole.views.common.TaskRunner;
import dev.releaseconsole.views.common.Themes;
import dev.releaseconsole.views.killswitch.KillSwitchViewModel.Phase;
import javafx.application.Platform;
import javafx.fxml.FXML;
import javafx.fxml.FXMLLoader;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/**
 * The kill switch dialog. Keyboard-first: focus starts in the chooser or the confirmation field; Enter chooses,
 * then executes once allowed; Esc cancels (or closes after the results are shown). Ids: {@code #killSwitchChooser},
 * {@code #killSwitchPlan}, {@code #killSwitchConfirmField}, {@code #killSwitchReason},
 * {@code #killSwitchExecuteButton}, {@code #killSwitchCancelButton}, {@code #killSwitchResults},
 * {@code #killSwitchElapsed}, {@code #killSwitchMessage}.
 */
public final class KillSwitchDialog extends VBox {
    @FXML private Label title;
    @FXML private Label incident;
    @FXML private VBox chooserBox;
    @FXML private ListView<KillSwitchCandidate> chooser;
    @FXML private VBox planBox;
    @FXML private Label planTitle;
    @FXML private ListView<PlanLine> planList;
    @FXML private Label productionBanner;
    @FXML private TextField confirmField;
    @FXML private TextField reasonField;
    @FXML private VBox resultsBox;
    @FXML private Label elapsedLabel;
    @FXML private ListView<TargetOutcome> resultsList;
    @FXML private Label messageLabel;
    @FXML private Label hintLabel;
    @FXML private Button cancelButton;
    @FXML private Button executeButton;

    private final KillSwitchViewModel viewModel;
    private Runnable closer = () -> { };

    public KillSwitchDialog(KillSwitchViewModel viewModel) {
        this.viewModel = viewModel;
        FXMLLoader loader = new FXMLLoader(KillSwitchDialog.class.getResource("KillSwitchDialog.fxml"));
        loader.setRoot(this);
        loader.setController(this);
        try {
            loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load KillSwitchDialog.fxml", e);
        }
        wire();
    }

    /**
     * Opens the kill switch for {@code selected} (or the chooser when null) as a modal window over {@code owner}.
     * Planning and executing run with {@code runner}; {@code onResult} receives the result on the FX thread (the
     * shell shows it in its status bar).
     */
    public static Stage open(Window owner, ConsoleServices services, TaskRunner runner, RolloutRef selected,
                             Consumer<ActionResult> onResult) {
        KillSwitchViewModel vm = new KillSwitchViewModel(services, runner);
        vm.setOnResult(onResult);
        KillSwitchDialog view = new KillSwitchDialog(vm);
        Stage stage = new Stage();
        if (owner != null) {
            stage.initOwner(owner);
            stage.initModality(Modality.WINDOW_MODAL);
        }
        stage.setTitle("Kill switch — Release Console");
        Scene scene = new Scene(view);
        Themes.applyCurrent(scene);
        stage.setScene(scene);
        view.closer = stage::close;
        if (selected != null) {
            vm.planFor(selected);
        } else {
            vm.loadCandidates();
        }
        stage.show();
        stage.toFront();
        stage.requestFocus();
        view.focusFirst();
        return stage;
    }

    private void wire() {
        KillSwitchViewModel vm = viewModel;
        title.setGraphic(Icons.icon(Feather.POWER, 28));

        chooser.setItems(vm.candidates());
        chooser.setCellFactory(lv -> new ListCell<>() {
            @Override
            protected void updateItem(KillSwitchCandidate item, boolean empty) {
                super.updateItem(item, empty);
                if (empty || item == null) {
                    setText(null);
                    setGraphic(null);
                } else {
                    setText(item.label() + "  —  " + item.detail());
                    setGraphic(new FontIcon(item.isFlag() ? Feather.TOGGLE_RIGHT : Feather.GIT_BRANCH));
                }
            }
        });
        chooser.setPlaceholder(new Label("No kill-switch flags and no rollouts with linked flags. Select a rollout "
                + "in the table to abort it."));
        chooser.setOnMouseClicked(e -> {
            if (e.getClickCount() == 2) {
                vm.choose(chooser.getSelectionModel().getSelectedItem());
            }
        });

        planList.setItems(vm.planLines());
        planList.setCellFactory(lv -> new ListCell<>() {
            @Override
            protected void updateItem(PlanLine item, boolean empty) {
                super.updateItem(item, empty);
                if (empty || item == null) {
                    setText(null);
                    setGraphic(null);
                } else {
                    setText(item.text());
                    FontIcon icon = new FontIcon(item.target() instanceof FlagTarget ? Feather.TOGGLE_LEFT
                            : Feather.X_OCTAGON);
                    icon.getStyleClass().add(item.production() || item.target() instanceof RolloutRef
                            ? "rc-bad" : "rc-warn");
                    setGraphic(icon);
                }
            }
        });
        productionBanner.setGraphic(new FontIcon(Feather.ALERT_OCTAGON));
        confirmField.textProperty().bindBidirectional(vm.confirmTextProperty());
        reasonField.textProperty().bindBidirectional(vm.reasonProperty());

        resultsList.setItems(vm.results());
        resultsList.setCellFactory(lv -> new ListCell<>() {
            @Override
            protected void updateItem(TargetOutcome item, boolean empty) {
                super.updateItem(item, empty);
                if (empty || item == null) {
                    setText(null);
                    setGraphic(null);
                } else {
                    StatusBadge b = StatusBadge.forOutcome(item.outcome());
                    Label outcome = Icons.label(b);
                    outcome.setMinWidth(170);
                    outcome.setPrefWidth(170);
                    Label what = new Label(item.target().describe() + " — " + item.message());
                    what.setWrapText(true);
                    what.setMinHeight(Region.USE_PREF_SIZE);
                    what.prefWidthProperty().bind(lv.widthProperty().subtract(230));
                    what.setTooltip(new javafx.scene.control.Tooltip(item.message() + "\nstate after: "
                            + item.stateAfter()));
                    HBox row = new HBox(10, outcome, what);
                    row.setAlignment(Pos.CENTER_LEFT);
                    setText(null);
                    setGraphic(row);
                }
            }
        });
        elapsedLabel.textProperty().bind(vm.elapsedTextProperty());
        vm.resultProperty().addListener((o, was, now) -> {
            elapsedLabel.getStyleClass().removeAll("rc-ok", "rc-bad");
            if (now != null) {
                elapsedLabel.getStyleClass().add(now.allSafe() ? "rc-ok" : "rc-bad");
                elapsedLabel.setGraphic(new FontIcon(now.allSafe() ? Feather.CHECK_CIRCLE : Feather.ALERT_OCTAGON));
            }
        });
        messageLabel.textProperty().bind(vm.messageProperty());

        executeButton.setGraphic(new FontIcon(Feather.POWER));
        executeButton.disableProperty().bind(vm.canExecuteProperty().not());
        executeButton.setOnAction(e -> vm.execute());
        cancelButton.setOnAction(e -> closer.run());

        vm.phaseProperty().addListener((o, was, now) -> showPhase(now));
        vm.planProperty().addListener((o, was, now) -> showPlan(now));
        showPhase(vm.phase());

        addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ESCAPE) {
                e.consume();
                closer.run();
            } else if (e.getCode() == KeyCode.ENTER) {
                e.consume();
                onEnter();
            }
        });
    }

    private void onEnter() {
        switch (viewModel.phase()) {
            case CHOOSE -> viewModel.choose(chooser.getSelectionModel().getSelectedItem());
            case READY -> viewModel.execute();
            case DONE -> closer.run();
            default -> { }
        }
    }

    private void showPlan(KillSwitchPlan p) {
        if (p == null) {
            return;
        }
        incident.setText("For " + p.incident() + ": " + p.flags().size() + " flag environment(s) turned off, "
                + p.rollouts().size() + " rollout(s) aborted, all at once.");
        boolean prod = p.touchesProduction();
        productionBanner.setText(prod ? "Production is affected. Type " + p.confirmationName() + " to confirm." : "");
        confirmField.setPromptText(p.confirmationName());
        show(productionBanner, prod);
        show(confirmField, prod);
        executeButton.setText(viewModel.executeLabel());
    }

    private void showPhase(Phase phase) {
        show(chooserBox, phase == Phase.CHOOSE);
        show(planBox, phase == Phase.PLANNING || phase == Phase.READY || phase == Phase.RUNNING);
        show(resultsBox, phase == Phase.DONE);
        show(executeButton, phase != Phase.DONE && phase != Phase.CHOOSE);
        confirmField.setDisable(phase != Phase.READY);
        reasonField.setDisable(phase != Phase.READY);
        cancelButton.setText(phase == Phase.DONE ? "Close" : "Cancel");
        hintLabel.setText(switch (phase) {
            case CHOOSE -> "↑ ↓ to choose · Enter plans · Esc cancels";
            case DONE -> "Enter or Esc closes";
            default -> "Enter executes when allowed · Esc cancels";
        });
        if (phase == Phase.CHOOSE && chooser.getSelectionModel().isEmpty() && !chooser.getItems().isEmpty()) {
            chooser.getSelectionModel().selectFirst();
        }
        if (getScene() != null && getScene().getWindow() != null) {
            getScene().getWindow().sizeToScene();
            Platform.runLater(this::focusFirst);
        }
    }

    /** Puts the keyboard where the user acts next. */
    void focusFirst() {
        Node target = switch (viewModel.phase()) {
            case CHOOSE -> chooser;
            case READY, PLANNING -> viewModel.planProperty().get() != null
                    && viewModel.planProperty().get().touchesProduction() ? confirmField : executeButton;
            case RUNNING -> cancelButton;
            case DONE -> resultsList;
        };
        target.requestFocus();
    }

    private static void show(Node n, boolean visible) {
        n.setVisible(visible);
        n.setManaged(visible);
    }

    public KillSwitchViewModel viewModel() {
        return viewModel;
    }
}
