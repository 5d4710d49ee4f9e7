package dev.releaseconsole.services.flags;

import dev.releaseconsole.services.flags.unleash.UnleashProvider;
import dev.releaseconsole.services.flags.unleash.UnleashSettings;
import dev.releaseconsole.services.governance.SecretSource;
import dev.releaseconsole.services.model.ConnectionState;
import dev.releaseconsole.services.model.Flag;
import dev.releaseconsole.services.model.FlagProviderStatus;
import dev.releaseconsole.services.model.FlagRef;
import dev.releaseconsole.services.store.LiveState;
import dev.releaseconsole.services.testing.UnleashAdmin;
import dev.releaseconsole.services.testing.UnleashServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** FlagSync polling real Unleash servers into the live state, with provider states as they change. */
class FlagSyncTest {
    private static final FlagSync.Settings FAST = new FlagSync.Settings(Duration.ofMillis(200), Duration.ofSeconds(1));
    private static UnleashServer server;
    private static UnleashAdmin admin;

    private final LiveState state = new LiveState();
    private final List<AutoCloseable> closeLater = new ArrayList<>();

    @BeforeAll
    static void startUnleash() {
        server = UnleashServer.shared();
        admin = server.admin();
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeLater) {
            c.close();
        }
        if (!server.unleashRunning()) {
            server.startUnleash();
        }
    }

    @Test
    void connectedThenUnreachableWhileUnleashIsStoppedThenConnectedAgain() {
        String name = UnleashServer.uniqueName("sync");
        admin.createFlag(name, "release", "");
        FlagRef ref = new FlagRef("unleash-main", name);
        FlagSync sync = start(List.of(provider("unleash-main", server.baseUrl(), server.adminToken())),
                f -> new Flag(f.ref(), f.type(), f.description(), "team-" + f.ref().key().length(), f.environments(),
                        f.linkedRollouts()));

        await("connected with the flag published", () -> status("unleash-main").state() == ConnectionState.CONNECTED
                && state.flags().get(ref).isPresent());
        assertThat(state.flags().get(ref).orElseThrow().owner()).as("the join ran").startsWith("team-");
        assertThat(status("unleash-main").kind()).isEqualTo("unleash");
        assertThat(status("unleash-main").lastSync()).isNotNull();

        server.stopUnleash();
        await("unreachable", () -> status("unleash-main").state() == ConnectionState.UNREACHABLE);
        assertThat(status("unleash-main").message()).contains("connection refused",
                "Check that Unleash is running", "flags shown are from the last successful sync");
        assertThat(state.flags().get(ref)).as("the last known flags stay for the kill switch").isPresent();

        server.startUnleash();
        await("connected again", () -> status("unleash-main").state() == ConnectionState.CONNECTED);
        assertThat(sync.polls("unleash-main")).isGreaterThan(2);
    }

    @Test
    void eachProviderHasItsOwnStateAndABrokenOneDoesNotHoldUpTheOthers() throws Exception {
        String name = UnleashServer.uniqueName("independent");
        admin.createFlag(name, "release", "");
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        String backend = admin.createBackendToken(UnleashServer.uniqueName("sdk"), "production");
        start(List.of(
                provider("good", server.baseUrl(), server.adminToken()),
                provider("never-issued", server.baseUrl(), "*:*.thistokenwasneverissued0000"),
                provider("backend-token", server.baseUrl(), backend),
                provider("down", "http://127.0.0.1:" + closed, server.adminToken())), f -> f);

        await("every provider answered", () -> state.flagProviders().all().stream()
                .noneMatch(s -> s.state() == ConnectionState.CONNECTING));
        assertThat(status("good").state()).isEqualTo(ConnectionState.CONNECTED);
        assertThat(state.flags().get(new FlagRef("good", name))).isPresent();
        assertThat(status("never-issued").state()).isEqualTo(ConnectionState.UNAUTHORIZED);
        assertThat(status("never-issued").message()).contains("401", "wrong, expired or has been revoked")
                .doesNotContain("thistokenwasneverissued");
        assertThat(status("backend-token").state()).isEqualTo(ConnectionState.FORBIDDEN);
        assertThat(status("backend-token").message()).contains("403", "admin API token");
        assertThat(status("down").state()).isEqualTo(ConnectionState.UNREACHABLE);
        assertThat(state.flags().all()).allSatisfy(f -> assertThat(f.ref().provider()).isEqualTo("good"));
    }

    @Test
    void aFlagThatDisappearsFromTheProviderDisappearsFromTheLiveState() {
        String name = UnleashServer.uniqueName("archived");
        admin.createFlag(name, "release", "");
        FlagRef ref = new FlagRef("unleash-main", name);
        start(List.of(provider("unleash-main", server.baseUrl(), server.adminToken())), f -> f);
        await("published", () -> state.flags().get(ref).isPresent());

        admin.archive(name);

        await("removed", () -> state.flags().get(ref).isEmpty());
    }

    @Test
    void theBackoffDoublesIsJitteredCappedAndHonoursRetryAfter() {
        FlagSync.Settings s = new FlagSync.Settings(Duration.ofSeconds(5), Duration.ofSeconds(60));
        assertThat(FlagSync.nextDelay(s, 0, null, 0.5)).isEqualTo(Duration.ofSeconds(5));
        assertThat(FlagSync.nextDelay(s, 1, null, 0.0)).isEqualTo(Duration.ofSeconds(5));
        assertThat(FlagSync.nextDelay(s, 3, null, 0.0)).isEqualTo(Duration.ofSeconds(10));
        assertThat(FlagSync.nextDelay(s, 3, null, 1.0)).isEqualTo(Duration.ofSeconds(20));
        assertThat(FlagSync.nextDelay(s, 30, null, 1.0)).isEqualTo(Duration.ofSeconds(60));
        assertThat(FlagSync.nextDelay(s, 30, null, 0.0)).isEqualTo(Duration.ofSeconds(30));
        assertThat(FlagSync.nextDelay(s, 1, Duration.ofSeconds(120), 0.5)).isEqualTo(Duration.ofSeconds(120));
    }

    private FlagSync start(List<UnleashProvider> providers, java.util.function.UnaryOperator<Flag> join) {
        closeLater.addAll(providers);
        FlagSync sync = new FlagSync(state, providers, FAST, join, Clock.systemUTC());
        closeLater.add(0, sync);
        sync.start();
        return sync;
    }

    private UnleashProvider provider(String id, String url, String token) {
        return new UnleashProvider(UnleashSettings.of(id, url, SecretSource.env("UNLEASH_TOKEN", n -> token)));
    }

    private FlagProviderStatus status(String id) {
        return state.flagProviders().get(id).orElseThrow(() -> new AssertionError("no status for " + id));
    }

    private void await(String what, BooleanSupplier condition) {
        await(what, condition, () -> state.flagProviders().all());
    }

    private static void await(String what, BooleanSupplier condition, Supplier<Object> observed) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException | AssertionError e) {
                // not yet
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what + "; last seen " + observed.get());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
    }
}
