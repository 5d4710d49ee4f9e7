package dev.releaseconsole.services.flags.registry;

import java.util.List;

/**
 * The registry file could not be used. The message names the file, and for each problem its line and entry, so the
 * fix is one edit away; {@link #problems()} lists them one by one.
 */
public final class RegistryException extends Exception {
    private final List<String> problems;

    public RegistryException(String origin, List<String> problems) {
        super(origin + ": " + (problems.size() == 1 ? problems.get(0)
                : problems.size() + " problems:\n  " + String.join("\n  ", problems)));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
