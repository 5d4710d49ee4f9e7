package dev.releaseconsole.services.flags.unleash;

import dev.releaseconsole.services.governance.SecretSource;
import dev.releaseconsole.services.model.Environment;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to reach one Unleash server: the provider id the console shows ({@code FlagRef.provider}), the server's base
 * URL (the part before {@code /api}), where the admin token comes from, the projects to list, the tier of each
 * Unleash environment (names not listed fall back to Unleash's own environment type), and timeouts.
 *
 * @param maxRetryWait the longest Retry-After (429/503) the provider waits for within one call before it gives up
 *                     and reports RATE_LIMITED with the server's wait
 * @param fullRefresh  how often every flag's strategies are re-read even when the event log shows no change
 */
public record UnleashSettings(String id, String baseUrl, SecretSource token, List<String> projects,
                              Map<String, Environment> environmentTiers, Duration connectTimeout,
                              Duration readTimeout, Duration maxRetryWait, Duration fullRefresh) {
    public static final List<String> DEFAULT_PROJECTS = List.of("default");
    public static final Map<String, Environment> DEFAULT_TIERS = Map.of(
            "production", Environment.PRODUCTION, "development", Environment.DEVELOPMENT);

    public UnleashSettings {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(token, "token");
        if (id.isBlank()) {
            throw new IllegalArgumentException("an Unleash provider needs an id, e.g. unleash-main");
        }
        baseUrl = normaliseBaseUrl(baseUrl);
        projects = List.copyOf(projects);
        if (projects.isEmpty()) {
            throw new IllegalArgumentException("Unleash provider " + id + " needs at least one project");
        }
        environmentTiers = Map.copyOf(environmentTiers);
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(readTimeout, "readTimeout");
        Objects.requireNonNull(maxRetryWait, "maxRetryWait");
        requirePositive(fullRefresh, "fullRefresh");
    }

    /** Project {@code default}, production/development tiers, 3 s to connect, 10 s per answer, 60 s full refresh. */
    public static UnleashSettings of(String id, String baseUrl, SecretSource token) {
        return new UnleashSettings(id, baseUrl, token, DEFAULT_PROJECTS, DEFAULT_TIERS, Duration.ofSeconds(3),
                Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(60));
    }

    public UnleashSettings withProjects(List<String> projects) {
        return new UnleashSettings(id, baseUrl, token, projects, environmentTiers, connectTimeout, readTimeout,
                maxRetryWait, fullRefresh);
    }

    public UnleashSettings withEnvironmentTiers(Map<String, Environment> tiers) {
        return new UnleashSettings(id, baseUrl, token, projects, tiers, connectTimeout, readTimeout, maxRetryWait,
                fullRefresh);
    }

    public UnleashSettings withTimeouts(Duration connect, Duration read) {
        return new UnleashSettings(id, baseUrl, token, projects, environmentTiers, connect, read, maxRetryWait,
                fullRefresh);
    }

    public UnleashSettings withMaxRetryWait(Duration wait) {
        return new UnleashSettings(id, baseUrl, token, projects, environmentTiers, connectTimeout, readTimeout, wait,
                fullRefresh);
    }

    public UnleashSettings withFullRefresh(Duration every) {
        return new UnleashSettings(id, baseUrl, token, projects, environmentTiers, connectTimeout, readTimeout,
                maxRetryWait, every);
    }

    public UnleashSettings withToken(SecretSource source) {
        return new UnleashSettings(id, baseUrl, source, projects, environmentTiers, connectTimeout, readTimeout,
                maxRetryWait, fullRefresh);
    }

    private static String normaliseBaseUrl(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("an Unleash provider needs its server's URL, e.g. "
                    + "https://unleash.example.com");
        }
        String u = url.strip();
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        if (u.endsWith("/api")) {
            u = u.substring(0, u.length() - "/api".length());
        }
        if (!u.startsWith("http://") && !u.startsWith("https://")) {
            throw new IllegalArgumentException("the Unleash URL must start with http:// or https://, not '" + url
                    + "'");
        }
        return u;
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be a positive duration, not " + d);
        }
    }
}
