package dev.releaseconsole.views.detail;

import dev.releaseconsole.views.common.Tone;
import dev.releaseconsole.views.common.StatusBadge;
import dev.releaseconsole.services.actions.ActionInput;
import dev.releaseconsole.services.actions.ActionType;
import dev.releaseconsole.services.model.AnalysisPhase;
import dev.releaseconsole.services.model.AnalysisRun;
import dev.releaseconsole.services.model.Measurement;
import dev.releaseconsole.services.model.MetricResult;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableCell;
import javafx.scene.control.TreeTableColumn;
import javafx.scene.control.TreeTableView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Analysis runs as a tree: run → metric (phase, successCondition, counts, why it failed) → measurements (time,
 * value, phase). Expansion survives refreshes; the newest run and its failing metrics start expanded.
 */
final class AnalysisPane extends BorderPane {
    private final RolloutDetailViewModel vm;
    private final TreeTableView<AnalysisRow> table = new TreeTableView<>();
    private final Set<String> expanded = new HashSet<>();
    private final Set<String> seen = new HashSet<>();

    AnalysisPane(RolloutDetailViewModel vm, ActionBar actions) {
        this.vm = vm;
        getStyleClass().add("analysis-pane");
        Label summary = new Label();
        summary.setId("analysisSummary");
        summary.getStyleClass().add("analysis-summary");
        summary.setWrapText(true);
        summary.setGraphic(new FontIcon(Feather.INFO));
        summary.textProperty().bind(vm.analysisSummaryProperty());
        DetailHeader.hideWhenEmpty(summary, vm.analysisSummaryProperty());
        VBox top = new VBox(summary);
        top.setPadding(new Insets(6, 8, 6, 8));
        setTop(top);

        table.setId("analysisTable");
        table.setShowRoot(false);
        table.setRoot(new TreeItem<>());
        table.setColumnResizePolicy(TreeTableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setPlaceholder(new Label("No analysis runs for this rollout"));
        table.getColumns().add(textColumn("Name", 170, AnalysisRow::name));
        table.getColumns().add(phaseColumn());
        table.getColumns().add(textColumn("Type / condition", 150, AnalysisRow::type));
        table.getColumns().add(textColumn("Started / time", 80, AnalysisRow::time));
        table.getColumns().add(textColumn("Counts / value", 230, AnalysisRow::detail));
        table.getColumns().add(terminateColumn(actions));
        table.getColumns().add(textColumn("Message / why", 320, AnalysisRow::message));
        setCenter(table);
        vm.analysisRuns().addListener((ListChangeListener<AnalysisRun>) c -> rebuild());
    }

    private static TreeTableColumn<AnalysisRow, String> textColumn(String title, double width,
                                                                  Function<AnalysisRow, String> f) {
        TreeTableColumn<AnalysisRow, String> c = new TreeTableColumn<>(title);
        c.setPrefWidth(width);
        c.setCellValueFactory(p -> new ReadOnlyStringWrapper(p.getValue().getValue() == null ? ""
                : f.apply(p.getValue().getValue())));
        return c;
    }

    /** On a run that is still going: "Terminate" ({@code kubectl argo rollouts terminate analysisrun}). */
    private static TreeTableColumn<AnalysisRow, AnalysisRow> terminateColumn(ActionBar actions) {
        TreeTableColumn<AnalysisRow, AnalysisRow> c = new TreeTableColumn<>("");
        c.setPrefWidth(120);
        c.setSortable(false);
        c.setCellValueFactory(p -> new ReadOnlyObjectWrapper<>(p.getValue().getValue()));
        c.setCellFactory(col -> new TreeTableCell<>() {
            @Override
            protected void updateItem(AnalysisRow row, boolean empty) {
                super.updateItem(row, empty);
                if (empty || row == null || row.kind() != AnalysisRow.Kind.RUN || row.phase() == null
                        || row.phase().isCompleted()) {
                    setGraphic(null);
                    return;
                }
                Button b = RowActionCells.button(actions.viewModel(), ActionType.TERMINATE_ANALYSIS, "Terminate",
                        Feather.STOP_CIRCLE, "terminate-" + row.name());
                b.setOnAction(e -> actions.request(ActionType.TERMINATE_ANALYSIS, ActionInput.analysisRun(row.name())));
                setGraphic(b);
            }
        });
        return c;
    }

    private static TreeTableColumn<AnalysisRow, AnalysisPhase> phaseColumn() {
        TreeTableColumn<AnalysisRow, AnalysisPhase> c = new TreeTableColumn<>("Phase");
        c.setPrefWidth(120);
        c.setCellValueFactory(p -> new ReadOnlyObjectWrapper<>(p.getValue().getValue() == null ? null
                : p.getValue().getValue().phase()));
        c.setCellFactory(col -> new TreeTableCell<>() {
            @Override
            protected void updateItem(AnalysisPhase phase, boolean empty) {
                super.updateItem(phase, empty);
                for (Tone t : Tone.values()) {
                    getStyleClass().remove(t.styleClass());
                }
                if (empty || phase == null) {
                    setText(null);
                    setGraphic(null);
                    return;
                }
                StatusBadge badge = StatusBadge.forAnalysis(phase);
                setText(badge.text());
                setGraphic(new FontIcon(badge.icon()));
                getStyleClass().add(badge.tone().styleClass());
            }
        });
        return c;
    }

    private void rebuild() {
        rememberExpansion(table.getRoot());
        TreeItem<AnalysisRow> root = new TreeItem<>();
        List<AnalysisRun> runs = vm.analysisRuns();
        for (int i = 0; i < runs.size(); i++) {
            AnalysisRun run = runs.get(i);
            TreeItem<AnalysisRow> runItem = new TreeItem<>(AnalysisRow.of(run));
            boolean newest = i == 0;
            for (MetricResult m : run.metricResults()) {
                TreeItem<AnalysisRow> mItem = new TreeItem<>(AnalysisRow.of(run, m));
                List<Measurement> ms = m.measurements();
                for (int j = 0; j < ms.size(); j++) {
                    mItem.getChildren().add(new TreeItem<>(AnalysisRow.of(run, m, j, ms.get(j))));
                }
                boolean failing = m.phase() == AnalysisPhase.Failed || m.phase() == AnalysisPhase.Error
                        || m.phase() == AnalysisPhase.Inconclusive;
                mItem.setExpanded(expandedOr(mItem.getValue().key(), newest && failing));
                runItem.getChildren().add(mItem);
            }
            runItem.setExpanded(expandedOr(runItem.getValue().key(), newest));
            root.getChildren().add(runItem);
        }
        table.setRoot(root);
    }

    private boolean expandedOr(String key, boolean byDefault) {
        if (seen.add(key)) {
            return byDefault;
        }
        return expanded.contains(key);
    }

    private void rememberExpansion(TreeItem<AnalysisRow> item) {
        if (item == null) {
            return;
        }
        for (TreeItem<AnalysisRow> child : item.getChildren()) {
            if (child.getValue() != null) {
                if (child.isExpanded()) {
                    expanded.add(child.getValue().key());
                } else {
                    expanded.remove(child.getValue().key());
                }
            }
            rememberExpansion(child);
        }
    }

    /** Another rollout: forget expansion state. */
    void reset() {
        expanded.clear();
        seen.clear();
        table.setRoot(new TreeItem<>());
    }
}
