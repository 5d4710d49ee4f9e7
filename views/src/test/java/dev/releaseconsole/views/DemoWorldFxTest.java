package dev.releaseconsole.views;

import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.model.WorkloadKind;
import dev.releaseconsole.views.audit.AuditWindow;
import dev.releaseconsole.views.common.Theme;
import dev.releaseconsole.views.common.Themes;
import dev.releaseconsole.views.rollouts.RolloutRow;
import dev.releaseconsole.views.testing.DemoServices;
import dev.releaseconsole.views.testing.Snapshots;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import javafx.stage.Window;
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
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The main window on the demo world (runner stopped; the test moves simulated time). */
@ExtendWith(ApplicationExtension.class)
class DemoWorldFxTest {
    static final RolloutRef CHECKOUT_API = new RolloutRef("prod-eu", "checkout", "checkout-api",
            WorkloadKind.ARGO_ROLLOUT);

    @TempDir
    static Path dir;
    private DemoServices demo;
    private MainView view;
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        demo = new DemoServices(dir, 42);
        view = new MainView(demo.services);
        Scene scene = new Scene(view, 1280, 800);
        stage.setScene(scene);
        Themes.apply(scene, Theme.DARK, false);
        stage.show();
    }

    @AfterEach
    void tearDown(FxRobot robot) {
        robot.interact(() -> {
            for (Window w : List.copyOf(Window.getWindows())) {
                if (w != stage && w instanceof Stage s) {
                    s.close();
                }
            }
            view.dispose();
        });
        demo.close();
    }

    @SuppressWarnings("unchecked")
    private TableView<RolloutRow> table(FxRobot robot) {
        return robot.lookup("#rolloutTable").queryAs(TableView.class);
    }

    private List<String> names(FxRobot robot) {
        return table(robot).getItems().stream().map(RolloutRow::name).toList();
    }

    @Test
    void attentionFilterShowsCheckoutApiAfterItDegrades(FxRobot robot) throws Exception {
        robot.clickOn("#attentionToggle");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(names(robot)).doesNotContain("checkout-api");
        assertThat(demo.state.rollouts().get(CHECKOUT_API).orElseThrow().needsAttention()).isFalse();

        // the scripted regression: checkout-api's analysis fails within minutes of simulated time
        for (int i = 0; i < 20 && !demo.state.rollouts().get(CHECKOUT_API).orElseThrow().needsAttention(); i++) {
            demo.world.advance(Duration.ofSeconds(30));
        }
        assertThat(demo.state.rollouts().get(CHECKOUT_API).orElseThrow().needsAttention()).isTrue();
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> table(robot).getItems().stream()
                .anyMatch(r -> r.ref().equals(CHECKOUT_API)));
        RolloutRow row = table(robot).getItems().stream().filter(r -> r.ref().equals(CHECKOUT_API)).findFirst()
                .orElseThrow();
        assertThat(row.why()).isNotBlank();
        assertThat(table(robot).getItems()).allMatch(RolloutRow::needsAttention);
        robot.interact(() -> Snapshots.write(stage.getScene(), "demo-attention"));
    }

    @Test
    void searchFiltersAndTreeScopes(FxRobot robot) {
        int all = table(robot).getItems().size();
        assertThat(all).isGreaterThan(5);
        robot.clickOn("#searchField").write("checkout");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(names(robot)).isNotEmpty().hasSizeLessThan(all);
        assertThat(table(robot).getItems()).allMatch(r -> r.searchText().contains("checkout"));
        robot.press(KeyCode.CONTROL, KeyCode.A).release(KeyCode.A, KeyCode.CONTROL).type(KeyCode.BACK_SPACE);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(table(robot).getItems()).hasSize(all);
        robot.interact(() -> view.viewModel().table().scopeProperty()
                .set(dev.releaseconsole.views.rollouts.Scope.cluster("staging-us")));
        assertThat(table(robot).getItems()).isNotEmpty().allMatch(r -> r.cluster().equals("staging-us"));
        robot.interact(() -> Snapshots.write(stage.getScene(), "demo-main"));
    }

    @Test
    void auditViewShowsAnEntryAfterAnAction(FxRobot robot) throws Exception {
        robot.interact(() -> AuditWindow.show(stage, demo.services));
        WaitForAsyncUtils.waitForFxEvents();
        TableView<?> audit = robot.lookup("#auditTable").queryAs(TableView.class);
        int before = audit.getItems().size();
        demo.actions.execute(dev.releaseconsole.services.actions.ActionType.PAUSE, CHECKOUT_API, "test");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> audit.getItems().size() >= before + 2);
        assertThat(audit.getItems().toString()).contains("PAUSE");
        robot.clickOn("#verifyChainButton");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#chainLabel")
                .queryLabeled().getText().startsWith("Chain intact"));
        robot.interact(() -> robot.lookup("#auditSearch").queryAs(TextField.class).setText("no-such-thing"));
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> audit.getItems().isEmpty());
        robot.interact(() -> Snapshots.write(audit.getScene(), "demo-audit"));
        // the status bar shows the latest action outcome
        assertThat(robot.lookup("#lastActionLabel").queryLabeled().getText()).contains("PAUSE");
    }

    @Test
    void killSwitchRequiresTheTypedNameInProduction(FxRobot robot) throws Exception {
        robot.interact(() -> view.viewModel().selectedRolloutProperty().set(CHECKOUT_API));
        robot.press(KeyCode.CONTROL, KeyCode.K).release(KeyCode.K, KeyCode.CONTROL);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#killSwitchConfirmField").tryQuery()
                .map(Node::isVisible).orElse(false)
                && !robot.lookup("#killSwitchPlan").queryAs(ListView.class).getItems().isEmpty());
        Button execute = robot.lookup("#killSwitchExecuteButton").queryButton();
        assertThat(execute.isDisabled()).isTrue();
        TextField confirm = robot.lookup("#killSwitchConfirmField").queryAs(TextField.class);
        assertThat(confirm.isFocused()).isTrue();
        // headless Monocle does not move key focus to a new window by itself; a click does
        robot.clickOn(confirm).write("checkout-ap").type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(execute.isDisabled()).isTrue();
        assertThat(robot.lookup("#killSwitchResults").queryAs(ListView.class).getItems()).isEmpty();
        assertThat(demo.state.rollouts().get(CHECKOUT_API).orElseThrow().abort()).isFalse();
        robot.interact(() -> Snapshots.write(confirm.getScene(), "demo-killswitch-plan"));
        robot.write("i");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(execute.isDisabled()).isFalse();
        robot.type(KeyCode.ENTER);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !robot.lookup("#killSwitchResults")
                .queryAs(ListView.class).getItems().isEmpty());
        ListView<?> results = robot.lookup("#killSwitchResults").queryAs(ListView.class);
        assertThat(results.getItems()).isNotEmpty();
        assertThat(robot.lookup("#killSwitchElapsed").queryLabeled().getText()).matches("(Confirmed|Finished) in \\d+ ms.*");
        robot.interact(() -> Snapshots.write(results.getScene(), "demo-killswitch-results"));
        assertThat(demo.state.rollouts().get(CHECKOUT_API).orElseThrow().abort()).isTrue();
    }
}
