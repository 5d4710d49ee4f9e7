package dev.releaseconsole.services.model;

import java.util.List;

/** status.metricResults[] of an AnalysisRun. */
public record MetricResult(String name, AnalysisPhase phase, String message, int count, int successful, int failed,
                           int inconclusive, int error, String successCondition, List<Measurement> measurements) {
    public MetricResult {
        measurements = List.copyOf(measurements);
    }
}
