package dev.releaseconsole.services.demo;

import dev.releaseconsole.services.metrics.AnalysisTemplateSource;
import dev.releaseconsole.services.model.AnalysisTemplateInfo;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.model.WorkloadKind;
import dev.releaseconsole.services.model.TemplateMetric;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.releaseconsole.services.demo.DemoFixture.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The demo's simulated analysis templates, through the interface a cluster's template reader implements. */
class DemoTemplatesTest {
    private final AnalysisTemplateSource templates = new DemoFixture().world.templates();

    @Test
    void anArgoCanaryShowsItsTemplatesQueriesAndTheStepsThatRunIt() throws Exception {
        List<AnalysisTemplateInfo> t = templates.templates(CHECKOUT_API);
        assertThat(t).singleElement().satisfies(info -> {
            assertThat(info.kind()).isEqualTo("AnalysisTemplate");
            assertThat(info.name()).isEqualTo("success-rate-and-latency");
            assertThat(info.usedBy()).isEqualTo("step 4");
            assertThat(info.args()).containsExactly("namespace", "canary-hash");
            assertThat(info.metrics()).extracting(TemplateMetric::name, TemplateMetric::successCondition)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("error-ratio", "result < 0.01"),
                            org.assertj.core.groups.Tuple.tuple("p95-latency", "result < 400"));
            assertThat(info.metrics().get(0).query()).startsWith("sum(rate(http_requests_total{namespace=\""
                    + "{{args.namespace}}\", rollouts_pod_template_hash=\"{{args.canary-hash}}\", code=~\"5..\"}");
            assertThat(info.metrics().get(0).failureLimit()).isEqualTo("3");
        });
        assertThat(templates.templates(SEARCH_API).get(0).metrics().get(0).failureCondition())
                .isEqualTo("result > 450");
    }

    @Test
    void flaggerShowsItsBuiltInsAndBlueGreenHasNone() throws Exception {
        assertThat(templates.templates(FRAUD_SCORER).get(0).metrics()).extracting(TemplateMetric::provider)
                .containsOnly("built-in");
        assertThat(templates.templates(CHECKOUT_WEB)).isEmpty();
        assertThatThrownBy(() -> templates.templates(new RolloutRef("prod-eu", "checkout", "nope",
                WorkloadKind.ARGO_ROLLOUT)))
                .hasMessageContaining("prod-eu/checkout/nope");
    }
}
