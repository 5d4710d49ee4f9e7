package dev.releaseconsole.services.metrics.prometheus;

import dev.releaseconsole.services.model.Direction;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Templates, presets and endpoint settings as the configuration builds them; no server needed. */
class PrometheusMetricsConfigTest {
    private static final PrometheusEndpoint LOCAL = PrometheusEndpoint.of(URI.create("http://127.0.0.1:9090"));

    @Test
    void everyPresetHasTheFiveMetricsWithDirectionsAndOnlyKnownPlaceholders() {
        for (MetricsPreset p : List.of(MetricsPreset.POD_TEMPLATE_HASH, MetricsPreset.ISTIO, MetricsPreset.NGINX)) {
            List<MetricTemplate> t = PrometheusMetricsConfig.of(LOCAL, p).templates();
            assertThat(t).extracting(MetricTemplate::id).containsExactly("error-ratio", "p95-latency", "p99-latency",
                    "throughput", "checkout-success");
            assertThat(t).allMatch(MetricTemplate::complete).allMatch(m -> m.tracks() != null);
            assertThat(t.get(0).definition().critical()).isTrue();
            assertThat(t.get(0).definition().direction()).isEqualTo(Direction.INCREASE_IS_BAD);
            assertThat(t.get(4).definition().direction()).isEqualTo(Direction.DECREASE_IS_BAD);
        }
        assertThat(PrometheusMetricsConfig.of(LOCAL, MetricsPreset.NONE).templates()).isEmpty();
        assertThat(MetricsPreset.fromConfig(" Istio ")).isEqualTo(MetricsPreset.ISTIO);
        assertThatThrownBy(() -> MetricsPreset.fromConfig("linkerd"))
                .hasMessage("unknown metrics preset 'linkerd'; known: pod-template-hash, istio, nginx, none");
    }

    @Test
    void anOverrideChangesOnlyWhatItSetsAndANewMetricMustBeComplete() {
        PrometheusMetricsConfig c = PrometheusMetricsConfig.of(LOCAL, MetricsPreset.ISTIO).withMetrics(List.of(
                new MetricTemplate("p95-latency", null, null, null, null, 350.0, true, null),
                new MetricTemplate("queue-depth", "Queue depth", "jobs", "sum by ({{trackLabel}}) (jobs)",
                        Direction.INCREASE_IS_BAD, null, null, null)));
        MetricTemplate p95 = c.templates().get(1);
        assertThat(p95.threshold()).isEqualTo(350.0);
        assertThat(p95.critical()).isTrue();
        assertThat(p95.query()).isEqualTo(MetricsPreset.ISTIO.templates().get(1).query());
        assertThat(c.templates()).extracting(MetricTemplate::id).endsWith("queue-depth");
        assertThat(c.templates().get(5).tracks()).isEqualTo(MetricsPreset.ISTIO.tracks());

        assertThatThrownBy(() -> PrometheusMetricsConfig.of(LOCAL, MetricsPreset.NGINX).withMetrics(List.of(
                new MetricTemplate("saturation", "Saturation", null, null, null, 0.8, null, null))))
                .hasMessage("metric saturation is not one of the nginx preset's (error-ratio, p95-latency, "
                        + "p99-latency, throughput, checkout-success), so it needs a name, a query and badWhen "
                        + "(up or down)");
        assertThatThrownBy(() -> PrometheusMetricsConfig.of(LOCAL, MetricsPreset.NGINX).withMetrics(List.of(
                new MetricTemplate("x", "X", null, "sum(x{a=\"{{nmespace}}\"})", Direction.INCREASE_IS_BAD, null,
                        null, null)))).hasMessageStartingWith("metric x: unknown placeholder {{nmespace}}; known: "
                + "namespace, rollout");
        MetricTemplate dup = new MetricTemplate("error-ratio", null, null, null, null, 2.0, null, null);
        assertThatThrownBy(() -> PrometheusMetricsConfig.of(LOCAL, MetricsPreset.NGINX)
                .withMetrics(List.of(dup, dup))).hasMessage("metric error-ratio is defined twice");
        assertThatThrownBy(() -> new TrackLabels("rollouts-pod-template-hash", "a", "b"))
                .hasMessageContaining("arrive as rollouts_pod_template_hash");
        assertThatThrownBy(() -> new MetricTemplate("Error Ratio", null, null, null, null, null, null, null))
                .hasMessageContaining("a metric id is lower case");
    }

    @Test
    void timingDefaultsAndWindowText() {
        PrometheusMetricsConfig c = PrometheusMetricsConfig.of(LOCAL, MetricsPreset.POD_TEMPLATE_HASH);
        assertThat(c.step()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.windowText()).isEqualTo("1m");
        assertThat(c.withTiming(Duration.ofSeconds(1), Duration.ofSeconds(90)).windowText()).isEqualTo("90s");
        assertThat(c.withTiming(Duration.ofSeconds(1), Duration.ofMillis(1500)).windowText()).isEqualTo("1500ms");
        assertThatThrownBy(() -> c.withTiming(Duration.ZERO, null)).hasMessageContaining("step");
    }

    @Test
    void valuesAreEscapedForPromqlStringsAndRegexes() throws Exception {
        assertThat(Placeholders.expand("{\"{{ namespace }}\"}", Placeholders.NAMES, Map.of("namespace", "a\"b\\c"),
                Placeholders::promqlString)).isEqualTo("{\"a\\\"b\\\\c\"}");
        assertThat(Placeholders.regexLiteral("checkout.v2")).isEqualTo("checkout\\.v2");
        assertThatThrownBy(() -> Placeholders.expand("{{canaryHash}}", Placeholders.NAMES, Map.of(),
                UnaryOperator.identity())).isInstanceOf(Placeholders.MissingValue.class);
    }

    @Test
    void anEndpointRefusesCredentialsInTheUrlWithoutRepeatingThem() {
        assertThatThrownBy(() -> PrometheusEndpoint.of(URI.create("https://admin:hunter2@prom.example")))
                .hasMessageNotContaining("hunter2").hasMessageContaining("use basicAuth");
        assertThatThrownBy(() -> PrometheusEndpoint.of(URI.create("ftp://prom.example")))
                .hasMessageContaining("http:// or https://");
        assertThat(PrometheusEndpoint.of(URI.create("http://prom:9090")).readTimeout())
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(PrometheusAuth.bearer(SecretRef.fromEnv("PROM_TOKEN")).toString())
                .isEqualTo("bearer token from environment variable PROM_TOKEN");
    }
}
