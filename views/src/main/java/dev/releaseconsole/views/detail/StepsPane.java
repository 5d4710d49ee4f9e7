package dev.releaseconsole.views.detail;

import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.model.Strategy;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The steps timeline: each canary step as a chip marked done / current / pending (icon + word, not colour alone),
 * the current step's time in step and time left on a timed pause. Blue-green shows its selectors; Flagger its
 * weight, iterations and failed checks.
 */
final class StepsPane extends ScrollPane {
    private final RolloutDetailViewModel vm;
    private final FlowPane chips = new FlowPane(6, 6);
    private final VBox blueGreen = new VBox(4);
    private final VBox flagger = new VBox(4);

    StepsPane(RolloutDetailViewModel vm) {
        this.vm = vm;
        setFitToWidth(true);
        setFitToHeight(true);
        getStyleClass().add("steps-scroll");
        VBox box = new VBox(8);
        box.setId("stepsTimeline");
        box.getStyleClass().add("steps-timeline");
        box.setPadding(new Insets(8));

        Label timing = new Label();
        timing.setId("stepTiming");
        timing.getStyleClass().add("step-timing");
        timing.setGraphic(new FontIcon(Feather.CLOCK));
        timing.textProperty().bind(vm.stepTimingProperty());
        DetailHeader.hideWhenEmpty(timing, vm.stepTimingProperty());

        ProgressBar pauseBar = new ProgressBar();
        pauseBar.setId("pauseProgress");
        pauseBar.getStyleClass().add("pause-progress");
        pauseBar.setMaxWidth(Double.MAX_VALUE);
        pauseBar.progressProperty().bind(vm.pauseProgressProperty());
        pauseBar.visibleProperty().bind(vm.pauseProgressProperty().greaterThanOrEqualTo(0));
        pauseBar.managedProperty().bind(pauseBar.visibleProperty());

        chips.getStyleClass().add("step-chips");
        vm.steps().addListener((ListChangeListener<StepItem>) c -> rebuild());

        Label bgText = new Label();
        bgText.setId("blueGreenSelectors");
        bgText.textProperty().bind(vm.blueGreenTextProperty());
        blueGreen.getChildren().addAll(heading("Blue-green"), bgText);
        blueGreen.visibleProperty().bind(Bindings.createBooleanBinding(() -> vm.getRollout() != null
                && vm.getRollout().strategy() == Strategy.BLUE_GREEN, vm.rolloutProperty()));
        blueGreen.managedProperty().bind(blueGreen.visibleProperty());

        ProgressBar weight = new ProgressBar();
        weight.setId("flaggerWeight");
        weight.setMaxWidth(Double.MAX_VALUE);
        weight.progressProperty().bind(vm.flaggerWeightProperty());
        Label fText = new Label();
        fText.setId("flaggerProgress");
        fText.textProperty().bind(vm.flaggerTextProperty());
        flagger.getChildren().addAll(heading("Flagger analysis"), weight, fText);
        flagger.visibleProperty().bind(Bindings.createBooleanBinding(() -> vm.getRollout() != null
                && vm.getRollout().isFlagger(), vm.rolloutProperty()));
        flagger.managedProperty().bind(flagger.visibleProperty());

        Label none = new Label("This rollout has no steps.");
        none.getStyleClass().add("detail-placeholder");
        none.visibleProperty().bind(Bindings.createBooleanBinding(() -> {
            Rollout r = vm.getRollout();
            return r != null && r.steps().isEmpty() && r.strategy() == Strategy.CANARY;
        }, vm.rolloutProperty()));
        none.managedProperty().bind(none.visibleProperty());

        javafx.scene.control.TableView<HistoryRow> historyTable = new javafx.scene.control.TableView<>(vm.history());
        historyTable.setId("historyTable");
        historyTable.getStyleClass().add("history-table");
        historyTable.setPlaceholder(new Label("No events recorded for this rollout yet"));
        historyTable.setColumnResizePolicy(javafx.scene.control.TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        historyTable.getColumns().add(column("Time (UTC)", 90, HistoryRow::time));
        historyTable.getColumns().add(column("Step", 60, HistoryRow::step));
        historyTable.getColumns().add(column("Weight", 60, HistoryRow::weight));
        historyTable.getColumns().add(column("Lasted", 90, HistoryRow::lasted));
        historyTable.getColumns().add(column("Event", 160, HistoryRow::reason));
        historyTable.getColumns().add(column("Message", 300, HistoryRow::message));
        VBox.setVgrow(historyTable, javafx.scene.layout.Priority.ALWAYS);

        box.getChildren().addAll(timing, pauseBar, chips, none, blueGreen, flagger, heading("History"), historyTable);
        setContent(box);
    }

    private static javafx.scene.control.TableColumn<HistoryRow, String> column(String title, double width,
            java.util.function.Function<HistoryRow, String> f) {
        javafx.scene.control.TableColumn<HistoryRow, String> c = new javafx.scene.control.TableColumn<>(title);
        c.setPrefWidth(width);
        c.setSortable(false);
        c.setCellValueFactory(p -> new javafx.beans.property.ReadOnlyStringWrapper(
                p.getValue() == null ? "" : f.apply(p.getValue())));
        return c;
    }

    private static Label heading(String s) {
        Label l = new Label(s);
        l.getStyleClass().add("detail-section-title");
        return l;
    }

    private void rebuild() {
        chips.getChildren().clear();
        for (StepItem item : vm.steps()) {
            chips.getChildren().add(chip(item));
        }
    }

    static HBox chip(StepItem item) {
        FontIcon icon;
        String word;
        String cls;
        switch (item.state()) {
            case DONE:
                icon = new FontIcon(Feather.CHECK);
                word = "done";
                cls = "step-done";
                break;
            case CURRENT:
                icon = new FontIcon(Feather.CHEVRONS_RIGHT);
                word = "current";
                cls = "step-current";
                break;
            default:
                icon = new FontIcon(Feather.CIRCLE);
                word = "pending";
                cls = "step-pending";
                break;
        }
        Label index = new Label(Integer.toString(item.index()));
        index.getStyleClass().add("step-index");
        Label text = new Label(item.text());
        text.getStyleClass().add("step-text");
        Label state = new Label(word);
        state.getStyleClass().add("step-state");
        HBox chip = new HBox(4, icon, index, text, state);
        chip.setAccessibleText("step " + item.numbered() + ", " + word);
        chip.setAlignment(Pos.CENTER_LEFT);
        chip.getStyleClass().addAll("step-chip", cls);
        chip.setId("step-" + item.index());
        return chip;
    }
}
