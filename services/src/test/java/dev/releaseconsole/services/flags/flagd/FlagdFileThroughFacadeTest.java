package dev.releaseconsole.services.flags.flagd;

import dev.openfeature.contrib.providers.flagd.Config;
import dev.openfeature.contrib.providers.flagd.FlagdOptions;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.Value;
import dev.releaseconsole.services.actions.ActionInput;
import dev.releaseconsole.services.actions.ActionResult;
import dev.releaseconsole.services.actions.ActionType;
import dev.releaseconsole.services.actions.Outcome;
import dev.releaseconsole.services.actions.PermissionChecker;
import dev.releaseconsole.services.actions.ReleaseActions;
import dev.releaseconsole.services.actions.TargetOutcome;
import dev.releaseconsole.services.actions.Verdict;
import dev.releaseconsole.services.governance.AuditEntry;
import dev.releaseconsole.services.governance.AuditQuery;
import dev.releaseconsole.services.governance.SqliteAuditLog;
import dev.releaseconsole.services.model.ActionTarget;
import dev.releaseconsole.services.model.Environment;
import dev.releaseconsole.services.model.FlagRef;
import dev.releaseconsole.services.model.FlagTarget;
import dev.releaseconsole.services.store.LiveState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console edits a flagd definitions file through the real facade and provider; OpenFeature's own flagd provider
 * (FILE resolver, the in-process evaluator applications use) reads the same file and must behave as the edit says.
 */
class FlagdFileThroughFacadeTest {
    private static final String PROVIDER = "flagd-local";
    private static final Duration PICKUP = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    private final LiveState state = new LiveState();
    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    private Path file;
    private FileDefinitions definitions;
    private FlagdProvider flags;
    private SqliteAuditLog audit;
    private ReleaseActions actions;
    private dev.openfeature.contrib.providers.flagd.FlagdProvider openFeatureFlagd;
    private Client client;

    @BeforeEach
    void setUp() throws Exception {
        file = dir.resolve("flags.json");
        Files.writeString(file, FlagdDocumentTest.fixture());
        definitions = new FileDefinitions(file);
        flags = new FlagdProvider(PROVIDER, "production", Environment.PRODUCTION, definitions);
        state.flags().upsertAll(flags.list());
        audit = SqliteAuditLog.open(dir.resolve("audit.db"), Clock.systemUTC());
        PermissionChecker everyone = new PermissionChecker() {
            @Override
            public Verdict mayPerform(ActionType action, ActionTarget target) {
                return Verdict.allowed();
            }

            @Override
            public String whoAmI(ActionTarget target) {
                return "oncall@example.com";
            }
        };
        actions = new ReleaseActions(state, Map.of(), Map.of(PROVIDER, flags), everyone, request -> Verdict.allowed(),
                audit, Clock.systemUTC(), pool);

        // several seconds: the provider's 1 s default deadline is not always enough on a busy two-core machine
        openFeatureFlagd = new dev.openfeature.contrib.providers.flagd.FlagdProvider(FlagdOptions.builder()
                .resolverType(Config.Resolver.FILE).offlineFlagSourcePath(file.toString())
                .offlinePollIntervalMs(100).deadline(10_000).build());
        String domain = "flagd-file-test-" + System.nanoTime();
        OpenFeatureAPI.getInstance().setProviderAndWait(domain, openFeatureFlagd);
        client = OpenFeatureAPI.getInstance().getClient(domain);
    }

    @AfterEach
    void tearDown() {
        openFeatureFlagd.shutdown();
        pool.shutdownNow();
        audit.close();
    }

    @Test
    void aFlagTurnedOffFallsBackToTheCallersDefault() {
        assertThat(client.getBooleanValue("checkout-fast-path", false, user(1))).as("before: default variant on")
                .isTrue();

        ActionResult result = actions.execute(ActionType.FLAG_OFF, target("checkout-fast-path"), "payments outage");

        TargetOutcome outcome = result.outcomes().get(0);
        assertThat(outcome.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(outcome.stateAfter()).isEqualTo("off in production");
        waitFor("flagd to serve the caller's default for the disabled flag",
                () -> client.getBooleanValue("checkout-fast-path", false, user(1)) ? 0 : 1, n -> n == 1);
        assertThat(client.getBooleanValue("checkout-fast-path", true, user(1)))
                .as("a disabled flag is absent: the default passed in code wins either way").isTrue();
        List<AuditEntry> entries = audit.query(AuditQuery.latest(2));
        assertThat(entries.get(0).detail()).contains("sent: wrote " + file.toAbsolutePath())
                .contains("flags.checkout-fast-path.state ENABLED -> DISABLED");
    }

    /**
     * 10,000 distinct keys bucketed by flagd's murmur3 hash: if the split were exactly 25% the count would be binomial
     * with a standard deviation of sqrt(10000 * 0.25 * 0.75) = 43; the band 2,300..2,700 is about 4.6 of those each
     * side, and the keys are fixed, so the result is deterministic: it fails only if the split is wrong.
     */
    @Test
    void aRolloutOfTwentyFivePercentServesAboutAQuarterOfTenThousandKeys() {
        int before = countOn("new-checkout-flow");
        assertThat(before).as("before: the fixture's 10%").isBetween(800, 1200);

        ActionResult result = actions.execute(ActionType.FLAG_SET_ROLLOUT, target("new-checkout-flow"),
                ActionInput.percent(25), "ramp up");

        assertThat(result.outcomes().get(0).outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(result.outcomes().get(0).stateAfter()).isEqualTo("on in production at 25%");
        int after = waitFor("flagd to serve the 25% split", () -> countOn("new-checkout-flow"),
                n -> n >= 2300 && n <= 2700);
        assertThat(after).isBetween(2300, 2700);
    }

    @Test
    void aConcurrentEditOfTheFileIsKeptAndTheUsersChangeAppliedOnTopOfIt() throws Exception {
        String theirs = FlagdDocumentTest.fixture().replace("\"version\": \"7\"", "\"version\": \"8\"");
        definitions.beforeMove(new Runnable() {
            private boolean done;

            @Override
            public void run() {
                if (!done) {
                    done = true;
                    try {
                        Files.writeString(file, theirs); // somebody saves the file while the console writes it
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        });

        ActionResult result = actions.execute(ActionType.FLAG_OFF, target("checkout-fast-path"), null);

        assertThat(result.outcomes().get(0).outcome()).isEqualTo(Outcome.SUCCEEDED);
        String now = Files.readString(file);
        assertThat(now).contains("\"version\": \"8\"").contains("\"state\"   : \"DISABLED\"");
        assertThat(now).isEqualTo(theirs.replace("\"state\"   : \"ENABLED\"", "\"state\"   : \"DISABLED\""));
        try (var stray = Files.list(dir)) {
            assertThat(stray.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void aMalformedFileIsReportedAndLeftExactlyAsItWas() throws Exception {
        String broken = FlagdDocumentTest.fixture().replace("\"flags\": {", "\"flags\": {,");
        Files.writeString(file, broken);

        ActionResult result = actions.execute(ActionType.FLAG_OFF, target("checkout-fast-path"), null);

        TargetOutcome outcome = result.outcomes().get(0);
        assertThat(outcome.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(outcome.message()).contains("is not valid JSON at line 4");
        assertThat(Files.readAllBytes(file)).isEqualTo(broken.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aPercentageOnATargetingRuleIsRefusedAndNothingIsWritten() throws Exception {
        byte[] before = Files.readAllBytes(file);

        ActionResult result = actions.execute(ActionType.FLAG_SET_ROLLOUT, target("search-ranking"),
                ActionInput.percent(40), null);

        assertThat(result.outcomes().get(0).outcome()).isEqualTo(Outcome.REJECTED_BY_STATE);
        assertThat(result.outcomes().get(0).message()).contains("no gradual rollout");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    private int countOn(String flag) {
        int on = 0;
        for (int i = 0; i < 10_000; i++) {
            if (client.getBooleanValue(flag, false, user(i))) {
                on++;
            }
        }
        return on;
    }

    private static ImmutableContext user(int i) {
        String key = "user-" + i;
        return new ImmutableContext(key, Map.of("userId", new Value(key)));
    }

    private static FlagTarget target(String key) {
        return new FlagTarget(new FlagRef(PROVIDER, key), "production");
    }

    private static int waitFor(String what, IntSupplier value, java.util.function.IntPredicate done) {
        long deadline = System.nanoTime() + PICKUP.toNanos();
        int last = value.getAsInt();
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + PICKUP.toSeconds() + " s waiting for " + what
                        + "; last seen " + last);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
            last = value.getAsInt();
        }
        return last;
    }
}
