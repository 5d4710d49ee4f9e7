package dev.releaseconsole.app;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.releaseconsole.services.model.Durations;
import dev.releaseconsole.services.model.Environment;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code flags:} section of the configuration file: the flag registry, how often the providers are polled, and
 * the providers. No secrets: a provider names where its token is ({@code tokenEnv}, {@code tokenFile} or
 * {@code keychain}), never the token. Each provider type takes its own keys; a key that does not apply to the type is
 * an error that lists the ones that do.
 */
public record FlagsConfig(@JsonProperty("registry") String registry,
                          @JsonProperty("syncInterval") String syncInterval,
                          @JsonProperty("providers") List<Provider> providers) {
    public static final FlagsConfig NONE = new FlagsConfig(null, null, List.of());
    public static final Duration DEFAULT_SYNC_INTERVAL = Duration.ofSeconds(5);

    /** The provider types the console knows, with the keys each takes (besides id, type and environments). */
    public enum Type {
        UNLEASH("unleash", Set.of("url"), Set.of("url", "project", "tokenEnv", "tokenFile", "keychain",
                "connectTimeout", "readTimeout", "maxRetryWait", "fullRefresh")),
        FLAGD_FILE("flagd-file", Set.of("path"), Set.of("path")),
        FLAGD_CONFIGMAP("flagd-configmap", Set.of("context", "namespace", "name", "key"),
                Set.of("context", "namespace", "name", "key")),
        FLAGD_FEATUREFLAG("flagd-featureflag", Set.of("context", "namespace", "name"),
                Set.of("context", "namespace", "name")),
        LAUNCHDARKLY("launchdarkly", Set.of("project"), Set.of("url", "project", "tokenEnv", "tokenFile",
                "keychain", "connectTimeout", "readTimeout"));

        private final String name;
        private final Set<String> required;
        private final Set<String> keys;

        Type(String name, Set<String> required, Set<String> keys) {
            this.name = name;
            this.required = required;
            this.keys = keys;
        }

        public String configName() {
            return name;
        }

        boolean needsToken() {
            return keys.contains("tokenEnv");
        }

        boolean isFlagd() {
            return name.startsWith("flagd");
        }

        static Type of(String name) {
            for (Type t : values()) {
                if (t.name.equals(name)) {
                    return t;
                }
            }
            return null;
        }

        static List<String> names() {
            return java.util.Arrays.stream(values()).map(Type::configName).toList();
        }
    }

    /** Where a provider's token is: an environment variable, a file, or a desktop keyring entry. */
    public record TokenRef(String kind, String value) {
        /** For messages: where, never what. */
        public String describe() {
            return switch (kind) {
                case "env" -> "environment variable " + value;
                case "file" -> "file " + value;
                default -> "keychain entry " + value;
            };
        }
    }

    /** One provider as written; {@link #validate} checks it against its type. */
    public record Provider(@JsonProperty("id") String id,
                           @JsonProperty("type") String type,
                           @JsonProperty("url") String url,
                           @JsonProperty("project")
                           @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> project,
                           @JsonProperty("tokenEnv") String tokenEnv,
                           @JsonProperty("tokenFile") String tokenFile,
                           @JsonProperty("keychain") String keychain,
                           @JsonProperty("path") String path,
                           @JsonProperty("context") String context,
                           @JsonProperty("namespace") String namespace,
                           @JsonProperty("name") String name,
                           @JsonProperty("key") String key,
                           @JsonProperty("environments") Map<String, String> environments,
                           @JsonProperty("connectTimeout") String connectTimeout,
                           @JsonProperty("readTimeout") String readTimeout,
                           @JsonProperty("maxRetryWait") String maxRetryWait,
                           @JsonProperty("fullRefresh") String fullRefresh) {
        public Provider {
            project = project == null ? List.of() : List.copyOf(project);
            environments = environments == null ? Map.of()
                    : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(environments));
        }

        public Type typeValue() {
            return Type.of(type);
        }

        /** Environment name to tier, in the order written. */
        public Map<String, Environment> tiers() {
            Map<String, Environment> out = new LinkedHashMap<>();
            environments.forEach((k, v) -> out.put(k, Environment.valueOf(v.strip().toUpperCase(Locale.ROOT))));
            return out;
        }

        public TokenRef token() {
            return tokenEnv != null ? new TokenRef("env", tokenEnv) : tokenFile != null ? new TokenRef("file",
                    tokenFile) : keychain != null ? new TokenRef("keychain", keychain) : null;
        }

        public Duration connectTimeoutValue(Duration fallback) {
            return connectTimeout == null ? fallback : Durations.parse(connectTimeout);
        }

        public Duration readTimeoutValue(Duration fallback) {
            return readTimeout == null ? fallback : Durations.parse(readTimeout);
        }

        public Duration maxRetryWaitValue(Duration fallback) {
            return maxRetryWait == null ? fallback : Durations.parse(maxRetryWait);
        }

        public Duration fullRefreshValue(Duration fallback) {
            return fullRefresh == null ? fallback : Durations.parse(fullRefresh);
        }

        private Map<String, Object> given() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("url", url);
            m.put("project", project.isEmpty() ? null : project);
            m.put("tokenEnv", tokenEnv);
            m.put("tokenFile", tokenFile);
            m.put("keychain", keychain);
            m.put("path", path);
            m.put("context", context);
            m.put("namespace", namespace);
            m.put("name", name);
            m.put("key", key);
            m.put("connectTimeout", connectTimeout);
            m.put("readTimeout", readTimeout);
            m.put("maxRetryWait", maxRetryWait);
            m.put("fullRefresh", fullRefresh);
            m.values().removeIf(java.util.Objects::isNull);
            return m;
        }
    }

    public FlagsConfig {
        providers = providers == null ? List.of() : List.copyOf(providers);
    }

    public Duration syncIntervalValue() {
        return syncInterval == null ? DEFAULT_SYNC_INTERVAL : Durations.parse(syncInterval);
    }

    /**
     * The registry file: {@code ~/} is the home directory, a relative path is relative to the configuration file's
     * directory (so a registry kept beside it in the same Git checkout moves with it). Null when not configured.
     */
    public Path registryPath(Path configDir, String home) {
        if (registry == null || registry.isBlank()) {
            return null;
        }
        return resolve(registry, configDir, home);
    }

    /** A path as written in this file: {@code ~/} is the home directory, relative is relative to {@code configDir}. */
    static Path resolve(String path, Path configDir, String home) {
        String r = path.strip();
        if (r.equals("~") || r.startsWith("~/")) {
            return Path.of(home).resolve(r.equals("~") ? "" : r.substring(2)).normalize();
        }
        Path p = Path.of(r);
        return p.isAbsolute() || configDir == null ? p.normalize() : configDir.resolve(p).normalize();
    }

    /** Every problem of the section, each naming the key and the provider; empty when it is fine. */
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        if (registry != null && registry.isBlank()) {
            out.add("flags.registry is empty: give the registry file's path, or remove the key");
        }
        if (syncInterval != null) {
            try {
                Duration d = Durations.parse(syncInterval);
                if (d.compareTo(Duration.ofMillis(500)) < 0) {
                    out.add("flags.syncInterval must be at least 500ms, not " + syncInterval);
                }
            } catch (IllegalArgumentException e) {
                out.add("flags.syncInterval: " + e.getMessage());
            }
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < providers.size(); i++) {
            Provider p = providers.get(i);
            String where = "flags.providers[" + i + "]" + (p.id() == null ? "" : " (" + p.id() + ")");
            if (p.id() == null || p.id().isBlank()) {
                out.add(where + ": needs an id, e.g. id: unleash-main (it names the provider beside its flags)");
            } else if (!p.id().matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
                out.add(where + ": id may hold letters, digits, '.', '_' and '-' only");
            } else if (p.id().equals("demo")) {
                out.add(where + ": the id demo belongs to the demo world's provider; choose another");
            } else if (!ids.add(p.id())) {
                out.add(where + ": another provider already has the id " + p.id());
            }
            Type type = p.typeValue();
            if (type == null) {
                out.add(where + ": type " + (p.type() == null ? "is missing" : "'" + p.type() + "' is unknown")
                        + "; it is one of " + String.join(", ", Type.names()));
                continue;
            }
            Map<String, Object> given = p.given();
            for (String k : given.keySet()) {
                if (!type.keys.contains(k)) {
                    out.add(where + ": " + k + " does not apply to type " + type.configName() + "; it takes "
                            + String.join(", ", new TreeSet<>(allKeys(type))));
                }
            }
            for (String k : new TreeSet<>(type.required)) {
                Object v = given.get(k);
                if (v == null || v instanceof String s && s.isBlank()) {
                    out.add(where + ": type " + type.configName() + " needs " + k);
                }
            }
            if (type == Type.LAUNCHDARKLY && p.project().size() > 1) {
                out.add(where + ": a LaunchDarkly provider is one project; configure one provider per project");
            }
            if (type.needsToken()) {
                long sources = given.keySet().stream().filter(k -> k.equals("tokenEnv") || k.equals("tokenFile")
                        || k.equals("keychain")).count();
                if (sources != 1) {
                    out.add(where + ": name where its token is with exactly one of tokenEnv (an environment"
                            + " variable), tokenFile (a file) or keychain (service=...,account=... in the desktop"
                            + " keyring)" + (sources > 1 ? "; it has " + sources : ""));
                }
                if (p.keychain() != null && !p.keychain().matches("\\s*[^=,\\s]+=[^=,]+(\\s*,\\s*[^=,\\s]+=[^=,]+)*\\s*")) {
                    out.add(where + ": keychain is attribute=value pairs, e.g. service=release-console,account="
                            + p.id());
                }
            }
            if (p.url() != null) {
                urlProblem(p.url()).ifPresent(msg -> out.add(where + ": url " + msg));
            }
            for (String[] t : new String[][]{{"connectTimeout", p.connectTimeout()}, {"readTimeout",
                    p.readTimeout()}, {"maxRetryWait", p.maxRetryWait()}, {"fullRefresh", p.fullRefresh()}}) {
                if (t[1] != null) {
                    try {
                        if (Durations.parse(t[1]).isZero() && !t[0].equals("maxRetryWait")) {
                            out.add(where + ": " + t[0] + " must be longer than zero");
                        }
                    } catch (IllegalArgumentException e) {
                        out.add(where + ": " + t[0] + ": " + e.getMessage());
                    }
                }
            }
            p.environments().forEach((env, tier) -> {
                if (tier == null || !Set.of("development", "staging", "production")
                        .contains(tier.strip().toLowerCase(Locale.ROOT))) {
                    out.add(where + ": environments." + env + " is a tier: development, staging or production, not "
                            + (tier == null ? "empty" : "'" + tier + "'"));
                }
            });
            if (type.isFlagd() && p.environments().size() != 1) {
                out.add(where + ": a flagd document serves one environment: name it and its tier, e.g."
                        + " environments: {production: production}");
            }
            if (type == Type.LAUNCHDARKLY && p.environments().isEmpty()) {
                out.add(where + ": name the LaunchDarkly environments to show and their tiers, e.g."
                        + " environments: {production: production, test: staging}");
            }
        }
        return out;
    }

    private static Set<String> allKeys(Type type) {
        Set<String> s = new HashSet<>(type.keys);
        s.addAll(Set.of("id", "type", "environments"));
        return s;
    }

    private static java.util.Optional<String> urlProblem(String url) {
        try {
            URI u = new URI(url.strip());
            if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
                    || u.getHost() == null) {
                return java.util.Optional.of("must be an http(s) address like https://unleash.example.com");
            }
            if (u.getUserInfo() != null) {
                return java.util.Optional.of("must not carry credentials; name where the token is with tokenEnv,"
                        + " tokenFile or keychain");
            }
            return java.util.Optional.empty();
        } catch (URISyntaxException e) {
            return java.util.Optional.of("is not an address: " + e.getReason());
        }
    }
}
