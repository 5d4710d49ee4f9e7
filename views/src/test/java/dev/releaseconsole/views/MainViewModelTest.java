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
import dev.releaseconsole.views.testing.TestWorld;
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

import static dev.releaseconsole.views.testing.TestWorld.CHECKOUT;
import static dev.releaseconsole.views.testing.TestWorld.PROD;
import static dev.releaseconsole.views.testing.TestWorld.STAGING;
import static org.assertj.core.api.Assertions.assertThat;

/** The shell's view model without a screen: the apply* methods are what the FX throttle calls. */
class MainViewModelTest {
    @TempDir
    Path dir;
    private TestWorld world;
    private MainViewModel vm;

    @BeforeEach
    void setUp() {
        world = new TestWorld(dir);
        vm = new MainViewModel(world.services, TaskRunner.DIRECT, Clock.fixed(TestWorld.NOW, ZoneOffset.UTC));
        vm.table().loadAll(world.state.rollouts().all());
        vm.applyClusters(Map.of(PROD.id(), Optional.of(new ClusterStatus(PROD, ConnectionState.CONNECTED, "")),
                STAGING.id(), Optional.of(new ClusterStatus(STAGING, ConnectionState.CONNECTED, ""))));
    }

    @AfterEach
    void tearDown() {
        world.close();
    }

    @Test
    void statusBarTexts() {
        assertThat(vm.countsTextProperty().get()).isEqualTo("5 rollouts, 1 needs attention");
        assertThat(vm.attentionButtonTextProperty().get()).isEqualTo("Needs attention · 1");
        assertThat(vm.connectionSummaryProperty().get()).isEqualTo("All 2 clusters connected");
        assertThat(vm.lastUpdateProperty().get()).isEqualTo("Updated 10:00:00");
        vm.applyClusters(Map.of(STAGING.id(), Optional.of(new ClusterStatus(STAGING, ConnectionState.UNREACHABLE,
                "connection refused"))));
        assertThat(vm.connectionSummaryProperty().get())
                .isEqualTo("1 of 2 clusters connected · staging: unreachable (connection refused)");
        assertThat(vm.connectionProblemProperty().get()).isTrue();
        assertThat(MainViewModel.countsText(1, 2)).isEqualTo("1 rollout, 2 need attention");
    }

    @Test
    void rolloutBatchesUpdateCountsTreeAndSelection() {
        vm.selectedRolloutProperty().set(CHECKOUT);
        Rollout degraded = world.state.rollouts().get(CHECKOUT).orElseThrow().toBuilder()
                .phase(Rollout.DEGRADED, "error rate").build();
        vm.applyRollouts(Map.of(CHECKOUT, Optional.of(degraded)));
        assertThat(vm.countsTextProperty().get()).isEqualTo("5 rollouts, 2 need attention");
        assertThat(vm.tree().root().children().get(0).attention()).isEqualTo(1);
        assertThat(vm.selectedRolloutProperty().get()).isEqualTo(CHECKOUT);
        vm.applyRollouts(Map.of(CHECKOUT, Optional.empty()));
        assertThat(vm.selectedRolloutProperty().get()).isNull();
        assertThat(vm.countsTextProperty().get()).isEqualTo("4 rollouts, 1 needs attention");
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
        assertThat(world.speed).isEqualTo(10);
        vm.speedProperty().set(50);
        assertThat(world.speed).isEqualTo(20);
        assertThat(vm.speedProperty().get()).isEqualTo(20);
        assertThat(MainViewModel.speedLabel(5)).isEqualTo("5x");
    }

    @Test
    void reportsTheLatestActionResult() {
        vm.reportResult(new ActionResult(ActionType.ABORT, List.of(new TargetOutcome(CHECKOUT, ActionType.ABORT,
                Outcome.SUCCEEDED, "done", "Aborted", 3)), Duration.ofMillis(84)));
        assertThat(vm.lastActionProperty().get()).isEqualTo("10:00:00  Abort: 1 of 1 target(s) confirmed in 84 ms");
        var entry = world.audit.recordOutcome(null, "alice", "PAUSE", "rollout prod-eu/checkout/checkout-api",
                "SUCCEEDED", "");
        vm.applyAuditEntry(entry);
        assertThat(vm.lastActionProperty().get())
                .isEqualTo("10:00:00  PAUSE rollout prod-eu/checkout/checkout-api: SUCCEEDED");
    }
}
