package dev.releaseconsole.views.audit;

import dev.releaseconsole.services.actions.ActionType;
import dev.releaseconsole.services.governance.AuditEntry;
import dev.releaseconsole.services.governance.ChainCheck;
import dev.releaseconsole.views.common.TaskRunner;
import dev.releaseconsole.views.testing.TestWorld;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class AuditViewModelTest {
    @TempDir
    Path dir;
    private TestWorld world;
    private AuditViewModel vm;

    @BeforeEach
    void setUp() {
        world = new TestWorld(dir);
        vm = new AuditViewModel(world.audit, TaskRunner.DIRECT, ZoneOffset.UTC);
    }

    @AfterEach
    void tearDown() {
        world.close();
    }

    @Test
    void listsFiltersAndSearches() {
        world.actions.execute(ActionType.ABORT, TestWorld.CHECKOUT, "bad canary");
        world.actions.execute(ActionType.RESUME, TestWorld.CART, null); // healthy: refused by state
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
    void verifiesTheChain() {
        world.actions.execute(ActionType.PAUSE, TestWorld.CHECKOUT, null);
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
