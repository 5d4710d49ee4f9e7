package dev.releaseconsole.app;

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
}
