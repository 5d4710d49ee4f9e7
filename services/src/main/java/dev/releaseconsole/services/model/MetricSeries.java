package dev.releaseconsole.services.model;

import java.util.List;

/** Samples of one metric for one track, oldest first. */
public record MetricSeries(String metricId, Track track, List<MetricPoint> points) {
    public MetricSeries {
        points = List.copyOf(points);
    }
}
