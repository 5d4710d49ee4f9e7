package dev.releaseconsole.app;

import dev.releaseconsole.services.governance.AuditEntry;
import dev.releaseconsole.services.governance.AuditStage;
import dev.releaseconsole.services.model.Flag;
import dev.releaseconsole.services.model.FlagEnvironmentState;
import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.model.WorkloadKind;
import dev.releaseconsole.views.MainView;
import dev.releaseconsole.views.common.Theme;
import dev.releaseconsole.views.common.Themes;
import dev.releaseconsole.views.rollouts.RolloutRow;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.Labeled;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A release manager's day on the demo world, driven through the real main window (headless): find the regressing
 * canary, see why, abort it, read the audit entry; promote a paused canary; pull the kill switch.
 */
@ExtendWith(ApplicationExtension.class)
class ReleaseManagerJourneyTest {
    private static final RolloutRef CHECKOUT_API =
            new RolloutRef("prod-eu", "checkout", "checkout-api", WorkloadKind.ARGO_ROLLOUT);
    private static final RolloutRef SEARCH_INDEXER =
            new RolloutRef("prod-eu", "search", "search-indexer", WorkloadKind.ARGO_ROLLOUT);

    @TempDir
    static Path dir;

    private ConsoleRuntime runtime;

    @Start
    void start(Stage stage) {
        // A fresh, paused world per test; the test moves its clock, so nothing depends on wall time.
        runtime = ConsoleRuntime.startDemo(42, 1, dir.resolve("audit-" + System.nanoTime() + ".db"),
                Instant.parse("2026-11-22T09:00:00Z"), false);
        Scene scene = new Scene(new MainView(runtime.services()), 1400, 900);
        Themes.apply(scene, Theme.DARK, false);
        stage.setScene(scene);
        stage.show();
    }

    @AfterEach
    void stop() {
        runtime.close();
    }

    @Test
    void findTheRegressingCanaryAbortItAndReadTheAuditEntry(FxRobot robot) throws Exception {
        advanceUntil(CHECKOUT_API, r -> r.attentionReason().orElse("").startsWith("analysis failing"),
                Duration.ofMinutes(10));
        assertThat(rollout(CHECKOUT_API).abort()).as("still up to the human, not yet aborted by the controller")
                .isFalse();

        robot.clickOn("#attentionToggle");
        TableView<RolloutRow> table = robot.lookup("#rolloutTable").queryTableView();
        waitUntil("the attention filter lists checkout-api and only rollouts that need attention", () ->
                table.getItems().stream().anyMatch(row -> row.ref().equals(CHECKOUT_API))
                        && table.getItems().stream().allMatch(RolloutRow::needsAttention));
        assertThat(table.getItems().size()).isLessThan(runtime.services().state().rollouts().size());

        selectRow(robot, "checkout-api");
        LineChart<Number, Number> errors = robot.lookup("#chart-error-ratio").query();
        waitUntil("the error-ratio chart has canary and baseline data", () ->
                !series(errors, "canary").isEmpty() && !series(errors, "baseline").isEmpty());
        assertThat(mean(series(errors, "canary"))).as("canary error ratio clearly above baseline")
                .isGreaterThan(2 * mean(series(errors, "baseline")));

        robot.clickOn("#abortButton");
        // prod-eu is production: the dialog wants the rollout's name typed before it enables the button.
        Button confirm = robot.lookup("#confirmButton").queryButton();
        assertThat(confirm.isDisabled()).isTrue();
        robot.clickOn("#confirmField").write("checkout-api");
        waitUntil("typing the name enables the confirmation", () -> !confirm.isDisabled());
        robot.clickOn(confirm);

        waitUntil("the controller reports the abort", () -> rollout(CHECKOUT_API).abort());
        Rollout after = rollout(CHECKOUT_API);
        assertThat(after.displayPhase()).isEqualTo("Degraded");
        assertThat(after.displayMessage()).startsWith("RolloutAborted: Rollout aborted update to revision");
        waitUntil("the detail shows the aborted state", () ->
                text(robot, "#detailStatus").contains("Aborted") || text(robot, "#detailStatus").contains("Degraded"));
        waitUntil("the action result says what the source reports", () -> text(robot, "#actionResult")
                .contains("Aborted"));

        robot.clickOn("#auditButton");
        TableView<AuditEntry> audit = robot.lookup("#auditTable").queryTableView();
        waitUntil("the audit log shows the abort's outcome", () -> audit.getItems().stream().anyMatch(e ->
                e.action().equals("ABORT") && e.stage() == AuditStage.OUTCOME && e.target().contains("checkout-api")));
        AuditEntry outcome = audit.getItems().stream().filter(e -> e.action().equals("ABORT")
                && e.stage() == AuditStage.OUTCOME).findFirst().orElseThrow();
        assertThat(outcome.actor()).isEqualTo("demo-user (simulated)");
        assertThat(outcome.result()).isEqualTo("SUCCEEDED");
        assertThat(outcome.time()).isBefore(Instant.now().plusSeconds(1)).isAfter(Instant.now().minusSeconds(120));
        assertThat(outcome.detail()).contains("{\"status\":{\"abort\":true}}");
        assertThat(audit.getItems()).anyMatch(e -> e.action().equals("ABORT") && e.stage() == AuditStage.INTENT
                && Objects.equals(outcome.relatesTo(), e.id()));
    }

    @Test
    void theLiveVerdictFailsTheRegressingCanaryAndSaysWhyBeforeTheControllerAbortsIt(FxRobot robot)
            throws Exception {
        // 4 min 10 s in: checkout-api has served 10% of traffic for five minutes and just moved to 25%; its
        // controller will abort it at about 5.5 minutes, once its step analysis has failed four times
        runtime.world().advance(Duration.ofSeconds(250));
        assertThat(rollout(CHECKOUT_API).abort()).isFalse();

        TableView<RolloutRow> table = robot.lookup("#rolloutTable").queryTableView();
        waitUntil("the Verdict column shows Fail for checkout-api", () -> verdictCell(robot, table, "checkout-api")
                .startsWith("Fail"));
        waitUntil("and Pass for the healthy search-indexer", () -> verdictCell(robot, table, "search-indexer")
                .startsWith("Pass"));
        selectRow(robot, "checkout-api");
        waitUntil("the detail's verdict names error ratio and p95 latency", () -> text(robot, "#verdictSummary")
                .startsWith("Fail: error ratio High (critical), p95 latency High"));
        assertThat(text(robot, "#verdictBadge")).isEqualTo("Fail \u00b7 0");
        // the detail under the table is short: each metric is a chip, its sentence in the tooltip
        assertThat(text(robot, "#verdict-error-ratio")).startsWith("Error ratio High +");
        assertThat(text(robot, "#verdict-p95-latency")).startsWith("p95 latency High +");
        assertThat(rollout(CHECKOUT_API).abort()).as("all this before the controller aborts").isFalse();
    }

    /** The text of the Verdict cell in the row of {@code name}, scrolled into view; empty until it is shown. */
    private static String verdictCell(FxRobot robot, TableView<RolloutRow> table, String name) {
        robot.interact(() -> table.getItems().stream().filter(r -> r.name().equals(name)).findFirst()
                .ifPresent(table::scrollTo));
        return robot.lookup("#rolloutTable .rc-verdict-cell").queryAllAs(TableCell.class).stream()
                .filter(c -> c.getTableRow() != null && c.getTableRow().getItem() instanceof RolloutRow r
                        && r.name().equals(name) && c.getGraphic() instanceof Labeled)
                .map(c -> ((Labeled) c.getGraphic()).getText()).findFirst().orElse("");
    }

    @Test
    void promoteAPausedCanaryAndSeeTheNextStep(FxRobot robot) throws Exception {
        Rollout before = rollout(SEARCH_INDEXER);
        assertThat(before.displayPhase()).isEqualTo("Paused");
        assertThat(before.stepLabel()).isEqualTo("1/5");

        selectRow(robot, "search-indexer");
        Button promote = robot.lookup("#promoteButton").queryButton();
        waitUntil("promote is enabled for a canary paused at a step", () -> !promote.isDisabled());
        robot.clickOn(promote);

        waitUntil("the controller moved to the next step", () -> rollout(SEARCH_INDEXER).currentStepIndex() > 1);
        TableView<RolloutRow> table = robot.lookup("#rolloutTable").queryTableView();
        String step = rollout(SEARCH_INDEXER).stepLabel();
        waitUntil("the table shows step " + step, () -> table.getItems().stream()
                .anyMatch(row -> row.ref().equals(SEARCH_INDEXER) && row.step().equals(step)));
    }

    @Test
    void pausingARolloutThatArgoCdOwnsWarnsItMayBeRevertedThenPauses(FxRobot robot) throws Exception {
        RolloutRef cart = new RolloutRef("prod-eu", "checkout", "cart-service", WorkloadKind.ARGO_ROLLOUT);
        assertThat(rollout(cart).managedBy()).isEqualTo("Argo CD application checkout-prod");

        selectRow(robot, "cart-service");
        Button pause = robot.lookup("#pauseButton").queryButton();
        waitUntil("pause is enabled", () -> !pause.isDisabled());
        robot.clickOn(pause);

        waitUntil("the confirmation names the GitOps owner", () -> robot.lookup("#confirmWarning").tryQuery()
                .map(n -> ((Labeled) n).getText()).orElse("").contains("Argo CD application checkout-prod"));
        assertThat(rollout(cart).specPaused()).as("nothing sent before the user confirms").isFalse();
        robot.clickOn("#confirmButton");
        waitUntil("the rollout is paused", () -> rollout(cart).specPaused());
    }

    @Test
    void theKillSwitchTurnsOffLinkedFlagsAndAbortsTheRollout(FxRobot robot) throws Exception {
        List<Flag> linked = runtime.services().state().flags().all().stream()
                .filter(f -> f.linkedRollouts().contains(CHECKOUT_API)).toList();
        assertThat(linked).as("the demo links flags to checkout-api").hasSizeGreaterThanOrEqualTo(1);
        assertThat(linked).anyMatch(Flag::enabledAnywhere);

        selectRow(robot, "checkout-api");
        robot.clickOn("#killSwitchButton");
        Button execute = robot.lookup("#killSwitchExecuteButton").queryButton();
        waitUntil("the plan is shown and waits for the typed name", () -> execute.isDisabled()
                && robot.lookup("#killSwitchConfirmField").tryQuery().isPresent());
        robot.clickOn("#killSwitchConfirmField").write("checkout-api");
        waitUntil("typing the name arms the kill switch", () -> !execute.isDisabled());
        robot.clickOn(execute);

        waitUntil("every linked flag is off everywhere", () -> runtime.services().state().flags().all().stream()
                .filter(f -> f.linkedRollouts().contains(CHECKOUT_API))
                .allMatch(f -> f.environments().stream().noneMatch(FlagEnvironmentState::enabled)));
        waitUntil("checkout-api is aborted", () -> rollout(CHECKOUT_API).abort());
        waitUntil("the time to confirmed-off is shown", () -> text(robot, "#killSwitchElapsed").contains("ms"));
    }

    @Test
    void onCallPullsAKillSwitchFlagFromTheKeyboardAndSeesTheFlagDebt(FxRobot robot) throws Exception {
        robot.clickOn("#statusBar");
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.K).release(KeyCode.K, KeyCode.SHIFT, KeyCode.CONTROL);
        waitUntil("the on-call kill switch lists the kill-switch flags", () -> robot.lookup("#killSwitchChooser")
                .tryQuery().map(Node::isVisible).orElse(false));
        // headless Monocle does not move key focus to a new window by itself; a click does
        robot.clickOn("#killSwitchFilter").write("reindex").type(KeyCode.ENTER);
        waitUntil("the plan waits for the typed name", () -> robot.lookup("#killSwitchConfirmField").tryQuery()
                .map(n -> n.isVisible() && n.isFocused()).orElse(false));
        robot.write("search-bulk-reindex").type(KeyCode.ENTER);
        waitUntil("the time to confirmed-off is shown", () -> text(robot, "#killSwitchElapsed")
                .matches("All 3 target\\(s\\) confirmed off in \\d+ ms from the click"));
        assertThat(runtime.services().state().flags().all()).filteredOn(f -> f.ref().key()
                .equals("search-bulk-reindex")).singleElement().matches(f -> !f.enabledAnywhere());
        robot.type(KeyCode.ESCAPE);
        waitUntil("back on the list", () -> robot.lookup("#killSwitchChooser").query().isVisible());
        robot.type(KeyCode.ESCAPE);

        robot.clickOn("#flagDebtButton");
        TableView<?> debt = robot.lookup("#debtTable").queryTableView();
        waitUntil("the flag debt is listed", () -> debt.getItems().size() >= 6);
        assertThat(text(robot, "#debtRegistry")).contains("the demo's flag-registry.yaml");
    }

    private Rollout rollout(RolloutRef ref) {
        return runtime.services().state().rollouts().get(ref).orElseThrow();
    }

    private void advanceUntil(RolloutRef ref, Predicate<Rollout> condition, Duration max) {
        for (long s = 0; s < max.getSeconds(); s += 5) {
            if (condition.test(rollout(ref))) {
                return;
            }
            runtime.world().advance(Duration.ofSeconds(5));
        }
        fail("within " + max + " of simulated time " + ref + " never reached the expected state; it is "
                + rollout(ref).statusLabel() + ": " + rollout(ref).attentionReason().orElse(""));
    }

    /** Scrolls the row into view (the table shows part of the rollouts) and clicks it, as a user would. */
    private static void selectRow(FxRobot robot, String name) throws TimeoutException {
        TableView<RolloutRow> table = robot.lookup("#rolloutTable").queryTableView();
        waitUntil("a row for " + name, () -> table.getItems().stream().anyMatch(r -> r.name().equals(name)));
        robot.interact(() -> table.scrollTo(table.getItems().stream().filter(r -> r.name().equals(name))
                .findFirst().orElseThrow()));
        Predicate<Node> visibleCell = n -> n instanceof Labeled l && name.equals(l.getText()) && n.isVisible()
                && table.localToScreen(table.getBoundsInLocal()).contains(n.localToScreen(n.getBoundsInLocal())
                .getCenterX(), n.localToScreen(n.getBoundsInLocal()).getCenterY());
        waitUntil("a visible row for " + name, () -> robot.lookup("#rolloutTable .table-cell").match(visibleCell)
                .tryQuery().isPresent());
        robot.clickOn(robot.lookup("#rolloutTable .table-cell").match(visibleCell).queryAs(Node.class));
        waitUntil("the detail shows " + name, () -> text(robot, "#detailName").contains(name));
    }

    private static String text(FxRobot robot, String query) {
        return robot.lookup(query).tryQuery().filter(n -> n instanceof Labeled).map(n -> ((Labeled) n).getText())
                .map(t -> t == null ? "" : t).orElse("");
    }

    private static List<Double> series(LineChart<Number, Number> chart, String name) {
        return chart.getData().stream().filter(s -> name.equals(s.getName())).findFirst()
                .map(s -> s.getData().stream().map(XYChart.Data::getYValue).map(Number::doubleValue)
                        .filter(Double::isFinite).toList())
                .orElse(List.of());
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    private static void waitUntil(String what, Callable<Boolean> condition) throws TimeoutException {
        try {
            WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, condition);
        } catch (TimeoutException e) {
            throw new TimeoutException("waited 15 s for: " + what);
        }
    }
}
