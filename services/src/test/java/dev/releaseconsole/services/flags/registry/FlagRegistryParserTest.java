package dev.releaseconsole.services.flags.registry;

import dev.releaseconsole.services.demo.DemoWorld;
import dev.releaseconsole.services.model.FlagRef;
import dev.releaseconsole.services.model.FlagRegistration;
import dev.releaseconsole.services.model.FlagRegistry;
import dev.releaseconsole.services.model.FlagType;
import dev.releaseconsole.services.model.RolloutLink;
import dev.releaseconsole.services.model.WorkloadKind;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The registry file: every field read, every mistake reported with its line and entry. */
class FlagRegistryParserTest {
    private static final Instant NOW = Instant.parse("2026-11-22T09:00:00Z");

    private static FlagRegistry parse(String yaml) throws RegistryException {
        return FlagRegistryParser.parse(yaml, "registry.yaml", NOW);
    }

    private static String problems(String yaml) {
        try {
            parse(yaml);
        } catch (RegistryException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected the registry to be refused:\n" + yaml);
    }

    @Test
    void readsEveryFieldOfAnEntry() throws Exception {
        FlagRegistry r = parse("""
                settings:
                  fullyOnFor: 21d
                flags:
                  - key: new-checkout-flow
                    provider: unleash-main
                    owner: team-checkout
                    type: release
                    expires: 2027-01-31
                    ticket: CHK-1412
                    killSwitch: false
                    rollouts:
                      - prod-eu/checkout/checkout-api
                      - {cluster: prod-eu, namespace: search, name: search-ranker, kind: Canary}
                  - key: checkout-fast-path
                    killSwitch: true
                """);
        assertThat(r.source()).isEqualTo("registry.yaml");
        assertThat(r.loadedAt()).isEqualTo(NOW);
        assertThat(r.problem()).isNull();
        assertThat(r.fullyOnLimit()).isEqualTo(Duration.ofDays(21));
        assertThat(r.entries()).containsExactly(
                new FlagRegistration("new-checkout-flow", "unleash-main", "team-checkout", FlagType.RELEASE,
                        LocalDate.of(2027, 1, 31), "CHK-1412", false, java.util.List.of(
                        new RolloutLink("prod-eu", "checkout", "checkout-api", null),
                        new RolloutLink("prod-eu", "search", "search-ranker", WorkloadKind.FLAGGER_CANARY)), 4),
                new FlagRegistration("checkout-fast-path", null, null, null, null, null, true, java.util.List.of(),
                        14));
    }

    @Test
    void aProviderScopedEntryWinsOverOneForEveryProvider() throws Exception {
        FlagRegistry r = parse("""
                flags:
                  - {key: banner, owner: team-web}
                  - {key: banner, provider: ld, owner: team-mobile}
                """);
        assertThat(r.lookup(new FlagRef("unleash", "banner")).map(FlagRegistration::owner)).contains("team-web");
        assertThat(r.lookup(new FlagRef("ld", "banner")).map(FlagRegistration::owner)).contains("team-mobile");
        assertThat(r.lookup(new FlagRef("ld", "other"))).isEmpty();
        assertThat(r.fullyOnLimit()).isEqualTo(FlagRegistry.DEFAULT_FULLY_ON_LIMIT);
    }

    @Test
    void anEmptyFlagListIsAValidRegistry() throws Exception {
        assertThat(parse("flags:\n").entries()).isEmpty();
        assertThat(parse("flags: []\n").entries()).isEmpty();
    }

    @Test
    void unknownKeysAreErrorsThatNameTheLineTheEntryAndTheKnownKeys() {
        String msg = problems("""
                flags:
                  - key: new-checkout-flow
                    ownr: team-checkout
                """);
        assertThat(msg).isEqualTo("registry.yaml: line 3: unknown key 'ownr' in entry 'new-checkout-flow'; known keys:"
                + " expires, key, killSwitch, owner, provider, rollouts, ticket, type");
        assertThat(problems("flag:\n  - key: a\n")).contains("line 1: unknown key 'flag' at the top level")
                .contains("'flags:' is missing");
        assertThat(problems("settings: {fullyOn: 3d}\nflags: []\n"))
                .contains("line 1: unknown key 'fullyOn' in settings; known keys: fullyOnFor");
        assertThat(problems("flags:\n  - key: a\n    rollouts:\n      - {cluster: c, namespace: n, nam: x}\n"))
                .contains("line 4: unknown key 'nam' in a rollout of entry 'a'")
                .contains("line 4: entry 'a': a rollout needs name:");
    }

    @Test
    void badValuesSayWhatIsExpected() {
        String msg = problems("""
                flags:
                  - key: a
                    type: feature
                    expires: 31.01.2027
                    killSwitch: yes please
                    rollouts:
                      - prod-eu/checkout
                      - {cluster: prod-eu, namespace: search, name: ranker, kind: Deployment}
                  - owner: team-x
                  - key: b
                    rollouts: prod-eu/a/b
                settings:
                  fullyOnFor: two weeks
                """);
        assertThat(msg).startsWith("registry.yaml: 8 problems:")
                .contains("line 3: entry 'a': type 'feature' is not one of experiment, kill-switch, operational,"
                        + " permission, release")
                .contains("line 4: entry 'a': expires '31.01.2027' is not a date; write it as YYYY-MM-DD")
                .contains("line 5: entry 'a': killSwitch must be true or false, found 'yes please'")
                .contains("line 7: entry 'a': rollout 'prod-eu/checkout' must be cluster/namespace/name")
                .contains("line 8: entry 'a': kind 'Deployment' is not Rollout (Argo Rollouts) or Canary (Flagger)")
                .contains("line 9: flags[1] has no 'key'")
                .contains("line 11: entry 'b': rollouts must be a list")
                .contains("line 13: settings.fullyOnFor: 'two weeks' is not a duration");
    }

    @Test
    void repeatedKeysAndRepeatedFlagsAreErrors() {
        assertThat(problems("""
                flags:
                  - key: a
                    owner: x
                    owner: y
                """)).contains("line 4: 'owner' appears twice (also on line 3)");
        assertThat(problems("""
                flags:
                  - key: a
                  - key: b
                  - key: a
                """)).contains("line 4: flag a is listed twice (also on line 2); keep one entry");
        assertThat(problems("""
                flags:
                  - key: a
                    rollouts: [c/n/x, c/n/x]
                """)).contains("rollout c/n/x is listed twice");
    }

    @Test
    void theFileMustHaveTheRightShape() {
        assertThat(problems("")).contains("the file is empty");
        assertThat(problems("- key: a\n")).contains("line 1: the file must be a mapping with a 'flags:' list");
        assertThat(problems("flags: {key: a}\n")).contains("line 1: 'flags' must be a list of entries");
        assertThat(problems("flags:\n  - just-a-key\n")).contains("line 2: flags[0] must be a mapping");
        assertThat(problems("flags: [\n")).startsWith("registry.yaml: line ").contains("not valid YAML");
        assertThat(problems("flags: []\n---\nflags: []\n")).contains("only one YAML document");
        assertThat(problems("x".repeat(FlagRegistryParser.MAX_CHARS + 1))).contains("more than the");
    }

    @Test
    void theDemoRegistryParsesAndCoversEveryDemoFlag() {
        FlagRegistry demo = DemoWorld.bundledRegistry(NOW);
        assertThat(demo.entries()).extracting(FlagRegistration::key).contains("new-checkout-flow",
                "checkout-fast-path", "payments-3ds-v2", "payments-fallback-psp", "search-semantic-ranking",
                "search-bulk-reindex", "search-typo-tolerance", "storefront-new-header", "checkout-legacy-coupons")
                .doesNotContain("recommendations-widget");
        assertThat(demo.entries()).filteredOn(FlagRegistration::killSwitch).extracting(FlagRegistration::key)
                .containsExactly("checkout-fast-path", "payments-fallback-psp", "search-bulk-reindex");
    }
}
