package dev.releaseconsole.views.killswitch;

import dev.releaseconsole.services.governance.AuditEntry;
import dev.releaseconsole.services.governance.AuditQuery;
import dev.releaseconsole.services.governance.AuditStage;
import dev.releaseconsole.services.model.FlagRef;
import dev.releaseconsole.views.common.TaskRunner;
import dev.releaseconsole.views.testing.DemoServices;
import dev.releaseconsole.views.testing.FxWindows;
import dev.releaseconsole.views.testing.Snapshots;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.StackPane;
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
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The on-call kill switch as on-call uses it: keyboard only, from the list to confirmed-off and back. */
@ExtendWith(ApplicationExtension.class)
class KillSwitchOnCallFxTest {
    @TempDir
    static Path dir;
    private DemoServices demo;
    private Stage main;
    private Stage onCall;

    @Start
    void start(Stage stage) {
        main = stage;
        demo = new DemoServices(dir);
        FxWindows.show(stage, new StackPane(new Label("main window")), 400, 300);
        onCall = KillSwitchDialog.openOnCall(stage, demo.services, TaskRunner.DIRECT, r -> { });
    }

    @AfterEach
    void tearDown(FxRobot robot) {
        robot.interact(() -> FxWindows.closeAllBut(main));
        demo.close();
    }

    private static String text(FxRobot robot, String query) {
        return robot.lookup(query).queryAs(Label.class).getText();
    }

    @SuppressWarnings("unchecked")
    private static ListView<KillSwitchCandidate> list(FxRobot robot) {
        return robot.lookup("#killSwitchChooser").queryAs(ListView.class);
    }

    @Test
    void typeToFilterEnterToArmTypeTheNameEnterAndSeeTheTimeToConfirmedOff(FxRobot robot) throws Exception {
        assertThat(list(robot).getItems()).hasSize(9);
        assertThat(robot.lookup("#killSwitchChooser .rc-kill-env").queryAll()).extracting(n -> ((Label) n).getText())
                .contains("production ON", "staging ON", "production off");
        assertThat(robot.lookup("#killSwitchChooser .rc-status-label").queryAll())
                .extracting(n -> ((Label) n).getText()).contains("demo: connected", "prod-eu: connected");
        robot.interact(() -> Snapshots.write(onCall.getScene(), "killswitch-oncall-list"));

        // headless Monocle does not move key focus to a new window by itself; a click does
        robot.clickOn("#killSwitchFilter").write("fast");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(list(robot).getItems()).extracting(KillSwitchCandidate::label)
                .containsExactly("flag checkout-fast-path (demo)");
        assertThat(robot.lookup("#killSwitchArmButton").queryButton().getText())
                .isEqualTo("Arm kill switch: checkout-fast-path  (Enter)");
        robot.type(KeyCode.ENTER);

        TextField confirm = robot.lookup("#killSwitchConfirmField").queryAs(TextField.class);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> confirm.isVisible() && confirm.isFocused());
        assertThat(robot.lookup("#killSwitchPlan").queryAs(ListView.class).getItems()).hasSize(3);
        Button execute = robot.lookup("#killSwitchExecuteButton").queryButton();
        robot.type(KeyCode.ENTER);
        assertThat(execute.isDisabled()).as("production: nothing happens before the name is typed").isTrue();
        robot.write("checkout-fast-path").type(KeyCode.ENTER);

        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !robot.lookup("#killSwitchResults")
                .queryAs(ListView.class).getItems().isEmpty());
        assertThat(text(robot, "#killSwitchElapsed")).matches("All 3 target\\(s\\) confirmed off in \\d+ ms from the click");
        robot.interact(() -> Snapshots.write(onCall.getScene(), "killswitch-oncall-results"));
        assertThat(demo.state.flags().get(new FlagRef("demo", "checkout-fast-path")).orElseThrow().enabledAnywhere())
                .isFalse();
        assertThat(demo.rollout(DemoServices.CHECKOUT_API).abort()).isTrue();
        List<AuditEntry> audit = demo.audit.query(AuditQuery.latest(20));
        assertThat(audit).anyMatch(e -> e.action().equals("KILL_SWITCH") && e.stage() == AuditStage.OUTCOME
                && e.result().equals("SUCCEEDED"));

        // Enter goes back to the list, which shows the new state and the last use
        robot.type(KeyCode.ENTER);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#killSwitchChooser").query().isVisible());
        assertThat(text(robot, "#killSwitchLastUse")).contains("flag demo:checkout-fast-path — All 3 target(s)"
                + " confirmed off in");
        robot.interact(() -> robot.lookup("#killSwitchFilter").queryAs(TextField.class).clear());
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> list(robot).getItems().size() == 9
                && list(robot).getItems().get(0).environments().stream().noneMatch(e -> e.on()));
        assertThat(onCall.isShowing()).isTrue();

        // a second press converges without a second effect: everything is already done
        robot.clickOn("#killSwitchFilter").write("fast").type(KeyCode.ENTER);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> confirm.isVisible());
        robot.clickOn(confirm).write("checkout-fast-path").type(KeyCode.ENTER);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#killSwitchResults").query().isVisible());
        assertThat(robot.lookup("#killSwitchResults").queryAs(ListView.class).getItems()).hasSize(3);
        assertThat(text(robot, "#killSwitchElapsed")).startsWith("All 3 target(s) confirmed off");

        robot.type(KeyCode.ESCAPE);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#killSwitchChooser").query().isVisible());
        robot.type(KeyCode.ESCAPE);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> !onCall.isShowing());
    }

    @Test
    void typingInTheListGoesToTheFilterAndArrowsInTheFilterMoveTheSelection(FxRobot robot) throws Exception {
        robot.clickOn("#killSwitchFilter");
        robot.type(KeyCode.DOWN, KeyCode.DOWN);
        assertThat(list(robot).getSelectionModel().getSelectedIndex()).isEqualTo(2);
        Node filter = robot.lookup("#killSwitchFilter").query();
        assertThat(filter.isFocused()).isTrue();
        robot.clickOn(list(robot).lookupAll(".list-cell").iterator().next());
        robot.write("psp");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#killSwitchFilter").queryAs(TextField.class).getText()).isEqualTo("psp");
        assertThat(list(robot).getItems()).extracting(KillSwitchCandidate::label)
                .containsExactly("flag payments-fallback-psp (demo)");
        robot.type(KeyCode.ENTER);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#killSwitchPlan").query().isVisible());
        assertThat(robot.lookup("#killSwitchPlan").queryAs(ListView.class).getItems()).hasSize(3);
        assertThat(robot.lookup("#killSwitchBackButton").query().isVisible()).isTrue();
        robot.clickOn("#killSwitchBackButton");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#killSwitchChooser").query().isVisible());
        assertThat(robot.lookup("#killSwitchFilter").queryAs(TextField.class).getText()).as("the filter is kept")
                .isEqualTo("psp");
    }
}
