package dev.releaseconsole.services.flags.debt;

import dev.releaseconsole.services.flags.registry.FlagRegistryParser;
import dev.releaseconsole.services.model.ClusterRef;
import dev.releaseconsole.services.model.ClusterStatus;
import dev.releaseconsole.services.model.ConnectionState;
import dev.releaseconsole.services.model.Environment;
import dev.releaseconsole.services.model.Flag;
import dev.releaseconsole.services.model.FlagChangeEvent;
import dev.releaseconsole.services.model.FlagEnvironmentState;
import dev.releaseconsole.services.model.FlagProviderStatus;
import dev.releaseconsole.services.model.FlagRef;
import dev.releaseconsole.services.model.FlagType;
import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.model.Strategy;
import dev.releaseconsole.services.model.WorkloadKind;
import dev.releaseconsole.services.store.LiveState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Each debt rule on a hand-built state at a fixed time: when it fires, when it does not, and what it says. */
class FlagDebtCalculatorTest {
    private static final Instant NOW = Instant.parse("2026-11-22T09:00:00Z");
    private static final FlagEnvironmentState PROD_ALL = env("production", Environment.PRODUCTION, true, null,
            "all users");
    private static final FlagEnvironmentState STAGING_ALL = env("staging", Environment.STAGING, true, 100,
            "all users");

    private final LiveState state = new LiveState();

    @BeforeEach
    void providers() {
        state.flagProviders().upsert(new FlagProviderStatus("unleash", "unleash", ConnectionState.CONNECTED, "ok",
                NOW));
    }

    private static FlagEnvironmentState env(String name, Environment tier, boolean on, Integer percent,
                                            String targeting) {
        return new FlagEnvironmentState(name, tier, on, percent, targeting);
    }

    private static Flag flag(String key, FlagType type, String owner, Duration age, FlagEnvironmentState... envs) {
        return new Flag(new FlagRef("unleash", key), type, "d", owner, List.of(envs), List.of(),
                age == null ? null : NOW.minus(age));
    }

    private void registry(String yaml) throws Exception {
        state.publishFlagRegistry(FlagRegistryParser.parse(yaml, "registry.yaml", NOW));
    }

    private List<FlagDebt> debt() {
        return FlagDebtCalculator.calculate(state, Map.of(), NOW);
    }

    private List<FlagDebt> debt(Map<FlagRef, List<FlagChangeEvent>> history) {
        return FlagDebtCalculator.calculate(state, history, NOW);
    }

    private static FlagChangeEvent event(String key, String env, Duration ago) {
        return new FlagChangeEvent(new FlagRef("unleash", key), env, NOW.minus(ago), "bob", "feature-updated", "");
    }

    @Test
    void expiredIsTheDayAfterTheExpiryDateAndNamesTheTicket() throws Exception {
        state.flags().upsert(flag("a", FlagType.RELEASE, "team", Duration.ofDays(3), PROD_ALL));
        registry("flags:\n  - {key: a, owner: team, expires: 2026-11-22, ticket: T-1}\n");
        assertThat(debt()).as("the expiry day itself is still fine").isEmpty();
        registry("flags:\n  - {key: a, owner: team, expires: 2026-11-21, ticket: T-1}\n");
        assertThat(debt()).singleElement().satisfies(d -> {
            assertThat(d.kind()).isEqualTo(DebtKind.EXPIRED);
            assertThat(d.key()).isEqualTo("a");
            assertThat(d.provider()).isEqualTo("unleash");
            assertThat(d.owner()).isEqualTo("team");
            assertThat(d.why()).isEqualTo("Expired on 2026-11-21 (1 day ago) by its registry entry (ticket T-1).");
            assertThat(d.whatToDo()).startsWith("Remove it from the code and archive it in unleash");
            assertThat(d.since()).isEqualTo(Instant.parse("2026-11-21T00:00:00Z"));
        });
    }

    @Test
    void pastItsTypesLifetimeFollowsUnleashAndAnExplicitExpiryOverridesIt() throws Exception {
        state.flags().upsertAll(List.of(
                flag("release-41d", FlagType.RELEASE, "t", Duration.ofDays(41), PROD_ALL),
                flag("release-40d", FlagType.RELEASE, "t", Duration.ofDays(40), PROD_ALL),
                flag("experiment-50d", FlagType.EXPERIMENT, "t", Duration.ofDays(50)),
                flag("operational-8d", FlagType.OPERATIONAL, "t", Duration.ofDays(8)),
                flag("operational-6d", FlagType.OPERATIONAL, "t", Duration.ofDays(6)),
                flag("kill-switch-900d", FlagType.KILL_SWITCH, "t", Duration.ofDays(900)),
                flag("permission-900d", FlagType.PERMISSION, "t", Duration.ofDays(900)),
                flag("no-creation-time", FlagType.RELEASE, "t", null),
                flag("release-with-expiry", FlagType.RELEASE, "t", Duration.ofDays(90))));
        registry("flags:\n  - {key: release-with-expiry, expires: 2027-06-30}\n");
        List<FlagDebt> past = debt().stream().filter(d -> d.kind() == DebtKind.PAST_LIFETIME).toList();
        assertThat(past).extracting(FlagDebt::key).containsExactly("experiment-50d", "operational-8d",
                "release-41d");
        assertThat(past.get(0).why()).isEqualTo("An experiment flag created 50 days ago; experiment flags are"
                + " expected to live 40 days (Unleash's lifetime for the type), and the registry names no expiry date.");
        assertThat(past.get(1).why()).contains("expected to live 7 days");
        assertThat(past.get(2).since()).isEqualTo(NOW.minus(Duration.ofDays(41)));
    }

    @Test
    void atOneHundredPercentTooLongCountsFromTheNewestProductionChange() throws Exception {
        FlagEnvironmentState prod100 = env("production", Environment.PRODUCTION, true, 100, "all users");
        state.flags().upsertAll(List.of(
                flag("done", FlagType.RELEASE, "t", Duration.ofDays(30), prod100, STAGING_ALL),
                flag("recent", FlagType.RELEASE, "t", Duration.ofDays(30), prod100),
                flag("partial", FlagType.RELEASE, "t", Duration.ofDays(30),
                        env("production", Environment.PRODUCTION, true, 60, "all users")),
                flag("targeted", FlagType.RELEASE, "t", Duration.ofDays(30),
                        env("production", Environment.PRODUCTION, true, null, "country = NO")),
                flag("kill", FlagType.KILL_SWITCH, "t", Duration.ofDays(30), PROD_ALL),
                flag("no-history", FlagType.RELEASE, "t", Duration.ofDays(30), PROD_ALL)));
        registry("settings: {fullyOnFor: 14d}\nflags:\n  - {key: done, expires: 2027-01-01}\n"
                + "  - {key: recent, expires: 2027-01-01}\n  - {key: no-history, expires: 2027-01-01}\n"
                + "  - {key: partial, expires: 2027-01-01}\n  - {key: targeted, expires: 2027-01-01}\n"
                + "  - {key: kill}\n");
        assertThat(FlagDebtCalculator.needingHistory(state)).extracting(FlagRef::key)
                .containsExactly("done", "kill", "no-history", "recent");
        Map<FlagRef, List<FlagChangeEvent>> history = Map.of(
                new FlagRef("unleash", "done"), List.of(event("done", "staging", Duration.ofDays(2)),
                        event("done", "production", Duration.ofDays(20)), event("done", null, Duration.ofDays(30))),
                new FlagRef("unleash", "recent"), List.of(event("recent", "production", Duration.ofDays(13))),
                new FlagRef("unleash", "kill"), List.of(event("kill", "production", Duration.ofDays(300))));
        List<FlagDebt> fullyOn = debt(history).stream().filter(d -> d.kind() == DebtKind.FULLY_ON).toList();
        assertThat(fullyOn).singleElement().satisfies(d -> {
            assertThat(d.key()).isEqualTo("done");
            assertThat(d.why()).isEqualTo("At 100% in production since 2026-11-02 (20 days, from the provider's"
                    + " change history; the limit is 14 days): it no longer switches anything.");
            assertThat(d.since()).isEqualTo(NOW.minus(Duration.ofDays(20)));
        });
        registry("settings: {fullyOnFor: 10d}\nflags:\n  - {key: done, expires: 2027-01-01}\n"
                + "  - {key: recent, expires: 2027-01-01}\n");
        assertThat(debt(history).stream().filter(d -> d.kind() == DebtKind.FULLY_ON)).extracting(FlagDebt::key)
                .as("the registry's own limit").containsExactly("done", "recent");
    }

    @Test
    void noOwnerUnlessTheProviderOrTheRegistryNamesOne() throws Exception {
        state.flags().upsertAll(List.of(flag("mine", FlagType.RELEASE, "alice", Duration.ofDays(1)),
                flag("registered", FlagType.RELEASE, null, Duration.ofDays(1)),
                flag("orphan", FlagType.RELEASE, " ", Duration.ofDays(1))));
        registry("flags:\n  - {key: mine}\n  - {key: registered, owner: team-x}\n  - {key: orphan}\n");
        assertThat(debt()).singleElement().satisfies(d -> {
            assertThat(d.kind()).isEqualTo(DebtKind.NO_OWNER);
            assertThat(d.key()).isEqualTo("orphan");
            assertThat(d.why()).isEqualTo("Nobody owns it: the provider names no owner and its registry entry"
                    + " (line 4) has none.");
            assertThat(d.whatToDo()).isEqualTo("Add owner: <team> to its registry entry.");
        });
    }

    @Test
    void inAProviderButNotInTheRegistryAndTheReverse() throws Exception {
        state.flags().upsertAll(List.of(flag("unlisted", FlagType.RELEASE, "t", Duration.ofDays(1)),
                flag("listed", FlagType.RELEASE, "t", Duration.ofDays(1))));
        assertThat(debt()).as("without a registry there is nothing to compare with").isEmpty();

        state.flagProviders().upsert(new FlagProviderStatus("ld", "launchdarkly", ConnectionState.UNREACHABLE,
                "connection refused", null));
        registry("""
                flags:
                  - {key: listed}
                  - {key: gone, owner: team-x, expires: 2026-01-31}
                  - {key: maybe, provider: ld}
                  - {key: typo, provider: unleash-mian}
                """);
        List<FlagDebt> debt = debt();
        assertThat(debt).extracting(FlagDebt::kind, FlagDebt::key).containsExactly(
                org.assertj.core.groups.Tuple.tuple(DebtKind.NOT_IN_REGISTRY, "unlisted"),
                org.assertj.core.groups.Tuple.tuple(DebtKind.NOT_IN_PROVIDER, "gone"),
                org.assertj.core.groups.Tuple.tuple(DebtKind.NOT_IN_PROVIDER, "maybe"),
                org.assertj.core.groups.Tuple.tuple(DebtKind.NOT_IN_PROVIDER, "typo"));
        assertThat(debt.get(0).whatToDo()).isEqualTo("Add an entry with key: unlisted (owner, type, expires, ticket,"
                + " rollouts) to registry.yaml, or archive the flag if nothing uses it.");
        assertThat(debt.get(1).why()).isEqualTo("The registry lists it (line 3), but no connected provider reports it;"
                + " ld is not connected, so it may still be there. Its entry expired on 2026-01-31.");
        assertThat(debt.get(1).provider()).isNull();
        assertThat(debt.get(1).owner()).isEqualTo("team-x");
        assertThat(debt.get(2).why()).isEqualTo("The registry lists it (line 4), but provider ld is not connected"
                + " (connection refused), so it may still be there.");
        assertThat(debt.get(3).why()).contains("no provider with id unleash-mian is configured");
        assertThat(debt.get(3).whatToDo()).isEqualTo("Fix provider: in the entry, or configure a provider with id"
                + " unleash-mian.");
    }

    @Test
    void linksThatNameTwoRolloutsOrNoneAreReported() throws Exception {
        ClusterRef prod = new ClusterRef("prod", "prod", Environment.PRODUCTION, false);
        state.clusters().upsert(new ClusterStatus(prod, ConnectionState.CONNECTED, "ok"));
        for (WorkloadKind k : WorkloadKind.values()) {
            state.rollouts().upsert(Rollout.builder(new RolloutRef("prod", "shop", "api", k), Strategy.CANARY)
                    .createdAt(NOW).build());
        }
        state.flags().upsert(flag("f", FlagType.KILL_SWITCH, "t", Duration.ofDays(1)));
        registry("flags:\n  - key: f\n    rollouts: [prod/shop/api, prod/shop/gone, other-cluster/shop/x]\n");
        List<FlagDebt> debt = debt();
        assertThat(debt).extracting(FlagDebt::kind).containsExactly(DebtKind.LINK_AMBIGUOUS,
                DebtKind.LINK_NOT_REPORTED);
        assertThat(debt.get(0).why()).contains("links prod/shop/api, and cluster prod has both an Argo Rollout and a"
                + " Flagger Canary of that name: the kill switch aborts both.");
        assertThat(debt.get(0).whatToDo()).isEqualTo("Add kind: Rollout or kind: Canary to that link.");
        assertThat(debt.get(1).why()).contains("links prod/shop/gone, which cluster prod does not report");
    }

    @Test
    void theDemoWorldShowsEveryKindOfDebtOnce() throws Exception {
        LiveState demo = new LiveState();
        dev.releaseconsole.services.demo.DemoWorld world = new dev.releaseconsole.services.demo.DemoWorld(42, NOW,
                demo);
        Map<FlagRef, List<FlagChangeEvent>> history = new java.util.HashMap<>();
        for (FlagRef ref : FlagDebtCalculator.needingHistory(demo)) {
            history.put(ref, world.flags().events(ref, FlagDebtCalculator.HISTORY_EVENTS));
        }
        assertThat(FlagDebtCalculator.calculate(demo, history, NOW)).extracting(FlagDebt::kind, FlagDebt::key)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(DebtKind.EXPIRED, "payments-3ds-v2"),
                        org.assertj.core.groups.Tuple.tuple(DebtKind.PAST_LIFETIME, "search-semantic-ranking"),
                        org.assertj.core.groups.Tuple.tuple(DebtKind.FULLY_ON, "search-typo-tolerance"),
                        org.assertj.core.groups.Tuple.tuple(DebtKind.NO_OWNER, "storefront-new-header"),
                        org.assertj.core.groups.Tuple.tuple(DebtKind.NOT_IN_REGISTRY, "recommendations-widget"),
                        org.assertj.core.groups.Tuple.tuple(DebtKind.NOT_IN_PROVIDER, "checkout-legacy-coupons"));
    }
}
