package dev.releaseconsole.services.model;

/** A metric compared between canary and baseline; {@code threshold} is the absolute limit a controller would use (nullable). */
public record MetricDefinition(String id, String displayName, String unit, Direction direction, Double threshold,
                               boolean critical) {
}
