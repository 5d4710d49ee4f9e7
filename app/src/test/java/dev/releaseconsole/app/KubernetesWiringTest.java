package dev.releaseconsole.app;

import dev.releaseconsole.services.actions.ActionType;
import dev.releaseconsole.services.actions.Outcome;
import dev.releaseconsole.services.actions.TargetOutcome;
import dev.releaseconsole.services.governance.AuditEntry;
import dev.releaseconsole.services.governance.AuditQuery;
import dev.releaseconsole.services.analysis.JudgeConfig;
import dev.releaseconsole.services.kube.KubeContexts;
import dev.releaseconsole.services.kube.KubeFixtures;
import dev.releaseconsole.services.kube.MockApi;
import dev.releaseconsole.services.metrics.Cancellation;
import dev.releaseconsole.services.metrics.MetricsSource;
import dev.releaseconsole.services.metrics.prometheus.PrometheusMetricsConfig;
import dev.releaseconsole.services.model.AnalysisTemplateInfo;
import dev.releaseconsole.services.model.ConnectionState;
import dev.releaseconsole.services.model.MetricDefinition;
import dev.releaseconsole.services.model.MetricSeries;
import dev.releaseconsole.services.testing.PrometheusServer;
import dev.releaseconsole.services.testing.TestExporter;
import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.model.WorkloadKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The app as a user starts it with a kubeconfig: a context on an API server (fabric8's mock server, CRUD mode)
 * shows its rollouts beside the demo world, and an action goes through the facade to exactly that server.
 */
class KubernetesWiringTest {
    private static final String SSAR = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";
    private static final RolloutRef CHECKOUT = new RolloutRef("mock-prod", "shop", "checkout", WorkloadKind.ARGO_ROLLOUT);

    @TempDir
    Path dir;

    private MockApi api;
    private ConsoleRuntime runtime;

    @BeforeEach
    void startServer() {
        api = new MockApi();
        api.applyAll(KubeFixtures.load("canary-paused.yaml"));
    }

    @AfterEach
    void stop() {
        if (runtime != null) {
            runtime.close();
        }
        api.close();
    }

    @Test
    void aWatchedContextShowsItsRolloutsBesideTheDemoWorldAndPromoteReachesTheServer() throws Exception {
        api.answerPost(SSAR, 201, Map.of("apiVersion", "authorization.k8s.io/v1", "kind", "SelfSubjectAccessReview",
                "status", Map.of("allowed", true)));
        runtime = ConsoleRuntime.start(plan(true, false));

        awaitConnected();
        Rollout checkout = await("the rollout from the cluster", () ->
                runtime.services().state().rollouts().get(CHECKOUT));
        assertThat(checkout.displayPhase()).isEqualTo("Paused");
        assertThat(checkout.managedBy()).contains("Argo CD");
        assertThat(runtime.services().state().rollouts().all()).as("the demo world runs beside it")
                .anyMatch(r -> r.ref().cluster().equals("prod-eu"));

        TargetOutcome promoted = runtime.services().actions().execute(ActionType.PROMOTE, CHECKOUT, "canary looks good")
                .outcomes().get(0);

        assertThat(promoted.outcome()).as(promoted.message()).isEqualTo(Outcome.SUCCEEDED);
        Object pauseConditions = ((Map<?, ?>) api.get("argoproj.io/v1alpha1", "Rollout", "shop", "checkout")
                .getAdditionalProperties().get("status")).get("pauseConditions");
        assertThat(pauseConditions).as("the server's object after the promote").isNull();
        AuditEntry outcome = runtime.services().audit().query(AuditQuery.latest(1)).get(0);
        assertThat(outcome.result()).isEqualTo("SUCCEEDED");
        assertThat(outcome.detail()).contains("PATCH rollouts/status");
    }

    @Test
    void readOnlyTurnsEveryActionOffAndSendsNothing() throws Exception {
        runtime = ConsoleRuntime.start(plan(false, true));
        awaitConnected();
        await("the rollout from the cluster", () -> runtime.services().state().rollouts().get(CHECKOUT));
        assertThat(runtime.services().simulation()).as("no demo when a cluster is watched").isEmpty();

        assertThat(runtime.services().actions().availability(ActionType.ABORT, CHECKOUT).reason())
                .isEqualTo("read-only mode: actions are off");
        TargetOutcome promote = runtime.services().actions().execute(ActionType.PROMOTE, CHECKOUT, null).outcomes().get(0);
        assertThat(promote.outcome()).isEqualTo(Outcome.DENIED);
        assertThat(((Map<?, ?>) api.get("argoproj.io/v1alpha1", "Rollout", "shop", "checkout")
                .getAdditionalProperties().get("status")).get("pauseConditions")).isNotNull();
    }

    @Test
    void aContextsPrometheusAndAnalysisTemplatesComeFromTheConfigurationFile() throws Exception {
        api.applyAll(KubeFixtures.load("analysis-templates.yaml").stream()
                .filter(r -> r.getKind().equals("AnalysisTemplate")).toList());
        try (TestExporter exporter = TestExporter.start();
             PrometheusServer prometheus = PrometheusServer.builder().scrape(exporter).start()) {
            // the exporter's pods carry the mock rollout's canary and stable hashes; its canary is worse
            exporter.setLabels(new TestExporter.Labels("shop", "checkout", "7c9d8f6b4", "59f6d7c8b", "checkout"));
            exporter.injectRegression(5, 0);
            Path file = dir.resolve("config.yaml");
            java.nio.file.Files.writeString(file, """
                    metrics:
                      mock-prod:
                        prometheus: {url: "%s"}
                        preset: pod-template-hash
                        step: 1s
                        window: 5s
                    """.formatted(prometheus.url()));
            runtime = ConsoleRuntime.start(plan(true, false, AppConfig.load(file).prometheus(file.getParent())));
            awaitConnected();
            await("the rollout from the cluster", () -> runtime.services().state().rollouts().get(CHECKOUT));
            // five scrapes of the relabelled series: rates for the last few seconds
            prometheus.awaitSeries("count_over_time(http_requests_total{rollouts_pod_template_hash=\"7c9d8f6b4\","
                    + "code=\"200\"}[10s]) >= 5", Duration.ofSeconds(30));

            MetricsSource metrics = runtime.services().metrics();
            assertThat(metrics.metrics(CHECKOUT)).extracting(MetricDefinition::id).containsExactly("error-ratio",
                    "p95-latency", "p99-latency", "throughput", "checkout-success");
            Instant now = Instant.now();
            List<MetricSeries> errors = metrics.range(CHECKOUT, "error-ratio", now.minusSeconds(3), now,
                    Cancellation.create());
            assertThat(errors.get(0).points()).as("canary").isNotEmpty();
            assertThat(errors.get(1).points()).as("baseline").isNotEmpty();
            assertThat(runtime.services().metrics().metrics(new RolloutRef("prod-eu", "checkout", "checkout-api",
                    WorkloadKind.ARGO_ROLLOUT))).as("the demo world keeps its own metrics").hasSize(4);

            List<AnalysisTemplateInfo> templates = runtime.services().templates().templates(CHECKOUT);
            assertThat(templates).singleElement().satisfies(t -> {
                assertThat(t.name()).isEqualTo("success-rate");
                assertThat(t.metrics().get(0).query()).contains("http_requests_total");
            });
        }
    }

    private ConsoleRuntime.Plan plan(boolean demo, boolean readOnly) throws Exception {
        return plan(demo, readOnly, Map.of());
    }

    private ConsoleRuntime.Plan plan(boolean demo, boolean readOnly, Map<String, PrometheusMetricsConfig> metrics)
            throws Exception {
        Path kubeconfig = api.writeKubeconfig(dir.resolve("config"), "mock-prod");
        return new ConsoleRuntime.Plan(demo, 42, 1, Instant.parse("2026-11-22T09:00:00Z"), false,
                KubeContexts.load(List.of(kubeconfig)), List.of("mock-prod"), readOnly, Map.of(), Map.of(),
                null, dir.resolve("audit.db"), metrics, ConsoleRuntime.FlagsPlan.NONE, JudgeConfig.DEFAULTS);
    }

    private void awaitConnected() throws InterruptedException {
        await("mock-prod connected", () -> runtime.services().state().clusters().get("mock-prod")
                .filter(s -> s.state() == ConnectionState.CONNECTED));
    }

    private static <T> T await(String what, Supplier<Optional<T>> probe) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            Thread.sleep(50);
        }
        return fail("waited 20 s for " + what);
    }
}
