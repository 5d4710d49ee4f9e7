package dev.releaseconsole.services.flags.launchdarkly;

import dev.releaseconsole.services.actions.ActionException;
import dev.releaseconsole.services.actions.ActionException.Reason;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * Where the LaunchDarkly API access token comes from: an environment variable or a file, read when a request needs
 * it (so a rotated token is picked up) and never shown: {@link #describe()} names the place, not the value.
 * (A minimal stand-in until the shared {@code governance.SecretSource} lands; it has the same two methods.)
 */
public interface LaunchDarklyToken {
    String resolve() throws ActionException;

    String describe();

    static LaunchDarklyToken env(String name) {
        return env(name, System::getenv);
    }

    static LaunchDarklyToken env(String name, UnaryOperator<String> environment) {
        return new LaunchDarklyToken() {
            @Override
            public String resolve() throws ActionException {
                String value = environment.apply(name);
                if (value == null || value.isBlank()) {
                    throw new ActionException(Reason.DENIED, "environment variable " + name + " is "
                            + (value == null ? "not set" : "empty")
                            + ": export the LaunchDarkly API access token in it before starting the console");
                }
                return value.strip();
            }

            @Override
            public String describe() {
                return "environment variable " + name;
            }
        };
    }

    static LaunchDarklyToken file(Path path) {
        return new LaunchDarklyToken() {
            @Override
            public String resolve() throws ActionException {
                String value;
                try {
                    value = Files.readString(path, StandardCharsets.UTF_8);
                } catch (NoSuchFileException e) {
                    throw new ActionException(Reason.DENIED, "the token file " + path + " does not exist: write the"
                            + " LaunchDarkly API access token into it (chmod 600)");
                } catch (IOException e) {
                    throw new ActionException(Reason.DENIED, "cannot read the token file " + path + " ("
                            + e.getClass().getSimpleName() + "): check its permissions");
                }
                if (value.isBlank()) {
                    throw new ActionException(Reason.DENIED, "the token file " + path + " is empty");
                }
                return value.strip();
            }

            @Override
            public String describe() {
                return "file " + path;
            }
        };
    }
}
