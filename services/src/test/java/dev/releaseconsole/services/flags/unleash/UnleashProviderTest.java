package dev.releaseconsole.services.flags.unleash;

import dev.releaseconsole.services.actions.ActionException;
import dev.releaseconsole.services.governance.SecretSource;
import dev.releaseconsole.services.model.Environment;
import dev.releaseconsole.services.model.Flag;
import dev.releaseconsole.services.model.FlagChangeEvent;
import dev.releaseconsole.services.model.FlagEnvironmentState;
import dev.releaseconsole.services.model.FlagRef;
import dev.releaseconsole.services.model.FlagType;
import dev.releaseconsole.services.testing.UnleashAdmin;
import dev.releaseconsole.services.testing.UnleashServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.releaseconsole.services.testing.UnleashAdmin.constraint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Unleash adapter against a real Unleash (npm unleash-server on PostgreSQL) started by the test harness. */
class UnleashProviderTest {
    private static final String PROVIDER = "unleash-main";
    private static UnleashServer server;
    private static UnleashAdmin admin;
    private UnleashProvider provider;

    @BeforeAll
    static void startUnleash() {
        server = UnleashServer.shared();
        admin = server.admin();
    }

    @BeforeEach
    void connect() {
        provider = new UnleashProvider(settings());
    }

    @AfterEach
    void close() {
        provider.close();
    }

    static UnleashSettings settings() {
        return UnleashSettings.of(PROVIDER, server.baseUrl() + "/", SecretSource.env("UNLEASH_TOKEN",
                name -> name.equals("UNLEASH_TOKEN") ? server.adminToken() : null));
    }

    @Test
    void listsTypesEnvironmentsPercentagesAndTargeting() throws Exception {
        String checkout = UnleashServer.uniqueName("new-checkout");
        String fastPath = UnleashServer.uniqueName("checkout-fast-path");
        int segment = admin.createSegment(UnleashServer.uniqueName("pro-users"), constraint("plan", "IN", "pro"));
        admin.createFlag(checkout, "release", "The new checkout flow");
        admin.addGradualRollout(checkout, "production", 25, new int[]{segment},
                constraint("region", "IN", "eu-west"), constraint("tier", "STR_CONTAINS", "beta"));
        admin.setEnabled(checkout, "production", true);
        admin.createFlag(fastPath, "kill-switch", "Skips the fraud check when it is slow");
        admin.addDefaultStrategy(fastPath, "development");
        admin.setEnabled(fastPath, "development", true);

        List<Flag> flags = provider.list();

        Flag c = find(flags, checkout);
        assertThat(c.ref()).isEqualTo(new FlagRef(PROVIDER, checkout));
        assertThat(c.type()).isEqualTo(FlagType.RELEASE);
        assertThat(c.description()).isEqualTo("The new checkout flow");
        assertThat(c.linkedRollouts()).isEmpty();
        assertThat(c.environments()).extracting(FlagEnvironmentState::environment)
                .containsExactlyInAnyOrder("development", "production");
        FlagEnvironmentState prod = c.environment("production").orElseThrow();
        assertThat(prod.tier()).isEqualTo(Environment.PRODUCTION);
        assertThat(prod.enabled()).isTrue();
        assertThat(prod.rolloutPercent()).isEqualTo(25);
        assertThat(prod.targeting()).matches("segment pro-users-\\S+ \\(plan in \\[pro]\\); region in \\[eu-west]; "
                + "tier contains \\[beta]");
        FlagEnvironmentState dev = c.environment("development").orElseThrow();
        assertThat(dev.tier()).isEqualTo(Environment.DEVELOPMENT);
        assertThat(dev.enabled()).isFalse();
        assertThat(dev.rolloutPercent()).isNull();
        assertThat(dev.targeting()).isEqualTo("everyone (no strategy)");

        Flag k = find(flags, fastPath);
        assertThat(k.type()).isEqualTo(FlagType.KILL_SWITCH);
        assertThat(k.environment("development").orElseThrow().enabled()).isTrue();
        assertThat(k.environment("development").orElseThrow().targeting()).isEqualTo("everyone");
        assertThat(k.environment("production").orElseThrow().enabled()).isFalse();
    }

    @Test
    void aListSeesChangesMadeElsewhereAndForgetsArchivedFlags() throws Exception {
        String name = UnleashServer.uniqueName("search-boost");
        admin.createFlag(name, "experiment", "");
        String strategy = admin.addGradualRollout(name, "production", 10, new int[0]);
        admin.setEnabled(name, "production", true);
        assertThat(find(provider.list(), name).environment("production").orElseThrow().rolloutPercent())
                .isEqualTo(10);

        // Changed behind the console's back: the next list shows it (strategies re-read because the event log says so).
        admin.patchRollout(name, "production", strategy, 60);
        admin.setEnabled(name, "production", false);
        FlagEnvironmentState prod = find(provider.list(), name).environment("production").orElseThrow();
        assertThat(prod.rolloutPercent()).isEqualTo(60);
        assertThat(prod.enabled()).isFalse();

        admin.archive(name);
        assertThat(provider.list()).extracting(f -> f.ref().key()).doesNotContain(name);
    }

    @Test
    void readsOneFlagFreshAndAnUnknownFlagIsEmpty() throws Exception {
        String name = UnleashServer.uniqueName("fresh");
        admin.createFlag(name, "operational", "ops");
        Flag flag = provider.read(new FlagRef(PROVIDER, name)).orElseThrow();
        assertThat(flag.type()).isEqualTo(FlagType.OPERATIONAL);
        assertThat(flag.enabledAnywhere()).isFalse();
        admin.setEnabled(name, "development", true);
        assertThat(provider.read(new FlagRef(PROVIDER, name)).orElseThrow().environment("development")
                .orElseThrow().enabled()).isTrue();

        assertThat(provider.read(new FlagRef(PROVIDER, "no-such-flag-" + name))).isEmpty();
    }

    @Test
    void turnsAFlagOnAndOffInOneEnvironment() throws Exception {
        String name = UnleashServer.uniqueName("toggle");
        admin.createFlag(name, "release", "");
        admin.addGradualRollout(name, "production", 50, new int[0]);
        FlagRef ref = new FlagRef(PROVIDER, name);

        String sent = provider.setEnabled(ref, "production", true);
        assertThat(sent).isEqualTo("POST /api/admin/projects/default/features/" + name
                + "/environments/production/on");
        Flag on = provider.read(ref).orElseThrow();
        assertThat(on.environment("production").orElseThrow().enabled()).isTrue();
        assertThat(on.environment("development").orElseThrow().enabled()).isFalse();
        assertThat(admin.flag(name).path("environments").findValues("enabled").toString()).contains("true");

        provider.setEnabled(ref, "production", false);
        assertThat(provider.read(ref).orElseThrow().environment("production").orElseThrow().enabled()).isFalse();
        assertThat(admin.countEvents(name, "feature-environment-enabled", "production")).isEqualTo(1);
        assertThat(admin.countEvents(name, "feature-environment-disabled", "production")).isEqualTo(1);
    }

    @Test
    void changesTheRolloutPercentageWithAJsonPatch() throws Exception {
        String name = UnleashServer.uniqueName("percent");
        admin.createFlag(name, "release", "");
        admin.addGradualRollout(name, "production", 5, new int[0], constraint("region", "IN", "eu-west"));
        FlagRef ref = new FlagRef(PROVIDER, name);

        String sent = provider.setRolloutPercent(ref, "production", 40);

        assertThat(sent).startsWith("PATCH /api/admin/projects/default/features/" + name
                + "/environments/production/strategies/").endsWith(
                " [{\"op\":\"replace\",\"path\":\"/parameters/rollout\",\"value\":\"40\"}]");
        FlagEnvironmentState prod = provider.read(ref).orElseThrow().environment("production").orElseThrow();
        assertThat(prod.rolloutPercent()).isEqualTo(40);
        assertThat(prod.targeting()).isEqualTo("region in [eu-west]");
        assertThat(admin.countEvents(name, "feature-strategy-update", "production")).isEqualTo(1);
    }

    @Test
    void aPercentageWithoutAGradualRolloutIsRefusedSayingSo() {
        String name = UnleashServer.uniqueName("no-rollout");
        admin.createFlag(name, "release", "");
        admin.addDefaultStrategy(name, "production");

        assertThatThrownBy(() -> provider.setRolloutPercent(new FlagRef(PROVIDER, name), "production", 30))
                .isInstanceOfSatisfying(ActionException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ActionException.Reason.INVALID);
                    assertThat(e.getMessage()).contains("has no gradual rollout", "production", "add one in Unleash");
                });
    }

    @Test
    void anUnknownEnvironmentIsNotFoundWithUnleashsOwnMessage() {
        String name = UnleashServer.uniqueName("no-env");
        admin.createFlag(name, "release", "");

        assertThatThrownBy(() -> provider.setEnabled(new FlagRef(PROVIDER, name), "staging", false))
                .isInstanceOfSatisfying(ActionException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ActionException.Reason.NOT_FOUND);
                    assertThat(e.httpStatus()).isEqualTo(404);
                    assertThat(e.getMessage()).contains("Could not find environment staging for feature: " + name);
                });
    }

    @Test
    void readsTheFlagsOwnEventsNewestFirst() throws Exception {
        String name = UnleashServer.uniqueName("events");
        admin.createFlag(name, "release", "");
        admin.addGradualRollout(name, "production", 20, new int[0]);
        FlagRef ref = new FlagRef(PROVIDER, name);
        provider.setEnabled(ref, "production", true);
        provider.setRolloutPercent(ref, "production", 35);
        provider.setEnabled(ref, "production", false);

        List<FlagChangeEvent> events = provider.events(ref, 3);

        assertThat(events).extracting(FlagChangeEvent::type).containsExactly("feature-environment-disabled",
                "feature-strategy-update", "feature-environment-enabled");
        FlagChangeEvent newest = events.get(0);
        assertThat(newest.flag()).isEqualTo(ref);
        assertThat(newest.environment()).isEqualTo("production");
        assertThat(newest.actor()).startsWith("rc-admin");
        assertThat(newest.time()).isNotNull();
        assertThat(newest.summary()).contains("disabled " + name + " for the production environment")
                .doesNotContain("**", "](");
        assertThat(events.get(1).summary()).contains("from 20% to 35%");
        assertThat(events.get(0).time()).isAfterOrEqualTo(events.get(2).time());
    }

    @Test
    void environmentTiersComeFromConfigurationFirstThenFromUnleashsEnvironmentType() throws Exception {
        String name = UnleashServer.uniqueName("tiers");
        admin.createFlag(name, "release", "");
        try (UnleashProvider staged = new UnleashProvider(settings().withEnvironmentTiers(
                Map.of("development", Environment.STAGING)))) {
            Flag flag = staged.read(new FlagRef(PROVIDER, name)).orElseThrow();
            assertThat(flag.environment("development").orElseThrow().tier()).isEqualTo(Environment.STAGING);
            // not configured: Unleash's own environment type "production"
            assertThat(flag.environment("production").orElseThrow().tier()).isEqualTo(Environment.PRODUCTION);
        }
    }

    static Flag find(List<Flag> flags, String name) {
        return flags.stream().filter(f -> f.ref().key().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("flag " + name + " not listed"));
    }
}
