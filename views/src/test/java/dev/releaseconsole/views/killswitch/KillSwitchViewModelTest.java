package dev.releaseconsole.views.killswitch;

import dev.releaseconsole.services.actions.Outcome;
import dev.releaseconsole.services.actions.TargetOutcome;
import dev.releaseconsole.views.common.TaskRunner;
import dev.releaseconsole.views.killswitch.KillSwitchViewModel.Phase;
import dev.releaseconsole.views.testing.DemoServices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The kill switch on the demo world: its flags, linked rollouts, production rule and real action facade. */
class KillSwitchViewModelTest {
    @TempDir
    Path dir;
    private DemoServices world;
    private KillSwitchViewModel vm;

    @BeforeEach
    void setUp() {
        world = new DemoServices(dir);
        vm = new KillSwitchViewModel(world.services, TaskRunner.DIRECT);
    }

    @AfterEach
    void tearDown() {
        world.close();
    }

    @Test
    void productionPlanNeedsTheTypedNameThenExecutes() {
        List<Object> reported = new ArrayList<>();
        vm.setOnResult(reported::add);
        vm.planFor(DemoServices.CHECKOUT_API);
        assertThat(vm.phase()).isEqualTo(Phase.READY);
        assertThat(vm.planProperty().get().touchesProduction()).isTrue();
        assertThat(vm.planLines()).extracting(PlanLine::text).containsExactly(
                "Turn off flag checkout-fast-path in production (production)",
                "Turn off flag checkout-fast-path in staging (staging)",
                "Turn off flag new-checkout-flow in production (production)",
                "Turn off flag new-checkout-flow in staging (staging)",
                "Abort rollout prod-eu/checkout/checkout-api (now Paused)");
        assertThat(vm.canExecuteProperty().get()).isFalse();
        assertThat(vm.execute()).isFalse();
        vm.confirmTextProperty().set("checkout-ap");
        assertThat(vm.canExecuteProperty().get()).isFalse();
        vm.confirmTextProperty().set("checkout-api ");
        assertThat(vm.canExecuteProperty().get()).isTrue();

        assertThat(vm.execute()).isTrue();
        assertThat(vm.phase()).isEqualTo(Phase.DONE);
        assertThat(vm.results()).extracting(TargetOutcome::outcome).containsOnly(Outcome.SUCCEEDED);
        assertThat(vm.results()).hasSize(5);
        assertThat(vm.elapsedTextProperty().get()).matches("Confirmed in \\d+ ms");
        assertThat(reported).hasSize(1);
        assertThat(world.rollout(DemoServices.CHECKOUT_API).abort()).isTrue();
        assertThat(world.state.flags().all()).filteredOn(f -> f.linkedRollouts().contains(DemoServices.CHECKOUT_API))
                .hasSize(2).allMatch(f -> !f.enabledAnywhere());
        assertThat(vm.canExecuteProperty().get()).isFalse();
    }

    @Test
    void nonProductionPlanNeedsNoTypedName() {
        // catalog-api runs in staging and has no linked flag: nothing in production, no name to type
        vm.planFor(DemoServices.CATALOG_API);
        assertThat(vm.planProperty().get().touchesProduction()).isFalse();
        assertThat(vm.canExecuteProperty().get()).isTrue();
    }

    @Test
    void chooserListsKillSwitchFlagsAndRolloutsWithLinkedFlags() {
        vm.loadCandidates();
        assertThat(vm.candidates()).extracting(KillSwitchCandidate::label).containsExactly(
                "flag checkout-fast-path (demo)", "flag payments-fallback-psp (demo)",
                "flag search-bulk-reindex (demo)", "rollout prod-eu/checkout/checkout-api",
                "rollout prod-eu/payments/payments-gateway", "rollout prod-eu/search/search-api",
                "rollout prod-eu/search/search-indexer", "rollout prod-eu/search/search-ranker",
                "rollout staging-us/storefront/recommendations", "rollout staging-us/storefront/storefront-web");
        vm.choose(vm.candidates().get(0));
        assertThat(vm.planProperty().get().flags()).hasSize(2);
        assertThat(vm.planProperty().get().rollouts()).containsExactly(DemoServices.CHECKOUT_API);
        assertThat(vm.executeLabel()).isEqualTo("Kill switch: 2 flag env(s) off, 1 abort(s)");
    }
}
