package dev.releaseconsole.app.e2e;

import dev.releaseconsole.services.model.AnalysisPhase;
import dev.releaseconsole.services.model.AnalysisRun;
import dev.releaseconsole.services.model.MetricResult;
import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.views.detail.AnalysisExplainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A canary step analysis that the Argo Rollouts controller runs against a real Prometheus: it passes while the
 * canary is healthy, and when the canary regresses the run fails, the controller aborts the rollout, and the
 * console shows why.
 */
@ExtendWith(LocalCluster.class)
class CanaryAnalysisE2ETest {
    private static final String NAME = "analysis";

    @TempDir
    Path dir;

    @Test
    void aRegressingCanaryFailsItsAnalysisAndTheControllerAbortsWithTheReasonShown(LocalCluster.Running cluster)
            throws Exception {
        try (PrometheusWithCanaryExporter prometheus = PrometheusWithCanaryExporter.start(NAME, dir.resolve("prom"));
             ConsoleOnCluster console = ConsoleOnCluster.start(cluster, LocalCluster.ADMIN_CONTEXT,
                     dir.resolve("audit.db"))) {
            cluster.create(analysisTemplate(prometheus) + "---\n" + Manifests.canary(NAME, """
                    - setWeight: 50
                    - analysis:
                        templates: [{templateName: NAME-error-ratio}]
                    """.replace("NAME", NAME)));
            Rollout first = console.await(NAME, "healthy on its first revision", ConsoleOnCluster::settledHealthy);

            // Healthy canary: the analysis passes and the controller completes the update.
            cluster.deploy(NAME, "registry.local/analysis:2");
            Rollout passed = console.await(NAME, "Healthy on revision 2 after a successful analysis",
                    r -> ConsoleOnCluster.settledHealthy(r) && !r.stableRS().equals(first.stableRS())
                            && r.latestAnalysis().map(a -> a.phase() == AnalysisPhase.Successful).orElse(false));
            MetricResult good = passed.latestAnalysis().orElseThrow().metricResults().get(0);
            assertThat(good.successful()).isEqualTo(3);
            assertThat(good.measurements()).allSatisfy(m -> assertThat(number(m.value())).isLessThan(0.05));

            // The canary regresses: the first measurement fails, the run fails, the controller aborts.
            prometheus.regress(true);
            prometheus.awaitErrorRatio(ratio -> ratio > 0.25, Duration.ofSeconds(60));
            cluster.deploy(NAME, "registry.local/analysis:3");
            Rollout aborted = console.await(NAME, "aborted by the controller after the failed analysis",
                    r -> r.abort() && "Degraded".equals(r.displayPhase()) && r.updatedReplicas() == 0
                            && r.latestAnalysis().map(a -> a.phase() == AnalysisPhase.Failed).orElse(false));

            AnalysisRun run = aborted.latestAnalysis().orElseThrow();
            assertThat(run.type()).isEqualTo("Step");
            assertThat(aborted.displayMessage()).startsWith("RolloutAborted")
                    .contains("Metric \"error-ratio\" assessed Failed");
            String measured = run.metricResults().get(0).measurements().get(0).value();
            assertThat(number(measured)).as("the canary's error ratio Prometheus returned").isBetween(0.25, 0.35);
            assertThat(AnalysisExplainer.whyRun(run)).as("the console's explanation")
                    .isEqualTo("error-ratio failed 1 of 1 measurement (last value " + measured
                            + ", condition result[0] <= 0.05)");
            assertThat(aborted.attentionReason()).hasValueSatisfying(reason ->
                    assertThat(reason).startsWith("aborted: RolloutAborted"));
            assertThat(aborted.stableRS()).as("stable stays on revision 2").isEqualTo(passed.stableRS());
        }
    }

    /** Argo Rollouts records a Prometheus vector result as "[0.01]". */
    private static double number(String value) {
        return Double.parseDouble(value.replace("[", "").replace("]", ""));
    }

    private static String analysisTemplate(PrometheusWithCanaryExporter prometheus) {
        return """
                apiVersion: argoproj.io/v1alpha1
                kind: AnalysisTemplate
                metadata:
                  name: NAME-error-ratio
                spec:
                  metrics:
                  - name: error-ratio
                    interval: 2s
                    count: 3
                    failureLimit: 0
                    successCondition: result[0] <= 0.05
                    provider:
                      prometheus:
                        address: URL
                        query: 'QUERY'
                """.replace("NAME", NAME).replace("URL", prometheus.url())
                .replace("QUERY", prometheus.errorRatioQuery());
    }
}
