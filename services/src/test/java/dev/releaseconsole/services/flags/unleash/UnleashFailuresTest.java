package dev.releaseconsole.services.flags.unleash;

import dev.releaseconsole.services.actions.ActionException;
import dev.releaseconsole.services.actions.ActionException.Reason;
import dev.releaseconsole.services.governance.SecretSource;
import dev.releaseconsole.services.model.FlagRef;
import dev.releaseconsole.services.testing.FaultInjectingProxy;
import dev.releaseconsole.services.testing.UnleashAdmin;
import dev.releaseconsole.services.testing.UnleashServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What goes wrong talking to Unleash, against the real server: revoked and wrong-type tokens, a missing token, a
 * server that is down or hangs (its database frozen). Statuses the real server does not produce on demand (429 with
 * Retry-After, 409, 503, a non-JSON or huge answer) come from a proxy in front of it.
 */
class UnleashFailuresTest {
    private static UnleashServer server;
    private static UnleashAdmin admin;

    @TempDir
    Path dir;

    @BeforeAll
    static void startUnleash() {
        server = UnleashServer.shared();
        admin = server.admin();
    }

    @Test
    void aRevokedTokenIsUnauthorizedSayingWhatToDoAndATokenRotatedInItsFileIsPickedUp() throws Exception {
        String token = server.takeSpareAdminToken();
        Path file = dir.resolve("unleash.token");
        Files.writeString(file, token + "\n");
        try (UnleashProvider provider = provider(server.baseUrl(), SecretSource.file(file))) {
            assertThat(provider.list()).isNotNull();
            admin.revokeToken(token);
            server.restartUnleash(); // Unleash honours a revocation when it next re-reads its tokens

            assertThatThrownBy(provider::list).isInstanceOfSatisfying(ActionException.class, e -> {
                assertThat(e.reason()).isEqualTo(Reason.DENIED);
                assertThat(e.httpStatus()).isEqualTo(401);
                assertThat(e.getMessage()).contains("401 Unauthorized", "wrong, expired or has been revoked",
                        "file " + file, "admin API token").doesNotContain(token, token.substring(4));
            });

            // The user puts a new token into the file; the console re-reads it after the 401, without a restart.
            Files.writeString(file, server.adminToken());
            assertThat(provider.list()).isNotNull();
        }
    }

    @Test
    void aBackendTokenOnTheAdminApiIsForbiddenAndTheMessageNamesTheRightTokenType() {
        String backend = admin.createBackendToken(UnleashServer.uniqueName("sdk"), "production");
        try (UnleashProvider provider = provider(server.baseUrl(), SecretSource.env("UNLEASH_TOKEN",
                n -> backend))) {
            assertThatThrownBy(provider::list).isInstanceOfSatisfying(ActionException.class, e -> {
                assertThat(e.reason()).isEqualTo(Reason.DENIED);
                assertThat(e.httpStatus()).isEqualTo(403);
                assertThat(e.getMessage()).contains("403 Forbidden", "a different token type for this endpoint",
                        "client/backend or frontend token", "use an admin API token or a personal access token",
                        "environment variable UNLEASH_TOKEN").doesNotContain(backend);
            });
        }
    }

    @Test
    void aMissingTokenSaysWhereItWasLookedFor() {
        try (UnleashProvider provider = provider(server.baseUrl(), SecretSource.env("RC_TEST_UNSET_TOKEN",
                n -> null))) {
            assertThatThrownBy(provider::list).isInstanceOfSatisfying(ActionException.class, e -> {
                assertThat(e.reason()).isEqualTo(Reason.DENIED);
                assertThat(e.httpStatus()).isZero();
                assertThat(e.getMessage()).contains("environment variable RC_TEST_UNSET_TOKEN is not set");
            });
        }
    }

    @Test
    void aServerThatIsNotRunningIsUnavailableSayingConnectionRefused() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        try (UnleashProvider provider = provider("http://127.0.0.1:" + closed, adminToken())) {
            assertThatThrownBy(() -> provider.setEnabled(new FlagRef("unleash-main", "x"), "production", false))
                    .isInstanceOfSatisfying(ActionException.class, e -> {
                        assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE);
                        assertThat(e.getMessage()).contains("connection refused",
                                "Check that Unleash is running and the url is right");
                    });
        }
    }

    @Test
    void aServerWhoseDatabaseHangsTimesOut() throws Exception {
        try (UnleashProvider provider = new UnleashProvider(UnleashSettings.of("unleash-main", server.baseUrl(),
                adminToken()).withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(1)))) {
            provider.list();
            server.pauseDatabase();
            try {
                assertThatThrownBy(provider::list).isInstanceOfSatisfying(ActionException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.TIMEOUT);
                    assertThat(e.getMessage()).contains("did not answer", "within 1 s");
                });
            } finally {
                server.resumeDatabase();
            }
            assertThat(provider.list()).isNotNull();
        }
    }

    @Test
    void a429WithAShortRetryAfterIsWaitedOutAndRetried() throws Exception {
        String name = UnleashServer.uniqueName("rate");
        admin.createFlag(name, "release", "");
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(server.baseUrl());
             UnleashProvider provider = provider(proxy.baseUrl(), adminToken())) {
            provider.read(new FlagRef("unleash-main", name));
            proxy.failNext(429, Map.of("Retry-After", "1"), "{\"message\":\"Too many requests\"}");
            long t0 = System.nanoTime();

            provider.setEnabled(new FlagRef("unleash-main", name), "production", true);

            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
            String on = "POST /api/admin/projects/default/features/" + name + "/environments/production/on";
            assertThat(proxy.seen()).filteredOn(on::equals).hasSize(2);
            assertThat(admin.countEvents(name, "feature-environment-enabled", "production")).isEqualTo(1);
        }
    }

    @Test
    void a429WithALongRetryAfterIsRateLimitedAndCarriesTheWait() throws Exception {
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(server.baseUrl());
             UnleashProvider provider = provider(proxy.baseUrl(), adminToken())) {
            proxy.failNext(429, Map.of("Retry-After", "120"), "{\"message\":\"Slow down\"}");

            assertThatThrownBy(provider::list).isInstanceOfSatisfying(ActionException.class, e -> {
                assertThat(e.reason()).isEqualTo(Reason.RATE_LIMITED);
                assertThat(e.retryAfter()).contains(Duration.ofSeconds(120));
                assertThat(e.getMessage()).contains("429 Too Many Requests: Slow down", "wait 120 s");
            });
        }
    }

    @Test
    void conflictsServerErrorsAndNonJsonAnswersAreClassifiedWithTheServersMessage() throws Exception {
        FlagRef ref = new FlagRef("unleash-main", UnleashServer.uniqueName("faults"));
        admin.createFlag(ref.key(), "release", "");
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(server.baseUrl());
             UnleashProvider provider = provider(proxy.baseUrl(), adminToken())) {
            provider.read(ref);

            proxy.failNext(409, Map.of(), "{\"name\":\"ConflictError\",\"message\":\"Changed by someone else\"}");
            assertThatThrownBy(() -> provider.setEnabled(ref, "production", false))
                    .isInstanceOfSatisfying(ActionException.class, e -> {
                        assertThat(e.reason()).isEqualTo(Reason.CONFLICT);
                        assertThat(e.getMessage()).contains("409 Conflict: Changed by someone else");
                    });

            proxy.failNext(503, Map.of(), "{\"message\":\"database unavailable\"}");
            assertThatThrownBy(() -> provider.setEnabled(ref, "production", false))
                    .isInstanceOfSatisfying(ActionException.class, e -> {
                        assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE);
                        assertThat(e.httpStatus()).isEqualTo(503);
                        assertThat(e.getMessage()).contains("503: database unavailable",
                                "may or may not have been applied");
                    });

            proxy.failNext(200, Map.of(), "<html>Sign in</html>");
            assertThatThrownBy(provider::list).isInstanceOfSatisfying(ActionException.class, e -> {
                assertThat(e.reason()).isEqualTo(Reason.UNKNOWN);
                assertThat(e.getMessage()).contains("not JSON", "<html>Sign in</html>", "login page or proxy");
            });

            proxy.failNext(200, Map.of(), "[" + "0,".repeat((int) (UnleashHttp.MAX_BODY_BYTES / 2)) + "0]");
            assertThatThrownBy(provider::list).isInstanceOfSatisfying(ActionException.class, e -> {
                assertThat(e.reason()).isEqualTo(Reason.INVALID);
                assertThat(e.getMessage()).contains("more than the console reads (32 MiB)");
            });
        }
    }

    private static SecretSource adminToken() {
        return SecretSource.env("UNLEASH_TOKEN", n -> server.adminToken());
    }

    private static UnleashProvider provider(String url, SecretSource token) {
        return new UnleashProvider(UnleashSettings.of("unleash-main", url, token));
    }
}
