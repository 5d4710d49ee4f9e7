package dev.releaseconsole.app;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.releaseconsole.services.metrics.prometheus.MetricTemplate;
import dev.releaseconsole.services.metrics.prometheus.MetricsPreset;
import dev.releaseconsole.services.metrics.prometheus.PrometheusAuth;
import dev.releaseconsole.services.metrics.prometheus.PrometheusEndpoint;
import dev.releaseconsole.services.metrics.prometheus.PrometheusMetricsConfig;
import dev.releaseconsole.services.metrics.prometheus.SecretRef;
import dev.releaseconsole.services.metrics.prometheus.TrackLabels;
import dev.releaseconsole.services.model.Direction;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code metrics.<context>} section of the configuration file: one cluster's Prometheus and metric templates, as
 * written in YAML. {@link #toConfig} turns it into the engine's {@link PrometheusMetricsConfig}, with an error that
 * names the key for every mistake. Secrets are never in the file: only the environment variable or file they come
 * from.
 */
public record MetricsConfig(
        @JsonProperty("prometheus") Prometheus prometheus,
        @JsonProperty("preset") String preset,
        @JsonProperty("step") String step,
        @JsonProperty("window") String window,
        @JsonProperty("service") String service,
        @JsonProperty("ingress") String ingress,
        @JsonProperty("tracks") Tracks tracks,
        @JsonProperty("metrics") List<Metric> metrics) {

    /** Where Prometheus is and how to reach it. */
    public record Prometheus(
            @JsonProperty("url") String url,
            @JsonProperty("bearerTokenEnv") String bearerTokenEnv,
            @JsonProperty("bearerTokenFile") String bearerTokenFile,
            @JsonProperty("basicAuth") BasicAuth basicAuth,
            @JsonProperty("caFile") String caFile,
            @JsonProperty("connectTimeout") String connectTimeout,
            @JsonProperty("readTimeout") String readTimeout) {
    }

    public record BasicAuth(@JsonProperty("username") String username,
                            @JsonProperty("passwordEnv") String passwordEnv,
                            @JsonProperty("passwordFile") String passwordFile) {
    }

    public record Tracks(@JsonProperty("label") String label, @JsonProperty("canary") String canary,
                         @JsonProperty("baseline") String baseline) {
        TrackLabels toLabels() {
            if (label == null || label.isBlank()) {
                throw new IllegalArgumentException("tracks needs a label");
            }
            return new TrackLabels(label, canary, baseline);
        }
    }

    /** A metric: a preset's id changes only what it sets; a new id needs name, query and badWhen. */
    public record Metric(@JsonProperty("id") String id,
                         @JsonProperty("name") String name,
                         @JsonProperty("unit") String unit,
                         @JsonProperty("query") String query,
                         @JsonProperty("badWhen") String badWhen,
                         @JsonProperty("threshold") Double threshold,
                         @JsonProperty("critical") Boolean critical,
                         @JsonProperty("tracks") Tracks tracks) {
        MetricTemplate toTemplate() {
            Direction direction = null;
            if (badWhen != null) {
                switch (badWhen.trim().toLowerCase(Locale.ROOT)) {
                    case "up" -> direction = Direction.INCREASE_IS_BAD;
                    case "down" -> direction = Direction.DECREASE_IS_BAD;
                    default -> throw new IllegalArgumentException("badWhen is up or down, got '" + badWhen + "'");
                }
            }
            return new MetricTemplate(id, name, unit, query, direction, threshold, critical,
                    tracks == null ? null : tracks.toLabels());
        }
    }

    /**
     * The engine's configuration; {@code where} ("metrics.prod-eu") prefixes every error. Relative file paths are
     * taken from {@code configDir} (the configuration file's folder), as the flags section's are.
     */
    public PrometheusMetricsConfig toConfig(String where, Path configDir) {
        if (prometheus == null || prometheus.url() == null || prometheus.url().isBlank()) {
            throw new IllegalArgumentException(where + ".prometheus.url is required");
        }
        PrometheusEndpoint endpoint;
        try {
            endpoint = new PrometheusEndpoint(new URI(prometheus.url().trim()), auth(where + ".prometheus", configDir),
                    path(prometheus.caFile(), configDir), duration(prometheus.connectTimeout(), where
                    + ".prometheus.connectTimeout"), duration(prometheus.readTimeout(), where
                    + ".prometheus.readTimeout"), null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(where + ".prometheus.url is not a URL: " + e.getReason());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ".prometheus: " + e.getMessage());
        }
        MetricsPreset p;
        try {
            p = preset == null ? MetricsPreset.POD_TEMPLATE_HASH : MetricsPreset.fromConfig(preset);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ".preset: " + e.getMessage());
        }
        List<MetricTemplate> templates = new ArrayList<>();
        List<Metric> list = metrics == null ? List.of() : metrics;
        for (int i = 0; i < list.size(); i++) {
            try {
                templates.add(list.get(i).toTemplate());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ".metrics[" + i + "]: " + e.getMessage());
            }
        }
        try {
            return new PrometheusMetricsConfig(endpoint, p, duration(step, where + ".step"),
                    duration(window, where + ".window"), service, ingress, tracks == null ? null : tracks.toLabels(),
                    templates);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
    }

    private PrometheusAuth auth(String where, Path configDir) {
        BasicAuth basic = prometheus.basicAuth();
        boolean bearer = prometheus.bearerTokenEnv() != null || prometheus.bearerTokenFile() != null;
        if (bearer && basic != null) {
            throw new IllegalArgumentException("set either a bearer token or basicAuth, not both");
        }
        if (bearer) {
            return PrometheusAuth.bearer(secret(prometheus.bearerTokenEnv(), prometheus.bearerTokenFile(),
                    "bearerTokenEnv or bearerTokenFile", configDir));
        }
        if (basic != null) {
            if (basic.username() == null || basic.username().isBlank()) {
                throw new IllegalArgumentException("basicAuth needs a username");
            }
            return PrometheusAuth.basic(basic.username(), secret(basic.passwordEnv(), basic.passwordFile(),
                    "basicAuth.passwordEnv or basicAuth.passwordFile", configDir));
        }
        return PrometheusAuth.NONE;
    }

    private static SecretRef secret(String env, String file, String keys, Path configDir) {
        if ((env == null) == (file == null)) {
            throw new IllegalArgumentException("set exactly one of " + keys + " (the secret itself never goes in the "
                    + "configuration file)");
        }
        return env != null ? SecretRef.fromEnv(env.trim()) : SecretRef.fromFile(path(file, configDir));
    }

    private static Path path(String p, Path configDir) {
        return p == null || p.isBlank() ? null : FlagsConfig.resolve(p, configDir, System.getProperty("user.home"));
    }

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    /** "500ms", "5s", "1m", "2h" (or null for the default). */
    static Duration duration(String text, String key) {
        if (text == null || text.isBlank()) {
            return null;
        }
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(key + " is a duration such as 500ms, 10s, 1m or 1h, got '" + text
                    + "'");
        }
        long n = Long.parseLong(m.group(1));
        switch (m.group(2)) {
            case "ms":
                return Duration.ofMillis(n);
            case "s":
                return Duration.ofSeconds(n);
            case "m":
                return Duration.ofMinutes(n);
            default:
                return Duration.ofHours(n);
        }
    }
}
