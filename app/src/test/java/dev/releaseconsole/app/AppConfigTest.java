package dev.releaseconsole.app;

import dev.releaseconsole.services.analysis.JudgeConfig;
import dev.releaseconsole.services.analysis.MetricPolicy;
import dev.releaseconsole.services.model.Direction;
import dev.releaseconsole.services.model.MetricDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
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
