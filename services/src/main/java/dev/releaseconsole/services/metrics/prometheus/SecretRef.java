package dev.releaseconsole.services.metrics.prometheus;

import dev.releaseconsole.services.metrics.MetricsException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a secret lives: an environment variable or a file, never the configuration itself. The value is read when a
 * request needs it (so a rotated token file is picked up) and never appears in {@link #toString()}, logs or
 * exceptions; only where it comes from does.
 */
public record SecretRef(String env, Path file) {
    public SecretRef {
        if ((env == null || env.isBlank()) == (file == null)) {
            throw new IllegalArgumentException("a secret comes from exactly one of an environment variable or a file");
        }
    }

    public static SecretRef fromEnv(String name) {
        return new SecretRef(Objects.requireNonNull(name, "name"), null);
    }

    public static SecretRef fromFile(Path file) {
        return new SecretRef(null, Objects.requireNonNull(file, "file"));
    }

    /** The secret, trimmed of surrounding white space (files usually end with a newline). */
    public String read() throws MetricsException {
        if (file == null) {
            String v = System.getenv(env);
            if (v == null || v.isBlank()) {
                throw new MetricsException(MetricsException.Kind.AUTH, "the environment variable " + env
                        + " that should hold the Prometheus credential is not set", null, null,
                        "set it before starting the console, or point the configuration at a file", null);
            }
            return v.strip();
        }
        try {
            String v = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (v.isEmpty()) {
                throw new MetricsException(MetricsException.Kind.AUTH, "the Prometheus credential file " + file
                        + " is empty", null, null, null, null);
            }
            return v;
        } catch (NoSuchFileException e) {
            throw new MetricsException(MetricsException.Kind.AUTH, "the Prometheus credential file " + file
                    + " does not exist", null, null, "create it or fix the path in the configuration", null);
        } catch (IOException e) {
            throw new MetricsException(MetricsException.Kind.AUTH, "cannot read the Prometheus credential file "
                    + file + " (" + e.getClass().getSimpleName() + ")", null, null,
                    "check that the console's user may read it", null);
        }
    }

    /** "environment variable PROM_TOKEN" or "file /run/secrets/prom": where, never what. */
    public String describe() {
        return file == null ? "environment variable " + env : "file " + file;
    }

    @Override
    public String toString() {
        return describe();
    }
}
