package dev.releaseconsole.app;

import dev.releaseconsole.services.metrics.prometheus.MetricTemplate;
import dev.releaseconsole.services.metrics.prometheus.MetricsPreset;
import dev.releaseconsole.services.metrics.prometheus.PrometheusMetricsConfig;
import dev.releaseconsole.services.model.Direction;
import dev.releaseconsole.services.analysis.JudgeConfig;
import dev.releaseconsole.services.analysis.MetricPolicy;
import dev.releaseconsole.services.model.MetricDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AppConfigTest {
    @TempDir
    Path dir;

    @Test
    void aMissingFileMeansDemoOnly() {
        AppConfig config = AppConfig.load(dir.resolve("config.yaml"));
        assertThat(config.kubernetes().contexts()).isEmpty();
        assertThat(config.demoEnabled(false, config.kubernetes().contexts())).isTrue();
    }

    @Test
    void contextsTurnTheDemoOffUnlessAskedFor() throws Exception {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, """
                kubernetes:
                  contexts: [prod-eu, staging-us]
                  readOnly: true
                  environments: {prod-eu: production}
                  namespaces:
                    prod-eu: [payments, checkout]
                  flaggerLoadtester: {namespace: test}
                """);
        AppConfig config = AppConfig.load(file);
        assertThat(config.kubernetes().contexts()).containsExactly("prod-eu", "staging-us");
        assertThat(config.kubernetes().readOnly()).isTrue();
        assertThat(config.kubernetes().environments()).isEqualTo(Map.of("prod-eu", "production"));
        assertThat(config.kubernetes().namespaces()).containsEntry("prod-eu", List.of("payments", "checkout"));
        assertThat(config.kubernetes().flaggerLoadtester())
                .isEqualTo(new AppConfig.Loadtester("test", "flagger-loadtester", "80"));
        assertThat(config.demoEnabled(false, config.kubernetes().contexts())).isFalse();
        assertThat(config.demoEnabled(true, config.kubernetes().contexts()))
                .as("--demo adds the demo world beside real clusters").isTrue();
        assertThat(AppConfig.parse("demo: {mode: always}\nkubernetes: {contexts: [a]}", "t")
                .demoEnabled(false, List.of("a"))).isTrue();
    }

    @Test
    void aTypoIsReportedWithTheLineAndTheKnownKeys() {
        assertThatThrownBy(() -> AppConfig.parse("kubernetes:\n  context: [prod]\n", "config.yaml"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown key 'kubernetes.context'")
                .hasMessageContaining("contexts");
    }

    @Test
    void relativeFilesInTheMetricsSectionAreTakenFromTheConfigFilesFolderAsTheFlagsSectionsAre() {
        AppConfig config = AppConfig.parse("""
                metrics:
                  prod-eu:
                    prometheus:
                      url: https://prometheus.example:9090
                      bearerTokenFile: secrets/prom-token
                      caFile: ../ca/prom-ca.pem
                """, "config.yaml");
        Path configDir = Path.of("/home/alice/.config/release-console");

        PrometheusMetricsConfig prod = config.prometheus(configDir).get("prod-eu");

        assertThat(prod.endpoint().caFile()).isEqualTo(Path.of("/home/alice/.config/ca/prom-ca.pem"));
        assertThat(prod.endpoint().auth().describe())
                .isEqualTo("bearer token from file /home/alice/.config/release-console/secrets/prom-token");
    }

    @Test
    void metricsPerContextWithAPresetOverridesAndCustomMetrics() {
        AppConfig config = AppConfig.parse("""
                metrics:
                  prod-eu:
                    prometheus:
                      url: https://prometheus.example:9090/prom
                      bearerTokenFile: /run/secrets/prom-token
                      caFile: /etc/ssl/prom-ca.pem
                      readTimeout: 20s
                    preset: istio
                    step: 15s
                    window: 2m
                    metrics:
                      - id: error-ratio
                        threshold: 2
                      - id: payment-failures
                        name: Payment failures
                        unit: "%"
                        query: sum by ({{trackLabel}}) (rate(payments_failed_total{namespace="{{namespace}}"}[{{window}}]))
                        badWhen: up
                        critical: true
                        tracks: {label: app, canary: "{{canaryWorkload}}", baseline: "{{stableWorkload}}"}
                  staging-us:
                    prometheus:
                      url: http://127.0.0.1:9090
                      basicAuth: {username: console, passwordEnv: PROM_PASSWORD}
                """, "config.yaml");
        Map<String, PrometheusMetricsConfig> prom = config.prometheus(null);
        PrometheusMetricsConfig prod = prom.get("prod-eu");
        assertThat(prod.endpoint().url().toString()).isEqualTo("https://prometheus.example:9090/prom");
        assertThat(prod.endpoint().auth().describe()).isEqualTo("bearer token from file /run/secrets/prom-token");
        assertThat(prod.endpoint().caFile()).isEqualTo(Path.of("/etc/ssl/prom-ca.pem"));
        assertThat(prod.endpoint().readTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(prod.preset()).isEqualTo(MetricsPreset.ISTIO);
        assertThat(prod.step()).isEqualTo(Duration.ofSeconds(15));
        assertThat(prod.windowText()).isEqualTo("2m");
        assertThat(prod.templates()).extracting(MetricTemplate::id).containsExactly("error-ratio", "p95-latency",
                "p99-latency", "throughput", "checkout-success", "payment-failures");
        assertThat(prod.templates().get(0).threshold()).isEqualTo(2.0);
        assertThat(prod.templates().get(5).definition().direction()).isEqualTo(Direction.INCREASE_IS_BAD);
        assertThat(prod.templates().get(5).tracks().label()).isEqualTo("app");
        PrometheusMetricsConfig staging = prom.get("staging-us");
        assertThat(staging.preset()).as("the default preset").isEqualTo(MetricsPreset.POD_TEMPLATE_HASH);
        assertThat(staging.endpoint().auth().describe())
                .isEqualTo("basic auth as console with the password from environment variable PROM_PASSWORD");
    }

    @Test
    void metricsMistakesNameTheirKeyAndASecretInTheFileIsRefused() {
        assertThatThrownBy(() -> AppConfig.parse("metrics:\n  prod:\n    prometheus:\n      url: http://p:9090\n"
                + "      bearerToken: abc123\n", "config.yaml"))
                .hasMessageContaining("unknown key 'metrics.prod.prometheus.bearerToken'")
                .hasMessageContaining("bearerTokenEnv").hasMessageNotContaining("abc123");
        assertThatThrownBy(() -> AppConfig.parse("metrics:\n  prod:\n    prometheus: {url: http://p:9090}\n"
                + "    metrics:\n      - {id: x, name: X, query: up, badWhen: sideways}\n", "config.yaml"))
                .hasMessage("config.yaml: metrics.prod.metrics[0]: badWhen is up or down, got 'sideways'");
        assertThatThrownBy(() -> AppConfig.parse("metrics:\n  prod:\n    preset: istio\n", "config.yaml"))
                .hasMessage("config.yaml: metrics.prod.prometheus.url is required");
        assertThatThrownBy(() -> AppConfig.parse("metrics:\n  prod:\n    prometheus: {url: http://p:9090}\n"
                + "    window: 1 minute\n", "config.yaml"))
                .hasMessageContaining("metrics.prod.window is a duration such as 500ms, 10s, 1m or 1h");
        assertThatThrownBy(() -> AppConfig.parse("metrics:\n  prod:\n    prometheus: {url: http://p:9090, "
                + "bearerTokenEnv: A, bearerTokenFile: /b}\n", "config.yaml"))
                .hasMessageContaining("set exactly one of bearerTokenEnv or bearerTokenFile");
    }

    @Test
    void brokenYamlSaysWhere() {
        assertThatThrownBy(() -> AppConfig.parse("kubernetes: [unclosed\n", "config.yaml"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("config.yaml line");
    }

    @Test
    void theCanaryJudgeIsConfiguredKeyByKey() {
        AppConfig config = AppConfig.parse("""
                analysis:
                  confidence: 0.95
                  passScore: 90
                  marginalScore: 70
                  minSamples: 50
                  metrics:
                    request-rate: {reportOnly: false, weight: 0.5}
                    p99-latency: {requireData: true}
                """, "config.yaml");
        JudgeConfig judge = config.analysis().judgeConfig();

        assertThat(judge.confidence()).isEqualTo(0.95);
        assertThat(judge.tolerance()).as("a key left out keeps its default").isEqualTo(0.25);
        assertThat(judge.passScore()).isEqualTo(90);
        assertThat(judge.marginalScore()).isEqualTo(70);
        assertThat(judge.minSamples()).isEqualTo(50);
        MetricDefinition rate = new MetricDefinition("request-rate", "Request rate", "req/s",
                Direction.DECREASE_IS_BAD, null, false);
        assertThat(judge.policyFor(rate)).isEqualTo(new MetricPolicy(0.5, false, false));
        assertThat(AppConfig.EMPTY.analysis().judgeConfig()).isEqualTo(JudgeConfig.DEFAULTS);
    }

    @Test
    void aBadJudgeSettingSaysWhichOne() {
        assertThatThrownBy(() -> AppConfig.parse("analysis: {passScore: 70, marginalScore: 80}", "config.yaml")
                .analysis().judgeConfig())
                .hasMessage("analysis: scores need 0 <= marginal <= pass <= 100, not marginal 80 and pass 70");
        assertThatThrownBy(() -> AppConfig.parse("analysis: {metrics: {p95: {weight: -1}}}", "config.yaml")
                .analysis().judgeConfig())
                .hasMessage("analysis: metric p95: weight must be a positive number, not -1.0");
        assertThatThrownBy(() -> AppConfig.parse("analysis: {confidance: 0.9}", "config.yaml"))
                .hasMessageContaining("unknown key 'analysis.confidance'");
    }
}
