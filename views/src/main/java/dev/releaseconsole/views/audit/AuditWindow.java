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
    private static Stage open;

    private AuditWindow() {
    }

    public static Stage show(Window owner, ConsoleServices services) {
        if (open != null && open.isShowing()) {
            open.toFront();
            open.requestFocus();
            return open;
        }
        AuditViewModel vm = new AuditViewModel(services.audit(), TaskRunner.BACKGROUND, ZoneId.systemDefault());
        AuditView view = new AuditView(vm);
        Stage stage = new Stage();
        if (owner != null) {
            stage.initOwner(owner);
        }
        stage.setTitle("Audit log — Release Console");
        Scene scene = new Scene(view);
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
