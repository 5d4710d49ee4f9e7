package dev.releaseconsole.views.detail;

import dev.releaseconsole.services.model.MetricDefinition;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.RowConstraints;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The canary-vs-baseline charts in a grid (two columns; one per metric), with the range selector above them.
 * Receives one {@link ChartFrame.Batch} per poll and applies it to every chart in one go.
 */
final class ChartsPane extends BorderPane {
    private final GridPane grid = new GridPane();
    /** The grid, in a scroll pane that only scrolls when the space is below the cards' minimum size. */
    private final javafx.scene.control.ScrollPane gridScroll = new javafx.scene.control.ScrollPane(grid);
    private final Label status = new Label();
    private final Map<String, MetricCard> charts = new LinkedHashMap<>();
    private final ToggleGroup rangeGroup = new ToggleGroup();
    private final Label placeholder = new Label("Waiting for metrics…");
    private IntConsumer columnsListener = c -> { };
    private int gridColumns = 2;

    ChartsPane(Consumer<ChartRange> onRange) {
        setId("chartsPane");
        getStyleClass().add("charts-pane");
        HBox bar = new HBox(6);
        bar.getStyleClass().add("charts-toolbar");
        bar.setAlignment(Pos.CENTER_LEFT);
        Label rangeLabel = new Label("Range:");
        rangeLabel.setMinWidth(Region.USE_PREF_SIZE);
        bar.getChildren().add(rangeLabel);
        for (ChartRange r : ChartRange.values()) {
            ToggleButton b = new ToggleButton(r.label());
            b.setId(switch (r) {
                case LAST_15_MIN -> "range15m";
                case LAST_HOUR -> "range1h";
                case WHOLE_ROLLOUT -> "rangeWhole";
            });
            b.setUserData(r);
            b.setMinWidth(Region.USE_PREF_SIZE); // the hint and the status give way first
            b.setToggleGroup(rangeGroup);
            b.getStyleClass().add("range-toggle");
            bar.getChildren().add(b);
            if (r == ChartRange.LAST_15_MIN) {
                b.setSelected(true);
            }
        }
        rangeGroup.selectedToggleProperty().addListener((obs, was, now) -> {
            if (now == null) {
                was.setSelected(true); // one range is always selected
                return;
            }
            onRange.accept((ChartRange) now.getUserData());
        });
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        status.setId("chartsStatus");
        status.getStyleClass().add("charts-status");
        status.setWrapText(true);
        Label legendHint = new Label("dashed: threshold · dotted verticals: steps and events");
        legendHint.getStyleClass().add("charts-hint");
        legendHint.setMinWidth(0);
        status.setMinWidth(0);
        bar.getChildren().addAll(spacer, status, legendHint);
        bar.setPadding(new Insets(4, 8, 4, 8));
        setTop(bar);

        grid.getStyleClass().add("charts-grid");
        // no zero minimum: the cards' minimum sizes make the scroll pane scroll instead of overlapping them
        grid.setHgap(6);
        grid.setVgap(6);
        grid.setPadding(new Insets(4));
        ColumnConstraints half = new ColumnConstraints();
        half.setPercentWidth(50);
        half.setHgrow(Priority.ALWAYS);
        grid.getColumnConstraints().addAll(half, copy(half));
        placeholder.getStyleClass().add("detail-placeholder");
        setCenter(placeholder);
        // Short and wide (the detail under a table): one row of charts; narrow: one column; else a 2x2 grid.
        gridScroll.setFitToWidth(true);
        gridScroll.setFitToHeight(true);
        gridScroll.setHbarPolicy(javafx.scene.control.ScrollPane.ScrollBarPolicy.NEVER);
        gridScroll.getStyleClass().add("charts-scroll");
        gridScroll.viewportBoundsProperty().addListener((o, a, b) -> relayout());
    }


    /** The smallest chart card worth drawing; below it the grid scrolls rather than squeezing cards together. */
    static final double MIN_CARD_WIDTH = 170;
    static final double MIN_CARD_HEIGHT = 120;

    /**
     * How many chart columns suit a grid of this size (pure, for tests): one column when narrow; when short and
     * wide (the detail under the table), or too short for two rows of cards, one row of as many as fit; else 2x2.
     */
    static int columnsFor(double width, double height, int charts) {
        if (charts <= 1) {
            return 1;
        }
        if (width < 640) {
            return 1;
        }
        boolean shortAndWide = height > 0 && height < 380 && width / height > 2.6;
        boolean twoRowsDoNotFit = height > 0 && height < 2 * MIN_CARD_HEIGHT + 20;
        if (shortAndWide || twoRowsDoNotFit) {
            return (int) Math.min(charts, Math.max(2, Math.floor(width / MIN_CARD_WIDTH)));
        }
        return 2;
    }

    private void relayout() {
        javafx.geometry.Bounds viewport = gridScroll.getViewportBounds();
        int cols = columnsFor(viewport.getWidth(), viewport.getHeight(), charts.size());
        if (cols != gridColumns && !charts.isEmpty()) {
            gridColumns = cols;
            place();
        }
    }

    private void place() {
        grid.getChildren().clear();
        grid.getColumnConstraints().clear();
        grid.getRowConstraints().clear();
        int n = charts.size();
        int cols = Math.max(1, gridColumns);
        int rows = (n + cols - 1) / cols;
        for (int c = 0; c < cols; c++) {
            ColumnConstraints cc = new ColumnConstraints();
            cc.setPercentWidth(100.0 / cols);
            cc.setHgrow(Priority.ALWAYS);
            grid.getColumnConstraints().add(cc);
        }
        for (int r = 0; r < rows; r++) {
            RowConstraints rc = new RowConstraints();
            rc.setPercentHeight(100.0 / rows);
            rc.setVgrow(Priority.ALWAYS);
            grid.getRowConstraints().add(rc);
        }
        int i = 0;
        for (MetricCard c : charts.values()) {
            grid.add(c, i % cols, i / cols);
            i++;
        }
    }

    private static ColumnConstraints copy(ColumnConstraints c) {
        ColumnConstraints n = new ColumnConstraints();
        n.setPercentWidth(c.getPercentWidth());
        n.setHgrow(c.getHgrow());
        return n;
    }

    /** Called with the plot width of the charts (pixels) whenever it changes: decimation follows it. */
    void setOnColumns(IntConsumer listener) {
        this.columnsListener = listener;
    }

    void select(ChartRange r) {
        rangeGroup.getToggles().stream().filter(t -> t.getUserData() == r).findFirst()
                .ifPresent(t -> t.setSelected(true));
    }

    /** Forgets all charts (another rollout is shown, or none). */
    void reset(String message) {
        charts.clear();
        grid.getChildren().clear();
        status.setText("");
        placeholder.setText(message);
        setCenter(placeholder);
    }

    /** Applies one poll's frames to all charts; creates the charts the first time a rollout's metrics arrive. */
    void apply(ChartFrame.Batch batch) {
        status.setText(batch.status() == null ? "" : batch.status());
        if (batch.charts().isEmpty()) {
            if (charts.isEmpty()) {
                placeholder.setText(batch.status() == null || batch.status().isBlank() ? "No metrics"
                        : batch.status());
                setCenter(placeholder);
            }
            return;
        }
        List<MetricDefinition> defs = new ArrayList<>();
        batch.charts().forEach(f -> defs.add(f.metric()));
        if (!charts.keySet().equals(ids(defs))) {
            build(defs);
        }
        for (ChartFrame f : batch.charts()) {
            MetricCard c = charts.get(f.metric().id());
            if (c != null) {
                c.apply(f);
            }
        }
    }

    private static java.util.Set<String> ids(List<MetricDefinition> defs) {
        java.util.Set<String> s = new java.util.LinkedHashSet<>();
        defs.forEach(d -> s.add(d.id()));
        return s;
    }

    private void build(List<MetricDefinition> defs) {
        charts.clear();
        for (int i = 0; i < defs.size(); i++) {
            MetricCard c = new MetricCard(defs.get(i));
            charts.put(defs.get(i).id(), c);
            if (i == 0) {
                c.chart().widthProperty().addListener((o, a, w) -> columnsListener.accept((int) Math.max(50,
                        w.doubleValue() - 70)));
            }
        }
        javafx.geometry.Bounds viewport = gridScroll.getViewportBounds();
        gridColumns = columnsFor(viewport.getWidth(), viewport.getHeight(), charts.size());
        place();
        setCenter(gridScroll);
    }

    MetricCard card(String metricId) {
        return charts.get(metricId);
    }

    MetricChart chart(String metricId) {
        MetricCard c = charts.get(metricId);
        return c == null ? null : c.chart();
    }
}
