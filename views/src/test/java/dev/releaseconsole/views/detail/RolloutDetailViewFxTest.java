package dev.releaseconsole.views.detail;

import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.model.Strategy;
import dev.releaseconsole.services.model.WorkloadKind;
import dev.releaseconsole.services.store.KeyedStore;
import dev.releaseconsole.views.common.TaskRunner;
import dev.releaseconsole.views.common.Theme;
import dev.releaseconsole.views.common.Themes;
import dev.releaseconsole.views.testing.DemoServices;
import dev.releaseconsole.views.testing.FxWindows;
import dev.releaseconsole.views.testing.Snapshots;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Pane;
import javafx.scene.layout.VBox;
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
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.releaseconsole.views.testing.DemoServices.CHECKOUT_API;
import static dev.releaseconsole.views.testing.DemoServices.PAYMENTS_GATEWAY;
import static dev.releaseconsole.views.testing.DemoServices.SEARCH_INDEXER;
import static org.assertj.core.api.Assertions.assertThat;

/** RolloutDetailView alone, on the demo world (runner stopped: the test moves simulated time), as the app shows it. */
@ExtendWith(ApplicationExtension.class)
class RolloutDetailViewFxTest {
    @TempDir
    static Path dir;
    private DemoServices demo;
    private RolloutDetailView view;
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        demo = new DemoServices(dir);
        view = new RolloutDetailView(demo.services, TaskRunner.DIRECT);
        FxWindows.show(stage, view, 1024, 700);
    }

    @AfterEach
    void tearDown(FxRobot robot) {
        robot.interact(() -> {
            view.clear();
            FxWindows.closeAllBut(stage);
        });
        demo.close();
    }

    private static void waitFor(Callable<Boolean> c) throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, c);
    }

    /** The badge word (part 0) or the sentence (part 1) of one metric's line in the verdict panel. */
    private static String verdictLine(FxRobot robot, String metricId, int part) {
        return ((Label) robot.lookup("#verdict-" + metricId).queryAs(javafx.scene.layout.HBox.class).getChildren()
                .get(part)).getText();
    }

    private static String text(FxRobot robot, String query) {
        return robot.lookup(query).queryAs(Label.class).getText();
    }

    @Test
    void promotingTheIndefinitelyPausedCanaryAdvancesItsStep(FxRobot robot) throws Exception {
        int before = demo.rollout(SEARCH_INDEXER).currentStepIndex();
        assertThat(demo.rollout(SEARCH_INDEXER).currentStep().orElseThrow().isIndefinitePause()).isTrue();
        robot.interact(() -> view.show(SEARCH_INDEXER));
        Button promote = robot.lookup("#promoteButton").queryAs(Button.class);
        waitFor(() -> !promote.isDisabled());
        assertThat(text(robot, "#detailStatus")).isEqualTo("Paused");
        assertThat(text(robot, "#detailAttention")).contains("waiting for promotion");
        assertThat(robot.lookup("#resumeButton").queryAs(Button.class).isDisabled()).isTrue();
        assertThat(robot.lookup("#resumeButton").queryAs(Button.class).getTooltip().getText())
                .contains("paused by a step, not by a user: use Promote to continue");

        robot.clickOn("#promoteButton");

        waitFor(() -> demo.rollout(SEARCH_INDEXER).currentStepIndex() > before);
        Label result = robot.lookup("#actionResult").queryAs(Label.class);
        waitFor(() -> result.getText().startsWith("Promote done"));
        assertThat(result.getStyleClass()).contains("result-success");
        waitFor(() -> view.viewModel().steps().get(before).state() == StepItem.State.DONE);
        robot.interact(() -> Snapshots.write(stage.getScene(), "detail-promoted"));
    }

    @Test
    void aNudgeButtonAppearsOnlyWhileTheControllerHasNotActedOnAClearedPause(FxRobot robot) throws Exception {
        Rollout paused = demo.rollout(SEARCH_INDEXER);
        robot.interact(() -> view.show(SEARCH_INDEXER));
        Button nudge = robot.lookup("#nudgeButton").queryAs(Button.class);
        Button promote = robot.lookup("#promoteButton").queryAs(Button.class);
        waitFor(() -> !promote.isDisabled());
        assertThat(nudge.getParent().isVisible()).as("the controller is up to date").isFalse();

        // What a watch reports when a controller missed the promote: no pause condition, controllerPause still set.
        demo.state.rollouts().upsert(paused.toBuilder().pauseConditions(List.of()).phase(Rollout.PROGRESSING, "")
                .build());

        long seen = System.nanoTime();
        waitFor(() -> "Progressing".equals(text(robot, "#detailStatus")));
        assertThat(nudge.getParent().isVisible()).as("not for the moment a controller normally takes").isFalse();
        waitFor(() -> nudge.getParent().isVisible() && !nudge.isDisabled());
        assertThat(System.nanoTime() - seen).as("offered after the grace period")
                .isGreaterThanOrEqualTo(ActionBar.NUDGE_AFTER.toNanos());
        assertThat(nudge.getTooltip().getText()).contains("the pause was cleared but the controller has not moved on");
        assertThat(text(robot, "#nudgeExplanation")).startsWith("The controller has not caught up: the pause was "
                + "cleared but the controller has not moved on from step");

        demo.state.rollouts().upsert(paused);
        waitFor(() -> !nudge.getParent().isVisible());
        assertThat(robot.lookup("#nudgeExplanation").query().isVisible()).isFalse();
    }

    @Test
    void theLiveVerdictSaysInWordsWhyTheRegressingCanaryFails(FxRobot robot) throws Exception {
        robot.interact(() -> view.show(CHECKOUT_API));
        Label badge = robot.lookup("#verdictBadge").queryAs(Label.class);
        assertThat(robot.lookup("#verdictPane").query().isVisible()).as("no verdict yet").isFalse();

        demo.judge(CHECKOUT_API);
        waitFor(() -> badge.getText().equals("No data"));
        WaitForAsyncUtils.waitForFxEvents(); // the rest of the same update
        assertThat(text(robot, "#verdictSummary")).startsWith("No data: Error ratio: too few independent samples yet");

        demo.advance(Duration.ofSeconds(250)); // past the 10% step: errors and latency have grown
        demo.judge(CHECKOUT_API);

        waitFor(() -> badge.getText().equals("Fail \u00b7 0"));
        WaitForAsyncUtils.waitForFxEvents(); // the rest of the same update
        assertThat(badge.getStyleClass()).contains("rc-bad");
        assertThat(text(robot, "#verdictSummary")).startsWith("Fail: error ratio High (critical), p95 latency High");
        assertThat(text(robot, "#verdictWindow")).isEqualTo("canary vs baseline over the last 3m");
        assertThat(verdictLine(robot, "error-ratio", 1)).matches("Error ratio: canary \\d\\.\\d+% vs baseline 0\\.\\d+%, \\+\\d\\.\\d+ pp,"
                + " higher at 98% confidence");
        assertThat(verdictLine(robot, "p95-latency", 1)).startsWith("p95 latency: canary ").endsWith(", higher at 98% confidence");
        assertThat(verdictLine(robot, "p95-latency", 0)).isEqualTo("High");
        assertThat(verdictLine(robot, "request-rate", 0)).endsWith("(report only)");
        assertThat(demo.rollout(CHECKOUT_API).abort()).as("the controller has not aborted it yet").isFalse();
        robot.interact(() -> Snapshots.write(stage.getScene(), "detail-verdict"));

        demo.advanceUntil(CHECKOUT_API, Rollout::abort, Duration.ofMinutes(3));
        demo.judge(CHECKOUT_API);
        waitFor(() -> !robot.lookup("#verdictPane").query().isVisible());
    }

    @Test
    void promoteByKeyboardShortcut(FxRobot robot) throws Exception {
        robot.interact(() -> view.show(SEARCH_INDEXER));
        waitFor(() -> !robot.lookup("#promoteButton").queryAs(Button.class).isDisabled());
        robot.clickOn("#detailHeader");
        robot.type(KeyCode.P);
        waitFor(() -> demo.rollout(SEARCH_INDEXER).currentStepIndex() == 2);
    }

    @Test
    void abortIsDisabledWithTheReasonInPayments(FxRobot robot) throws Exception {
        robot.interact(() -> view.show(PAYMENTS_GATEWAY));
        Button abort = robot.lookup("#abortButton").queryAs(Button.class);
        waitFor(() -> abort.getTooltip().getText().contains("not available"));
        assertThat(abort.isDisabled()).isTrue();
        assertThat(abort.getTooltip().getText()).isEqualTo("Abort (A) — not available\n"
                + "you may not patch rollouts/status in namespace payments on cluster prod-eu");
        // the letter shortcut does nothing either
        robot.clickOn("#detailHeader");
        robot.type(KeyCode.A);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(demo.rollout(PAYMENTS_GATEWAY).abort()).isFalse();
    }

    @Test
    void abortOnProductionAsksToTypeTheName(FxRobot robot) throws Exception {
        robot.interact(() -> view.show(CHECKOUT_API));
        Button abort = robot.lookup("#abortButton").queryAs(Button.class);
        waitFor(() -> !abort.isDisabled());
        robot.clickOn("#abortButton");
        waitFor(() -> robot.lookup("#confirmField").tryQuery().isPresent());
        Button confirm = robot.lookup("#confirmButton").queryAs(Button.class);
        assertThat(confirm.isDisabled()).isTrue();
        robot.clickOn("#confirmField").write("checkout-api");
        assertThat(confirm.isDisabled()).isFalse();
        robot.clickOn("#confirmButton");
        waitFor(() -> demo.rollout(CHECKOUT_API).abort());
        Label result = robot.lookup("#actionResult").queryAs(Label.class);
        waitFor(() -> result.getText().startsWith("Abort done; the controller reports Aborted"));
        waitFor(() -> "Aborted".equals(text(robot, "#detailStatus")));
        Button retry = robot.lookup("#retryButton").queryAs(Button.class);
        waitFor(() -> !retry.isDisabled());
    }

    @Test
    void undoToTheStableRevisionFromTheRevisionsTabConfirmsByNameAndDropsTheCanary(FxRobot robot)
            throws Exception {
        int stable = demo.rollout(CHECKOUT_API).revisions().stream().filter(r -> r.role().equals("stable"))
                .findFirst().orElseThrow().number();
        robot.interact(() -> {
            view.show(CHECKOUT_API);
            tabs().getSelectionModel().select(3);
        });
        waitFor(() -> robot.lookup("#undoRevision" + stable).tryQuery().isPresent());
        Button undo = robot.lookup("#undoRevision" + stable).queryAs(Button.class);
        waitFor(() -> !undo.isDisabled());
        // the current (canary) revision offers no undo to itself
        int canary = demo.rollout(CHECKOUT_API).revisions().stream().filter(r -> r.role().equals("canary"))
                .findFirst().orElseThrow().number();
        assertThat(robot.lookup("#undoRevision" + canary).tryQuery()).isEmpty();

        robot.clickOn(undo);
        waitFor(() -> robot.lookup("#confirmField").tryQuery().isPresent());
        robot.clickOn("#confirmField").write("checkout-api");
        robot.clickOn("#confirmButton");

        waitFor(() -> !demo.rollout(CHECKOUT_API).updateInProgress());
        Label result = robot.lookup("#actionResult").queryAs(Label.class);
        waitFor(() -> result.getText().startsWith("Undo to revision done"));
        assertThat(demo.audit.query(dev.releaseconsole.services.governance.AuditQuery.latest(5)))
                .anyMatch(e -> e.target().endsWith("to revision " + stable));
    }

    @Test
    void aRunningAnalysisCanBeTerminatedFromTheAnalysisTab(FxRobot robot) throws Exception {
        // checkout-api's step analysis starts after its 5-minute pause
        for (int i = 0; i < 36 && runningRun().isEmpty(); i++) {
            demo.advance(Duration.ofSeconds(10));
        }
        String run = runningRun().orElseThrow(() -> new AssertionError("no analysis started")).name();
        robot.interact(() -> {
            view.show(CHECKOUT_API);
            tabs().getSelectionModel().select(2);
        });
        waitFor(() -> robot.lookup("#terminate-" + run).tryQuery().isPresent());
        Button terminate = robot.lookup("#terminate-" + run).queryAs(Button.class);
        waitFor(() -> !terminate.isDisabled());

        robot.clickOn(terminate);
        waitFor(() -> robot.lookup("#confirmField").tryQuery().isPresent());
        robot.clickOn("#confirmField").write("checkout-api");
        robot.clickOn("#confirmButton");

        waitFor(() -> demo.rollout(CHECKOUT_API).analysisRuns().stream().filter(a -> a.name().equals(run))
                .allMatch(a -> a.phase() == dev.releaseconsole.services.model.AnalysisPhase.Successful));
        waitFor(() -> robot.lookup("#terminate-" + run).tryQuery().isEmpty());
    }

    private java.util.Optional<dev.releaseconsole.services.model.AnalysisRun> runningRun() {
        return demo.rollout(CHECKOUT_API).analysisRuns().stream()
                .filter(a -> a.phase() == dev.releaseconsole.services.model.AnalysisPhase.Running).findFirst();
    }

    @Test
    void checkoutChartsShowTheCanaryErrorRatioAboveBaseline(FxRobot robot) throws Exception {
        robot.interact(() -> view.show(CHECKOUT_API));
        waitFor(() -> robot.lookup("#chart-error-ratio").tryQuery().isPresent());
        // the regressing release at 25%: its error ratio climbs within minutes
        demo.advance(Duration.ofMinutes(5));
        @SuppressWarnings("unchecked")
        LineChart<Number, Number> chart = robot.lookup("#chart-error-ratio").queryAs(LineChart.class);
        waitFor(() -> chart.getData().get(0).getData().size() > 300
                && lastX(chart) > -0.05 && mean(chart.getData().get(0)) > 2 * mean(chart.getData().get(1)));
        assertThat(chart.getData().get(0).getName()).isEqualTo("canary");
        assertThat(chart.getData().get(2).getName()).isEqualTo("threshold ≤ 1");
        assertThat(text(robot, "#legend-canary-error-ratio")).startsWith("canary ");
        assertThat(chart.getCreateSymbols()).isFalse();
        assertThat(chart.getAnimated()).isFalse();
        for (String id : List.of("request-rate", "p95-latency", "checkout-conversion")) {
            assertThat(robot.lookup("#chart-" + id).tryQuery()).isPresent();
        }
        robot.interact(() -> Snapshots.write(stage.getScene(), "detail-1024x700-charts"));
        robot.clickOn("#analysisTab");
        robot.interact(() -> Snapshots.write(stage.getScene(), "detail-1024x700-analysis"));
        robot.clickOn("#stepsTab");
        robot.interact(() -> Snapshots.write(stage.getScene(), "detail-1024x700-steps"));
        // The large layout: the same view in an off-screen 1920x1080 scene (the headless screen is smaller).
        robot.interact(() -> {
            Scene small = stage.getScene();
            small.setRoot(new Pane());
            Scene big = new Scene(view, 1920, 1080);
            Themes.apply(big, Theme.DARK, false);
            for (int tab : new int[]{1, 0, 2}) {
                tabs().getSelectionModel().select(tab);
                view.applyCss();
                view.layout();
                Snapshots.write(big, "detail-1920x1080-" + new String[]{"charts", "steps", "analysis"}[tab]);
            }
            big.setRoot(new Pane());
            small.setRoot(view);
        });
        // Embedded under the rollout table the detail is short and wide: the charts go into one row.
        robot.clickOn("#chartsTab");
        robot.interact(() -> {
            stage.setWidth(1020);
            stage.setHeight(430);
        });
        waitFor(() -> GridPane.getColumnIndex(robot.lookup("#card-error-ratio").query()) != null
                && GridPane.getColumnIndex(robot.lookup("#card-checkout-conversion").query()) == 3);
        robot.interact(() -> Snapshots.write(stage.getScene(), "detail-embedded-1020x430"));
    }

    @Test
    void theQueriesTabShowsTheTemplatesTheRolloutUsesReadOnly(FxRobot robot) throws Exception {
        robot.interact(() -> view.show(CHECKOUT_API));
        robot.clickOn("#queriesTab");
        waitFor(() -> robot.lookup("#template-success-rate-and-latency").tryQuery().isPresent());
        assertThat(text(robot, "#templatesStatus")).isEqualTo("1 template, 2 metrics");
        Node card = robot.lookup("#template-success-rate-and-latency").query();
        List<String> labels = robot.from(card).lookup(".label").queryAllAs(Label.class).stream()
                .map(Label::getText).toList();
        assertThat(labels).contains("AnalysisTemplate success-rate-and-latency",
                "used by step 4 · args: namespace, canary-hash",
                "success: result < 0.01 · every 30s · count 8 · failure limit 3");
        List<javafx.scene.control.TextArea> queries = robot.from(card).lookup(".template-query")
                .queryAllAs(javafx.scene.control.TextArea.class).stream().toList();
        assertThat(queries).hasSize(2).allMatch(q -> !q.isEditable());
        assertThat(queries.get(0).getText()).startsWith("sum(rate(http_requests_total{");
        robot.interact(() -> Snapshots.write(stage.getScene(), "detail-1024x700-queries"));

        // another rollout while the tab is open: its own templates
        robot.interact(() -> view.show(DemoServices.SEARCH_API));
        waitFor(() -> robot.lookup("#template-strict-latency").tryQuery().isPresent());
        assertThat(robot.lookup("#template-success-rate-and-latency").tryQuery()).isEmpty();
    }

    @Test
    void timeInStepAndTimeLeftOnATimedPauseTickWithTheClusterClock(FxRobot robot) throws Exception {
        robot.interact(() -> view.show(CHECKOUT_API));
        Label timing = robot.lookup("#stepTiming").queryAs(Label.class);
        // one convention everywhere: Argo's currentStepIndex/steps, as in the table's Step column
        assertThat(timing.getText()).isEqualTo("step 1/7 · pause 5m · in step 1m · 4m left");
        assertThat(demo.rollout(CHECKOUT_API).stepLabel()).isEqualTo("1/7");
        assertThat(text(robot, "#detailStepTiming")).isEqualTo(timing.getText());
        Node current = robot.lookup("#step-1").query();
        assertThat(current.getStyleClass()).contains("step-current");
        assertThat(robot.from(current).lookup(".step-index").queryAs(Label.class).getText()).isEqualTo("1");

        AtomicInteger updates = new AtomicInteger();
        KeyedStore.Listener<RolloutRef, Rollout> counter = (upserted, removed) -> upserted.stream()
                .filter(r -> r.ref().equals(CHECKOUT_API)).forEach(r -> updates.incrementAndGet());
        demo.state.rollouts().addListener(counter);
        demo.advance(Duration.ofSeconds(40));
        // the cluster's clock moved; checkout-api itself did not change: only the one-second ticker moves the text
        waitFor(() -> timing.getText().endsWith("3m20s left"));
        assertThat(timing.getText()).isEqualTo("step 1/7 · pause 5m · in step 1m40s · 3m20s left");
        assertThat(updates.get()).isZero();
        demo.state.rollouts().removeListener(counter);
    }

    @Test
    void clearStopsPollingAndShowsThePlaceholder(FxRobot robot) {
        robot.interact(() -> view.show(CHECKOUT_API));
        assertThat(view.poller().isPolling()).isTrue();
        robot.interact(() -> view.show(SEARCH_INDEXER));
        assertThat(view.viewModel().titleProperty().get()).isEqualTo("search-indexer");
        robot.interact(() -> view.clear());
        assertThat(view.poller().isPolling()).isFalse();
        assertThat(view.viewModel().presentProperty().get()).isFalse();
        assertThat(robot.lookup("#promoteButton").queryAs(Button.class).isDisabled()).isTrue();
    }

    @Test
    void shortcutsDoNotFireWhileTyping(FxRobot robot) throws Exception {
        TextField field = new TextField();
        int before = demo.rollout(SEARCH_INDEXER).currentStepIndex();
        robot.interact(() -> {
            view.show(SEARCH_INDEXER);
            ((VBox) view.getTop()).getChildren().add(field);
        });
        waitFor(() -> !robot.lookup("#promoteButton").queryAs(Button.class).isDisabled());
        robot.clickOn(field).type(KeyCode.P);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(demo.rollout(SEARCH_INDEXER).currentStepIndex()).isEqualTo(before);
        assertThat(field.getText()).isEqualTo("p");
        robot.interact(() -> ((VBox) view.getTop()).getChildren().remove(field));
    }

    @Test
    void killSwitchFromTheDetailShowsAOneLineResultWithThePerTargetLinesOnRequest(FxRobot robot) throws Exception {
        robot.interact(() -> view.show(CHECKOUT_API));
        Button kill = robot.lookup("#rolloutKillSwitchButton").queryAs(Button.class);
        waitFor(() -> !kill.isDisabled());
        robot.clickOn("#rolloutKillSwitchButton");
        waitFor(() -> robot.lookup("#killSwitchConfirmField").tryQuery().isPresent()
                && robot.lookup("#killSwitchConfirmField").query().isVisible()
                && !robot.lookup("#killSwitchConfirmField").query().isDisabled());
        robot.clickOn("#killSwitchConfirmField").write("checkout-api");
        Button execute = robot.lookup("#killSwitchExecuteButton").queryAs(Button.class);
        waitFor(() -> !execute.isDisabled());
        robot.clickOn(execute);
        waitFor(() -> demo.rollout(CHECKOUT_API).abort());
        // the dialog is modal over the detail: close it, as the user would, to use the detail again
        robot.interact(() -> robot.lookup("#killSwitchResults").query().getScene().getWindow().hide());
        Label result = robot.lookup("#actionResult").queryAs(Label.class);
        waitFor(() -> result.getText().startsWith("Kill switch:"));
        // one line with its icon; the five per-target lines wait behind "details" (and in the tooltip)
        assertThat(result.getText()).isEqualTo("Kill switch: 5 of 5 target(s) confirmed").doesNotContain("\n");
        assertThat(result.getGraphic()).isNotNull();
        assertThat(result.getTooltip().getText()).contains("✓ rollout prod-eu/checkout/checkout-api");
        Label details = robot.lookup("#actionResultDetails").queryAs(Label.class);
        ToggleButton more = robot.lookup("#actionResultMore").queryAs(ToggleButton.class);
        assertThat(more.isVisible()).isTrue();
        assertThat(details.isVisible()).isFalse();
        assertThat(details.getText().split("\n")).hasSize(5).anyMatch(l -> l.startsWith(
                "✓ rollout prod-eu/checkout/checkout-api"));
        robot.clickOn(more);
        assertThat(details.isVisible()).isTrue();
        assertThat(robot.lookup("#actionResultScroll").query().getBoundsInParent().getHeight())
                .as("at most about three lines").isLessThan(4 * result.getHeight());
        waitFor(() -> "Aborted".equals(text(robot, "#detailStatus")));
        robot.interact(() -> Snapshots.write(stage.getScene(), "detail-kill-switch-result"));
    }

    @Test
    void everyDemoRolloutShowsWithoutErrors(FxRobot robot) throws Exception {
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        robot.interact(() -> Thread.currentThread().setUncaughtExceptionHandler((t, e) -> errors.add(e)));
        List<RolloutRef> refs = demo.state.rollouts().all().stream().map(Rollout::ref).sorted().toList();
        assertThat(refs).hasSize(14);
        for (RolloutRef ref : refs) {
            robot.interact(() -> view.show(ref));
            waitFor(() -> !robot.lookup("#restartButton").queryAs(Button.class).getTooltip().getText()
                    .contains("checking"));
            waitFor(() -> robot.lookup("#chart-error-ratio").tryQuery().isPresent()
                    || !text(robot, "#chartsStatus").isEmpty());
            assertThat(text(robot, "#detailStatus")).isNotBlank();
            if (ref.kind() == WorkloadKind.FLAGGER_CANARY) {
                robot.clickOn("#stepsTab");
                robot.interact(() -> Snapshots.write(stage.getScene(), "detail-flagger-" + ref.name()));
                robot.clickOn("#chartsTab");
            }
            if (demo.rollout(ref).strategy() == Strategy.BLUE_GREEN) {
                robot.interact(() -> Snapshots.write(stage.getScene(), "detail-bluegreen-" + ref.name()));
            }
        }
        demo.advance(Duration.ofMinutes(3));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(errors).isEmpty();
    }

    private TabPane tabs() {
        return (TabPane) view.lookup("#detailTabs");
    }

    private static double lastX(LineChart<Number, Number> chart) {
        List<XYChart.Data<Number, Number>> d = chart.getData().get(1).getData();
        return d.isEmpty() ? -99 : d.get(d.size() - 1).getXValue().doubleValue();
    }

    private static double mean(XYChart.Series<Number, Number> s) {
        return s.getData().stream().mapToDouble(d -> d.getYValue().doubleValue()).filter(Double::isFinite)
                .average().orElse(Double.NaN);
    }
}
