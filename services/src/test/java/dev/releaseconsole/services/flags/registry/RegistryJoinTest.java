package dev.releaseconsole.services.flags.registry;

import dev.releaseconsole.services.model.Environment;
import dev.releaseconsole.services.model.Flag;
import dev.releaseconsole.services.model.FlagEnvironmentState;
import dev.releaseconsole.services.model.FlagRef;
import dev.releaseconsole.services.model.FlagType;
import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.model.Strategy;
import dev.releaseconsole.services.model.WorkloadKind;
import dev.releaseconsole.services.store.LiveState;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What the registry adds to a provider's flag, and what it never changes. */
class RegistryJoinTest {
    private static final Instant NOW = Instant.parse("2026-11-22T09:00:00Z");
    private static final RolloutRef API = new RolloutRef("prod", "shop", "api", WorkloadKind.ARGO_ROLLOUT);
    private static final RolloutRef RANKER_CANARY = new RolloutRef("prod", "shop", "ranker",
            WorkloadKind.FLAGGER_CANARY);
    private static final FlagEnvironmentState PROD_ON = new FlagEnvironmentState("production",
            Environment.PRODUCTION, true, 30, "all users");

    private final LiveState state = new LiveState();
    private final RegistryJoin join = new RegistryJoin(state);

    private void registry(String yaml) throws RegistryException {
        state.publishFlagRegistry(FlagRegistryParser.parse(yaml, "registry.yaml", NOW));
    }

    private static void report(LiveState state, RolloutRef ref) {
        state.rollouts().upsert(Rollout.builder(ref, Strategy.CANARY).createdAt(NOW).build());
    }

    private static Flag flag(String provider, String key, FlagType type, String owner, List<RolloutRef> links) {
        return new Flag(new FlagRef(provider, key), type, "d", owner, List.of(PROD_ON), links, NOW);
    }

    @Test
    void addsLinkedRolloutsAndFillsOwnerAndTypeWhereTheProviderHasNone() throws Exception {
        report(state, API);
        report(state, RANKER_CANARY);
        registry("""
                flags:
                  - key: ranking
                    owner: team-search
                    type: experiment
                    rollouts: [prod/shop/api, prod/shop/ranker]
                """);
        Flag joined = join.apply(flag("flagd", "ranking", FlagType.UNKNOWN, null, List.of()));
        assertThat(joined.linkedRollouts()).containsExactly(API, RANKER_CANARY);
        assertThat(joined.owner()).isEqualTo("team-search");
        assertThat(joined.type()).isEqualTo(FlagType.EXPERIMENT);
        assertThat(joined.environments()).containsExactly(PROD_ON);
        assertThat(joined.createdAt()).isEqualTo(NOW);
    }

    @Test
    void theProvidersOwnOwnerTypeAndLinksStay() throws Exception {
        report(state, API);
        RolloutRef other = new RolloutRef("prod", "shop", "web", WorkloadKind.ARGO_ROLLOUT);
        registry("""
                flags:
                  - {key: ranking, owner: team-search, type: experiment, rollouts: [prod/shop/api]}
                """);
        Flag joined = join.apply(flag("unleash", "ranking", FlagType.RELEASE, "alice", List.of(other, API)));
        assertThat(joined.owner()).isEqualTo("alice");
        assertThat(joined.type()).isEqualTo(FlagType.RELEASE);
        assertThat(joined.linkedRollouts()).as("no duplicates").containsExactly(other, API);
    }

    @Test
    void aFlagWithoutAnEntryPassesUnchanged() throws Exception {
        registry("flags:\n  - {key: other, provider: unleash}\n");
        Flag f = flag("unleash", "ranking", FlagType.RELEASE, null, List.of());
        assertThat(join.apply(f)).isSameAs(f);
        assertThat(new RegistryJoin(new LiveState()).apply(f)).as("no registry configured").isSameAs(f);
    }

    @Test
    void aLinkWithoutAKindResolvesToWhatTheClusterReports() throws Exception {
        registry("flags:\n  - {key: f, rollouts: [prod/shop/ranker]}\n");
        Flag f = flag("unleash", "f", FlagType.RELEASE, null, List.of());
        assertThat(join.apply(f).linkedRollouts()).as("nothing reported yet: an Argo Rollout")
                .containsExactly(new RolloutRef("prod", "shop", "ranker", WorkloadKind.ARGO_ROLLOUT));
        report(state, RANKER_CANARY);
        assertThat(join.apply(f).linkedRollouts()).as("the cluster reports a Flagger Canary")
                .containsExactly(RANKER_CANARY);
        report(state, new RolloutRef("prod", "shop", "ranker", WorkloadKind.ARGO_ROLLOUT));
        assertThat(join.apply(f).linkedRollouts()).as("both kinds of that name: both, and the debt view asks for a kind")
                .containsExactly(new RolloutRef("prod", "shop", "ranker", WorkloadKind.ARGO_ROLLOUT), RANKER_CANARY);
        registry("flags:\n  - {key: f, rollouts: [{cluster: prod, namespace: shop, name: ranker, kind: Canary}]}\n");
        assertThat(join.apply(f).linkedRollouts()).containsExactly(RANKER_CANARY);
    }
}
