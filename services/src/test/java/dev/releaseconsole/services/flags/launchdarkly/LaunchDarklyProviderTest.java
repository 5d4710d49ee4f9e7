package dev.releaseconsole.services.flags.launchdarkly;

import dev.releaseconsole.services.governance.SecretSource;

import dev.releaseconsole.services.actions.ActionException;
import dev.releaseconsole.services.actions.ActionInput;
import dev.releaseconsole.services.actions.ActionResult;
import dev.releaseconsole.services.actions.ActionType;
import dev.releaseconsole.services.actions.Outcome;
import dev.releaseconsole.services.actions.PermissionChecker;
import dev.releaseconsole.services.actions.ReleaseActions;
import dev.releaseconsole.services.actions.Verdict;
import dev.releaseconsole.services.governance.AuditEntry;
import dev.releaseconsole.services.governance.AuditQuery;
import dev.releaseconsole.services.governance.SqliteAuditLog;
import dev.releaseconsole.services.model.ActionTarget;
import dev.releaseconsole.services.model.Environment;
import dev.releaseconsole.services.model.Flag;
import dev.releaseconsole.services.model.FlagChangeEvent;
import dev.releaseconsole.services.model.FlagRef;
import dev.releaseconsole.services.model.FlagTarget;
import dev.releaseconsole.services.model.FlagType;
import dev.releaseconsole.services.store.LiveState;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The LaunchDarkly adapter against answers written from LaunchDarkly's public API reference (JSON files under
 * src/test/resources/launchdarkly/), served by OkHttp's MockWebServer: the exact requests sent, how answers map,
 * and how 429, 401, 404, 5xx and timeouts are reported.
 */
class LaunchDarklyProviderTest {
    private static final String TOKEN = "api-0b5c3a1e-secret-token-do-not-log";
    private static final String SEMANTIC_PATCH = "application/json; domain-model=launchdarkly.semanticpatch";
    private static final String ON_ID = "e432f62b-55f6-49dd-a02f-eb24acf39d05";
    private static final String OFF_ID = "a00bf58d-d252-476c-b915-15a74becacb4";

    @TempDir
    Path dir;

    private final MockWebServer server = new MockWebServer();
    private final List<Duration> waits = new ArrayList<>();
    private LaunchDarklySettings settings;
    private LaunchDarklyProvider provider;

    @BeforeEach
    void setUp() throws IOException {
        server.start(InetAddress.getLoopbackAddress(), 0);
        Map<String, Environment> environments = new LinkedHashMap<>();
        environments.put("production", Environment.PRODUCTION);
        environments.put("staging", Environment.STAGING);
        settings = LaunchDarklySettings.of("ld-shop", server.url("/").toString(), "shop", environments,
                SecretSource.env("LD_API_TOKEN", name -> name.equals("LD_API_TOKEN") ? TOKEN : null));
        provider = providerWith(settings);
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private LaunchDarklyProvider providerWith(LaunchDarklySettings s) {
        return new LaunchDarklyProvider(s, new LaunchDarklyApi(s, Clock.systemUTC(), waits::add));
    }

    @Test
    void listsFlagsWithTheirEnvironmentsTypesOwnersRolloutsAndTargeting() throws Exception {
        server.enqueue(json(200, "flags-page.json"));

        List<Flag> flags = provider.list();

        RecordedRequest request = server.takeRequest();
        assertThat(request.getMethod()).isEqualTo("GET");
        assertThat(request.getTarget())
                .isEqualTo("/api/v2/flags/shop?env=production&env=staging&summary=0&limit=100&offset=0");
        assertThat(request.getHeaders().get("Authorization")).isEqualTo(TOKEN);
        assertThat(request.getHeaders().get("LD-API-Version")).isEqualTo("20240415");
        assertThat(request.getHeaders().get("Accept")).isEqualTo("application/json");
        assertThat(flags).extracting(f -> f.ref().key())
                .containsExactly("new-checkout-flow", "checkout-fast-path", "search-ranking");

        Flag rollout = flags.get(0);
        assertThat(rollout.type()).isEqualTo(FlagType.RELEASE);
        assertThat(rollout.owner()).isEqualTo("ariel@example.com");
        assertThat(rollout.description()).isEqualTo("The one-page checkout");
        assertThat(rollout.environment("production").orElseThrow()).satisfies(e -> {
            assertThat(e.tier()).isEqualTo(Environment.PRODUCTION);
            assertThat(e.enabled()).isTrue();
            assertThat(e.rolloutPercent()).isEqualTo(25);
            assertThat(e.targeting()).isEqualTo("1 rule (if email endsWith @example.com then Enabled); "
                    + "default: Enabled 25% / Disabled 75% (by accountId)");
        });
        assertThat(rollout.environment("staging").orElseThrow()).satisfies(e -> {
            assertThat(e.rolloutPercent()).isNull();
            assertThat(e.targeting()).isEqualTo("2 individual targets; default: Enabled");
        });
        Flag killSwitch = flags.get(1);
        assertThat(killSwitch.type()).isEqualTo(FlagType.KILL_SWITCH);
        assertThat(killSwitch.owner()).isEqualTo("Payments team");
        assertThat(killSwitch.environment("staging").orElseThrow().enabled()).isFalse();
        assertThat(killSwitch.environment("production").orElseThrow().targeting())
                .isEqualTo("1 rule (if in segment legacy-clients then false); default: true");
        Flag multivariate = flags.get(2);
        assertThat(multivariate.environments()).singleElement().satisfies(e -> {
            assertThat(e.rolloutPercent()).as("not a boolean flag: no single percentage").isNull();
            assertThat(e.targeting()).isEqualTo("default: classic 50% / neural 25% / hybrid 25%");
        });
    }

    @Test
    void theKillSwitchSendsTurnFlagOffAsASemanticPatchAndConfirmsItByReadingBack() throws Exception {
        server.enqueue(json(200, "flag-checkout-fast-path.json"));
        server.enqueue(json(200, "flag-checkout-fast-path-off.json"));
        server.enqueue(json(200, "flag-checkout-fast-path-off.json"));
        Facade facade = new Facade();

        ActionResult result = facade.actions.execute(ActionType.FLAG_OFF, target("checkout-fast-path", "production"),
                "payments down");

        assertThat(result.outcomes().get(0).outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(result.outcomes().get(0).stateAfter()).isEqualTo("off in production");
        RecordedRequest before = server.takeRequest();
        assertThat(before.getRequestLine())
                .isEqualTo("GET /api/v2/flags/shop/checkout-fast-path?env=production&env=staging HTTP/1.1");
        RecordedRequest patch = server.takeRequest();
        assertThat(patch.getMethod()).isEqualTo("PATCH");
        assertThat(patch.getTarget()).isEqualTo("/api/v2/flags/shop/checkout-fast-path");
        assertThat(patch.getHeaders().get("Content-Type")).isEqualTo(SEMANTIC_PATCH);
        assertThat(patch.getHeaders().get("Authorization")).isEqualTo(TOKEN);
        assertThat(patch.getBody().string(StandardCharsets.UTF_8)).isEqualTo("{\"environmentKey\":\"production\","
                + "\"comment\":\"Release Console: turn off in production\",\"instructions\":[{\"kind\":\"turnFlagOff\"}]}");
        assertThat(server.takeRequest().getMethod()).as("read back").isEqualTo("GET");
        List<AuditEntry> audit = facade.audit.query(AuditQuery.latest(1));
        assertThat(audit.get(0).detail()).contains("sent: PATCH /api/v2/flags/shop/checkout-fast-path ("
                + SEMANTIC_PATCH + ")").doesNotContain(TOKEN);
        facade.close();
    }

    @Test
    void thePercentageMovesTheDefaultRulesRolloutWeightsKeepingItsBucketing() throws Exception {
        server.enqueue(json(200, "flag-new-checkout-flow.json"));
        server.enqueue(json(200, "flag-new-checkout-flow-production.json"));
        server.enqueue(json(200, "flag-new-checkout-flow-50.json"));
        server.enqueue(json(200, "flag-new-checkout-flow-50.json"));
        Facade facade = new Facade();

        ActionResult result = facade.actions.execute(ActionType.FLAG_SET_ROLLOUT,
                target("new-checkout-flow", "production"), ActionInput.percent(50), null);

        assertThat(result.outcomes().get(0).outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(result.outcomes().get(0).stateAfter()).isEqualTo("on in production at 50%");
        server.takeRequest();
        assertThat(server.takeRequest().getTarget()).isEqualTo("/api/v2/flags/shop/new-checkout-flow?env=production");
        RecordedRequest patch = server.takeRequest();
        assertThat(patch.getMethod()).isEqualTo("PATCH");
        assertThat(patch.getHeaders().get("Content-Type")).isEqualTo(SEMANTIC_PATCH);
        assertThat(patch.getBody().string(StandardCharsets.UTF_8)).isEqualTo("{\"environmentKey\":\"production\","
                + "\"comment\":\"Release Console: percentage rollout to 50% in production\",\"instructions\":[{"
                + "\"kind\":\"updateFallthroughVariationOrRollout\",\"rolloutWeights\":{\"" + ON_ID + "\":50000,\""
                + OFF_ID + "\":50000},\"rolloutBucketBy\":\"accountId\",\"rolloutContextKind\":\"user\"}]}");
        facade.close();
    }

    @Test
    void aPercentageOnAMultivariateFlagIsRefusedWithoutSendingAnything() throws Exception {
        server.enqueue(json(200, "flag-search-ranking-production.json"));

        assertThatThrownBy(() -> provider.setRolloutPercent(ref("search-ranking"), "production", 40))
                .isInstanceOf(ActionException.class).hasMessageContaining("is not a boolean flag")
                .satisfies(e -> assertThat(((ActionException) e).reason()).isEqualTo(ActionException.Reason.INVALID));
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void a429IsWaitedOutForItsRetryAfterThenTheSameRequestIsSentAgain() throws Exception {
        server.enqueue(json(429, "error-429.json").newBuilder().setHeader("Retry-After", "2").build());
        server.enqueue(json(200, "flag-checkout-fast-path-off.json"));

        String sent = provider.setEnabled(ref("checkout-fast-path"), "production", false);

        assertThat(waits).containsExactly(Duration.ofSeconds(2));
        RecordedRequest first = server.takeRequest();
        RecordedRequest second = server.takeRequest();
        assertThat(second.getRequestLine()).isEqualTo(first.getRequestLine());
        assertThat(second.getBody()).isEqualTo(first.getBody());
        assertThat(sent).startsWith("PATCH /api/v2/flags/shop/checkout-fast-path");
    }

    @Test
    void givingUpAfterTheRetriesReportsLaunchDarklysRateLimitHeaders() {
        long reset = Instant.parse("2026-06-01T12:00:10Z").toEpochMilli();
        for (int i = 0; i < 4; i++) {
            server.enqueue(json(429, "error-429.json").newBuilder().setHeader("Retry-After", "1")
                    .setHeader("X-Ratelimit-Route-Remaining", "0").setHeader("X-Ratelimit-Global-Remaining", "12")
                    .setHeader("X-Ratelimit-Reset", String.valueOf(reset)).build());
        }

        assertThatThrownBy(() -> provider.setEnabled(ref("checkout-fast-path"), "production", false))
                .isInstanceOf(ActionException.class)
                .satisfies(e -> assertThat(((ActionException) e).reason())
                        .isEqualTo(ActionException.Reason.RATE_LIMITED))
                .hasMessageContaining("You've exceeded the API rate limit. Try again later.")
                .hasMessageContaining("after 3 retries")
                .hasMessageContaining("X-Ratelimit-Global-Remaining: 12, X-Ratelimit-Route-Remaining: 0, "
                        + "X-Ratelimit-Reset: " + reset + " (2026-06-01T12:00:10Z)")
                .hasMessageContaining("Nothing was changed");
        assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1));
        assertThat(server.getRequestCount()).isEqualTo(4);
    }

    @Test
    void aRetryAfterBeyondTheBudgetIsNotWaitedFor() {
        server.enqueue(json(429, "error-429.json").newBuilder().setHeader("Retry-After", "120").build());

        assertThatThrownBy(() -> provider.list()).hasMessageContaining("try again after 120 s");
        assertThat(waits).isEmpty();
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aRejectedTokenIsReportedAsDeniedWithLaunchDarklysWordsAndWithoutTheToken() {
        server.enqueue(json(401, "error-401.json"));

        assertThatThrownBy(() -> provider.setEnabled(ref("checkout-fast-path"), "production", false))
                .isInstanceOf(ActionException.class)
                .satisfies(e -> assertThat(((ActionException) e).reason()).isEqualTo(ActionException.Reason.DENIED))
                .hasMessageContaining("HTTP 401: Invalid access token [code unauthorized, request id "
                        + "30ce6058-87da-11e4-b116-123b93f75cba]")
                .hasMessageContaining("environment variable LD_API_TOKEN")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN));
    }

    @Test
    void anUnknownFlagIsAbsentOnReadAndNotFoundOnWrite() throws Exception {
        server.enqueue(json(404, "error-404.json"));
        server.enqueue(json(404, "error-404.json"));

        assertThat(provider.read(ref("gone"))).isEmpty();
        assertThatThrownBy(() -> provider.setEnabled(ref("gone"), "production", false))
                .satisfies(e -> assertThat(((ActionException) e).reason()).isEqualTo(ActionException.Reason.NOT_FOUND))
                .hasMessageContaining("HTTP 404: Unknown flag key");
    }

    @Test
    void aServerErrorOnAChangeSaysItMayOrMayNotHaveBeenApplied() {
        server.enqueue(json(500, "error-500.json"));

        assertThatThrownBy(() -> provider.setEnabled(ref("checkout-fast-path"), "production", false))
                .satisfies(e -> assertThat(((ActionException) e).reason())
                        .isEqualTo(ActionException.Reason.UNAVAILABLE))
                .hasMessageContaining("HTTP 500: An internal error occurred")
                .hasMessageContaining("may or may not have been applied");
    }

    @Test
    void aServerThatDoesNotAnswerInTimeIsATimeout() {
        LaunchDarklyProvider impatient = providerWith(settings.withTimeouts(Duration.ofSeconds(1),
                Duration.ofMillis(300)));
        server.enqueue(json(200, "flag-checkout-fast-path-off.json").newBuilder().headersDelay(3, TimeUnit.SECONDS)
                .build());

        assertThatThrownBy(() -> impatient.setEnabled(ref("checkout-fast-path"), "production", false))
                .satisfies(e -> assertThat(((ActionException) e).reason()).isEqualTo(ActionException.Reason.TIMEOUT))
                .hasMessageContaining("did not answer within 0 s").hasMessageContaining("read the flag before");
    }

    @Test
    void anAnswerThatIsNotJsonIsReportedAsSuch() {
        server.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Type", "text/html")
                .body("<html>Sign in</html>").build());

        assertThatThrownBy(() -> provider.list()).hasMessageContaining("is not JSON")
                .hasMessageContaining("baseUrl");
    }

    @Test
    void theAuditLogBecomesChangeEventsNewestFirst() throws Exception {
        server.enqueue(json(200, "auditlog-checkout-fast-path.json"));

        List<FlagChangeEvent> events = provider.events(ref("checkout-fast-path"), 50);

        assertThat(server.takeRequest().getTarget())
                .isEqualTo("/api/v2/auditlog?spec=proj/shop:env/*:flag/checkout-fast-path&limit=20");
        assertThat(events).hasSize(2);
        assertThat(events.get(0)).satisfies(e -> {
            assertThat(e.environment()).isEqualTo("production");
            assertThat(e.actor()).isEqualTo("access token release-console");
            assertThat(e.type()).isEqualTo("updateOn");
            assertThat(e.time()).isEqualTo(Instant.ofEpochMilli(1718200000000L));
            assertThat(e.summary()).contains("turned off the flag")
                    .endsWith("(comment: Release Console: turn off in production)");
        });
        assertThat(events.get(1).environment()).isNull();
        assertThat(events.get(1).actor()).isEqualTo("ariel@example.com");
    }

    @Test
    void anEnvironmentTheProviderIsNotConfiguredForIsRefusedBeforeAnyRequest() {
        assertThatThrownBy(() -> provider.setEnabled(ref("checkout-fast-path"), "test", false))
                .hasMessageContaining("not configured for LaunchDarkly environment test");
        assertThat(server.getRequestCount()).isZero();
    }

    private static FlagRef ref(String key) {
        return new FlagRef("ld-shop", key);
    }

    private static FlagTarget target(String key, String environment) {
        return new FlagTarget(ref(key), environment);
    }

    private static MockResponse json(int code, String fixture) {
        try (InputStream in = LaunchDarklyProviderTest.class.getResourceAsStream("/launchdarkly/" + fixture)) {
            return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json")
                    .body(new String(in.readAllBytes(), StandardCharsets.UTF_8)).build();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The real facade over the provider, with an audit log on disk and everyone allowed. */
    private final class Facade implements AutoCloseable {
        final SqliteAuditLog audit = SqliteAuditLog.open(dir.resolve("audit.db"), Clock.systemUTC());
        final ExecutorService pool = Executors.newFixedThreadPool(2);
        final ReleaseActions actions;

        Facade() throws Exception {
            LiveState state = new LiveState();
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
            actions = new ReleaseActions(state, Map.of(), Map.of("ld-shop", provider), everyone,
                    request -> Verdict.allowed(), audit, Clock.systemUTC(), pool);
        }

        @Override
        public void close() {
            pool.shutdownNow();
            audit.close();
        }
    }
}
