package dev.releaseconsole.views;

import dev.releaseconsole.services.actions.ActionResult;
import dev.releaseconsole.services.actions.ActionType;
import dev.releaseconsole.services.actions.Outcome;
import dev.releaseconsole.services.actions.TargetOutcome;
import dev.releaseconsole.services.model.ClusterStatus;
import dev.releaseconsole.services.model.ConnectionState;
import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.views.common.TaskRunner;
import dev.releaseconsole.views.common.Theme;
import dev.releaseconsole.views.testing.DemoServices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.releaseconsole.views.testing.DemoServices.CHECKOUT_API;
import static dev.releaseconsole.views.testing.DemoServices.CHECKOUT_WEB;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shell's view model on the demo world, without a screen: {@code load()} reads the stores, and the apply*
 * methods are what the FX throttle calls with live changes.
 */
class MainViewModelTest {
    @TempDir
    Path dir;
    private DemoServices demo;
    private MainViewModel vm;

    @BeforeEach
    void setUp() {
        demo = new DemoServices(dir);
        vm = new MainViewModel(demo.services, TaskRunner.DIRECT, Clock.fixed(DemoServices.START, ZoneOffset.UTC));
        vm.load();
    }

    @AfterEach
    void tearDown() {
        demo.close();
    }

    @Test
    void statusBarTexts() {
        assertThat(vm.countsTextProperty().get()).isEqualTo("14 rollouts, 5 need attention");
        assertThat(vm.attentionButtonTextProperty().get()).isEqualTo("Needs attention · 5");
        assertThat(vm.connectionSummaryProperty().get()).isEqualTo("All 2 clusters connected");
        assertThat(vm.lastUpdateProperty().get()).isEqualTo("Updated 10:00:00");
        ClusterStatus staging = demo.state.clusters().all().stream()
                .filter(c -> c.cluster().id().equals("staging-us")).findFirst().orElseThrow();
        vm.applyClusters(Map.of("staging-us", Optional.of(new ClusterStatus(staging.cluster(),
                ConnectionState.UNREACHABLE, "connection refused"))));
        assertThat(vm.connectionSummaryProperty().get())
                .isEqualTo("1 of 2 clusters connected · staging-us: unreachable (connection refused)");
        assertThat(vm.connectionProblemProperty().get()).isTrue();
        assertThat(MainViewModel.countsText(1, 2)).isEqualTo("1 rollout, 2 need attention");
    }

    @Test
    void opensOnTheFirstRolloutThatNeedsAttention() {
        // attention first, then by name: checkout-web, whose blue-green preview waits for promotion
        assertThat(vm.selectedRolloutProperty().get()).isEqualTo(CHECKOUT_WEB);
        assertThat(vm.table().visibleRows().get(0).ref()).isEqualTo(CHECKOUT_WEB);
    }

    @Test
    void neverOverridesTheUsersChoice() {
        MainViewModel calm = new MainViewModel(demo.services, TaskRunner.DIRECT, Clock.systemUTC());
        calm.selectedRolloutProperty().set(CHECKOUT_API);
        calm.load();
        assertThat(calm.selectedRolloutProperty().get()).as("the user's choice stays").isEqualTo(CHECKOUT_API);
        calm.applyRollouts(Map.of(CHECKOUT_API, Optional.of(demo.rollout(CHECKOUT_API))));
        assertThat(calm.selectedRolloutProperty().get()).isEqualTo(CHECKOUT_API);
    }

    @Test
    void rolloutBatchesUpdateCountsTreeAndSelection() {
        vm.selectedRolloutProperty().set(CHECKOUT_API);
        Rollout degraded = demo.rollout(CHECKOUT_API).toBuilder().phase(Rollout.DEGRADED, "error rate").build();
        vm.applyRollouts(Map.of(CHECKOUT_API, Optional.of(degraded)));
        assertThat(vm.countsTextProperty().get()).isEqualTo("14 rollouts, 6 need attention");
        // prod-eu: checkout-web, payments-gateway, search-api, search-indexer and now checkout-api
        assertThat(vm.tree().root().children().get(0).attention()).isEqualTo(5);
        assertThat(vm.selectedRolloutProperty().get()).isEqualTo(CHECKOUT_API);
        vm.applyRollouts(Map.of(CHECKOUT_API, Optional.empty()));
        assertThat(vm.selectedRolloutProperty().get()).isNull();
        assertThat(vm.countsTextProperty().get()).isEqualTo("13 rollouts, 5 need attention");
    }

    @Test
    void togglesAndSpeed() {
        assertThat(vm.themeProperty().get()).isEqualTo(Theme.DARK);
        vm.toggleTheme();
        assertThat(vm.themeProperty().get()).isEqualTo(Theme.LIGHT);
        vm.togglePresenter();
        assertThat(vm.presenterProperty().get()).isTrue();
        vm.toggleAttention();
        assertThat(vm.attentionOnlyProperty().get()).isTrue();
        assertThat(vm.isDemo()).isTrue();
        assertThat(vm.demoBadgeText()).isEqualTo("DEMO — simulated world");
        vm.speedProperty().set(10);
        assertThat(demo.runner.speed()).isEqualTo(10);
        // the demo runs at 1x to 20x: a speed out of range is refused, said so, and the real speed shown again
        vm.speedProperty().set(50);
        assertThat(demo.runner.speed()).isEqualTo(10);
        assertThat(vm.speedProperty().get()).isEqualTo(10);
        assertThat(vm.lastActionProperty().get()).startsWith("10:00:00  Could not change the demo speed: ")
                .contains("between 1x and 20x");
        assertThat(MainViewModel.speedLabel(5)).isEqualTo("5x");
    }

    @Test
    void reportsTheLatestActionResult() {
        vm.reportResult(new ActionResult(ActionType.ABORT, List.of(new TargetOutcome(CHECKOUT_API, ActionType.ABORT,
                Outcome.SUCCEEDED, "done", "Aborted", 3)), Duration.ofMillis(84)));
        assertThat(vm.lastActionProperty().get()).isEqualTo("10:00:00  Abort: 1 of 1 target(s) confirmed in 84 ms");
        var entry = demo.audit.recordOutcome(null, "alice", "PAUSE", "rollout prod-eu/checkout/checkout-api",
                "SUCCEEDED", "");
        vm.applyAuditEntry(entry);
        assertThat(vm.lastActionProperty().get())
                .isEqualTo("10:00:00  PAUSE rollout prod-eu/checkout/checkout-api: SUCCEEDED");
    }
}
