package dev.releaseconsole.views.common;

import javafx.application.Application;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.stage.Window;

import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Applies a theme and presenter mode. AtlantaFX's PrimerLight/PrimerDark is the (application-wide) user-agent
 * stylesheet; console.css, the detail view's detail.css (when present) and, in presenter mode, presenter.css are the
 * scene's stylesheets; the scene root carries .rc-light/.rc-dark and .rc-presenter for the looked-up colours.
 */
public final class Themes {
    public static final String STYLES = "/dev/releaseconsole/styles/";
    public static final String PRESENTER_CLASS = "rc-presenter";

    private static final ReadOnlyObjectWrapper<Theme> THEME = new ReadOnlyObjectWrapper<>(Theme.DARK);
    private static final ReadOnlyBooleanWrapper PRESENTER = new ReadOnlyBooleanWrapper(false);
    private static boolean applied;

    private Themes() {
    }

    /** The stylesheets a scene gets, in order, for the given mode (only those that exist on the class path). */
    public static List<String> stylesheets(boolean presenterMode) {
        List<String> out = new ArrayList<>();
        addIfPresent(out, "console.css");
        addIfPresent(out, "detail.css");
        if (presenterMode) {
            addIfPresent(out, "presenter.css");
        }
        return out;
    }

    private static void addIfPresent(List<String> out, String name) {
        URL url = Themes.class.getResource(STYLES + name);
        if (url != null) {
            out.add(url.toExternalForm());
        }
    }

    /**
     * Applies {@code theme} and presenter mode to {@code scene} and makes it the application's current theme (new
     * windows opened through {@link #applyCurrent(Scene)} follow it). Call on the FX thread.
     */
    public static void apply(Scene scene, Theme theme, boolean presenterMode) {
        Objects.requireNonNull(theme, "theme");
        if (THEME.get() != theme || !applied || Application.getUserAgentStylesheet() == null) {
            Application.setUserAgentStylesheet(theme.userAgentStylesheet());
        }
        applied = true;
        THEME.set(theme);
        PRESENTER.set(presenterMode);
        if (scene != null) {
            styleScene(scene, theme, presenterMode);
        }
        // Keep every other open window of the console (audit log, dialogs) in step.
        for (Window w : List.copyOf(Window.getWindows())) {
            Scene s = w.getScene();
            if (s != null && s != scene && s.getRoot() != null
                    && s.getRoot().getStyleClass().contains("rc-themed")) {
                styleScene(s, theme, presenterMode);
            }
        }
    }

    /** Styles a secondary window's scene (dialog, audit window) like the main one. */
    public static void applyCurrent(Scene scene) {
        if (Application.getUserAgentStylesheet() == null) {
            Application.setUserAgentStylesheet(THEME.get().userAgentStylesheet());
        }
        styleScene(scene, THEME.get(), PRESENTER.get());
    }

    /** Whether {@link #apply} has been called in this application. */
    public static boolean applied() {
        return applied;
    }

    public static Theme current() {
        return THEME.get();
    }

    public static boolean presenter() {
        return PRESENTER.get();
    }

    /** The application's current theme, as last applied (FX thread). */
    public static ReadOnlyObjectProperty<Theme> themeProperty() {
        return THEME.getReadOnlyProperty();
    }

    /** Whether presenter mode is on, as last applied (FX thread). */
    public static ReadOnlyBooleanProperty presenterProperty() {
        return PRESENTER.getReadOnlyProperty();
    }

    private static void styleScene(Scene scene, Theme theme, boolean presenterMode) {
        List<String> sheets = stylesheets(presenterMode);
        if (!scene.getStylesheets().equals(sheets)) {
            scene.getStylesheets().setAll(sheets);
        }
        Parent root = scene.getRoot();
        if (root != null) {
            var classes = root.getStyleClass();
            for (Theme t : Theme.values()) {
                classes.remove(t.styleClass());
            }
            classes.add(theme.styleClass());
            if (!classes.contains("rc-themed")) {
                classes.add("rc-themed");
            }
            classes.remove(PRESENTER_CLASS);
            if (presenterMode) {
                classes.add(PRESENTER_CLASS);
            }
        }
    }
}
