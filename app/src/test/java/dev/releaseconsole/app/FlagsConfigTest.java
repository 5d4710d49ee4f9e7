package dev.releaseconsole.app;

import dev.releaseconsole.services.model.Environment;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The flags: section of the configuration file: every provider type's keys, and every mistake named. */
class FlagsConfigTest {
    private static String error(String yaml) {
        try {
            AppConfig.parse(yaml, "config.yaml");
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected an error for:\n" + yaml);
    }

    @Test
    void readsEveryProviderType() {
        AppConfig config = AppConfig.parse("""
                flags:
                  registry: ~/src/platform/flag-registry.yaml
                  syncInterval: 10s
                  providers:
                    - id: unleash-main
                      type: unleash
                      url: https://unleash.example.com
                      project: [default, checkout]
                      tokenEnv: UNLEASH_TOKEN
                      environments: {production: production, preprod: staging}
                      connectTimeout: 2s
                    - id: flags-file
                      type: flagd-file
                      path: /etc/flagd/flags.json
                      environments: {production: production}
                    - id: checkout-flagd
                      type: flagd-configmap
                      context: prod-eu
                      namespace: checkout
                      name: flagd-flags
                      key: flags.flagd.json
                      environments: {production: production}
                    - id: checkout-crd
                      type: flagd-featureflag
                      context: prod-eu
                      namespace: checkout
                      name: checkout-flags
                      environments: {staging: staging}
                    - id: ld
                      type: launchdarkly
                      project: default
                      keychain: service=release-console,account=launchdarkly
                      environments: {production: production, test: staging}
                """, "config.yaml");
        FlagsConfig flags = config.flags();
        assertThat(flags.syncIntervalValue()).isEqualTo(Duration.ofSeconds(10));
        assertThat(flags.registryPath(Path.of("/etc/rc"), "/home/alice"))
                .isEqualTo(Path.of("/home/alice/src/platform/flag-registry.yaml"));
        assertThat(flags.providers()).extracting(FlagsConfig.Provider::id).containsExactly("unleash-main",
                "flags-file", "checkout-flagd", "checkout-crd", "ld");
        FlagsConfig.Provider unleash = flags.providers().get(0);
        assertThat(unleash.typeValue()).isEqualTo(FlagsConfig.Type.UNLEASH);
        assertThat(unleash.project()).containsExactly("default", "checkout");
        assertThat(unleash.token().describe()).isEqualTo("environment variable UNLEASH_TOKEN");
        assertThat(unleash.tiers()).containsExactly(Map.entry("production", Environment.PRODUCTION),
                Map.entry("preprod", Environment.STAGING));
        assertThat(unleash.connectTimeoutValue(Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(2));
        assertThat(flags.providers().get(4).project()).as("a single value is a one-element list")
                .containsExactly("default");
        assertThat(flags.providers().get(4).token().describe())
                .isEqualTo("keychain entry service=release-console,account=launchdarkly");
    }

    @Test
    void aRelativeRegistryIsRelativeToTheConfigFileAndTheDefaultsApply() {
        FlagsConfig flags = AppConfig.parse("flags: {registry: ../platform/flag-registry.yaml}", "c").flags();
        assertThat(flags.registryPath(Path.of("/home/alice/.config/release-console"), "/home/alice"))
                .isEqualTo(Path.of("/home/alice/.config/platform/flag-registry.yaml"));
        assertThat(flags.syncIntervalValue()).isEqualTo(FlagsConfig.DEFAULT_SYNC_INTERVAL);
        assertThat(AppConfig.parse("kubernetes: {contexts: [a]}", "c").flags().providers()).isEmpty();
        assertThat(AppConfig.parse("kubernetes: {contexts: [a]}", "c").flags().registryPath(null, "/h")).isNull();
    }

    @Test
    void eachTypeTakesItsOwnKeysAndNeedsWhatItNeeds() {
        String msg = error("""
                flags:
                  providers:
                    - id: ld
                      type: launchdarkly
                      path: /tmp/x.json
                      tokenEnv: LD
                    - id: u
                      type: unleash
                      tokenEnv: A
                      tokenFile: /b
                    - id: f
                      type: flagd-file
                      environments: {production: prod}
                    - type: flagd-configmap
                      context: prod-eu
                      environments: {production: production}
                """);
        assertThat(msg).startsWith("config.yaml: ")
                .contains("flags.providers[0] (ld): path does not apply to type launchdarkly; it takes connectTimeout,"
                        + " environments, id, keychain, project, readTimeout, tokenEnv, tokenFile, type, url")
                .contains("flags.providers[0] (ld): type launchdarkly needs project")
                .contains("flags.providers[0] (ld): name the LaunchDarkly environments to show")
                .contains("flags.providers[1] (u): type unleash needs url")
                .contains("flags.providers[1] (u): name where its token is with exactly one of tokenEnv")
                .contains("; it has 2")
                .contains("flags.providers[2] (f): type flagd-file needs path")
                .contains("flags.providers[2] (f): environments.production is a tier: development, staging or"
                        + " production, not 'prod'")
                .contains("flags.providers[3]: needs an id")
                .contains("flags.providers[3]: type flagd-configmap needs name")
                .contains("flags.providers[3]: type flagd-configmap needs namespace");
    }

    @Test
    void idsTypesIntervalsAndAddressesAreChecked() {
        assertThat(error("flags: {providers: [{id: a, type: split}]}"))
                .contains("type 'split' is unknown; it is one of unleash, flagd-file, flagd-configmap,"
                        + " flagd-featureflag, launchdarkly");
        assertThat(error("flags: {providers: [{id: demo, type: flagd-file, path: /x, environments: {p: production}}]}"))
                .contains("the id demo belongs to the demo world's provider");
        assertThat(error("flags: {providers: [{id: a, type: flagd-file, path: /x, environments: {p: production}},"
                + " {id: a, type: flagd-file, path: /y, environments: {p: production}}]}"))
                .contains("another provider already has the id a");
        assertThat(error("flags: {syncInterval: soon}")).contains("flags.syncInterval: 'soon' is not a duration");
        assertThat(error("flags: {syncInterval: 10ms}")).contains("flags.syncInterval must be at least 500ms");
        String creds = error("flags: {providers: [{id: u, type: unleash, url: 'https://bob:hunter2@u.example',"
                + " tokenEnv: T}]}");
        assertThat(creds).contains("url must not carry credentials").doesNotContain("hunter2");
        assertThat(error("flags: {providers: [{id: u, type: unleash, url: 'ftp://u', tokenEnv: T}]}"))
                .contains("url must be an http(s) address");
        assertThat(error("flags: {providers: [{id: u, type: unleash, url: 'https://u', keychain: release-console}]}"))
                .contains("keychain is attribute=value pairs, e.g. service=release-console,account=u");
        assertThat(error("flags: {registry: ''}")).contains("flags.registry is empty");
    }

    @Test
    void secretsAreRefusedWithoutBeingRepeated() {
        for (String key : List.of("token", "apiKey", "password", "clientSecret")) {
            String msg = error("flags: {providers: [{id: u, type: unleash, url: 'https://u', " + key
                    + ": s3cr3t-value}]}");
            assertThat(msg).as(key).contains("unknown key 'flags.providers[0]." + key + "'")
                    .contains("Secrets never go in this file").doesNotContain("s3cr3t-value");
        }
        assertThatThrownBy(() -> AppConfig.parse("flags: {registri: x}", "config.yaml"))
                .hasMessageContaining("unknown key 'flags.registri'; known keys there: [providers, registry,"
                        + " syncInterval]");
    }
}
