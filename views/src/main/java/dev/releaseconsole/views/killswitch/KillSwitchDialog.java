package dev.releaseconsole.views.killswitch;

import dev.releaseconsole.services.ConsoleServices;
import dev.releaseconsole.services.actions.ActionResult;
import dev.releaseconsole.services.actions.KillSwitchPlan;
import dev.releaseconsole.services.actions.KillSwitchStep;
import dev.releaseconsole.services.actions.TargetOutcome;
import dev.releaseconsole.services.model.FlagTarget;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.views.common.Fxml;
import dev.releaseconsole.views.common.Icons;
import dev.releaseconsole.views.common.StatusBadge;
import dev.releaseconsole.views.common.TaskRunner;
import dev.releaseconsole.views.common.Themes;
import dev.releaseconsole.views.common.Tone;
import dev.releaseconsole.views.killswitch.KillSwitchViewModel.Phase;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
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
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Modality;
import javafx.stage.Screen;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.util.function.Consumer;

/**
 * The kill switch. For a selected rollout it opens on that rollout's plan (a modal dialog); on call it is its own
 * window that opens on the list of kill-switch flags and rollouts with linked flags, and goes back to that list after
 * each use. Keyboard-first: typing filters the list, ↑ ↓ choose, Enter arms the selected row (the big button), then
 * executes once allowed (production wants the name typed); Esc goes one step back, and closes from the list.
 * Ids: {@code #killSwitchFilter}, {@code #killSwitchChooser}, {@code #killSwitchArmButton},
 * {@code #killSwitchLastUse}, {@code #killSwitchPlan}, {@code #killSwitchConfirmField}, {@code #killSwitchReason},
 * {@code #killSwitchExecuteButton}, {@code #killSwitchBackButton}, {@code #killSwitchCancelButton},
 * {@code #killSwitchResults}, {@code #killSwitchElapsed}, {@code #killSwitchMessage}.
 */
public final class KillSwitchDialog extends VBox {
    public static final double ON_CALL_WIDTH = 980;
    public static final double ON_CALL_HEIGHT = 760;
    private static Stage onCallStage;

    @FXML private Label title;
    @FXML private Label incident;
    @FXML private VBox chooserBox;
    @FXML private TextField filterField;
    @FXML private ListView<KillSwitchCandidate> chooser;
    @FXML private Button armButton;
    @FXML private Label lastUseLabel;
    @FXML private VBox planBox;
    @FXML private Label planTitle;
    @FXML private ListView<KillSwitchStep> planList;
    @FXML private Label productionBanner;
    @FXML private TextField confirmField;
    @FXML private TextField reasonField;
    @FXML private VBox resultsBox;
    @FXML private Label elapsedLabel;
    @FXML private ListView<TargetOutcome> resultsList;
    @FXML private Label messageLabel;
    @FXML private Label hintLabel;
    @FXML private Button backButton;
    @FXML private Button cancelButton;
    @FXML private Button executeButton;

    private final KillSwitchViewModel viewModel;
    private Runnable closer = () -> { };

    public KillSwitchDialog(KillSwitchViewModel viewModel) {
        this.viewModel = viewModel;
        Fxml.loadInto(this, "KillSwitchDialog.fxml");
        wire();
    }

    /**
     * Opens the kill switch for {@code selected} as a modal window over {@code owner}, or the on-call window when
     * nothing is selected. Planning and executing run with {@code runner}; {@code onResult} receives each result on
     * the FX thread (the shell shows it in its status bar).
     */
    public static Stage open(Window owner, ConsoleServices services, TaskRunner runner, RolloutRef selected,
                             Consumer<ActionResult> onResult) {
        if (selected == null) {
            return openOnCall(owner, services, runner, onResult);
        }
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
        vm.planFor(selected);
        stage.show();
        stage.toFront();
        stage.requestFocus();
        view.focusFirst();
        return stage;
    }

    /**
     * The on-call kill switch (Ctrl+Shift+K, or Ctrl+K with nothing selected): its own window, one at a time, on the
     * list of everything the kill switch can be pulled for, live while the list is shown.
     */
    public static Stage openOnCall(Window owner, ConsoleServices services, TaskRunner runner,
                                   Consumer<ActionResult> onResult) {
        if (onCallStage != null && onCallStage.isShowing()) {
            onCallStage.toFront();
            onCallStage.requestFocus();
            return onCallStage;
        }
        KillSwitchViewModel vm = new KillSwitchViewModel(services, runner);
        vm.setOnResult(onResult);
        KillSwitchDialog view = new KillSwitchDialog(vm);
        Stage stage = new Stage();
        if (owner != null) {
            stage.initOwner(owner);
        }
        stage.setTitle("Kill switch (on call) — Release Console");
        javafx.geometry.Rectangle2D screen = Screen.getPrimary().getVisualBounds();
        Scene scene = new Scene(view, Math.min(ON_CALL_WIDTH, screen.getWidth() - 40),
                Math.min(ON_CALL_HEIGHT, screen.getHeight() - 40));
        Themes.applyCurrent(scene);
        stage.setScene(scene);
        view.closer = stage::close;
        view.title.setText("Kill switch — on call");
        vm.startOnCall();
        vm.start();
        stage.setOnHidden(e -> {
            vm.close();
            if (onCallStage == stage) {
                onCallStage = null;
            }
        });
        stage.show();
        stage.toFront();
        stage.requestFocus();
        view.focusFirst();
        onCallStage = stage;
        return stage;
    }

    private void wire() {
        KillSwitchViewModel vm = viewModel;
        title.setGraphic(Icons.icon(Feather.POWER, 28));

        // the list: type to filter, arrows move the selection, Enter or the big button arms
        filterField.textProperty().bindBidirectional(vm.filterProperty());
        filterField.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.DOWN || e.getCode() == KeyCode.UP) {
                e.consume();
                int i = chooser.getSelectionModel().getSelectedIndex();
                int n = chooser.getItems().size();
                if (n > 0) {
                    int next = e.getCode() == KeyCode.DOWN ? Math.min(n - 1, i + 1) : Math.max(0, i - 1);
                    chooser.getSelectionModel().select(next);
                    chooser.scrollTo(next);
                }
            }
        });
        chooser.setItems(vm.visibleCandidates());
        chooser.setCellFactory(lv -> new CandidateCell());
        chooser.setPlaceholder(new Label("Nothing matches. Kill-switch flags (type kill-switch, or killSwitch: true in"
                + " the flag registry) and rollouts with linked flags are listed here."));
        chooser.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> {
            if (now != null) {
                vm.selectedProperty().set(now);
            }
        });
        vm.selectedProperty().addListener((o, was, now) -> {
            if (now != null && chooser.getSelectionModel().getSelectedItem() != now) {
                chooser.getSelectionModel().select(now);
                chooser.scrollTo(now);
            }
        });
        chooser.setOnKeyTyped(e -> {
            // typing in the list goes to the filter
            String ch = e.getCharacter();
            if (ch != null && !ch.isEmpty() && !Character.isISOControl(ch.charAt(0)) && !e.isShortcutDown()) {
                filterField.appendText(ch);
                filterField.requestFocus();
                filterField.positionCaret(filterField.getLength());
                e.consume();
            }
        });
        chooser.setOnMouseClicked(e -> {
            if (e.getClickCount() == 2) {
                vm.choose(chooser.getSelectionModel().getSelectedItem());
            }
        });
        armButton.setGraphic(Icons.icon(Feather.POWER, 22));
        armButton.textProperty().bind(Bindings.createStringBinding(() -> vm.selectedProperty().get() == null
                ? "Arm kill switch" : "Arm kill switch: " + vm.selectedProperty().get().shortName() + "  (Enter)",
                vm.selectedProperty()));
        armButton.disableProperty().bind(vm.selectedProperty().isNull());
        armButton.setOnAction(e -> vm.armSelected());
        lastUseLabel.textProperty().bind(vm.lastUseProperty());
        lastUseLabel.setGraphic(new FontIcon(Feather.CLOCK));
        lastUseLabel.getStyleClass().add("rc-ok");
        vm.lastUseSafeProperty().addListener((o, was, now) -> {
            lastUseLabel.getStyleClass().removeAll("rc-ok", "rc-bad");
            lastUseLabel.getStyleClass().add(now ? "rc-ok" : "rc-bad");
        });
        lastUseLabel.visibleProperty().bind(vm.lastUseProperty().isNotEmpty());
        lastUseLabel.managedProperty().bind(lastUseLabel.visibleProperty());

        planList.setItems(vm.planLines());
        planList.setCellFactory(lv -> new ListCell<>() {
            @Override
            protected void updateItem(KillSwitchStep item, boolean empty) {
                super.updateItem(item, empty);
                if (empty || item == null) {
                    setText(null);
                    setGraphic(null);
                } else {
                    setText(item.text());
                    FontIcon icon = new FontIcon(item.alreadySafe() ? Feather.CHECK
                            : item.target() instanceof FlagTarget ? Feather.TOGGLE_LEFT : Feather.X_OCTAGON);
                    icon.getStyleClass().add(item.alreadySafe() ? "rc-ok" : item.production()
                            || item.target() instanceof RolloutRef ? "rc-bad" : "rc-warn");
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
        backButton.setGraphic(new FontIcon(Feather.ARROW_LEFT));
        backButton.setOnAction(e -> vm.back());

        vm.phaseProperty().addListener((o, was, now) -> showPhase(now));
        vm.planProperty().addListener((o, was, now) -> showPlan(now));
        showPhase(vm.phase());

        addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ESCAPE) {
                e.consume();
                if (!vm.back()) {
                    closer.run();
                }
            } else if (e.getCode() == KeyCode.ENTER) {
                e.consume();
                onEnter();
            }
        });
    }

    private void onEnter() {
        switch (viewModel.phase()) {
            case CHOOSE -> viewModel.armSelected();
            case READY -> viewModel.execute();
            case DONE -> {
                if (!viewModel.back()) {
                    closer.run();
                }
            }
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
        boolean onCall = viewModel.isOnCall();
        show(chooserBox, phase == Phase.CHOOSE);
        show(incident, phase != Phase.CHOOSE);
        show(planBox, phase == Phase.PLANNING || phase == Phase.READY || phase == Phase.RUNNING);
        show(resultsBox, phase == Phase.DONE);
        show(executeButton, phase != Phase.DONE && phase != Phase.CHOOSE);
        show(backButton, onCall && (phase == Phase.READY || phase == Phase.DONE));
        confirmField.setDisable(phase != Phase.READY);
        reasonField.setDisable(phase != Phase.READY);
        cancelButton.setText(phase == Phase.DONE || phase == Phase.CHOOSE ? "Close" : "Cancel");
        hintLabel.setText(switch (phase) {
            case CHOOSE -> "Type to filter · ↑ ↓ choose · Enter arms · Esc closes";
            case DONE -> onCall ? "Enter or Esc: back to the list" : "Enter or Esc closes";
            default -> onCall ? "Enter executes when allowed · Esc: back to the list"
                    : "Enter executes when allowed · Esc cancels";
        });
        if (getScene() != null && getScene().getWindow() != null) {
            if (!onCall) {
                getScene().getWindow().sizeToScene();
            }
            Platform.runLater(this::focusFirst);
        }
    }

    /** Puts the keyboard where the user acts next. */
    void focusFirst() {
        Node target = switch (viewModel.phase()) {
            case CHOOSE -> filterField;
            case READY, PLANNING -> viewModel.planProperty().get() != null
                    && viewModel.planProperty().get().touchesProduction() ? confirmField : executeButton;
            case RUNNING -> cancelButton;
            case DONE -> resultsList;
        };
        target.requestFocus();
        if (target == filterField) {
            filterField.positionCaret(filterField.getLength());
        }
    }

    private static void show(Node n, boolean visible) {
        n.setVisible(visible);
        n.setManaged(visible);
    }

    public KillSwitchViewModel viewModel() {
        return viewModel;
    }

    /** One row of the on-call list: the name, its source's connection, its state per environment, the detail. */
    private static final class CandidateCell extends ListCell<KillSwitchCandidate> {
        @Override
        protected void updateItem(KillSwitchCandidate item, boolean empty) {
            super.updateItem(item, empty);
            setText(null);
            if (empty || item == null) {
                setGraphic(null);
                return;
            }
            Label name = new Label(item.isFlag() ? item.flag().key() : item.rollout().toString(),
                    new FontIcon(item.isFlag() ? Feather.TOGGLE_RIGHT : Feather.GIT_BRANCH));
            name.getStyleClass().add("rc-kill-candidate-name");
            Label kind = new Label(item.isFlag() ? "flag at " + item.flag().provider() : "rollout");
            kind.getStyleClass().add("rc-hint");
            Region spacer = new Region();
            HBox.setHgrow(spacer, Priority.ALWAYS);
            Label source = Icons.label(new StatusBadge(item.sourceConnected() ? Feather.WIFI : Feather.WIFI_OFF,
                    item.sourceText(), item.sourceConnected() ? Tone.OK : Tone.BAD));
            source.setMinWidth(Region.USE_PREF_SIZE);
            HBox top = new HBox(10, name, kind, spacer, source);
            top.setAlignment(Pos.CENTER_LEFT);
            HBox envs = new HBox(8);
            envs.setAlignment(Pos.CENTER_LEFT);
            for (KillSwitchCandidate.EnvironmentState e : item.environments()) {
                Label chip = Icons.label(new StatusBadge(e.on() ? Feather.TOGGLE_RIGHT : Feather.TOGGLE_LEFT,
                        e.text(), e.on() ? Tone.OK : Tone.MUTED));
                chip.getStyleClass().add("rc-kill-env");
                if (e.tier() == dev.releaseconsole.services.model.Environment.PRODUCTION) {
                    chip.getStyleClass().add("rc-kill-env-production");
                }
                envs.getChildren().add(chip);
            }
            Label detail = new Label(item.detail());
            detail.setWrapText(true);
            detail.getStyleClass().add("rc-kill-candidate-detail");
            detail.setMinHeight(Region.USE_PREF_SIZE);
            detail.prefWidthProperty().bind(widthProperty().subtract(40));
            VBox box = new VBox(4, top);
            if (!item.environments().isEmpty()) {
                box.getChildren().add(envs);
            }
            box.getChildren().add(detail);
            setGraphic(box);
        }
    }
}
