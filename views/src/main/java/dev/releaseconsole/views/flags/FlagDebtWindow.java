package dev.releaseconsole.views.flags;

import dev.releaseconsole.services.ConsoleServices;
import dev.releaseconsole.views.common.TaskRunner;
import dev.releaseconsole.views.common.Themes;
import javafx.scene.Scene;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.stage.Screen;
import javafx.stage.Stage;
import javafx.stage.Window;

import java.time.Clock;

/** The flag-debt view in its own window; one at a time, brought to front when asked again (Ctrl+D). */
public final class FlagDebtWindow {
    public static final double DEFAULT_WIDTH = 1280;
    public static final double DEFAULT_HEIGHT = 720;
    private static Stage open;

    private FlagDebtWindow() {
    }

    /**
     * Shows the flag debt of {@code services}, judged at the console's time: the first watched cluster's clock (the
     * demo world's simulated clock in the demo), else the wall clock.
     */
    public static Stage show(Window owner, ConsoleServices services, TaskRunner runner) {
        if (open != null && open.isShowing()) {
            open.toFront();
            open.requestFocus();
            return open;
        }
        Clock clock = services.clusterClocks().values().stream().findFirst().orElse(Clock.systemUTC());
        FlagDebtViewModel vm = new FlagDebtViewModel(services, runner, clock);
        FlagDebtView view = new FlagDebtView(vm);
        Stage stage = new Stage();
        if (owner != null) {
            stage.initOwner(owner);
        }
        stage.setTitle("Flag debt — Release Console");
        javafx.geometry.Rectangle2D screen = Screen.getPrimary().getVisualBounds();
        Scene scene = new Scene(view, Math.min(DEFAULT_WIDTH, screen.getWidth() - 40),
                Math.min(DEFAULT_HEIGHT, screen.getHeight() - 40));
        Themes.applyCurrent(scene);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN),
                view::focusSearch);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.W, KeyCombination.SHORTCUT_DOWN), stage::close);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.D, KeyCombination.SHORTCUT_DOWN), stage::close);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.ESCAPE), stage::close);
        stage.setScene(scene);
        stage.setOnHidden(e -> {
            vm.close();
            if (open == stage) {
                open = null;
            }
        });
        vm.start();
        stage.show();
        view.focusSearch();
        open = stage;
        return stage;
    }
}
