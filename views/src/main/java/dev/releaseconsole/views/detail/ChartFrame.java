package dev.releaseconsole.views.detail;

import dev.releaseconsole.services.model.MetricDefinition;
import javafx.scene.chart.XYChart;

import java.util.List;

/**
 * Everything one chart needs for one update, prepared off the FX thread: decimated canary and baseline points
 * (x in minutes relative to now, NaN y = gap), the threshold line, step markers and fixed axis ranges, and
 * {@code problem}: why the metric's source failed, in its own words ("" while it answers).
 */
record ChartFrame(MetricDefinition metric,
                  List<XYChart.Data<Number, Number>> canary,
                  List<XYChart.Data<Number, Number>> baseline,
                  List<XYChart.Data<Number, Number>> threshold,
                  List<Marker> markers,
                  double xLower, double xUpper,
                  double yLower, double yUpper, double yTick,
                  double lastCanary, double lastBaseline,
                  int rawPoints,
                  String problem) {

    /** A vertical marker at {@code x} (minutes relative to now) with a short label such as "25%" or "abort". */
    record Marker(double x, String label) {
    }

    /** One update for all charts of one rollout; {@code session} guards against frames of a rollout no longer shown. */
    record Batch(long session, List<ChartFrame> charts, String status,
                 List<dev.releaseconsole.services.model.RolloutEvent> events) {
        Batch {
            charts = List.copyOf(charts);
            events = List.copyOf(events);
        }
    }
}
