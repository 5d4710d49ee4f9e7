package dev.releaseconsole.views.common;

import javafx.geometry.Rectangle2D;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.stage.Screen;
import javafx.stage.Stage;
import javafx.stage.Window;

import java.util.List;
import java.util.function.Supplier;

/**
 * A tool window beside the main one (the audit log, flag debt): one at a time, brought to the front when asked for
 * again. It opens at its default size, or smaller where the screen is; Ctrl+F puts the cursor in its search field and
 * Ctrl+W or the window's own shortcut (the one that opened it) closes it. Closing it stops its view model. FX thread.
 */
public final class SecondaryWindow {
    /** Room left for the desktop's panels when the screen is smaller than the default size. */
    private static final double SCREEN_MARGIN = 40;

    /** What the window shows: its root, how to focus its search field, and how to start and stop its view model. */
    public record Contents(Parent root, Runnable focusSearch, Runnable start, Runnable stop) {
    }

    private final String title;
    private final double width;
    private final double height;
    private final List<KeyCombination> closeKeys;
    private Stage open;

    /** {@code closeKeys}: besides Ctrl+W, the keys that close the window (its own shortcut, Escape where wanted). */
    public SecondaryWindow(String title, double width, double height, KeyCombination... closeKeys) {
        this.title = title;
        this.width = width;
        this.height = height;
        this.closeKeys = List.of(closeKeys);
    }

    /** The screen {@code owner} is on (most of it), or the primary screen without an owner. */
    public static Screen screenOf(Window owner) {
        if (owner != null) {
            var screens = Screen.getScreensForRectangle(owner.getX(), owner.getY(),
                    Math.max(1, owner.getWidth()), Math.max(1, owner.getHeight()));
            if (!screens.isEmpty()) {
                return screens.get(0);
            }
        }
        return Screen.getPrimary();
    }

    /**
     * Brings the open window to the front, or opens a new one over {@code owner} (may be null), sized to fit
     * {@code screen}, showing what {@code contents} builds (called only when a new window opens).
     */
    public Stage show(Window owner, Screen screen, Supplier<Contents> contents) {
        if (open != null && open.isShowing()) {
            open.toFront();
            open.requestFocus();
            return open;
        }
        Contents shown = contents.get();
        Stage stage = new Stage();
        if (owner != null) {
            stage.initOwner(owner);
        }
        stage.setTitle(title);
        Rectangle2D bounds = screen.getVisualBounds();
        Scene scene = new Scene(shown.root(), Math.min(width, bounds.getWidth() - SCREEN_MARGIN),
                Math.min(height, bounds.getHeight() - SCREEN_MARGIN));
        Themes.applyCurrent(scene);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN),
                shown.focusSearch());
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.W, KeyCombination.SHORTCUT_DOWN), stage::close);
        for (KeyCombination key : closeKeys) {
            scene.getAccelerators().put(key, stage::close);
        }
        stage.setScene(scene);
        stage.setOnHidden(e -> {
            shown.stop().run();
            if (open == stage) {
                open = null;
            }
        });
        shown.start().run();
        stage.show();
        shown.focusSearch().run();
        open = stage;
        return stage;
    }
}
