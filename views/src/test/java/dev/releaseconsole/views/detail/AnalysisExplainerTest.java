package dev.releaseconsole.views.detail;

import dev.releaseconsole.views.testing.TestWorld;
import dev.releaseconsole.services.model.AnalysisPhase;
import dev.releaseconsole.services.model.AnalysisRun;
import dev.releaseconsole.services.model.Measurement;
import dev.releaseconsole.services.model.MetricResult;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AnalysisExplainerTest {
    @Test
    void saysWhyAMetricFailed() {
        MetricResult m = TestWorld.checkout().analysisRuns().get(0).metricResults().get(0);
        assertThat(AnalysisExplainer.whyMetric(m))
                .isEqualTo("error-ratio failed 3 of 4 measurements (last value 0.034, condition result < 0.01)");
    }

    @Test
    void aRunJoinsItsFailingMetricsAndSkipsPassingOnes() {
        MetricResult ok = new MetricResult("p95", AnalysisPhase.Successful, "", 2, 2, 0, 0, 0, "result < 500",
                List.of());
        MetricResult err = new MetricResult("conversion", AnalysisPhase.Error, "", 5, 0, 0, 0, 5, null,
                List.of(new Measurement(AnalysisPhase.Error, null, null, null, "prometheus: 503 Service Unavailable")));
        AnalysisRun run = new AnalysisRun("r", AnalysisPhase.Error, "", "Background", null, 3, null, null,
                List.of(ok, err));
        assertThat(AnalysisExplainer.whyRun(run))
                .isEqualTo("conversion could not be measured in 5 of 5 measurements (prometheus: 503 Service Unavailable)");
    }

    @Test
    void nothingToExplainForSuccessOrRunning() {
        AnalysisRun run = new AnalysisRun("r", AnalysisPhase.Running, "", "Step", 1, 3, null, null, List.of());
        assertThat(AnalysisExplainer.whyRun(run)).isEmpty();
        assertThat(AnalysisExplainer.whyMetric(null)).isEmpty();
    }
}
