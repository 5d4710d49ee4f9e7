package dev.releaseconsole.views.flags;

import dev.releaseconsole.services.ConsoleServices;
import dev.releaseconsole.views.common.SecondaryWindow;
import dev.releaseconsole.views.common.TaskRunner;
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
    private static final SecondaryWindow WINDOW = new SecondaryWindow("Flag debt — Release Console",
            DEFAULT_WIDTH, DEFAULT_HEIGHT, new KeyCodeCombination(KeyCode.D, KeyCombination.SHORTCUT_DOWN),
            new KeyCodeCombination(KeyCode.ESCAPE));

    private FlagDebtWindow() {
    }

    /**
     * Shows the flag debt of {@code services}, judged at the console's time: the first watched cluster's clock (the
     * demo world's simulated clock in the demo), else the wall clock.
     */
    public static Stage show(Window owner, ConsoleServices services, TaskRunner runner) {
        return WINDOW.show(owner, Screen.getPrimary(), () -> {
            Clock clock = services.clusterClocks().values().stream().findFirst().orElse(Clock.systemUTC());
            FlagDebtViewModel vm = new FlagDebtViewModel(services, runner, clock);
            FlagDebtView view = new FlagDebtView(vm);
            return new SecondaryWindow.Contents(view, view::focusSearch, vm::start, vm::close);
        });
    }
}
