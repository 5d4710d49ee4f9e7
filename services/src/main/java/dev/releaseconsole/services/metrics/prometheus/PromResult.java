package dev.releaseconsole.services.metrics.prometheus;

import java.util.List;

/**
 * A successful answer of the query API: {@code resultType} (matrix, vector or scalar) and its series (a scalar is
 * one series without labels), Prometheus's warnings, and what it cost: the bytes read and the samples parsed.
 */
public record PromResult(String resultType, List<PromSeries> series, List<String> warnings, long bytes, int points) {
    public PromResult {
        series = List.copyOf(series);
        warnings = List.copyOf(warnings);
    }
}
