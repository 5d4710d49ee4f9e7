package dev.releaseconsole.views.detail;

import dev.releaseconsole.services.model.Direction;
import dev.releaseconsole.services.model.Durations;
import dev.releaseconsole.services.model.MetricDefinition;
import javafx.scene.Node;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.shape.Line;
import javafx.scene.shape.LineTo;
import javafx.scene.shape.MoveTo;
import javafx.scene.shape.Path;
import javafx.scene.shape.PathElement;
import javafx.scene.text.Text;
import javafx.util.StringConverter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One metric, canary vs baseline, with the threshold as a flat dashed third series and step/weight markers as
 * vertical lines. No symbols, no animation, fixed axis ranges (set from the poller's frame), data replaced with one
 * {@code setAll} per series per update. Lines break at NaN points (gaps), which the default LineChart cannot do.
 */
final class MetricChart extends LineChart<Number, Number> {
    private final XYChart.Series<Number, Number> canary = new XYChart.Series<>();
    private final XYChart.Series<Number, Number> baseline = new XYChart.Series<>();
    private final XYChart.Series<Number, Number> threshold = new XYChart.Series<>();
    private final List<Line> markerLines = new ArrayList<>();
    private final List<Text> markerLabels = new ArrayList<>();
    private List<ChartFrame.Marker> markers = List.of();
    private final MetricDefinition metric;

    MetricChart(MetricDefinition metric) {
        super(new NumberAxis(), new NumberAxis());
        this.metric = metric;
        setId("chart-" + metric.id());
        getStyleClass().add("metric-chart");
        setCreateSymbols(false);
        setAnimated(false);
        // Title and legend live in the card above the chart (MetricCard): always visible, even when small.
        setLegendVisible(false);
        setHorizontalGridLinesVisible(true);
        setVerticalGridLinesVisible(false);
        setVerticalZeroLineVisible(false);
        setMinSize(140, 100);
        setPrefSize(480, 300);
        NumberAxis x = (NumberAxis) getXAxis();
        x.setAutoRanging(false);
        x.setForceZeroInRange(false);
        x.setAnimated(false);
        x.setMinorTickVisible(false);
        x.setTickLabelFormatter(new StringConverter<>() {
            @Override
            public String toString(Number n) {
                return relativeMinutes(n.doubleValue());
            }

            @Override
            public Number fromString(String s) {
                return 0;
            }
        });
        NumberAxis y = (NumberAxis) getYAxis();
        y.setAutoRanging(false);
        y.setForceZeroInRange(false);
        y.setAnimated(false);
        y.setMinorTickVisible(false);
        y.setLabel(metric.unit() == null ? "" : metric.unit());
        canary.setName("canary");
        baseline.setName("baseline");
        threshold.setName(thresholdName(metric));
        getData().add(canary);
        getData().add(baseline);
        if (metric.threshold() != null) {
            getData().add(threshold);
        }
        tagSeries(canary, "canary-line");
        tagSeries(baseline, "baseline-line");
        tagSeries(threshold, "threshold-line");
        if (canary.getNode() != null) {
            canary.getNode().toFront(); // the canary is what the user watches: never hidden under the baseline
        }
    }

    MetricDefinition metric() {
        return metric;
    }

    static String title(MetricDefinition m) {
        return m.displayName() + (m.critical() ? " (critical)" : "");
    }

    static String thresholdName(MetricDefinition m) {
        if (m.threshold() == null) {
            return "threshold";
        }
        String op = m.direction() == Direction.DECREASE_IS_BAD ? "≥ " : "≤ ";
        return "threshold " + op + formatValue(m.threshold());
    }

    private static void tagSeries(XYChart.Series<Number, Number> s, String styleClass) {
        if (s.getNode() != null) {
            s.getNode().getStyleClass().add(styleClass);
        }
    }

    /** Applies one prepared frame: three setAll calls and fixed axis bounds. FX thread only. */
    void apply(ChartFrame f) {
        NumberAxis x = (NumberAxis) getXAxis();
        NumberAxis y = (NumberAxis) getYAxis();
        if (x.getLowerBound() != f.xLower() || x.getUpperBound() != f.xUpper()) {
            x.setLowerBound(f.xLower());
            x.setUpperBound(f.xUpper());
            x.setTickUnit(xTick(f.xUpper() - f.xLower()));
        }
        if (y.getLowerBound() != f.yLower() || y.getUpperBound() != f.yUpper()) {
            y.setLowerBound(f.yLower());
            y.setUpperBound(f.yUpper());
            y.setTickUnit(f.yTick());
        }
        replace(canary, f.canary());
        replace(baseline, f.baseline());
        if (!f.threshold().isEmpty()) {
            replace(threshold, f.threshold());
        }
        setMarkers(f.markers());
    }

    /**
     * Puts {@code next} into the series as one batch. Reuses the Data objects already in the series (new x/y values)
     * and only adds or removes the difference at the end: XYChart removes items one by one from an internal list,
     * so replacing ~1,800 items per series with setAll costs several times more than this.
     */
    static void replace(XYChart.Series<Number, Number> series, List<XYChart.Data<Number, Number>> next) {
        javafx.collections.ObservableList<XYChart.Data<Number, Number>> cur = series.getData();
        int keep = Math.min(cur.size(), next.size());
        for (int i = 0; i < keep; i++) {
            XYChart.Data<Number, Number> d = cur.get(i);
            XYChart.Data<Number, Number> n = next.get(i);
            d.setXValue(n.getXValue());
            d.setYValue(n.getYValue());
        }
        if (next.size() > keep) {
            cur.addAll(next.subList(keep, next.size()));
        } else if (cur.size() > keep) {
            cur.remove(keep, cur.size());
        }
    }

    void clearData() {
        canary.getData().clear();
        baseline.getData().clear();
        threshold.getData().clear();
        setMarkers(List.of());
    }

    static String lastText(double v) {
        return Double.isFinite(v) ? formatValue(v) : "—";
    }

    static String formatValue(double v) {
        double a = Math.abs(v);
        if (a == 0) {
            return "0";
        }
        if (a >= 1000) {
            return String.format("%.0f", v);
        }
        if (a >= 10) {
            return String.format("%.1f", v);
        }
        if (a >= 0.1) {
            return String.format("%.3f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return String.format("%.4f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    /** "-5m", "-30s", "now", "-1h30m" for an x value in minutes relative to now. */
    static String relativeMinutes(double minutes) {
        if (Math.abs(minutes) < 1e-9) {
            return "now";
        }
        long seconds = Math.round(-minutes * 60);
        String s = Durations.compact(Duration.ofSeconds(Math.abs(seconds)));
        return (seconds > 0 ? "-" : "+") + s;
    }

    static double xTick(double spanMinutes) {
        double[] units = {0.25, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 240};
        for (double u : units) {
            if (spanMinutes / u <= 6) {
                return u;
            }
        }
        return 480;
    }

    private void setMarkers(List<ChartFrame.Marker> m) {
        if (m.equals(markers) && markerLines.size() == m.size()) {
            requestChartLayout();
            return;
        }
        markers = List.copyOf(m);
        getPlotChildren().removeAll(markerLines);
        getPlotChildren().removeAll(markerLabels);
        markerLines.clear();
        markerLabels.clear();
        for (ChartFrame.Marker mk : markers) {
            Line l = new Line();
            l.getStyleClass().add("chart-marker-line");
            l.setManaged(false);
            Text t = new Text(mk.label());
            t.getStyleClass().add("chart-marker-label");
            t.setManaged(false);
            markerLines.add(l);
            markerLabels.add(t);
        }
        getPlotChildren().addAll(markerLines);
        getPlotChildren().addAll(markerLabels);
        requestChartLayout();
    }

    @Override
    protected void layoutPlotChildren() {
        NumberAxis x = (NumberAxis) getXAxis();
        NumberAxis y = (NumberAxis) getYAxis();
        double yLo = y.getLowerBound();
        double yHi = y.getUpperBound();
        for (XYChart.Series<Number, Number> s : getData()) {
            Node node = s.getNode();
            if (!(node instanceof Path)) {
                continue;
            }
            PathBuilder pb = new PathBuilder(((Path) node).getElements());
            for (XYChart.Data<Number, Number> d : s.getData()) {
                double yv = d.getYValue() == null ? Double.NaN : d.getYValue().doubleValue();
                double xv = d.getXValue() == null ? Double.NaN : d.getXValue().doubleValue();
                if (!Double.isFinite(yv) || !Double.isFinite(xv)) {
                    pb.gap();
                    continue;
                }
                pb.point(x.getDisplayPosition(xv), y.getDisplayPosition(Math.max(yLo, Math.min(yHi, yv))));
            }
            pb.finish();
        }
        double top = 0;
        double bottom = y.getHeight();
        double plotWidth = x.getWidth();
        int n = Math.min(markers.size(), markerLines.size());
        List<String> labels = new ArrayList<>(n);
        double[] px = new double[n];
        double[] widths = new double[n];
        double rowHeight = 12;
        for (int i = 0; i < n; i++) {
            labels.add(markers.get(i).label());
            px[i] = x.getDisplayPosition(markers.get(i).x());
            Text t = markerLabels.get(i);
            widths[i] = t.getLayoutBounds().getWidth();
            rowHeight = Math.max(rowHeight, t.getLayoutBounds().getHeight());
        }
        // Labels of nearby markers stack in up to three rows (fewer on a short chart); what does not fit is skipped,
        // its line stays.
        int rows = (int) Math.max(1, Math.min(3, Math.floor(bottom / 3 / rowHeight)));
        List<MarkerLabels.Placement> placed = MarkerLabels.place(labels, px, widths, plotWidth, rows);
        for (int i = 0; i < n; i++) {
            Line l = markerLines.get(i);
            l.setStartX(px[i]);
            l.setEndX(px[i]);
            l.setStartY(top);
            l.setEndY(bottom);
            l.setVisible(px[i] >= 0 && px[i] <= plotWidth);
            Text t = markerLabels.get(i);
            MarkerLabels.Placement p = placed.get(i);
            t.setVisible(p.shown());
            if (p.shown()) {
                t.setTextOrigin(javafx.geometry.VPos.TOP);
                t.setX(p.x());
                t.setY(top + 1 + p.row() * rowHeight);
            }
        }
    }

    /**
     * Rewrites a path's elements in place: reuses MoveTo/LineTo objects where the kind at an index is unchanged
     * (the common case from one update to the next), so a live update allocates almost nothing. A NaN point lifts
     * the pen (a gap); an isolated point gets a 1-pixel stroke so it stays visible.
     */
    private static final class PathBuilder {
        private final javafx.collections.ObservableList<PathElement> els;
        private final List<PathElement> fresh = new ArrayList<>();
        private int i;
        private boolean penDown;
        private boolean lastWasMove;
        private double lastX;
        private double lastY;

        PathBuilder(javafx.collections.ObservableList<PathElement> els) {
            this.els = els;
        }

        void point(double px, double py) {
            if (penDown) {
                lineTo(px, py);
                lastWasMove = false;
            } else {
                moveTo(px, py);
                lastWasMove = true;
            }
            penDown = true;
            lastX = px;
            lastY = py;
        }

        void gap() {
            if (lastWasMove) {
                lineTo(lastX + 1, lastY);
            }
            penDown = false;
            lastWasMove = false;
        }

        void finish() {
            gap();
            if (!fresh.isEmpty()) {
                // Kinds changed somewhere: replace the tail from the first differing index in one go.
                List<PathElement> tail = new ArrayList<>(fresh);
                int from = i - fresh.size();
                els.remove(Math.min(from, els.size()), els.size());
                els.addAll(tail);
            } else if (els.size() > i) {
                els.remove(i, els.size());
            }
        }

        private void moveTo(double px, double py) {
            if (fresh.isEmpty() && i < els.size() && els.get(i) instanceof MoveTo) {
                MoveTo m = (MoveTo) els.get(i);
                m.setX(px);
                m.setY(py);
            } else {
                fresh.add(new MoveTo(px, py));
            }
            i++;
        }

        private void lineTo(double px, double py) {
            if (fresh.isEmpty() && i < els.size() && els.get(i) instanceof LineTo) {
                LineTo l = (LineTo) els.get(i);
                l.setX(px);
                l.setY(py);
            } else {
                fresh.add(new LineTo(px, py));
            }
            i++;
        }
    }
}
