package dev.releaseconsole.views.audit;

import dev.releaseconsole.services.actions.ActionType;
import dev.releaseconsole.services.governance.AuditEntry;
import dev.releaseconsole.services.governance.AuditStage;
import dev.releaseconsole.services.governance.ChainCheck;
import dev.releaseconsole.views.common.TaskRunner;
import dev.releaseconsole.views.testing.DemoServices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** The audit log view's state on the demo world's real (SQLite) audit log and action facade. */
class AuditViewModelTest {
    @TempDir
    Path dir;
    private DemoServices world;
    private AuditViewModel vm;

    @BeforeEach
    void setUp() {
        world = new DemoServices(dir);
        vm = new AuditViewModel(world.audit, TaskRunner.DIRECT, ZoneOffset.UTC);
    }

    @AfterEach
    void tearDown() {
        world.close();
    }

    @Test
    void listsFiltersAndSearches() {
        world.actions.execute(ActionType.ABORT, DemoServices.CHECKOUT_API, "bad canary");
        world.actions.execute(ActionType.RESUME, DemoServices.LEDGER_SERVICE, null); // healthy: refused by state
        vm.refresh();
        assertThat(vm.entries()).extracting(AuditEntry::action).contains("ABORT", "RESUME");
        assertThat(vm.entries().get(0).id()).isGreaterThan(vm.entries().get(vm.entries().size() - 1).id());
        assertThat(vm.formatTime(vm.entries().get(0))).isEqualTo("2026-11-02 10:00:00");

        vm.resultFilterProperty().set(ResultFilter.SUCCEEDED);
        assertThat(vm.entries()).extracting(AuditEntry::action).containsExactly("ABORT");
        vm.resultFilterProperty().set(ResultFilter.REJECTED_BY_STATE);
        assertThat(vm.entries()).extracting(AuditEntry::action).containsExactly("RESUME");
        vm.resultFilterProperty().set(ResultFilter.ALL);
        vm.searchTextProperty().set("bad canary");
        assertThat(vm.entries()).extracting(AuditEntry::action).containsOnly("ABORT");
        assertThat(vm.summaryProperty().get()).endsWith("entry");
    }

    @Test
    void theSelectedEntryInFullWithItsIntentOrOutcome() {
        world.actions.execute(ActionType.ABORT, DemoServices.CHECKOUT_API, "bad canary");
        vm.refresh();
        AuditEntry outcome = vm.entries().get(0);
        AuditEntry intent = vm.entries().get(1);
        assertThat(outcome.stage()).isEqualTo(AuditStage.OUTCOME);
        assertThat(intent.stage()).isEqualTo(AuditStage.INTENT);

        AuditViewModel.EntryDetail d = vm.detail(outcome);
        assertThat(d.id()).isEqualTo("#" + outcome.id());
        assertThat(d.when()).isEqualTo("2026-11-02 10:00:00 (UTC)");
        assertThat(d.who()).isEqualTo("demo-user (simulated)");
        assertThat(d.what()).isEqualTo("ABORT · outcome");
        assertThat(d.target()).isEqualTo("rollout prod-eu/checkout/checkout-api");
        assertThat(d.result()).isEqualTo("SUCCEEDED");
        assertThat(d.detail()).contains("{\"status\":{\"abort\":true}}");
        assertThat(d.link()).isEqualTo("outcome of intent #" + intent.id());
        assertThat(d.hash()).isEqualTo(outcome.hash() + "  ← previous " + intent.hash());
        assertThat(vm.linked(outcome)).contains(intent);
        assertThat(vm.linkText(intent)).isEqualTo("intent · outcome #" + outcome.id());
        assertThat(vm.linked(intent)).contains(outcome);

        // local time where the viewer is, with the UTC instant beside it
        AuditViewModel berlin = new AuditViewModel(world.audit, TaskRunner.DIRECT, java.time.ZoneId.of("Europe/Berlin"));
        assertThat(berlin.detail(outcome).when()).isEqualTo("2026-11-02 11:00:00 (UTC+01:00) · 2026-11-02 10:00:00Z");

        // the selection survives a refresh
        vm.selectedProperty().set(outcome);
        world.actions.execute(ActionType.PAUSE, DemoServices.CART_SERVICE, null);
        vm.refresh();
        assertThat(vm.entries().get(0).action()).isEqualTo("PAUSE");
        assertThat(vm.selectedProperty().get()).isEqualTo(outcome);
    }

    @Test
    void verifiesTheChain() {
        world.actions.execute(ActionType.PAUSE, DemoServices.CART_SERVICE, null);
        vm.verifyChain();
        assertThat(vm.chainTextProperty().get()).isEqualTo("Chain intact (2 entries)");
        assertThat(AuditViewModel.describe(new ChainCheck(false, 7, 5L, "entry 5 was changed after it was written")))
                .isEqualTo("Chain broken at entry 5: entry 5 was changed after it was written");
    }

    @Test
    void reportsQueryFailures() {
        AuditViewModel failing = new AuditViewModel(world.audit, new TaskRunner() {
            @Override
            public <T> void run(java.util.concurrent.Callable<T> work, java.util.function.Consumer<T> ok,
                                java.util.function.Consumer<Throwable> fail) {
                fail.accept(new IllegalStateException("database is locked"));
            }
        }, ZoneOffset.UTC);
        failing.refresh();
        assertThat(failing.errorProperty().get()).isEqualTo("Cannot read the audit log: database is locked");
    }
}
