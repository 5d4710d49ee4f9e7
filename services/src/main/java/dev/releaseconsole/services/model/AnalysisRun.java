package dev.releaseconsole.services.model;

import java.time.Instant;
import java.util.List;

/**
 * An AnalysisRun linked to a rollout. {@code type} is the rollout-type label (Step, Background, PrePromotion,
 * PostPromotion); {@code stepIndex} is set for step analyses.
 */
public record AnalysisRun(String name, AnalysisPhase phase, String message, String type, Integer stepIndex,
                          int revision, Instant startedAt, Instant completedAt, List<MetricResult> metricResults) {
    public AnalysisRun {
        metricResults = List.copyOf(metricResults);
    }
}
