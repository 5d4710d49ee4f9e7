package dev.releaseconsole.views.audit;

import dev.releaseconsole.services.ConsoleServices;
import dev.releaseconsole.views.common.SecondaryWindow;
import dev.releaseconsole.views.common.TaskRunner;
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
    private static final SecondaryWindow WINDOW = new SecondaryWindow("Audit log — Release Console",
            DEFAULT_WIDTH, DEFAULT_HEIGHT, new KeyCodeCombination(KeyCode.L, KeyCombination.SHORTCUT_DOWN));

    private AuditWindow() {
    }

    /** Shows the audit log of {@code services}; queries and the chain check run with {@code runner}. */
    public static Stage show(Window owner, ConsoleServices services, TaskRunner runner) {
        return WINDOW.show(owner, SecondaryWindow.screenOf(owner), () -> {
            AuditViewModel vm = new AuditViewModel(services.audit(), runner, ZoneId.systemDefault());
            AuditView view = new AuditView(vm);
            return new SecondaryWindow.Contents(view, view::focusSearch, vm::start, vm::close);
        });
    }
}
