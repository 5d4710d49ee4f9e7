package dev.releaseconsole.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Command-line options. Unknown options are an error with the usage text, never silently ignored.
 */
public record AppOptions(boolean demo, long seed, int speed, Optional<Path> auditDb, boolean dark, boolean presenter,
                         boolean help, List<String> contexts, boolean readOnly, Optional<Path> config) {
    public static final long DEFAULT_SEED = 42;

    public static final String USAGE = """
            Usage: release-console [options]
              --context=A,B        kubeconfig contexts to watch (overrides kubernetes.contexts in the config file)
              --read-only          watch only: every action is off
              --config=PATH        configuration file (default: $XDG_CONFIG_HOME/release-console/config.yaml)
              --demo               add the simulated demo world (the default while no cluster is configured)
              --seed=N             seed of the demo world (default 42); the same seed gives the same world
              --speed=N            demo speed, 1 to 20 times real time (default 1)
              --audit-db=PATH      audit log database (default: $XDG_DATA_HOME/release-console/audit.db)
              --theme=dark|light   colour theme (default dark)
              --presenter          presenter mode: large type and high contrast, for reviews
              --help               this text

            Commands for a terminal (no window, no display needed):
              release-console kill-switch --flag KEY | --rollout CLUSTER/NAMESPACE/NAME [...]
              release-console flags list | flags debt
            See release-console kill-switch --help.
            """;

    public static AppOptions parse(List<String> args) {
        boolean demo = false;
        long seed = DEFAULT_SEED;
        int speed = 1;
        Path audit = null;
        boolean dark = true;
        boolean presenter = false;
        boolean help = false;
        List<String> contexts = List.of();
        boolean readOnly = false;
        Path config = null;
        List<String> problems = new ArrayList<>();
        for (String arg : args) {
            String key = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : null;
            switch (key) {
                case "--demo" -> demo = true;
                case "--presenter" -> presenter = true;
                case "--read-only" -> readOnly = true;
                case "--context" -> contexts = java.util.Arrays.stream(require(key, value).split(","))
                        .map(String::trim).filter(c -> !c.isEmpty()).toList();
                case "--config" -> config = Path.of(require(key, value));
                case "--help", "-h" -> help = true;
                case "--seed" -> {
                    try {
                        seed = Long.parseLong(require(key, value));
                    } catch (NumberFormatException e) {
                        problems.add("--seed needs a whole number, got '" + value + "'");
                    }
                }
                case "--speed" -> {
                    try {
                        speed = Integer.parseInt(require(key, value));
                        if (speed < 1 || speed > 20) {
                            problems.add("--speed must be between 1 and 20, got " + speed);
                        }
                    } catch (NumberFormatException e) {
                        problems.add("--speed needs a whole number from 1 to 20, got '" + value + "'");
                    }
                }
                case "--audit-db" -> audit = Path.of(require(key, value));
                case "--theme" -> {
                    String theme = require(key, value);
                    if (!theme.equals("dark") && !theme.equals("light")) {
                        problems.add("--theme is dark or light, got '" + theme + "'");
                    }
                    dark = !theme.equals("light");
                }
                default -> {
                    // JavaFX passes its own -D style arguments through; anything else is a typo worth reporting.
                    problems.add("unknown option '" + arg + "'");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems) + "\n\n" + USAGE);
        }
        return new AppOptions(demo, seed, speed, Optional.ofNullable(audit), dark, presenter, help, contexts, readOnly,
                Optional.ofNullable(config));
    }

    private static String require(String key, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(key + " needs a value, e.g. " + key + "=...\n\n" + USAGE);
        }
        return value;
    }
}
