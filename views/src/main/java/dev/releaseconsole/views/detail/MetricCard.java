package dev.releaseconsole.views.detail;

import dev.releaseconsole.services.model.MetricDefinition;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.scene.layout.StackPane;
import javafx.scene.shape.Line;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * A chart with its own compact header: the metric's name and a legend that names every line in words with its
 * latest value ("canary 0.033", "baseline 0.005", "threshold ≤ 0.01"), so colour is never the only carrier and the
 * legend never disappears on a small window (the LineChart's own legend is dropped when space runs out).
 */
final class MetricCard extends VBox {
    private final MetricChart chart;
    private final Label canary = legend("canary", "canary-line");
    private final Label baseline = legend("baseline", "baseline-line");
    /** Why the source failed, over the plot: the lines end (a gap) and this says why and since when. */
    private final Label problem = new Label();

    MetricCard(MetricDefinition metric) {
        getStyleClass().add("metric-card");
        setId("card-" + metric.id());
        chart = new MetricChart(metric);
        Label title = new Label(MetricChart.title(metric));
        title.getStyleClass().add("metric-title");
        title.setMinWidth(60);
        canary.setId("legend-canary-" + metric.id());
        baseline.setId("legend-baseline-" + metric.id());
        FlowPane legend = new FlowPane(10, 0, canary, baseline);
        legend.getStyleClass().add("metric-legend");
        legend.setAlignment(Pos.CENTER_RIGHT);
        if (metric.threshold() != null) {
            legend.getChildren().add(legend(MetricChart.thresholdName(metric), "threshold-line"));
        }
        HBox.setHgrow(legend, Priority.ALWAYS);
        HBox header = new HBox(8, title, legend);
        header.setAlignment(Pos.CENTER_LEFT);
        header.getStyleClass().add("metric-header");
        legend.setMinWidth(0);
        legend.setPrefWrapLength(160);
        // at least the header plus a readable plot (the chart's own minimum): below that the grid scrolls
        setMinWidth(140);
        problem.setId("problem-" + metric.id());
        problem.getStyleClass().add("chart-problem");
        problem.setWrapText(true);
        problem.setGraphic(new FontIcon(Feather.ALERT_TRIANGLE));
        problem.setMaxWidth(Double.MAX_VALUE);
        problem.setVisible(false);
        problem.setMouseTransparent(true);
        StackPane plot = new StackPane(chart, problem);
        StackPane.setAlignment(problem, Pos.TOP_CENTER);
        StackPane.setMargin(problem, new javafx.geometry.Insets(8, 12, 0, 48));
        VBox.setVgrow(plot, Priority.ALWAYS);
        getChildren().addAll(header, plot);
        // Narrow card: the title gets its own line and the legend goes under it, left-aligned.
        widthProperty().addListener((o, was, w) -> {
            boolean narrow = w.doubleValue() < 360;
            if (narrow && header.getChildren().contains(legend)) {
                header.getChildren().remove(legend);
                legend.setAlignment(Pos.CENTER_LEFT);
                legend.getStyleClass().add("metric-header");
                getChildren().add(1, legend);
            } else if (!narrow && !header.getChildren().contains(legend)) {
                getChildren().remove(legend);
                legend.setAlignment(Pos.CENTER_RIGHT);
                legend.getStyleClass().remove("metric-header");
                header.getChildren().add(legend);
            }
        });
    }

    private static Label legend(String text, String lineClass) {
        Line swatch = new Line(0, 0, 16, 0);
        swatch.getStyleClass().addAll("legend-swatch", lineClass);
        Label l = new Label(text, swatch);
        l.getStyleClass().add("metric-legend-item");
        return l;
    }

    MetricChart chart() {
        return chart;
    }

    /** The text over the plot while the source fails ("" otherwise). */
    String problemText() {
        return problem.isVisible() ? problem.getText() : "";
    }

    void apply(ChartFrame f) {
        chart.apply(f);
        String why = f.problem() == null ? "" : f.problem();
        if (!why.equals(problem.getText())) {
            problem.setText(why);
            problem.setVisible(!why.isEmpty());
        }
        canary.setText("canary " + MetricChart.lastText(f.lastCanary()));
        baseline.setText("baseline " + MetricChart.lastText(f.lastBaseline()));
    }

    void clearData() {
        chart.clearData();
    }
}
