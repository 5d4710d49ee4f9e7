package dev.releaseconsole.views.flags;

import dev.releaseconsole.services.actions.ActionType;
import dev.releaseconsole.services.flags.debt.DebtKind;
import dev.releaseconsole.services.flags.debt.FlagDebt;
import dev.releaseconsole.services.model.FlagRef;
import dev.releaseconsole.services.model.FlagTarget;
import dev.releaseconsole.views.common.TaskRunner;
import dev.releaseconsole.views.testing.DemoServices;
import dev.releaseconsole.views.testing.FxWindows;
import dev.releaseconsole.views.testing.Snapshots;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The flag-debt view on the demo world (2026-11-02): every kind of debt, in words, live as flags change. */
@ExtendWith(ApplicationExtension.class)
class FlagDebtViewFxTest {
    @TempDir
    static Path dir;
    private DemoServices demo;
    private FlagDebtView view;
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        demo = new DemoServices(dir);
        FlagDebtViewModel vm = new FlagDebtViewModel(demo.state, demo.actions, TaskRunner.DIRECT, demo.world.clock(),
                ZoneOffset.UTC);
        view = new FlagDebtView(vm);
        FxWindows.show(stage, view, 1400, 700);
        vm.start();
    }

    @AfterEach
    void tearDown(FxRobot robot) {
        robot.interact(() -> {
            view.viewModel().close();
            FxWindows.closeAllBut(stage);
        });
        demo.close();
    }

    @SuppressWarnings("unchecked")
    private static TableView<FlagDebt> table(FxRobot robot) {
        return robot.lookup("#debtTable").queryAs(TableView.class);
    }

    private static String text(FxRobot robot, String query) {
        return robot.lookup(query).queryAs(Label.class).getText();
    }

    @Test
    void everyRowSaysWhyItIsDebtAndWhatToDo(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> table(robot).getItems().size() == 6);
        assertThat(table(robot).getItems()).extracting(FlagDebt::kind, FlagDebt::key).containsExactly(
                org.assertj.core.groups.Tuple.tuple(DebtKind.EXPIRED, "payments-3ds-v2"),
                org.assertj.core.groups.Tuple.tuple(DebtKind.PAST_LIFETIME, "search-semantic-ranking"),
                org.assertj.core.groups.Tuple.tuple(DebtKind.FULLY_ON, "search-typo-tolerance"),
                org.assertj.core.groups.Tuple.tuple(DebtKind.NO_OWNER, "storefront-new-header"),
                org.assertj.core.groups.Tuple.tuple(DebtKind.NOT_IN_REGISTRY, "recommendations-widget"),
                org.assertj.core.groups.Tuple.tuple(DebtKind.NOT_IN_PROVIDER, "checkout-legacy-coupons"));
        // what a user reads in the cells
        assertThat(robot.lookup("#debtTable .rc-status-label").queryAll()).extracting(n -> ((Label) n).getText())
                .contains("Expired", "Past its lifetime", "At 100% too long", "No owner", "Not in the registry",
                        "In no provider");
        assertThat(robot.lookup("#debtTable .rc-wrap-text").queryAll())
                .extracting(n -> ((javafx.scene.text.Text) n).getText())
                .contains("Expired on 2026-10-31 (2 days ago) by its registry entry (ticket PAY-2210).",
                        "Add owner: <team> to its registry entry.");
        // the reason is read in full: its cell is as tall as its wrapped text
        javafx.scene.text.Text longest = (javafx.scene.text.Text) robot.lookup("#debtTable .rc-wrap-text").queryAll()
                .stream().max(java.util.Comparator.comparingDouble(n -> n.getLayoutBounds().getHeight())).orElseThrow();
        assertThat(longest.getParent().getLayoutBounds().getHeight())
                .isGreaterThanOrEqualTo(longest.getLayoutBounds().getHeight());
        assertThat(text(robot, "#debtSummary")).isEqualTo("6 piece(s) of flag debt across 9 flags and 9 registry"
                + " entries.");
        assertThat(text(robot, "#debtRegistry")).startsWith("Registry the demo's flag-registry.yaml").contains("9 entries")
                .contains("at 100% is debt after 14 days (since: the providers' change events)");
        assertThat(robot.lookup("#debtRegistryProblem").query().isVisible()).isFalse();
        robot.interact(() -> Snapshots.write(stage.getScene(), "flag-debt"));
    }

    @Test
    void searchAndKindFilterNarrowTheRows(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> table(robot).getItems().size() == 6);
        robot.clickOn("#debtSearch").write("search");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(table(robot).getItems()).extracting(FlagDebt::key)
                .containsExactly("search-semantic-ranking", "search-typo-tolerance");
        robot.interact(() -> robot.lookup("#debtSearch").queryAs(javafx.scene.control.TextField.class).clear());
        @SuppressWarnings("unchecked")
        ChoiceBox<FlagDebtViewModel.KindFilter> kinds = robot.lookup("#debtKindFilter").queryAs(ChoiceBox.class);
        assertThat(kinds.getItems()).extracting(FlagDebtViewModel.KindFilter::label).containsExactly("All kinds",
                "Expired (1)", "Past its lifetime (1)", "At 100% too long (1)", "No owner (1)",
                "Not in the registry (1)", "In no provider (1)");
        robot.interact(() -> kinds.setValue(kinds.getItems().get(4)));
        assertThat(table(robot).getItems()).extracting(FlagDebt::key).containsExactly("storefront-new-header");
    }

    @Test
    void followsTheFlagsAndTheRegistryAsTheyChange(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> table(robot).getItems().size() == 6);
        // switching the fully released flag off in production: it is no longer "at 100%"
        demo.actions.execute(ActionType.FLAG_OFF, new FlagTarget(new FlagRef("demo", "search-typo-tolerance"),
                "production"), "test");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> table(robot).getItems().stream()
                .noneMatch(d -> d.kind() == DebtKind.FULLY_ON));

        robot.interact(() -> demo.state.publishFlagRegistry(demo.state.flagRegistry().withProblem(
                "registry.yaml: line 7: unknown key 'ownr' (still using the version loaded at 10:00)")));
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#debtRegistryProblem").query()
                .isVisible());
        assertThat(text(robot, "#debtRegistryProblem")).contains("line 7: unknown key 'ownr'");
        assertThat(table(robot).getItems()).as("the last good entries still count").hasSize(5);
    }
}
