package dev.releaseconsole.views.clusters;

import dev.releaseconsole.views.common.TaskRunner;
import dev.releaseconsole.views.testing.FxWindows;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(ApplicationExtension.class)
class ContextPickerDialogFxTest {
    private Stage stage;
    private final List<List<String>> applied = new CopyOnWriteArrayList<>();

    private final ContextSelection kubeconfig = new ContextSelection() {
        @Override
        public Listing load() {
            return new Listing(List.of(
                    new ContextChoice("prod-eu", "prod-eu", "alice", "default", "https://10.0.0.1:6443",
                            "exec plugin", true, null),
                    new ContextChoice("staging-us", "staging-us", "alice", "shop", "https://10.0.0.2:6443",
                            "token", false, null),
                    new ContextChoice("broken", "gone", "bob", "default", null, null, false,
                            "cluster gone is not defined in any kubeconfig file")),
                    "the config file (kubernetes.contexts)",
                    List.of("/home/alice/.kube/extra: not valid YAML at line 3"));
        }

        @Override
        public void apply(List<String> contexts) {
            applied.add(contexts);
        }
    };

    @Start
    void start(Stage stage) {
        this.stage = stage;
        FxWindows.show(stage, new StackPane(), 400, 300);
    }

    @Test
    void tickingAContextAndWatchingSwitchesToExactlyTheTickedOnes(FxRobot robot) throws Exception {
        javafx.application.Platform.runLater(() -> ContextPickerDialog.open(stage, kubeconfig, TaskRunner.DIRECT));
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#contextTable").tryQuery().isPresent());
        Label status = robot.lookup("#contextPickerStatus").queryAs(Label.class);
        assertThat(status.getText()).contains("Watching 1 context(s) now, chosen by the config file")
                .contains("not valid YAML at line 3");
        TableView<?> table = robot.lookup("#contextTable").queryAs(TableView.class);
        assertThat(table.getItems()).hasSize(3);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> visibleBoxes(robot).size() == 3);
        List<CheckBox> boxes = visibleBoxes(robot);
        assertThat(boxes).hasSize(3);
        assertThat(boxes.get(2).isDisabled()).as("a context with a problem cannot be ticked").isTrue();

        robot.clickOn(boxes.get(1));
        robot.clickOn(robot.lookup("#watchContextsButton").queryAs(Button.class));

        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> !applied.isEmpty());
        assertThat(applied).containsExactly(List.of("prod-eu", "staging-us"));
    }

    private static List<CheckBox> visibleBoxes(FxRobot robot) {
        return robot.lookup(".check-box").queryAllAs(CheckBox.class).stream()
                .filter(b -> b.isVisible() && b.getScene() != null && b.getParent() != null).toList();
    }

    @Test
    void cancellingChangesNothing(FxRobot robot) throws Exception {
        javafx.application.Platform.runLater(() -> ContextPickerDialog.open(stage, kubeconfig, TaskRunner.DIRECT));
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#contextTable").tryQuery().isPresent());
        robot.clickOn("#cancelContextsButton");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(applied).isEmpty();
    }
}
