package dev.releaseconsole.services.metrics.prometheus;

import dev.releaseconsole.services.model.MetricPoint;

import java.util.List;
import java.util.Map;

/**
 * One series of a Prometheus answer: its labels and samples, oldest first. Values are Prometheus's own, so NaN and
 * infinities stay as they came ("NaN", "+Inf", "-Inf").
 */
public record PromSeries(Map<String, String> labels, List<MetricPoint> points) {
    public PromSeries {
        labels = Map.copyOf(labels);
        points = List.copyOf(points);
    }
}
