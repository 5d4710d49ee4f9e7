package dev.releaseconsole.views;

import dev.releaseconsole.views.common.Theme;
import dev.releaseconsole.views.common.Themes;
import javafx.scene.input.KeyCode;
import dev.releaseconsole.views.rollouts.RolloutRow;
import dev.releaseconsole.views.testing.Snapshots;
import dev.releaseconsole.views.testing.TestWorld;
import javafx.scene.Scene;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
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

@ExtendWith(ApplicationExtension.class)
class MainViewFxTest {
    @TempDir
    static Path dir;
    private TestWorld world;
    private MainView view;
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        world = new TestWorld(dir.resolve("w" + System.nanoTime()));
        view = new MainView(world.services);
        stage.setScene(new Scene(view, 1280, 800));
        stage.show();
    }

    @AfterEach
    void tearDown() {
        view.dispose();
        world.close();
    }

    @SuppressWarnings("unchecked")
    private TableView<RolloutRow> table(FxRobot robot) {
        return robot.lookup("#rolloutTable").queryAs(TableView.class);
    }

    private List<String> names(FxRobot robot) {
        return table(robot).getItems().stream().map(RolloutRow::name).toList();
    }

    @Test
    void screenshotDarkAndLight(FxRobot robot) {
        robot.interact(() -> view.viewModel().selectedRolloutProperty().set(TestWorld.CHECKOUT));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(table(robot).getSelectionModel().getSelectedItem().ref()).isEqualTo(TestWorld.CHECKOUT);
        robot.interact(() -> Snapshots.write(stage.getScene(), "main-dark"));
        robot.interact(() -> view.viewModel().themeProperty().set(Theme.LIGHT));
        robot.interact(() -> Snapshots.write(stage.getScene(), "main-light"));
        robot.interact(() -> view.viewModel().presenterProperty().set(true));
        robot.interact(() -> Snapshots.write(stage.getScene(), "main-presenter"));
        assertThat(stage.getScene().getRoot().getStyleClass()).contains("rc-light", "rc-presenter");
        robot.interact(() -> Themes.apply(stage.getScene(), Theme.DARK, false));
        assertThat(view.viewModel().themeProperty().get()).isEqualTo(Theme.DARK);
        assertThat(view.viewModel().presenterProperty().get()).isFalse();
    }

    @Test
    void globalShortcuts(FxRobot robot) throws Exception {
        robot.clickOn("#statusBar");
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.A).release(KeyCode.A, KeyCode.SHIFT, KeyCode.CONTROL);
        assertThat(robot.lookup("#attentionToggle").queryAs(ToggleButton.class).isSelected()).isTrue();
        assertThat(names(robot)).containsExactly("search-api");
        robot.press(KeyCode.CONTROL, KeyCode.T).release(KeyCode.T, KeyCode.CONTROL);
        assertThat(stage.getScene().getRoot().getStyleClass()).contains("rc-light");
        robot.press(KeyCode.CONTROL, KeyCode.T).release(KeyCode.T, KeyCode.CONTROL);
        assertThat(stage.getScene().getRoot().getStyleClass()).contains("rc-dark");
        robot.type(KeyCode.F11);
        assertThat(stage.getScene().getRoot().getStyleClass()).contains("rc-presenter");
        robot.press(KeyCode.CONTROL, KeyCode.P).release(KeyCode.P, KeyCode.CONTROL);
        assertThat(stage.getScene().getRoot().getStyleClass()).doesNotContain("rc-presenter");
        robot.press(KeyCode.CONTROL, KeyCode.F).release(KeyCode.F, KeyCode.CONTROL);
        assertThat(robot.lookup("#searchField").queryAs(TextField.class).isFocused()).isTrue();
        robot.press(KeyCode.CONTROL, KeyCode.L).release(KeyCode.L, KeyCode.CONTROL);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#auditTable").tryQuery().isPresent());
        robot.interact(() -> robot.lookup("#auditTable").query().getScene().getWindow().hide());
        robot.clickOn("#statusBar");
        assertThat(view.viewModel().selectedRolloutProperty().get()).isNull();
        robot.press(KeyCode.CONTROL, KeyCode.K).release(KeyCode.K, KeyCode.CONTROL);
        // nothing selected: the chooser lists kill-switch flags and rollouts with linked flags
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#killSwitchChooser").tryQuery().isPresent());
        assertThat(robot.lookup("#killSwitchChooser").queryListView().getItems()).hasSize(3);
        robot.interact(() -> robot.lookup("#killSwitchChooser").query().getScene().getWindow().hide());
    }

    @Test
    void attentionFilterShowsCheckoutAfterItDegrades(FxRobot robot) throws Exception {
        robot.clickOn("#attentionToggle");
        // only search-api (paused at an indefinite step) needs a human at first
        assertThat(names(robot)).doesNotContain("checkout-api");
        world.degradeCheckout();
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> names(robot).contains("checkout-api"));
        assertThat(names(robot)).contains("checkout-api");
        assertThat(robot.lookup("#attentionToggle").queryAs(ToggleButton.class).getText()).endsWith("· 2");
        robot.interact(() -> Snapshots.write(stage.getScene(), "main-attention"));
    }

    @Test
    void searchFilters(FxRobot robot) {
        robot.clickOn("#searchField").write("payments");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(names(robot)).containsExactly("payments-api");
        robot.interact(() -> robot.lookup("#searchField").queryAs(TextField.class).setText("staging"));
        assertThat(names(robot)).containsExactlyInAnyOrder("search-api", "checkout-api");
    }
}
