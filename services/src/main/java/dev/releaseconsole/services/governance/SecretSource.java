package dev.releaseconsole.services.governance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Where a credential (an API token) comes from: an environment variable, a file, or the OS keychain. The secret is
 * read when needed and never appears in {@link #describe()}, in exceptions or in logs. Written in configuration as
 * {@code env:UNLEASH_TOKEN}, {@code file:~/.config/release-console/unleash.token} or
 * {@code keychain:service=release-console,account=unleash} (see {@link #parse}).
 */
public interface SecretSource {
    /** The secret, without surrounding whitespace; never empty. */
    String resolve() throws SecretException;

    /** Where the secret comes from, for messages ("environment variable UNLEASH_TOKEN"); never the secret. */
    String describe();

    /**
     * Parses {@code env:NAME}, {@code file:PATH} ({@code ~/} is the home directory) or
     * {@code keychain:attribute=value[,attribute=value...]}.
     */
    static SecretSource parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("a secret source is needed: env:NAME, file:PATH or "
                    + "keychain:service=...,account=...");
        }
        int colon = spec.indexOf(':');
        String kind = colon < 0 ? "" : spec.substring(0, colon).trim();
        String rest = colon < 0 ? "" : spec.substring(colon + 1).trim();
        switch (kind) {
            case "env":
                return env(rest);
            case "file":
                return file(expandHome(rest));
            case "keychain":
                Map<String, String> attributes = new LinkedHashMap<>();
                for (String pair : rest.split(",")) {
                    int eq = pair.indexOf('=');
                    if (eq <= 0 || eq == pair.length() - 1) {
                        throw new IllegalArgumentException("keychain attributes are attribute=value pairs separated "
                                + "by commas, e.g. keychain:service=release-console,account=unleash; got '" + rest
                                + "'");
                    }
                    attributes.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
                }
                return keychain(attributes);
            default:
                throw new IllegalArgumentException("unknown secret source '" + Secrets.redact(spec)
                        + "': use env:NAME, file:PATH or keychain:service=...,account=...");
        }
    }

    static SecretSource env(String name) {
        return env(name, System::getenv);
    }

    /** An environment variable read through {@code environment} (tests pass their own). */
    static SecretSource env(String name, UnaryOperator<String> environment) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("env: needs the variable's name, e.g. env:UNLEASH_TOKEN");
        }
        return new SecretSource() {
            @Override
            public String resolve() throws SecretException {
                String value = environment.apply(name);
                if (value == null || value.isBlank()) {
                    throw new SecretException("environment variable " + name + " is " + (value == null ? "not set"
                            : "empty") + ": export it with the token before starting the console");
                }
                return value.strip();
            }

            @Override
            public String describe() {
                return "environment variable " + name;
            }
        };
    }

    static SecretSource file(Path path) {
        Objects.requireNonNull(path, "path");
        return new SecretSource() {
            @Override
            public String resolve() throws SecretException {
                String value;
                try {
                    value = Files.readString(path, StandardCharsets.UTF_8);
                } catch (NoSuchFileException e) {
                    throw new SecretException("the token file " + path + " does not exist: write the token into it "
                            + "(chmod 600)");
                } catch (IOException e) {
                    throw new SecretException("cannot read the token file " + path + " (" + e.getClass()
                            .getSimpleName() + "): check its permissions");
                }
                if (value.isBlank()) {
                    throw new SecretException("the token file " + path + " is empty: write the token into it");
                }
                return value.strip();
            }

            @Override
            public String describe() {
                return "file " + path;
            }
        };
    }

    /** The freedesktop Secret Service (GNOME Keyring, KWallet) through libsecret's {@code secret-tool lookup}. */
    static SecretSource keychain(Map<String, String> attributes) {
        return keychain(attributes, "secret-tool");
    }

    /** As {@link #keychain(Map)} with the {@code secret-tool} executable to run (a name on PATH or a path). */
    static SecretSource keychain(Map<String, String> attributes, String secretTool) {
        if (attributes.isEmpty()) {
            throw new IllegalArgumentException("keychain: needs at least one attribute, e.g. "
                    + "keychain:service=release-console,account=unleash");
        }
        Map<String, String> attrs = Map.copyOf(new LinkedHashMap<>(attributes));
        List<String> ordered = new ArrayList<>();
        attributes.forEach((k, v) -> {
            ordered.add(k);
            ordered.add(v);
        });
        String lookup = "secret-tool lookup " + String.join(" ", ordered);
        return new SecretSource() {
            @Override
            public String resolve() throws SecretException {
                List<String> command = new ArrayList<>();
                command.add(secretTool);
                command.add("lookup");
                command.addAll(ordered);
                Process p;
                try {
                    p = new ProcessBuilder(command).redirectErrorStream(false).start();
                } catch (IOException e) {
                    throw new SecretException("cannot run secret-tool to read the token from the keychain ("
                            + lookup + "): install libsecret-tools (Debian/Ubuntu: apt-get install libsecret-tools),"
                            + " or use env: or file: instead");
                }
                try {
                    p.getOutputStream().close();
                    // A token and an error line fit in the pipe buffers, so waiting before reading cannot block.
                    if (!p.waitFor(10, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                        throw new SecretException("secret-tool did not answer in 10 s (" + lookup + "): is the "
                                + "keyring locked? Unlock it and try again");
                    }
                    byte[] out = readAll(p.getInputStream());
                    String err = new String(readAll(p.getErrorStream()), StandardCharsets.UTF_8).strip();
                    String value = new String(out, StandardCharsets.UTF_8).strip();
                    if (p.exitValue() != 0 || value.isEmpty()) {
                        throw new SecretException("the keychain has no secret for " + attrs + " (" + lookup
                                + " exited " + p.exitValue() + (err.isEmpty() ? "" : ": " + Secrets.redact(firstLine(
                                err))) + "): store it with `secret-tool store --label=release-console "
                                + String.join(" ", ordered) + "`");
                    }
                    return value;
                } catch (IOException e) {
                    throw new SecretException("reading from secret-tool failed (" + lookup + "): " + e.getClass()
                            .getSimpleName());
                } catch (InterruptedException e) {
                    p.destroyForcibly();
                    Thread.currentThread().interrupt();
                    throw new SecretException("interrupted while reading the token from the keychain");
                }
            }

            @Override
            public String describe() {
                return "keychain (" + lookup + ")";
            }
        };
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        in.transferTo(buffer);
        return buffer.toByteArray();
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }

    private static Path expandHome(String path) {
        if (path.isBlank()) {
            throw new IllegalArgumentException("file: needs a path, e.g. file:~/.config/release-console/unleash.token");
        }
        if (path.equals("~") || path.startsWith("~/")) {
            return Path.of(System.getProperty("user.home"), path.substring(1).replaceFirst("^/", ""));
        }
        return Path.of(path);
    }
}
