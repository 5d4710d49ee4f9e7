package dev.releaseconsole.app;

import javafx.application.Application;

import java.util.Arrays;

/**
 * Entry point. Kept apart from the Application subclass so JavaFX runs from the class path (fabric8 and friends
 * are not modules). {@code kill-switch} and {@code flags} are commands for a terminal ({@link CommandLine}): they
 * run before, and instead of, the window.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        if (CommandLine.handles(args)) {
            // a command for the terminal: no window, no JavaFX; quiet logs unless asked for
            if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
                System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
            }
            System.exit(CommandLine.run(Arrays.asList(args), System.in, System.out, System.err, System.getenv()));
            return;
        }
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
