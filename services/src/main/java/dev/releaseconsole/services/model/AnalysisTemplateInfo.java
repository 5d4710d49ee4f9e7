package dev.releaseconsole.services.model;

import java.util.List;

/**
 * An analysis template a rollout uses, read-only: its kind (AnalysisTemplate, ClusterAnalysisTemplate, or Flagger's
 * MetricTemplate), name, where the rollout uses it ("step 3", "background", "pre-promotion"), its arguments
 * ("service-name", "canary-hash=abc") and metrics. {@code problem} is set, and the metrics empty, when it could not be
 * read ("not found", "forbidden: ..."); the rest of the rollout's templates are still shown.
 */
public record AnalysisTemplateInfo(String kind, String name, String usedBy, List<String> args,
                                   List<TemplateMetric> metrics, String problem) {
    public AnalysisTemplateInfo {
        args = List.copyOf(args);
        metrics = List.copyOf(metrics);
        problem = problem == null ? "" : problem;
    }

    public boolean readable() {
        return problem.isEmpty();
    }
}
