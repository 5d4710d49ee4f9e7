package dev.releaseconsole.views.detail;

import atlantafx.base.theme.PrimerLight;
import dev.releaseconsole.services.model.Rollout;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The detail view alone, on the hand-built fixture world (see {@link DetailFixture}). */
@ExtendWith(ApplicationExtension.class)
class RolloutDetailViewFxTest {
    private DetailFixture world;
    private RolloutDetailView view;
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        world = new DetailFixture();
        view = new RolloutDetailView(world.services);
        Scene scene = new Scene(view, 1024, 700);
        URL console = getClass().getResource("/dev/releaseconsole/styles/console.css");
        if (console != null) {
            scene.getStylesheets().add(console.toExternalForm());
        }
        stage.setScene(scene);
        stage.show();
    }

    @AfterEach
    void tearDown(FxRobot robot) {
        robot.interact(() -> view.clear());
    }

    private static void waitFor(java.util.concurrent.Callable<Boolean> c) throws Exception {
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, c);
    }

    private Rollout stored(dev.releaseconsole.services.model.RolloutRef ref) {
        return world.state.rollouts().get(ref).orElseThrow();
    }

    @Test
    void promoteThePausedCanaryAdvancesTheStep(FxRobot robot) throws Exception {
        robot.interact(() -> view.show(DetailFixture.SEARCH));
        Button promote = robot.lookup("#promoteButton").queryAs(Button.class);
        waitFor(() -> !promote.isDisabled());
        assertThat(robot.lookup("#detailStatus").queryAs(Label.class).getText()).isEqualTo("Paused");
        assertThat(robot.lookup("#resumeButton").queryAs(Button.class).isDisabled()).isTrue();
        assertThat(robot.lookup("#resumeButton").queryAs(Button.class).getTooltip().getText())
                .contains("paused by a step, not by a user: use Promote to continue");

        robot.clickOn("#promoteButton");

        waitFor(() -> stored(DetailFixture.SEARCH).currentStepIndex() == 5);
        Label result = robot.lookup("#actionResult").queryAs(Label.class);
        waitFor(() -> result.getText().startsWith("Promote done"));
        waitFor(() -> view.viewModel().steps().get(5).state() == StepItem.State.CURRENT);
        assertThat(view.viewModel().steps().get(4).state()).isEqualTo(StepItem.State.DONE);
        assertThat(result.getStyleClass()).contains("result-success");
    }

    @Test
    void promoteByKeyboardShortcut(FxRobot robot) throws Exception {
        robot.interact(() -> view.show(DetailFixture.SEARCH));
        waitFor(() -> !robot.lookup("#promoteButton").queryAs(Button.class).isDisabled());
        robot.clickOn("#detailHeader");
        robot.type(KeyCode.P);
        waitFor(() -> stored(DetailFixture.SEARCH).currentStepIndex() == 5);
    }

    @Test
    void abortIsDisabledWithTheReasonInPayments(FxRobot robot) throws Exception {
        robot.interact(() -> view.show(DetailFixture.PAYMENTS));
        Button abort = robot.lookup("#abortButton").queryAs(Button.class);
        waitFor(() -> abort.getTooltip().getText().contains("you may not"));
        assertThat(abort.isDisabled()).isTrue();
        assertThat(abort.getTooltip().getText()).isEqualTo("Abort (A) — not available\n"
                + "you may not patch rollouts/status in namespace payments on cluster prod-eu");
        // the letter shortcut does nothing either
        robot.clickOn("#detailHeader");
        robot.type(KeyCode.A);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(stored(DetailFixture.PAYMENTS).abort()).isFalse();
    }

    @Test
    void abortOnProductionAsksToTypeTheName(FxRobot robot) throws Exception {
        robot.interact(() -> view.show(DetailFixture.CHECKOUT));
        Button abort = robot.lookup("#abortButton").queryAs(Button.class);
        waitFor(() -> !abort.isDisabled());
        robot.clickOn("#abortButton");
        waitFor(() -> robot.lookup("#confirmField").tryQuery().isPresent());
        Button confirm = robot.lookup("#confirmButton").queryAs(Button.class);
        assertThat(confirm.isDisabled()).isTrue();
        robot.clickOn("#confirmField").write("checkout-api");
        assertThat(confirm.isDisabled()).isFalse();
        robot.clickOn("#confirmButton");
        waitFor(() -> stored(DetailFixture.CHECKOUT).abort());
        Label result = robot.lookup("#actionResult").queryAs(Label.class);
        waitFor(() -> result.getText().startsWith("Abort done; the controller reports Aborted"));
        waitFor(() -> "Aborted".equals(robot.lookup("#detailStatus").queryAs(Label.class).getText()));
        Button retry = robot.lookup("#retryButton").queryAs(Button.class);
        waitFor(() -> !retry.isDisabled());
    }

    @Test
    void chartsShowCanaryErrorRatioAboveBaseline(FxRobot robot) throws Exception {
        robot.interact(() -> view.show(DetailFixture.CHECKOUT));
        waitFor(() -> robot.lookup("#chart-error-ratio").tryQuery().isPresent());
        @SuppressWarnings("unchecked")
        LineChart<Number, Number> chart = robot.lookup("#chart-error-ratio").queryAs(LineChart.class);
        waitFor(() -> chart.getData().get(0).getData().size() > 100);
        world.clock.advance(Duration.ofMinutes(2));
        long session = view.poller().sessionId();
        waitFor(() -> view.poller().sessionId() == session && lastX(chart) > -0.05);
        double canary = mean(chart.getData().get(0));
        double baseline = mean(chart.getData().get(1));
        assertThat(canary).isGreaterThan(baseline * 3);
        assertThat(chart.getData().get(2).getName()).isEqualTo("threshold ≤ 0.01");
        assertThat(chart.getData().get(0).getName()).isEqualTo("canary");
        assertThat(robot.lookup("#legend-canary-error-ratio").queryAs(Label.class).getText()).startsWith("canary 0.0");
        assertThat(chart.getCreateSymbols()).isFalse();
        assertThat(chart.getAnimated()).isFalse();
        for (String id : List.of("request-rate", "p95-latency", "checkout-conversion")) {
            assertThat(robot.lookup("#chart-" + id).tryQuery()).isPresent();
        }
        robot.interact(() -> DetailSnapshots.write(stage.getScene(), "detail-1024x700-charts"));
        robot.clickOn("#analysisTab");
        robot.interact(() -> DetailSnapshots.write(stage.getScene(), "detail-1024x700-analysis"));
        robot.clickOn("#stepsTab");
        robot.interact(() -> DetailSnapshots.write(stage.getScene(), "detail-1024x700-steps"));
        // The large layout: the same view in an off-screen 1920x1080 scene (the headless screen is smaller).
        robot.interact(() -> {
            Scene small = stage.getScene();
            small.setRoot(new javafx.scene.layout.Pane());
            Scene big = new Scene(view, 1920, 1080);
            big.getStylesheets().setAll(small.getStylesheets());
            view.applyCss();
            view.layout();
            DetailSnapshots.write(big, "detail-1920x1080-steps");
            tabs().getSelectionModel().select(0);
            view.applyCss();
            view.layout();
            DetailSnapshots.write(big, "detail-1920x1080-charts");
            tabs().getSelectionModel().select(2);
            view.applyCss();
            view.layout();
            DetailSnapshots.write(big, "detail-1920x1080-analysis");
            big.setRoot(new javafx.scene.layout.Pane());
            small.setRoot(view);
        });
    }

    private javafx.scene.control.TabPane tabs() {
        return (javafx.scene.control.TabPane) view.lookup("#detailTabs");
    }

    @Test
    void timeLeftOnATimedPauseTicksWithTheClusterClock(FxRobot robot) throws Exception {
        robot.interact(() -> view.show(DetailFixture.PAYMENTS));
        Label timing = robot.lookup("#stepTiming").queryAs(Label.class);
        assertThat(timing.getText()).isEqualTo("step 2 of 6 · pause 2m · in step 50s · 1m10s left");
        world.clock.advance(Duration.ofSeconds(40));
        // no store update: only the one-second ticker moves the text
        waitFor(() -> timing.getText().endsWith("30s left"));
        assertThat(timing.getText()).isEqualTo("step 2 of 6 · pause 2m · in step 1m30s · 30s left");
    }

    @Test
    void clearStopsPollingAndShowsThePlaceholder(FxRobot robot) throws Exception {
        robot.interact(() -> view.show(DetailFixture.CHECKOUT));
        assertThat(view.poller().isPolling()).isTrue();
        robot.interact(() -> view.show(DetailFixture.SEARCH));
        assertThat(view.viewModel().titleProperty().get()).isEqualTo("search-api");
        robot.interact(() -> view.clear());
        assertThat(view.poller().isPolling()).isFalse();
        assertThat(view.viewModel().presentProperty().get()).isFalse();
        assertThat(robot.lookup("#promoteButton").queryAs(Button.class).isDisabled()).isTrue();
    }

    @Test
    void shortcutsDoNotFireWhileTyping(FxRobot robot) throws Exception {
        TextField field = new TextField();
        robot.interact(() -> {
            view.show(DetailFixture.SEARCH);
            ((javafx.scene.layout.VBox) view.getTop()).getChildren().add(field);
        });
        waitFor(() -> !robot.lookup("#promoteButton").queryAs(Button.class).isDisabled());
        robot.clickOn(field).type(KeyCode.P);
        WaitForAsyncUtils.waitForFxEvents();
        Thread.sleep(300);
        assertThat(stored(DetailFixture.SEARCH).currentStepIndex()).isEqualTo(4);
        assertThat(field.getText()).isEqualTo("p");
        robot.interact(() -> ((javafx.scene.layout.VBox) view.getTop()).getChildren().remove(field));
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
