package dev.releaseconsole.services.flags.launchdarkly;

import dev.releaseconsole.services.governance.SecretSource;

import dev.releaseconsole.services.model.Environment;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One LaunchDarkly project as a flag provider. {@code environments} maps each LaunchDarkly environment key the
 * console shows and acts on to its tier (production asks for typed confirmation), in display order.
 * {@code rateLimitBudget} bounds the total time spent waiting out 429s for one call, {@code maxRetries} their number.
 */
public record LaunchDarklySettings(String id, String baseUrl, String projectKey, Map<String, Environment> environments,
                                   SecretSource token, Duration connectTimeout, Duration readTimeout,
                                   int maxRetries, Duration rateLimitBudget) {
    public static final String DEFAULT_BASE_URL = "https://app.launchdarkly.com";

    public LaunchDarklySettings {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(projectKey, "projectKey");
        Objects.requireNonNull(token, "token");
        baseUrl = baseUrl == null || baseUrl.isBlank() ? DEFAULT_BASE_URL : baseUrl.replaceAll("/+$", "");
        if (environments == null || environments.isEmpty()) {
            throw new IllegalArgumentException("LaunchDarkly provider " + id + " needs at least one environment key");
        }
        environments = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(environments));
        if (maxRetries < 0 || maxRetries > 10) {
            throw new IllegalArgumentException("maxRetries is 0..10, not " + maxRetries);
        }
    }

    /** Defaults: 5 s to connect, 15 s to answer, up to 3 retries after 429 within 30 s. */
    public static LaunchDarklySettings of(String id, String baseUrl, String projectKey,
                                          Map<String, Environment> environments, SecretSource token) {
        return new LaunchDarklySettings(id, baseUrl, projectKey, environments, token, Duration.ofSeconds(5),
                Duration.ofSeconds(15), 3, Duration.ofSeconds(30));
    }

    public LaunchDarklySettings withTimeouts(Duration connect, Duration read) {
        return new LaunchDarklySettings(id, baseUrl, projectKey, environments, token, connect, read, maxRetries,
                rateLimitBudget);
    }

    public LaunchDarklySettings withRateLimit(int retries, Duration budget) {
        return new LaunchDarklySettings(id, baseUrl, projectKey, environments, token, connectTimeout, readTimeout,
                retries, budget);
    }
}
