package dev.releaseconsole.services.metrics;

import dev.releaseconsole.services.model.AnalysisTemplateInfo;
import dev.releaseconsole.services.model.RolloutRef;

import java.util.List;

/**
 * The analysis templates a rollout uses, with each metric's query, read-only: from the rollout's cluster (Argo
 * AnalysisTemplates and ClusterAnalysisTemplates, Flagger MetricTemplates), or the demo world's simulated ones. Blocks
 * on the network: call it on a background thread. A template that cannot be read is returned with its problem; only
 * a failure to read the rollout itself throws.
 */
public interface AnalysisTemplateSource {
    /** No templates anywhere (a source that knows none). */
    AnalysisTemplateSource NONE = rollout -> List.of();

    List<AnalysisTemplateInfo> templates(RolloutRef rollout) throws MetricsException;
}
