package dev.releaseconsole.views.killswitch;

import dev.releaseconsole.services.actions.Outcome;
import dev.releaseconsole.services.actions.TargetOutcome;
import dev.releaseconsole.views.common.TaskRunner;
import dev.releaseconsole.views.killswitch.KillSwitchViewModel.Phase;
import dev.releaseconsole.views.testing.TestWorld;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class KillSwitchViewModelTest {
    @TempDir
    Path dir;
    private TestWorld world;
    private KillSwitchViewModel vm;

    @BeforeEach
    void setUp() {
        world = new TestWorld(dir);
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
        vm.planFor(TestWorld.CHECKOUT);
        assertThat(vm.phase()).isEqualTo(Phase.READY);
        assertThat(vm.planProperty().get().touchesProduction()).isTrue();
        assertThat(vm.planLines()).extracting(PlanLine::text).containsExactly(
                "Turn off flag checkout-new-flow in staging (staging)",
                "Turn off flag checkout-new-flow in production (production)",
                "Abort rollout prod-eu/checkout/checkout-api (now Progressing)");
        assertThat(vm.canExecuteProperty().get()).isFalse();
        assertThat(vm.execute()).isFalse();
        vm.confirmTextProperty().set("checkout-ap");
        assertThat(vm.canExecuteProperty().get()).isFalse();
        vm.confirmTextProperty().set("checkout-api ");
        assertThat(vm.canExecuteProperty().get()).isTrue();

        assertThat(vm.execute()).isTrue();
        assertThat(vm.phase()).isEqualTo(Phase.DONE);
        assertThat(vm.results()).extracting(TargetOutcome::outcome).containsOnly(Outcome.SUCCEEDED);
        assertThat(vm.results()).hasSize(3);
        assertThat(vm.elapsedTextProperty().get()).matches("Confirmed in \\d+ ms");
        assertThat(reported).hasSize(1);
        assertThat(world.state.rollouts().get(TestWorld.CHECKOUT).orElseThrow().abort()).isTrue();
        assertThat(vm.canExecuteProperty().get()).isFalse();
    }

    @Test
    void nonProductionPlanNeedsNoTypedName() {
        vm.planFor(TestWorld.SEARCH);
        assertThat(vm.planProperty().get().touchesProduction()).isFalse();
        assertThat(vm.canExecuteProperty().get()).isTrue();
    }

    @Test
    void chooserListsKillSwitchFlagsAndRolloutsWithLinkedFlags() {
        vm.loadCandidates();
        assertThat(vm.candidates()).extracting(KillSwitchCandidate::label).containsExactly(
                "flag payments-kill (demo)", "rollout prod-eu/checkout/checkout-api",
                "rollout staging/search/search-api");
        vm.choose(vm.candidates().get(0));
        assertThat(vm.planProperty().get().flags()).hasSize(1);
        assertThat(vm.planProperty().get().rollouts()).isEmpty();
        assertThat(vm.executeLabel()).isEqualTo("Kill switch: 1 flag env(s) off, 0 abort(s)");
    }
}
