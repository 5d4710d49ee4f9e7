package dev.releaseconsole.app;

import dev.releaseconsole.services.governance.AuditEntry;
import dev.releaseconsole.services.governance.AuditQuery;
import dev.releaseconsole.services.governance.SqliteAuditLog;
import dev.releaseconsole.services.testing.UnleashAdmin;
import dev.releaseconsole.services.testing.UnleashServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The app as configured by a user, against a real Unleash (started by the test harness): the flags section builds
 * the provider, FlagSync publishes its flags through the registry join, and the command-line kill switch turns an
 * Unleash flag off in every environment and aborts the rollout the registry links to it, once.
 */
class UnleashThroughTheAppTest {
    private static UnleashServer server;
    private static UnleashAdmin admin;

    @TempDir
    Path dir;

    @BeforeAll
    static void startUnleash() {
        server = UnleashServer.shared();
        admin = server.admin();
    }

    private record Run(int exit, String out, String err) {
    }

    private Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = CommandLine.run(List.of(args), new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("HOME", dir.resolve("home").toString(), "XDG_CONFIG_HOME", dir.resolve("home/.config").toString()));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theCommandLineKillSwitchTurnsAnUnleashFlagOffEverywhereAbortsItsLinkedRolloutAndARepeatSendsNothing()
            throws Exception {
        String flag = UnleashServer.uniqueName("checkout-fast-path");
        admin.createFlag(flag, "kill-switch", "Cached pricing in checkout-api");
        for (String env : List.of("production", "development")) {
            admin.addDefaultStrategy(flag, env);
            admin.setEnabled(flag, env, true);
        }
        Files.writeString(dir.resolve("unleash.token"), server.adminToken() + "\n");
        Files.writeString(dir.resolve("flag-registry.yaml"), """
                flags:
                  - key: %s
                    provider: unleash-main
                    owner: team-checkout
                    rollouts: [prod-eu/checkout/checkout-api]
                """.formatted(flag));
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, """
                flags:
                  registry: flag-registry.yaml
                  syncInterval: 1s
                  providers:
                    - id: unleash-main
                      type: unleash
                      url: %s
                      tokenFile: unleash.token
                """.formatted(server.baseUrl()));
        Path db = dir.resolve("audit.db");

        Run list = run("flags", "list", "--demo", "--config=" + config, "--audit-db=" + db);
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out()).contains("Provider unleash-main (unleash): connected")
                .containsPattern("unleash-main +" + flag + " +kill-switch +team-checkout +development=on production=on"
                        + " +prod-eu/checkout/checkout-api");

        Run kill = run("kill-switch", "--demo", "--config=" + config, "--audit-db=" + db, "--flag", flag,
                "--yes", "--confirm", flag, "--reason", "INC-7 checkout errors");
        assertThat(kill.exit()).as(kill.out() + kill.err()).isZero();
        assertThat(kill.out()).contains("Kill switch for flag unleash-main:" + flag,
                "Turn off flag " + flag + " in production (production) at unleash-main",
                "Turn off flag " + flag + " in development (development) at unleash-main",
                "Abort rollout prod-eu/checkout/checkout-api (now Paused)",
                "SUCCEEDED  flag unleash-main/" + flag + " in production: the provider reports off in production",
                "All 3 target(s) confirmed off in");
        assertThat(admin.flag(flag).path("environments").findValuesAsText("enabled"))
                .containsExactly("false", "false");
        assertThat(admin.countEvents(flag, "feature-environment-disabled", "production")).isEqualTo(1);

        Run again = run("kill-switch", "--demo", "--config=" + config, "--audit-db=" + db, "--flag", flag,
                "--yes", "--confirm", flag);
        assertThat(again.exit()).as(again.out() + again.err()).isZero();
        assertThat(again.out()).contains("ALREADY_DONE  flag unleash-main/" + flag + " in production",
                "ALREADY_DONE  flag unleash-main/" + flag + " in development");
        assertThat(admin.countEvents(flag, "feature-environment-disabled", "production"))
                .as("the repeat sends nothing to Unleash").isEqualTo(1);

        try (SqliteAuditLog log = SqliteAuditLog.open(db, Clock.systemUTC())) {
            List<AuditEntry> entries = log.query(AuditQuery.latest(100));
            assertThat(entries).anyMatch(e -> e.action().equals("FLAG_OFF") && e.result().equals("SUCCEEDED")
                    && e.target().equals("flag unleash-main/" + flag + " in production")
                    && e.detail().contains("/environments/production/off"));
            assertThat(entries).noneMatch(e -> e.detail() != null && e.detail().contains(server.adminToken()));
            assertThat(log.verify().intact()).isTrue();
        }
    }
}
