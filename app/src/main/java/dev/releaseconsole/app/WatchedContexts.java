package dev.releaseconsole.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * The contexts the user last picked in the "Clusters" dialog, one per line in the state directory. Present and
 * empty means "none, the demo world"; absent means the user never picked, so the config file decides.
 */
final class WatchedContexts {
    private WatchedContexts() {
    }

    static Path file(java.util.Map<String, String> env) {
        return AppPaths.stateDir(env).resolve("watched-contexts");
    }

    static Optional<List<String>> load(Path file) {
        try {
            return Optional.of(Files.readAllLines(file).stream().map(String::trim).filter(s -> !s.isEmpty()
                    && !s.startsWith("#")).toList());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage()
                    + " (delete it to fall back to the config file)");
        }
    }

    static void save(Path file, List<String> contexts) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, "# kubeconfig contexts picked in Release Console's Clusters dialog\n"
                + String.join("\n", contexts) + (contexts.isEmpty() ? "" : "\n"));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
