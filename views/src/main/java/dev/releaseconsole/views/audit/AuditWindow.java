package dev.releaseconsole.views.audit;

import dev.releaseconsole.services.ConsoleServices;
import dev.releaseconsole.views.common.TaskRunner;
import dev.releaseconsole.views.common.Themes;
import javafx.scene.Scene;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.stage.Stage;
import javafx.stage.Window;

import java.time.ZoneId;

/** The audit log in its own window; one at a time, brought to front when asked again (Ctrl+L). */
public final class AuditWindow {
    public static final double DEFAULT_WIDTH = 1200;
    public static final double DEFAULT_HEIGHT = 700;
    private static Stage open;

    private AuditWindow() {
    }

    private static javafx.stage.Screen screenOf(Window owner) {
        if (owner != null) {
            var screens = javafx.stage.Screen.getScreensForRectangle(owner.getX(), owner.getY(),
                    Math.max(1, owner.getWidth()), Math.max(1, owner.getHeight()));
            if (!screens.isEmpty()) {
                return screens.get(0);
            }
        }
        return javafx.stage.Screen.getPrimary();
    }

    /** Shows the audit log of {@code services}; queries and the chain check run with {@code runner}. */
    public static Stage show(Window owner, ConsoleServices services, TaskRunner runner) {
        if (open != null && open.isShowing()) {
            open.toFront();
            open.requestFocus();
            return open;
        }
        AuditViewModel vm = new AuditViewModel(services.audit(), runner, ZoneId.systemDefault());
        AuditView view = new AuditView(vm);
        Stage stage = new Stage();
        if (owner != null) {
            stage.initOwner(owner);
        }
        stage.setTitle("Audit log — Release Console");
        // 1200x700, or less where the screen is smaller
        javafx.geometry.Rectangle2D screen = screenOf(owner).getVisualBounds();
        Scene scene = new Scene(view, Math.min(DEFAULT_WIDTH, screen.getWidth() - 40),
                Math.min(DEFAULT_HEIGHT, screen.getHeight() - 40));
        Themes.applyCurrent(scene);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN),
                view::focusSearch);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.W, KeyCombination.SHORTCUT_DOWN), stage::close);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.L, KeyCombination.SHORTCUT_DOWN), stage::close);
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
