package dev.releaseconsole.app.e2e;

import dev.releaseconsole.services.testing.PrometheusServer;
import dev.releaseconsole.services.testing.TestExporter;
import dev.releaseconsole.services.testing.TestExporter.Labels;
import dev.releaseconsole.services.testing.TestExporter.Profile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    /** The canary's share of 5xx answers over the last 10 s, from the test exporter's app series. */
    private static final String ERROR_RATIO = ("sum(rate(http_requests_total{namespace=\"NS\",app=\"NAME\","
            + "code=~\"5..\"}[10s])) / sum(rate(http_requests_total{namespace=\"NS\",app=\"NAME\"}[10s]))")
            .replace("NS", LocalCluster.NAMESPACE).replace("NAME", NAME);
    /** The sample of an instant query's first result: "value":[1700000000.123,"0.01"]. */
    private static final Pattern VALUE = Pattern.compile("\"value\":\\[[^,]+,\"([^\"]+)\"\\]");

    @TempDir
    Path dir;

    @Test
    void aRegressingCanaryFailsItsAnalysisAndTheControllerAbortsWithTheReasonShown(LocalCluster.Running cluster)
            throws Exception {
        // The canary serves 1% errors at 100 requests a second (as the baseline does) until the regression.
        try (TestExporter exporter = TestExporter.start(Profile.HEALTHY, new Profile(100, 0.01, 240, 0.97), 42);
             PrometheusServer prometheus = PrometheusServer.builder().scrape(exporter)
                     .scrapeInterval(Duration.ofSeconds(1)).start();
             ConsoleOnCluster console = ConsoleOnCluster.start(cluster, LocalCluster.ADMIN_CONTEXT,
                     dir.resolve("audit.db"))) {
            exporter.setLabels(new Labels(LocalCluster.NAMESPACE, NAME, "canary", "stable", NAME));
            prometheus.awaitSeries(ERROR_RATIO, Duration.ofSeconds(60));
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
            exporter.injectRegression(29, 0); // 30% errors
            awaitErrorRatioAbove(prometheus, 0.25, Duration.ofSeconds(60));
            cluster.deploy(NAME, "registry.local/analysis:3");
            Rollout aborted = console.await(NAME, "aborted by the controller after the failed analysis",
                    r -> r.abort() && "Degraded".equals(r.displayPhase()) && r.updatedReplicas() == 0
                            && r.latestAnalysis().map(a -> a.phase() == AnalysisPhase.Failed).orElse(false));

            AnalysisRun run = aborted.latestAnalysis().orElseThrow();
            assertThat(run.type()).isEqualTo("Step");
            assertThat(aborted.displayMessage()).startsWith("RolloutAborted")
                    .contains("Metric \"error-ratio\" assessed Failed");
            String measured = run.metricResults().get(0).measurements().get(0).value();
            assertThat(number(measured)).as("the canary's error ratio Prometheus returned").isBetween(0.22, 0.40);
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

    /** Waits until the 10 s window of the error ratio has moved past {@code floor} after the regression. */
    private static void awaitErrorRatioAbove(PrometheusServer prometheus, double floor, Duration deadline)
            throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        String last = "";
        while (System.nanoTime() < end) {
            last = prometheus.query(ERROR_RATIO);
            Matcher value = VALUE.matcher(last);
            if (value.find() && Double.parseDouble(value.group(1)) > floor) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the canary's error ratio did not pass " + floor + " within " + deadline.toSeconds()
                + " s; Prometheus answered: " + last);
    }

    private static String analysisTemplate(PrometheusServer prometheus) {
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
                """.replace("NAME", NAME).replace("URL", prometheus.url().toString().replaceAll("/$", ""))
                .replace("QUERY", ERROR_RATIO);
    }
}
