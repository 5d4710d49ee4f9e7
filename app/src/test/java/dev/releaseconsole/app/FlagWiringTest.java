package dev.releaseconsole.app;

import dev.releaseconsole.services.actions.KillSwitchPlan;
import dev.releaseconsole.services.model.ConnectionState;
import dev.releaseconsole.services.model.Flag;
import dev.releaseconsole.services.model.FlagProviderStatus;
import dev.releaseconsole.services.model.FlagRef;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.model.WorkloadKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The runtime built from a flags section: the registry file joined into the demo's flags, followed as it changes. */
class FlagWiringTest {
    private static final FlagRef NEW_CHECKOUT_FLOW = new FlagRef("demo", "new-checkout-flow");
    private static final RolloutRef SEARCH_API = new RolloutRef("prod-eu", "search", "search-api",
            WorkloadKind.ARGO_ROLLOUT);
    private static final RolloutRef CHECKOUT_API = new RolloutRef("prod-eu", "checkout", "checkout-api",
            WorkloadKind.ARGO_ROLLOUT);

    @TempDir
    Path dir;

    private static void waitUntil(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("within 10 s: " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void theConfiguredRegistryReplacesTheDemosOwnAndIsFollowedAsItChanges() throws Exception {
        Path registry = dir.resolve("flag-registry.yaml");
        Files.writeString(registry, "flags:\n  - {key: new-checkout-flow, owner: team-x, rollouts:"
                + " [prod-eu/search/search-api]}\n");
        AppConfig config = AppConfig.parse("""
                flags:
                  providers:
                    - {id: checkout-flagd, type: flagd-configmap, context: prod-eu, namespace: checkout,
                       name: flagd-flags, key: flags.json, environments: {production: production}}
                """, "config.yaml");
        ConsoleRuntime.FlagsPlan flags = new ConsoleRuntime.FlagsPlan(registry, Duration.ofSeconds(5),
                Duration.ofMillis(100), config.flags().providers(), dir, dir.toString());
        ConsoleRuntime.Plan plan = new ConsoleRuntime.Plan(true, 42, 1, Instant.parse("2026-11-22T09:00:00Z"),
                false, null, List.of(), false, Map.of(), Map.of(), null, dir.resolve("audit.db"), Map.of(), flags, null);
        try (ConsoleRuntime runtime = ConsoleRuntime.start(plan)) {
            var state = runtime.services().state();
            assertThat(state.flagRegistry().source()).isEqualTo(registry.toAbsolutePath().toString());
            Flag joined = state.flags().get(NEW_CHECKOUT_FLOW).orElseThrow();
            assertThat(joined.linkedRollouts()).containsExactly(SEARCH_API);
            assertThat(joined.owner()).isEqualTo("team-x");
            assertThat(state.flags().get(new FlagRef("demo", "checkout-fast-path")).orElseThrow().linkedRollouts())
                    .as("not in this registry: as the provider reports it").isEmpty();
            KillSwitchPlan kill = runtime.services().actions().planKillSwitch(NEW_CHECKOUT_FLOW);
            assertThat(kill.rollouts()).containsExactly(SEARCH_API);
            FlagProviderStatus flagd = state.flagProviders().get("checkout-flagd").orElseThrow();
            assertThat(flagd.state()).as("the demo's prod-eu is not a watched kubeconfig context")
                    .isEqualTo(ConnectionState.DISCONNECTED);
            assertThat(flagd.message()).isEqualTo("cannot use flag provider checkout-flagd: context prod-eu is not"
                    + " watched: its flags are edited through the same connection as its rollouts, so add prod-eu to"
                    + " kubernetes.contexts (or --context)");

            Files.writeString(registry, "flags:\n  - {key: new-checkout-flow, owner: team-x, rollouts:"
                    + " [prod-eu/checkout/checkout-api]}\n");
            waitUntil("the edited registry is joined into the demo's flags", () -> state.flags()
                    .get(NEW_CHECKOUT_FLOW).orElseThrow().linkedRollouts().equals(List.of(CHECKOUT_API)));

            Files.writeString(registry, "flags:\n  - {key: new-checkout-flow, ownr: team-x}\n");
            waitUntil("a broken edit is reported", () -> state.flagRegistry().problem() != null);
            assertThat(state.flags().get(NEW_CHECKOUT_FLOW).orElseThrow().linkedRollouts())
                    .as("the last good version stays in force").containsExactly(CHECKOUT_API);
        }
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("flag-registry-watch")) {
                t.join(2000);
                assertThat(t.isAlive()).as("the registry watch stops with the runtime").isFalse();
            }
        }
    }
}
