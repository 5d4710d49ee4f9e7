package dev.releaseconsole.views.detail;

import dev.releaseconsole.views.common.Icons;
import javafx.collections.ListChangeListener;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.OverrunStyle;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.util.Duration;

/**
 * The live canary verdict in the rollout detail, compact: a headline with the badge (icon, word, score), the one
 * line saying why and the window, then a line per metric (its badge and sentence; the statistics behind it in the
 * tooltip). In a short space the metric lines become one row of short chips ("Error ratio High +2.06 pp") whose
 * tooltips hold the sentences. Hidden while the rollout has no verdict. Long texts are cut with an ellipsis, never
 * widening the detail.
 */
final class VerdictPane extends VBox {
    private final VerdictViewModel vm;
    private final VBox lines = new VBox(1);
    private final FlowPane chips = new FlowPane(12, 2);
    private boolean compact;

    VerdictPane(VerdictViewModel vm) {
        this.vm = vm;
        setId("verdictPane");
        getStyleClass().add("detail-verdict");
        setSpacing(2);

        Label title = new Label("Verdict");
        title.getStyleClass().add("detail-verdict-title");
        title.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        Label badge = Icons.label(vm.badgeProperty().get());
        badge.setId("verdictBadge");
        badge.getStyleClass().add("status-badge");
        badge.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        vm.badgeProperty().addListener((o, was, now) -> Icons.update(badge, now));
        Label summary = new Label();
        summary.setId("verdictSummary");
        summary.getStyleClass().add("detail-verdict-summary");
        summary.textProperty().bind(vm.summaryProperty());
        summary.setTextOverrun(OverrunStyle.ELLIPSIS);
        summary.setMinWidth(0);
        Tooltip summaryTip = tooltip();
        summaryTip.textProperty().bind(vm.summaryProperty());
        summary.setTooltip(summaryTip);
        Label window = new Label();
        window.setId("verdictWindow");
        window.getStyleClass().add("detail-message");
        window.textProperty().bind(vm.windowProperty());
        window.setMinWidth(0);
        // one line whose long parts give way (ellipsis, the full text in tooltips): never wider than the detail
        HBox headline = new HBox(8, title, badge, summary, window);
        headline.setAlignment(Pos.CENTER_LEFT);
        headline.setMinWidth(0);
        HBox.setHgrow(summary, Priority.SOMETIMES);

        lines.setId("verdictMetrics");
        lines.getStyleClass().add("detail-verdict-metrics");
        chips.setId("verdictChips");
        chips.getStyleClass().add("detail-verdict-metrics");
        getChildren().addAll(headline, lines, chips);
        vm.lines().addListener((ListChangeListener<VerdictViewModel.MetricLine>) c -> rebuild());
        visibleProperty().bind(vm.presentProperty());
        managedProperty().bind(visibleProperty());
        rebuild();
    }

    /** Short space: the metric lines become one row of chips. */
    void setCompact(boolean value) {
        if (compact != value) {
            compact = value;
            rebuild();
        }
    }

    private void rebuild() {
        lines.getChildren().clear();
        chips.getChildren().clear();
        for (VerdictViewModel.MetricLine line : vm.lines()) {
            if (compact) {
                chips.getChildren().add(chip(line));
            } else {
                lines.getChildren().add(row(line));
            }
        }
        show(lines, !compact && !vm.lines().isEmpty());
        show(chips, compact && !vm.lines().isEmpty());
    }

    private static void show(Node n, boolean shown) {
        n.setVisible(shown);
        n.setManaged(shown);
    }

    private static HBox row(VerdictViewModel.MetricLine line) {
        Label badge = Icons.label(line.badge());
        badge.getStyleClass().add("detail-verdict-metric-badge");
        badge.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        Label sentence = new Label(line.sentence());
        sentence.getStyleClass().add("detail-verdict-sentence");
        sentence.setTextOverrun(OverrunStyle.ELLIPSIS);
        sentence.setMinWidth(0);
        sentence.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(sentence, Priority.ALWAYS);
        HBox row = new HBox(6, badge, sentence);
        row.setId("verdict-" + line.metricId());
        row.setAlignment(Pos.CENTER_LEFT);
        row.setMinWidth(0);
        Tooltip t = tooltip();
        t.setText(line.sentence() + "\n" + line.statistics());
        Tooltip.install(row, t);
        return row;
    }

    private static Label chip(VerdictViewModel.MetricLine line) {
        Label chip = Icons.label(line.badge());
        chip.setText(line.brief());
        chip.setId("verdict-" + line.metricId());
        chip.getStyleClass().add("detail-verdict-metric-badge");
        Tooltip t = tooltip();
        t.setText(line.sentence() + "\n" + line.statistics());
        chip.setTooltip(t);
        return chip;
    }

    private static Tooltip tooltip() {
        Tooltip t = new Tooltip();
        t.setWrapText(true);
        t.setMaxWidth(640);
        t.setShowDuration(Duration.seconds(30));
        return t;
    }
}
