package dev.releaseconsole.services.demo;

import dev.releaseconsole.services.metrics.AnalysisTemplateSource;
import dev.releaseconsole.services.metrics.MetricsException;
import dev.releaseconsole.services.model.AnalysisTemplateInfo;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.model.Step;
import dev.releaseconsole.services.model.StepKind;
import dev.releaseconsole.services.model.TemplateMetric;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The simulated templates of the demo's rollouts, shown through the same interface as a cluster's: an Argo canary's
 * AnalysisTemplate (with the PromQL a real one would run; the demo measures its simulated series instead), and a
 * Flagger canary's built-in metrics.
 */
final class DemoTemplates implements AnalysisTemplateSource {
    static final String PROMETHEUS = "http://prometheus.monitoring:9090 (simulated)";

    private final Object lock;
    private final Map<RolloutRef, SimulatedRollout> rollouts;

    DemoTemplates(Object lock, Map<RolloutRef, SimulatedRollout> rollouts) {
        this.lock = lock;
        this.rollouts = rollouts;
    }

    @Override
    public List<AnalysisTemplateInfo> templates(RolloutRef rollout) throws MetricsException {
        synchronized (lock) {
            SimulatedRollout sim = rollouts.get(rollout);
            if (sim == null) {
                throw new MetricsException("the demo world has no rollout " + rollout);
            }
            if (sim instanceof ArgoCanary canary) {
                return argo(canary);
            }
            if (sim instanceof FlaggerCanary) {
                return List.of(new AnalysisTemplateInfo("Canary analysis", "spec.analysis.metrics", "every interval",
                        List.of(), List.of(
                        new TemplateMetric("request-success-rate", "built-in", "", "(Flagger's built-in "
                                + "request-success-rate)", "result >= 99", "", "30s", "", ""),
                        new TemplateMetric("request-duration", "built-in", "", "(Flagger's built-in "
                                + "request-duration)", "result <= 500", "", "30s", "", "")), null));
            }
            return List.of(); // the demo's blue-greens run no analysis
        }
    }

    private static List<AnalysisTemplateInfo> argo(ArgoCanary canary) {
        AnalysisTemplate t = canary.template();
        List<String> uses = new ArrayList<>();
        List<Step> steps = canary.steps();
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).kind() == StepKind.ANALYSIS && t.name().equals(steps.get(i).analysisTemplates())) {
                uses.add("step " + (i + 1));
            }
        }
        if (uses.isEmpty()) {
            return List.of();
        }
        List<TemplateMetric> metrics = new ArrayList<>();
        for (AnalysisTemplate.Metric m : t.metrics()) {
            String failure = m.failAbove() == null ? "" : "result > " + number(m.failAbove());
            metrics.add(new TemplateMetric(m.metricId(), "prometheus", PROMETHEUS, m.query(), m.successCondition(),
                    failure, t.interval().toSeconds() + "s", Integer.toString(t.count()),
                    Integer.toString(m.failureLimit())));
        }
        return List.of(new AnalysisTemplateInfo("AnalysisTemplate", t.name(), String.join(", ", uses),
                AnalysisTemplate.ARGS, metrics, null));
    }

    private static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
    }
}
