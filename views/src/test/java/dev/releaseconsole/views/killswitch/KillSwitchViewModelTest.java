package dev.releaseconsole.views.killswitch;

import dev.releaseconsole.services.actions.KillSwitchStep;
import dev.releaseconsole.services.actions.Outcome;
import dev.releaseconsole.services.actions.TargetOutcome;
import dev.releaseconsole.services.model.ConnectionState;
import dev.releaseconsole.services.model.FlagProviderStatus;
import dev.releaseconsole.services.model.FlagRef;
import dev.releaseconsole.views.common.TaskRunner;
import dev.releaseconsole.views.killswitch.KillSwitchViewModel.Phase;
import dev.releaseconsole.views.testing.DemoServices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

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
        assertThat(vm.planLines()).extracting(KillSwitchStep::text).containsExactly(
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
        assertThat(vm.elapsedTextProperty().get()).matches("All 5 target\\(s\\) confirmed off in \\d+ ms from the click");
        assertThat(reported).hasSize(1);
        assertThat(world.rollout(DemoServices.CHECKOUT_API).abort()).isTrue();
        assertThat(world.state.flags().all()).filteredOn(f -> f.linkedRollouts().contains(DemoServices.CHECKOUT_API))
                .hasSize(2).allMatch(f -> !f.enabledAnywhere());
        assertThat(vm.canExecuteProperty().get()).isFalse();
        assertThat(vm.back()).as("a dialog for one rollout has no list to go back to").isFalse();
    }

    @Test
    void nonProductionPlanNeedsNoTypedName() {
        // catalog-api runs in staging and has no linked flag: nothing in production, no name to type
        vm.planFor(DemoServices.CATALOG_API);
        assertThat(vm.planProperty().get().touchesProduction()).isFalse();
        assertThat(vm.canExecuteProperty().get()).isTrue();
    }

    @Test
    void theOnCallListHasKillSwitchFlagsWithTheirStatesThenRolloutsWithLinkedFlags() {
        vm.startOnCall();
        assertThat(vm.candidates()).extracting(KillSwitchCandidate::label).containsExactly(
                "flag checkout-fast-path (demo)", "flag payments-fallback-psp (demo)",
                "flag search-bulk-reindex (demo)", "rollout prod-eu/checkout/checkout-api",
                "rollout prod-eu/payments/payments-gateway", "rollout prod-eu/search/search-api",
                "rollout prod-eu/search/search-indexer", "rollout prod-eu/search/search-ranker",
                "rollout staging-us/storefront/storefront-web");
        KillSwitchCandidate fastPath = vm.candidates().get(0);
        assertThat(fastPath.environments()).extracting(KillSwitchCandidate.EnvironmentState::text)
                .containsExactly("production ON", "staging ON");
        assertThat(fastPath.sourceText()).isEqualTo("demo: connected");
        assertThat(fastPath.detail()).isEqualTo("kill-switch flag · team-checkout · aborts prod-eu/checkout/checkout-api");
        assertThat(vm.candidates().get(1).environments()).extracting(KillSwitchCandidate.EnvironmentState::text)
                .containsExactly("production off", "staging off");
        assertThat(vm.selectedProperty().get()).isEqualTo(fastPath);
    }

    @Test
    void aFlagTheRegistryMarksAsAKillSwitchIsListedWhateverItsType() throws Exception {
        world.state.publishFlagRegistry(dev.releaseconsole.services.flags.registry.FlagRegistryParser.parse(
                "flags:\n  - {key: new-checkout-flow, killSwitch: true}\n", "registry.yaml", DemoServices.START));
        world.world.republishFlags();
        assertThat(KillSwitchViewModel.candidates(world.state)).filteredOn(KillSwitchCandidate::isFlag)
                .extracting(KillSwitchCandidate::label, KillSwitchCandidate::detail)
                .contains(org.assertj.core.groups.Tuple.tuple("flag new-checkout-flow (demo)",
                        "release flag, a kill switch by the registry · no linked rollouts"));
    }

    @Test
    void typingFiltersEnterArmsAndTheUseIsTimedFromTheClick() {
        AtomicLong nanos = new AtomicLong(1_000_000_000L);
        vm.setTimeSources(() -> nanos.getAndAdd(137_000_000L), Clock.fixed(Instant.parse("2026-11-22T03:12:04Z"),
                ZoneId.of("UTC")));
        vm.startOnCall();
        vm.filterProperty().set("reindex");
        assertThat(vm.visibleCandidates()).extracting(KillSwitchCandidate::label)
                .containsExactly("flag search-bulk-reindex (demo)");
        vm.filterProperty().set("payments prod");
        assertThat(vm.visibleCandidates()).extracting(KillSwitchCandidate::label)
                .containsExactly("flag payments-fallback-psp (demo)", "rollout prod-eu/payments/payments-gateway");
        assertThat(vm.selectedProperty().get().label()).as("the first match is selected")
                .isEqualTo("flag payments-fallback-psp (demo)");
        vm.filterProperty().set("bulk");
        vm.armSelected();
        assertThat(vm.phase()).isEqualTo(Phase.READY);
        assertThat(vm.planProperty().get().confirmationName()).isEqualTo("search-bulk-reindex");
        vm.confirmTextProperty().set("search-bulk-reindex");
        vm.reasonProperty().set("INC-42 reindex overloads the cluster");
        assertThat(vm.execute()).isTrue();

        assertThat(vm.phase()).isEqualTo(Phase.DONE);
        assertThat(vm.elapsedTextProperty().get()).isEqualTo("All 3 target(s) confirmed off in 137 ms from the click");
        assertThat(vm.lastUseProperty().get()).endsWith(": flag demo:search-bulk-reindex — All 3 target(s) confirmed"
                + " off in 137 ms from the click").startsWith("Last use at ");
        assertThat(world.state.flags().get(new FlagRef("demo", "search-bulk-reindex")).orElseThrow()
                .enabledAnywhere()).isFalse();

        assertThat(vm.back()).isTrue();
        assertThat(vm.phase()).isEqualTo(Phase.CHOOSE);
        assertThat(vm.visibleCandidates().get(0).environments()).as("the list shows the new state")
                .extracting(KillSwitchCandidate.EnvironmentState::text).containsExactly("production off", "staging off");
        assertThat(vm.lastUseProperty().get()).as("the last use stays in view").isNotEmpty();
    }

    @Test
    void aProviderThatIsNotConnectedIsShownOnItsFlags() {
        world.state.flagProviders().upsert(new FlagProviderStatus("demo", "demo", ConnectionState.UNREACHABLE,
                "connection refused", null));
        KillSwitchCandidate c = KillSwitchViewModel.candidates(world.state).get(0);
        assertThat(c.sourceConnected()).isFalse();
        assertThat(c.sourceText()).isEqualTo("demo: unreachable — connection refused");
    }
}
