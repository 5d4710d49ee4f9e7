package dev.releaseconsole.app;

import java.nio.file.Path;
import java.util.Map;

/** Where the console keeps its files, following the XDG base directory spec on Linux. */
public final class AppPaths {
    private static final String APP = "release-console";

    private AppPaths() {
    }

    public static Path configDir(Map<String, String> env) {
        return base(env, "XDG_CONFIG_HOME", ".config").resolve(APP);
    }

    public static Path dataDir(Map<String, String> env) {
        return base(env, "XDG_DATA_HOME", ".local/share").resolve(APP);
    }

    /** State that is not configuration: e.g. the contexts last picked in the window. */
    public static Path stateDir(Map<String, String> env) {
        return base(env, "XDG_STATE_HOME", ".local/state").resolve(APP);
    }

    public static Path defaultAuditDb(Map<String, String> env) {
        return dataDir(env).resolve("audit.db");
    }

    private static Path base(Map<String, String> env, String variable, String fallbackUnderHome) {
        String xdg = env.get(variable);
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg);
        }
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(home).resolve(fallbackUnderHome);
    }
}
