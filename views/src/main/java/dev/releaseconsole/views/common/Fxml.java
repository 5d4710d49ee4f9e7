package dev.releaseconsole.views.common;

import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;

import java.io.IOException;
import java.io.UncheckedIOException;

/** The one way a view builds itself from its FXML file: the view is both the root and the controller. */
public final class Fxml {
    private Fxml() {
    }

    /**
     * Loads {@code fxmlFile}, found beside {@code view}'s class, into {@code view}, which the file declares as
     * {@code fx:root} and which holds its {@code @FXML} fields. A file that is missing or broken is a packaging
     * mistake, not a user's: it is thrown unchecked.
     */
    public static void loadInto(Parent view, String fxmlFile) {
        FXMLLoader loader = new FXMLLoader(view.getClass().getResource(fxmlFile));
        loader.setRoot(view);
        loader.setController(view);
        try {
            loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load " + fxmlFile, e);
        }
    }
}
