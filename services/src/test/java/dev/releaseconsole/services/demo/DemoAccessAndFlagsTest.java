package dev.releaseconsole.services.demo;

import dev.releaseconsole.services.actions.ActionException;
import dev.releaseconsole.services.actions.ActionType;
import dev.releaseconsole.services.actions.PermissionChecker;
import dev.releaseconsole.services.actions.Verdict;
import dev.releaseconsole.services.model.Flag;
import dev.releaseconsole.services.model.FlagChangeEvent;
import dev.releaseconsole.services.model.FlagEnvironmentState;
import dev.releaseconsole.services.model.FlagRef;
import dev.releaseconsole.services.model.FlagTarget;
import dev.releaseconsole.services.model.FlagType;
import dev.releaseconsole.services.model.Environment;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.releaseconsole.services.demo.DemoFixture.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The demo user's permissions and the demo flag provider. */
class DemoAccessAndFlagsTest {

    @Test
    void paymentsIsViewOnlyWithTheResourceNamedInTheReason() {
        PermissionChecker permissions = new DemoFixture().world.permissions();

        assertThat(permissions.mayPerform(ActionType.PROMOTE, PAYMENTS_GATEWAY)).isEqualTo(Verdict.refused(
                "you may not patch rollouts/status in namespace payments on cluster prod-eu"));
        assertThat(permissions.mayPerform(ActionType.ABORT, PAYMENTS_GATEWAY).reason())
                .isEqualTo("you may not patch rollouts/status in namespace payments on cluster prod-eu");
        assertThat(permissions.mayPerform(ActionType.RESUME, PAYMENTS_GATEWAY).reason())
                .isEqualTo("you may not patch rollouts in namespace payments on cluster prod-eu");
        assertThat(permissions.mayPerform(ActionType.RESTART, LEDGER_SERVICE).reason())
                .isEqualTo("you may not patch rollouts in namespace payments on cluster prod-eu");
        assertThat(permissions.mayPerform(ActionType.PAUSE, FRAUD_SCORER).reason())
                .isEqualTo("you may not patch canaries in namespace payments on cluster prod-eu");

        assertThat(permissions.mayPerform(ActionType.ABORT, CHECKOUT_API).isAllowed()).isTrue();
        assertThat(permissions.mayPerform(ActionType.FLAG_OFF,
                new FlagTarget(new FlagRef("demo", "new-checkout-flow"), "production")).isAllowed()).isTrue();
        assertThat(permissions.whoAmI(CHECKOUT_API)).isEqualTo("demo-user (simulated)");
    }

    @Test
    void theBackendRefusesPaymentsLikeTheApiServerWould() {
        DemoFixture f = new DemoFixture();

        assertThatThrownBy(() -> f.perform(ActionType.RESUME, PAYMENTS_GATEWAY))
                .isInstanceOfSatisfying(ActionException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ActionException.Reason.DENIED);
                    assertThat(e.getMessage())
                            .isEqualTo("you may not patch rollouts in namespace payments on cluster prod-eu");
                });
        assertThat(f.rollout(PAYMENTS_GATEWAY).specPaused()).isTrue();
    }

    @Test
    void checkoutApiHasAReleaseFlagAndAKillSwitchLinkedToItThroughTheRegistry() throws Exception {
        DemoFixture f = new DemoFixture();

        assertThat(f.world.flags().id()).isEqualTo("demo");
        FlagRef newFlowRef = new FlagRef("demo", "new-checkout-flow");
        Flag asProvided = f.world.flags().read(newFlowRef).orElseThrow();
        assertThat(asProvided.linkedRollouts()).as("like Unleash, the provider knows no rollouts").isEmpty();
        assertThat(asProvided.owner()).isNull();
        assertThat(asProvided.createdAt()).isEqualTo(START.minus(java.time.Duration.ofDays(12)));

        Flag newFlow = f.state.flags().get(newFlowRef).orElseThrow();
        assertThat(newFlow.type()).isEqualTo(FlagType.RELEASE);
        assertThat(newFlow.linkedRollouts()).as("from the demo registry").containsExactly(CHECKOUT_API);
        assertThat(newFlow.owner()).isEqualTo("team-checkout");
        FlagEnvironmentState production = newFlow.environment("production").orElseThrow();
        assertThat(production.tier()).isEqualTo(Environment.PRODUCTION);
        assertThat(production.enabled()).isTrue();
        assertThat(production.rolloutPercent()).isEqualTo(25);
        assertThat(production.targeting()).isEqualTo("region in [eu-west]; tier = beta");
        assertThat(newFlow.environment("staging").orElseThrow().tier()).isEqualTo(Environment.STAGING);

        Flag killSwitch = f.state.flags().get(new FlagRef("demo", "checkout-fast-path")).orElseThrow();
        assertThat(killSwitch.type()).isEqualTo(FlagType.KILL_SWITCH);
        assertThat(killSwitch.linkedRollouts()).contains(CHECKOUT_API);
        assertThat(f.state.flags().get(new FlagRef("demo", "search-semantic-ranking")).orElseThrow()
                .linkedRollouts()).as("the registry names search-ranker without a kind; the cluster reports a Canary")
                .containsExactly(SEARCH_API, SEARCH_RANKER);
        assertThat(f.state.flagRegistry().source()).contains("flag-registry.yaml");
        assertThat(f.state.flags().all()).hasSize(9).allSatisfy(flag -> {
            assertThat(flag.description()).isNotBlank();
            assertThat(flag.createdAt()).isBefore(START);
            assertThat(flag.linkedRollouts()).allSatisfy(r -> assertThat(f.state.rollouts().get(r)).isPresent());
        });
    }

    @Test
    void theDemoProviderKeepsAChangeHistoryAndRecordsActions() throws Exception {
        DemoFixture f = new DemoFixture();
        FlagRef ref = new FlagRef("demo", "search-typo-tolerance");
        List<FlagChangeEvent> before = f.world.flags().events(ref, 10);
        assertThat(before).extracting(FlagChangeEvent::type).containsExactly("feature-strategy-updated",
                "feature-strategy-updated", "feature-environment-enabled", "feature-environment-enabled",
                "feature-created");
        assertThat(before.get(0).time()).isAfter(before.get(before.size() - 1).time());

        f.world.flags().setEnabled(ref, "production", false);

        FlagChangeEvent newest = f.world.flags().events(ref, 1).get(0);
        assertThat(newest.type()).isEqualTo("feature-environment-disabled");
        assertThat(newest.environment()).isEqualTo("production");
        assertThat(newest.time()).isEqualTo(START);
        assertThat(newest.actor()).isEqualTo("demo-user (simulated)");
        assertThat(f.world.flags().events(ref, 2)).hasSize(2);
    }

    @Test
    void turningAFlagOffIsReadBackAndPublished() throws Exception {
        DemoFixture f = new DemoFixture();
        FlagRef ref = new FlagRef("demo", "new-checkout-flow");

        String sent = f.world.flags().setEnabled(ref, "production", false);

        assertThat(sent).contains("new-checkout-flow/environments/production/off");
        assertThat(f.world.flags().read(ref).orElseThrow().environment("production").orElseThrow().enabled())
                .isFalse();
        assertThat(f.state.flags().get(ref).orElseThrow().environment("production").orElseThrow().enabled())
                .isFalse();
        assertThat(f.state.flags().get(ref).orElseThrow().environment("staging").orElseThrow().enabled())
                .as("other environments untouched").isTrue();
    }

    @Test
    void unknownFlagsAndEnvironmentsAreReportedNotInvented() {
        DemoFixture f = new DemoFixture();

        assertThatThrownBy(() -> f.world.flags().setEnabled(new FlagRef("demo", "nope"), "production", false))
                .isInstanceOfSatisfying(ActionException.class,
                        e -> assertThat(e.reason()).isEqualTo(ActionException.Reason.NOT_FOUND));
        assertThatThrownBy(() -> f.world.flags().setEnabled(new FlagRef("demo", "new-checkout-flow"), "qa", true))
                .isInstanceOfSatisfying(ActionException.class,
                        e -> assertThat(e.reason()).isEqualTo(ActionException.Reason.INVALID));
    }
}
