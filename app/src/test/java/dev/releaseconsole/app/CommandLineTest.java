package dev.releaseconsole.app;

import dev.releaseconsole.services.governance.AuditEntry;
import dev.releaseconsole.services.governance.AuditQuery;
import dev.releaseconsole.services.governance.AuditStage;
import dev.releaseconsole.services.governance.SqliteAuditLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command line in process, against the demo world: what it prints, how it ends (exit code), and what it leaves
 * in the audit log; and once as its own process with no display at all.
 */
class CommandLineTest {
    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
    }

    /** Runs a command with {@code stdin} as the terminal's input, in a home of its own (no config, no last pick). */
    private Run run(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> env = Map.of("HOME", dir.resolve("home").toString(),
                "XDG_CONFIG_HOME", dir.resolve("home/.config").toString(),
                "XDG_DATA_HOME", dir.resolve("home/.local/share").toString());
        int exit = CommandLine.run(List.of(args), new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                env);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private List<AuditEntry> audit(Path db) {
        try (SqliteAuditLog log = SqliteAuditLog.open(db, Clock.systemUTC())) {
            List<AuditEntry> entries = new ArrayList<>(log.query(AuditQuery.latest(100)));
            entries.sort(Comparator.comparingLong(AuditEntry::id));
            return entries;
        }
    }

    @Test
    void aFlagsKillSwitchWithYesAndTheConfirmedNamePrintsThePlanTheResultsAndTheTime() {
        Path db = dir.resolve("audit.db");
        Run r = run("", "kill-switch", "--demo", "--audit-db=" + db, "--flag", "checkout-fast-path", "--yes",
                "--confirm", "checkout-fast-path", "--reason", "INC-1234 checkout errors");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("Kill switch for flag demo:checkout-fast-path",
                "Plan: 2 flag environment(s) off, 1 rollout(s) aborted, all at once:",
                "  [production] Turn off flag checkout-fast-path in production (production)",
                "               Turn off flag checkout-fast-path in staging (staging)",
                "  [production] Abort rollout prod-eu/checkout/checkout-api (now Paused)",
                "  SUCCEEDED  flag demo/checkout-fast-path in production: the provider reports off in production",
                "  SUCCEEDED  rollout prod-eu/checkout/checkout-api: Abort done;")
                .containsPattern("All 3 target\\(s\\) confirmed off in \\d+ ms\\.");
        List<AuditEntry> audit = audit(db);
        assertThat(audit).filteredOn(e -> e.action().equals("KILL_SWITCH")).extracting(AuditEntry::stage,
                AuditEntry::result).containsExactly(org.assertj.core.groups.Tuple.tuple(AuditStage.INTENT, "PENDING"),
                org.assertj.core.groups.Tuple.tuple(AuditStage.OUTCOME, "SUCCEEDED"));
        assertThat(audit.get(0).detail()).contains("reason: INC-1234 checkout errors");
        assertThat(audit).filteredOn(e -> e.stage() == AuditStage.OUTCOME && !e.action().equals("KILL_SWITCH"))
                .extracting(AuditEntry::action).containsExactlyInAnyOrder("FLAG_OFF", "FLAG_OFF", "ABORT");
        assertThat(audit).allMatch(e -> e.actor().equals("demo-user (simulated)"));
    }

    @Test
    void withoutYesProductionAsksForTheTypedName() {
        Path db = dir.resolve("audit.db");
        Run ok = run("search-bulk-reindex\n", "kill-switch", "--demo", "--audit-db=" + db, "--flag",
                "search-bulk-reindex");
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("Production is affected.", "Type search-bulk-reindex to confirm")
                .contains("All 3 target(s) confirmed off in");

        Path other = dir.resolve("other.db");
        Run typo = run("search-bulk-reindx\n", "kill-switch", "--demo", "--audit-db=" + other, "--flag",
                "search-bulk-reindex");
        assertThat(typo.exit()).isEqualTo(1);
        assertThat(typo.out()).contains("Not confirmed. Nothing was done.").doesNotContain("Results:");
        assertThat(audit(other)).as("nothing was attempted").isEmpty();

        Run closed = run("", "kill-switch", "--demo", "--audit-db=" + other, "--flag", "search-bulk-reindex");
        assertThat(closed.exit()).as("no terminal input: not confirmed").isEqualTo(1);
        assertThat(audit(other)).isEmpty();
    }

    @Test
    void yesWithoutTheRightConfirmationIsAUsageErrorAndDoesNothing() {
        Path db = dir.resolve("audit.db");
        Run missing = run("", "kill-switch", "--demo", "--audit-db=" + db, "--flag", "checkout-fast-path", "--yes");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("production is affected: with --yes, also give --confirm"
                + " checkout-fast-path. Nothing was done.");
        Run wrong = run("", "kill-switch", "--demo", "--audit-db=" + db, "--flag", "checkout-fast-path", "--yes",
                "--confirm", "checkout-api");
        assertThat(wrong.exit()).isEqualTo(2);
        assertThat(wrong.err()).contains("--confirm checkout-api does not match checkout-fast-path");
        assertThat(audit(db)).isEmpty();
    }

    @Test
    void envNarrowsToThoseEnvironmentsAndLeavesProductionRolloutsAlone() {
        Path db = dir.resolve("audit.db");
        Run r = run("", "kill-switch", "--demo", "--audit-db=" + db, "--flag=checkout-fast-path", "--env=staging",
                "--yes");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("Kill switch for flag demo:checkout-fast-path in staging",
                "Plan: 1 flag environment(s) off, 0 rollout(s) aborted")
                .doesNotContain("[production]").contains("All 1 target(s) confirmed off in");
        assertThat(audit(db)).noneMatch(e -> e.action().equals("ABORT"));

        Run unknown = run("", "kill-switch", "--demo", "--audit-db=" + db, "--flag=checkout-fast-path", "--env=qa");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("no flag in this kill switch has environment qa; they have production,"
                + " staging");
    }

    @Test
    void aRolloutsKillSwitchThatCannotMakeEverythingSafeExitsWithOne() {
        Path db = dir.resolve("audit.db");
        // payments is read-only for the demo user: the flags go off, the abort is denied
        Run r = run("", "kill-switch", "--demo", "--audit-db=" + db, "--rollout", "prod-eu/payments/payments-gateway",
                "--yes", "--confirm", "payments-gateway");
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.out()).contains("Kill switch for rollout prod-eu/payments/payments-gateway",
                "ALREADY_DONE  flag demo/payments-fallback-psp in production",
                "DENIED        rollout prod-eu/payments/payments-gateway: You may not do this: you may not patch"
                        + " rollouts/status in namespace payments on cluster prod-eu",
                "1 of 5 target(s) NOT confirmed after")
                .contains("Run the same command again to retry them");
        assertThat(audit(db)).anyMatch(e -> e.action().equals("KILL_SWITCH") && e.result().equals("FAILED"));
    }

    @Test
    void usageAndConfigurationErrorsExitWithTwoAndSayWhy() throws Exception {
        Path db = dir.resolve("audit.db");
        assertThat(run("", "kill-switch", "--demo", "--audit-db=" + db).err())
                .contains("kill-switch needs exactly one of --flag KEY and --rollout CLUSTER/NAMESPACE/NAME")
                .contains("Usage:");
        assertThat(run("", "kill-switch", "--demo", "--flag", "x", "--rollout", "a/b/c").exit()).isEqualTo(2);
        assertThat(run("", "kill-switch", "--demo", "--flag").err()).contains("--flag needs a value");
        assertThat(run("", "kill-switch", "--demo", "--flag", "x", "--frobnicate").err())
                .contains("unknown option '--frobnicate' for kill-switch");
        assertThat(run("", "flags").err()).contains("flags needs list or debt");

        Run unknownFlag = run("", "kill-switch", "--demo", "--audit-db=" + db, "--flag", "no-such-flag");
        assertThat(unknownFlag.exit()).isEqualTo(2);
        assertThat(unknownFlag.err()).contains("no provider reports a flag no-such-flag. Kill-switch flags:"
                + " checkout-fast-path (demo), payments-fallback-psp (demo), search-bulk-reindex (demo)");
        Run badRollout = run("", "kill-switch", "--demo", "--audit-db=" + db, "--rollout", "prod-eu/checkout");
        assertThat(badRollout.exit()).isEqualTo(2);
        assertThat(badRollout.err()).contains("--rollout is CLUSTER/NAMESPACE/NAME");
        Run unknownCluster = run("", "kill-switch", "--demo", "--audit-db=" + db, "--rollout", "prod-us/a/b");
        assertThat(unknownCluster.err()).contains("cluster prod-us is not watched; watched: prod-eu, staging-us");
        Run noRollout = run("", "kill-switch", "--demo", "--audit-db=" + db, "--rollout", "prod-eu/checkout/nope");
        assertThat(noRollout.err()).contains("cluster prod-eu reports no rollout checkout/nope");

        Path config = dir.resolve("config.yaml");
        Files.writeString(config, "flags:\n  providers:\n    - {id: u, type: unleash, url: https://u.example,"
                + " token: abc123}\n");
        Run secret = run("", "flags", "list", "--demo", "--config=" + config, "--audit-db=" + db);
        assertThat(secret.exit()).isEqualTo(2);
        assertThat(secret.err()).contains("unknown key 'flags.providers[0].token'")
                .contains("Secrets never go in this file").doesNotContain("abc123");
        assertThat(audit(db)).isEmpty();
        assertThat(run("", "kill-switch", "--help").out()).contains("Exit codes: 0 every target confirmed safe");
    }

    @Test
    void flagsListShowsProvidersTheRegistryAndEveryFlagWithItsLinks() throws Exception {
        Path registry = dir.resolve("flag-registry.yaml");
        Files.writeString(registry, """
                flags:
                  - key: new-checkout-flow
                    owner: team-checkout
                    killSwitch: true
                    rollouts: [prod-eu/search/search-api]
                """);
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, """
                flags:
                  registry: flag-registry.yaml          # relative to this file
                  providers:
                    - id: unleash-main
                      type: unleash
                      url: http://127.0.0.1:%d
                      tokenFile: unleash.token
                """.formatted(closedPort));
        Files.writeString(dir.resolve("unleash.token"), "*:*.not-a-real-token\n");
        Run r = run("", "flags", "list", "--demo", "--config=" + config, "--audit-db=" + dir.resolve("a.db"));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("Provider demo (demo): connected — simulated",
                "Provider unleash-main (unleash): unreachable — ",
                "Registry " + registry.toAbsolutePath() + ": 1 entries",
                "PROVIDER  KEY ")
                .containsPattern("demo +new-checkout-flow +release \\(kill switch\\) +team-checkout +production=on\\(25%\\)"
                        + " staging=on\\(100%\\) +prod-eu/search/search-api")
                .containsPattern("demo +checkout-fast-path +kill-switch +- +production=on staging=on +-")
                .contains("9 flag(s).").doesNotContain("not-a-real-token");

        Run kill = run("", "kill-switch", "--demo", "--config=" + config, "--audit-db=" + dir.resolve("a.db"),
                "--flag", "new-checkout-flow", "--provider", "unleash-main");
        assertThat(kill.exit()).as("the provider is not connected: it may have the flag").isEqualTo(1);
        assertThat(kill.err()).contains("no connected provider reports flag new-checkout-flow, and unleash-main"
                + " (unreachable: ").contains("Nothing was done").doesNotContain("not-a-real-token");
    }

    @Test
    void aKillSwitchOnAFlagdFileChangesOnlyThatFlagsStateInTheFile() throws Exception {
        Path flags = dir.resolve("prod.flags.json");
        String original = """
                {
                  "$schema": "https://flagd.dev/schema/v0/flags.json",
                  "flags": {
                    "checkout-fast-path": {
                      "state": "ENABLED",
                      "variants": {"on": true, "off": false},
                      "defaultVariant": "on",
                      "metadata": {"type": "kill-switch", "owner": "team-checkout"}
                    },
                    "new-banner": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "on"}
                  }
                }
                """;
        Files.writeString(flags, original);
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, """
                flags:
                  providers:
                    - {id: flagd-prod, type: flagd-file, path: prod.flags.json, environments: {production: production}}
                """);
        Path db = dir.resolve("audit.db");
        Run r = run("", "kill-switch", "--demo", "--config=" + config, "--audit-db=" + db, "--flag",
                "checkout-fast-path", "--provider", "flagd-prod", "--yes", "--confirm", "checkout-fast-path");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("Kill switch for flag flagd-prod:checkout-fast-path",
                "  [production] Turn off flag checkout-fast-path in production (production) at flagd-prod",
                "  SUCCEEDED  flag flagd-prod/checkout-fast-path in production:", "All 1 target(s) confirmed off in");
        assertThat(Files.readString(flags)).isEqualTo(original.replaceFirst("\"state\": \"ENABLED\"",
                "\"state\": \"DISABLED\""));
        assertThat(audit(db)).anyMatch(e -> e.action().equals("FLAG_OFF") && e.result().equals("SUCCEEDED")
                && e.target().equals("flag flagd-prod/checkout-fast-path in production"));
        assertThat(audit(db)).allMatch(e -> e.actor().equals(System.getProperty("user.name")));

        Run again = run("", "kill-switch", "--config=" + config, "--audit-db=" + db, "--demo", "--flag",
                "checkout-fast-path", "--yes", "--confirm", "checkout-fast-path");
        assertThat(again.exit()).as(again.out() + again.err()).isZero();
        assertThat(again.out()).contains("— already off", "ALREADY_DONE  flag flagd-prod/checkout-fast-path in"
                + " production");
    }

    @Test
    void flagsDebtPrintsEachPieceWithWhyAndWhatToDo() {
        Run r = run("", "flags", "debt", "--demo", "--audit-db=" + dir.resolve("a.db"));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("Registry the demo's flag-registry.yaml: 9 entries",
                "NOT IN THE REGISTRY: recommendations-widget (demo, team-storefront)",
                "IN NO PROVIDER: checkout-legacy-coupons (demo, team-checkout)",
                "NO OWNER: storefront-new-header (demo)",
                "  do:   Add owner: <team> to its registry entry.")
                .containsPattern("EXPIRED: payments-3ds-v2 \\(demo, team-payments\\)\\n  why:  Expired on 2026-10-31");
    }

    @Test
    void runsAsItsOwnProcessWithNoDisplay() throws Exception {
        Path db = dir.resolve("audit.db");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"),
                "dev.releaseconsole.app.Main", "kill-switch", "--demo", "--audit-db=" + db, "--flag",
                "checkout-fast-path", "--yes", "--confirm", "checkout-fast-path");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().remove("DISPLAY");
        pb.environment().remove("WAYLAND_DISPLAY");
        pb.environment().put("HOME", dir.resolve("home").toString());
        pb.environment().remove("XDG_CONFIG_HOME");
        pb.environment().remove("XDG_DATA_HOME");
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("All 3 target(s) confirmed off in").doesNotContain("INFO");
        assertThat(audit(db)).anyMatch(e -> e.action().equals("KILL_SWITCH") && e.result().equals("SUCCEEDED"));
    }
}
