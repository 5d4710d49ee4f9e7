package dev.releaseconsole.services.kube;

import dev.releaseconsole.services.metrics.MetricsException;
import dev.releaseconsole.services.model.AnalysisTemplateInfo;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.model.TemplateMetric;
import dev.releaseconsole.services.model.WorkloadKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The queries of the templates a rollout uses, read through fabric8 from the mock API server in CRUD mode. */
class AnalysisTemplateReaderTest {
    private static MockApi api;
    private static AnalysisTemplateReader reader;

    /** One server for the class: reading never changes it. */
    @BeforeAll
    static void start() {
        api = new MockApi();
        api.applyAll(KubeFixtures.load("analysis-templates.yaml"));
        api.answer("/apis/argoproj.io/v1alpha1/namespaces/shop/analysistemplates/restricted", 403,
                "analysistemplates.argoproj.io \"restricted\" is forbidden");
        reader = new AnalysisTemplateReader("prod-eu", () -> Optional.of(api.client));
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void anArgoRolloutsTemplatesWithTheirQueriesAndWhereTheyAreUsed() throws MetricsException {
        List<AnalysisTemplateInfo> t = reader.templates(new RolloutRef("prod-eu", "shop", "checkout",
                WorkloadKind.ARGO_ROLLOUT));
        assertThat(t).extracting(AnalysisTemplateInfo::kind, AnalysisTemplateInfo::name, AnalysisTemplateInfo::usedBy)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("AnalysisTemplate", "success-rate", "step 2, background"),
                        org.assertj.core.groups.Tuple.tuple("ClusterAnalysisTemplate", "latency", "step 2"),
                        org.assertj.core.groups.Tuple.tuple("AnalysisTemplate", "gone", "step 4"),
                        org.assertj.core.groups.Tuple.tuple("AnalysisTemplate", "restricted", "step 4"));

        AnalysisTemplateInfo success = t.get(0);
        assertThat(success.args()).containsExactly("service-name", "canary-hash=6d4f8b7c9",
                "api-token (from a secret)");
        TemplateMetric rate = success.metrics().get(0);
        assertThat(rate.provider()).isEqualTo("prometheus");
        assertThat(rate.address()).isEqualTo("http://prometheus.monitoring:9090");
        assertThat(rate.query()).contains("sum(rate(http_requests_total{service=\"{{args.service-name}}\"");
        assertThat(rate.successCondition()).isEqualTo("result[0] >= 0.99");
        assertThat(rate.interval()).isEqualTo("1m");
        assertThat(rate.count()).isEqualTo("5");
        assertThat(rate.failureLimit()).isEqualTo("1");
        assertThat(success.metrics().get(1)).extracting(TemplateMetric::provider, TemplateMetric::address)
                .containsExactly("web", "http://checkout.shop/healthz");

        assertThat(t.get(1).metrics()).singleElement().satisfies(m -> {
            assertThat(m.failureCondition()).isEqualTo("result[0] > 0.4");
            assertThat(m.query()).startsWith("histogram_quantile(0.95");
        });
        assertThat(t.get(2).readable()).isFalse();
        assertThat(t.get(2).problem()).isEqualTo("not found: AnalysisTemplate shop/gone does not exist on cluster "
                + "prod-eu");
        assertThat(t.get(3).problem()).startsWith("forbidden: you may not get analysistemplates in namespace shop on "
                + "cluster prod-eu (API server: ");
    }

    @Test
    void aFlaggerCanarysBuiltInInlineAndTemplateMetrics() throws MetricsException {
        List<AnalysisTemplateInfo> t = reader.templates(new RolloutRef("prod-eu", "shop", "web",
                WorkloadKind.FLAGGER_CANARY));
        assertThat(t).hasSize(2);
        assertThat(t.get(0).metrics()).extracting(TemplateMetric::name, TemplateMetric::provider,
                TemplateMetric::successCondition, TemplateMetric::interval).containsExactly(
                org.assertj.core.groups.Tuple.tuple("request-success-rate", "built-in", "result >= 99", "1m"),
                org.assertj.core.groups.Tuple.tuple("error-budget", "prometheus", "result <= 2", "30s"));
        assertThat(t.get(1)).extracting(AnalysisTemplateInfo::kind, AnalysisTemplateInfo::name,
                AnalysisTemplateInfo::usedBy).containsExactly("MetricTemplate", "latency-mt", "metric p99");
        assertThat(t.get(1).metrics().get(0).query()).contains("{{ target }}");
    }

    @Test
    void aRolloutThatIsGoneOrAClusterNotYetConnectedThrowsWithTheReason() {
        MetricsException gone = catchThrowableOfType(MetricsException.class, () -> reader.templates(
                new RolloutRef("prod-eu", "shop", "nope", WorkloadKind.ARGO_ROLLOUT)));
        assertThat(gone.getMessage()).isEqualTo("rollout prod-eu/shop/nope no longer exists");
        AnalysisTemplateReader offline = new AnalysisTemplateReader("prod-eu", Optional::empty);
        MetricsException e = catchThrowableOfType(MetricsException.class, () -> offline.templates(
                new RolloutRef("prod-eu", "shop", "checkout", WorkloadKind.ARGO_ROLLOUT)));
        assertThat(e.getMessage()).startsWith("not connected to cluster prod-eu yet");
    }
}
