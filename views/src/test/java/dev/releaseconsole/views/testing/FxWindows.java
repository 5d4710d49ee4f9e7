package dev.releaseconsole.views.testing;

import dev.releaseconsole.views.common.Theme;
import dev.releaseconsole.views.common.Themes;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.stage.Stage;
import javafx.stage.Window;

import java.util.List;

/** Window housekeeping for the FX tests, which share one toolkit (and one headless screen) per test JVM. */
public final class FxWindows {
    private FxWindows() {
    }

    /**
     * Closes every stage but {@code keep} (FX thread): dialogs and the audit window a test opened, or windows another
     * test class left, so nothing covers the stage under test where the pointer goes.
     */
    public static void closeAllBut(Stage keep) {
        for (Window w : List.copyOf(Window.getWindows())) {
            if (w != keep && w instanceof Stage s) {
                s.close();
            }
        }
    }

    /**
     * Shows {@code root} in {@code stage} at the given size in the dark theme, as the app does, after closing what
     * other tests left open (FX thread, from a test's {@code @Start}).
     */
    public static Scene show(Stage stage, Parent root, double width, double height) {
        closeAllBut(stage);
        Scene scene = new Scene(root, width, height);
        stage.setScene(scene);
        stage.sizeToScene(); // the shared stage keeps a size an earlier test set otherwise
        Themes.apply(scene, Theme.DARK, false);
        stage.show();
        return scene;
    }
}
