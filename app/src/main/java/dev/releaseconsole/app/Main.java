package dev.releaseconsole.app;

import javafx.application.Application;

import java.util.Arrays;

/**
 * Entry point. Kept apart from the Application subclass so JavaFX runs from the class path (fabric8 and friends
 * are not modules).
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        AppOptions options;
        try {
            options = AppOptions.parse(Arrays.asList(args));
        } catch (IllegalArgumentException e) {
            System.err.println("release-console: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.println(AppOptions.USAGE);
            return;
        }
        ConsoleApp.options = options;
        Application.launch(ConsoleApp.class, args);
    }
}
