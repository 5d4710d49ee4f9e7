package dev.releaseconsole.services.model;

/** One sample; {@code value} may be NaN or infinite as Prometheus reports it, consumers decide how to draw that. */
public record MetricPoint(long epochMillis, double value) {
}
