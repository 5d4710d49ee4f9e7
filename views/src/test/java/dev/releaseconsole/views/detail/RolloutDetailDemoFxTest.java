package dev.releaseconsole.views.detail;

import atlantafx.base.theme.PrimerDark;
import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.model.RolloutRef;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
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
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** RolloutDetailView alone on the demo world (services' DemoWorld), as the app shows it. */
@ExtendWith(ApplicationExtension.class)
class RolloutDetailDemoFxTest {
    private DemoDetailWorld demo;
    private RolloutDetailView view;
    private Stage stage;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        Application.setUserAgentStylesheet(new PrimerDark().getUserAgentStylesheet());
        demo = new DemoDetailWorld();
        view = new RolloutDetailView(demo.services);
        Scene scene = new Scene(view, 1024, 700);
        URL console = getClass().getResource("/dev/releaseconsole/styles/console.css");
        if (console != null) {
            scene.getStylesheets().add(console.toExternalForm());
            scene.getRoot().getStyleClass().add("rc-dark");
        }
        stage.setScene(scene);
        stage.show();
    }

    @AfterEach
    void tearDown(FxRobot robot) {
        robot.interact(() -> view.clear());
        demo.close();
    }

    private static void waitFor(int seconds, Callable<Boolean> c) throws Exception {
        WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, c);
    }

    private Rollout stored(RolloutRef ref) {
        return demo.state.rollouts().get(ref).orElseThrow();
    }

    @Test
    void promotingTheIndefinitelyPausedCanaryAdvancesItsStep(FxRobot robot) throws Exception {
        int before = stored(DemoDetailWorld.INDEXER).currentStepIndex();
        assertThat(stored(DemoDetailWorld.INDEXER).currentStep().orElseThrow().isIndefinitePause()).isTrue();
        robot.interact(() -> view.show(DemoDetailWorld.INDEXER));
        Button promote = robot.lookup("#promoteButton").queryAs(Button.class);
        waitFor(5, () -> !promote.isDisabled());
        assertThat(robot.lookup("#detailAttention").queryAs(Label.class).getText()).contains("waiting for promotion");

        robot.clickOn("#promoteButton");

        waitFor(5, () -> stored(DemoDetailWorld.INDEXER).currentStepIndex() > before);
        Label result = robot.lookup("#actionResult").queryAs(Label.class);
        waitFor(5, () -> result.getText().startsWith("Promote done"));
        waitFor(5, () -> view.viewModel().steps().get(before).state() == StepItem.State.DONE);
        robot.interact(() -> DetailSnapshots.write(stage.getScene(), "detail-demo-promoted"));
    }

    @Test
    void abortIsDisabledWithTheReasonInPayments(FxRobot robot) throws Exception {
        robot.interact(() -> view.show(DemoDetailWorld.GATEWAY));
        Button abort = robot.lookup("#abortButton").queryAs(Button.class);
        waitFor(5, () -> abort.getTooltip().getText().contains("not available"));
        assertThat(abort.isDisabled()).isTrue();
        assertThat(abort.getTooltip().getText()).containsIgnoringCase("payments").contains("may not");
    }

    @Test
    void checkoutChartsShowTheCanaryErrorRatioAboveBaseline(FxRobot robot) throws Exception {
        robot.interact(() -> view.show(DemoDetailWorld.CHECKOUT));
        waitFor(5, () -> robot.lookup("#chart-error-ratio").tryQuery().isPresent());
        demo.world.advance(Duration.ofMinutes(4));
        @SuppressWarnings("unchecked")
        LineChart<Number, Number> chart = robot.lookup("#chart-error-ratio").queryAs(LineChart.class);
        waitFor(5, () -> chart.getData().get(0).getData().size() > 300);
        double canary = mean(chart.getData().get(0));
        double baseline = mean(chart.getData().get(1));
        assertThat(canary).isGreaterThan(baseline);
        for (String id : List.of("request-rate", "p95-latency", "checkout-conversion")) {
            assertThat(robot.lookup("#chart-" + id).tryQuery()).isPresent();
        }
        robot.interact(() -> DetailSnapshots.write(stage.getScene(), "detail-demo-checkout-charts"));
        robot.clickOn("#analysisTab");
        robot.interact(() -> DetailSnapshots.write(stage.getScene(), "detail-demo-checkout-analysis"));
        robot.clickOn("#stepsTab");
        robot.interact(() -> DetailSnapshots.write(stage.getScene(), "detail-demo-checkout-steps"));
        // Embedded under the rollout table the detail is short and wide: the charts go into one row.
        robot.clickOn("#chartsTab");
        robot.interact(() -> {
            stage.setWidth(1020);
            stage.setHeight(430);
        });
        waitFor(5, () -> chart.getParent().getParent() != null
                && javafx.scene.layout.GridPane.getColumnIndex(chart.getParent()) != null
                && robot.lookup("#chart-checkout-conversion").query().getParent() != null
                && javafx.scene.layout.GridPane.getColumnIndex(
                robot.lookup("#chart-checkout-conversion").query().getParent()) == 3);
        robot.interact(() -> DetailSnapshots.write(stage.getScene(), "detail-demo-embedded-1020x430"));
    }

    @Test
    void killSwitchFromTheDetailUsesTheSharedDialogAndShowsTheResult(FxRobot robot) throws Exception {
        robot.interact(() -> view.show(DemoDetailWorld.CHECKOUT));
        Button kill = robot.lookup("#rolloutKillSwitchButton").queryAs(Button.class);
        waitFor(5, () -> !kill.isDisabled());
        robot.clickOn("#rolloutKillSwitchButton");
        waitFor(5, () -> robot.lookup("#killSwitchConfirmField").tryQuery().isPresent()
                && robot.lookup("#killSwitchConfirmField").query().isVisible()
                && !robot.lookup("#killSwitchConfirmField").query().isDisabled());
        robot.clickOn("#killSwitchConfirmField").write("checkout-api");
        Button execute = robot.lookup("#killSwitchExecuteButton").queryAs(Button.class);
        waitFor(5, () -> !execute.isDisabled());
        robot.clickOn(execute);
        waitFor(10, () -> stored(DemoDetailWorld.CHECKOUT).abort());
        Label result = robot.lookup("#actionResult").queryAs(Label.class);
        waitFor(10, () -> result.getText().startsWith("Kill switch:"));
        assertThat(result.getText()).contains("rollout prod-eu/checkout/checkout-api");
        waitFor(5, () -> "Aborted".equals(robot.lookup("#detailStatus").queryAs(Label.class).getText()));
    }

    @Test
    void everyDemoRolloutShowsWithoutErrors(FxRobot robot) throws Exception {
        List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        robot.interact(() -> Thread.currentThread().setUncaughtExceptionHandler((t, e) -> errors.add(e)));
        List<RolloutRef> refs = demo.state.rollouts().all().stream().map(Rollout::ref).sorted().toList();
        assertThat(refs).hasSizeGreaterThan(10);
        for (RolloutRef ref : refs) {
            robot.interact(() -> view.show(ref));
            waitFor(5, () -> !robot.lookup("#restartButton").queryAs(Button.class).getTooltip().getText()
                    .contains("checking"));
            waitFor(5, () -> robot.lookup("#chart-error-ratio").tryQuery().isPresent()
                    || !robot.lookup("#chartsStatus").queryAs(Label.class).getText().isEmpty());
            assertThat(robot.lookup("#detailStatus").queryAs(Label.class).getText()).isNotBlank();
            if (ref.kind() == dev.releaseconsole.services.model.WorkloadKind.FLAGGER_CANARY) {
                robot.clickOn("#stepsTab");
                robot.interact(() -> DetailSnapshots.write(stage.getScene(), "detail-demo-flagger-" + ref.name()));
                robot.clickOn("#chartsTab");
            }
            if (stored(ref).strategy() == dev.releaseconsole.services.model.Strategy.BLUE_GREEN) {
                robot.interact(() -> DetailSnapshots.write(stage.getScene(), "detail-demo-bluegreen-" + ref.name()));
            }
        }
        demo.world.advance(Duration.ofMinutes(3));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(errors).isEmpty();
    }

    private static double mean(XYChart.Series<Number, Number> s) {
        return s.getData().stream().mapToDouble(d -> d.getYValue().doubleValue()).filter(Double::isFinite)
                .average().orElse(Double.NaN);
    }
}
