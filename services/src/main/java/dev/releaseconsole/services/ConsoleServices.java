package dev.releaseconsole.services;

import dev.releaseconsole.services.actions.ReleaseActions;
import dev.releaseconsole.services.analysis.CanaryJudgeService;
import dev.releaseconsole.services.governance.AuditLog;
import dev.releaseconsole.services.metrics.AnalysisTemplateSource;
import dev.releaseconsole.services.metrics.MetricsSource;
import dev.releaseconsole.services.store.LiveState;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the views may use: the live state to show, the one action facade, the audit log to read, metrics, each
 * cluster's clock (the demo world runs on a simulated one), the demo world's speed control when it is running, and
 * the analysis templates (with their queries) each rollout uses, and the canary judge that keeps
 * {@link LiveState#verdicts()} up to date (absent where nothing judges canaries).
 */
public record ConsoleServices(LiveState state, ReleaseActions actions, AuditLog audit, MetricsSource metrics,
                              Map<String, Clock> clusterClocks, Optional<SimulationControl> simulation,
                              AnalysisTemplateSource templates, Optional<CanaryJudgeService> judge) {
    public ConsoleServices {
        clusterClocks = Map.copyOf(clusterClocks);
        templates = templates == null ? AnalysisTemplateSource.NONE : templates;
        judge = judge == null ? Optional.empty() : judge;
    }

    /** Without analysis templates (shown as none) and without a canary judge (the verdict store stays empty). */
    public ConsoleServices(LiveState state, ReleaseActions actions, AuditLog audit, MetricsSource metrics,
                           Map<String, Clock> clusterClocks, Optional<SimulationControl> simulation) {
        this(state, actions, audit, metrics, clusterClocks, simulation, AnalysisTemplateSource.NONE,
                Optional.empty());
    }

    public Clock clockFor(String cluster) {
        return clusterClocks.getOrDefault(cluster, Clock.systemUTC());
    }

    /** Speed of the simulated world, 1x to 20x. */
    public interface SimulationControl {
        int speed();

        void setSpeed(int speed);

        long seed();
    }
}
