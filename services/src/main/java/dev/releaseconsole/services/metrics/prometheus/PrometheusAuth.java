package dev.releaseconsole.services.metrics.prometheus;

import dev.releaseconsole.services.metrics.MetricsException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * How the console authenticates to Prometheus: not at all, with a bearer token, or with HTTP basic auth. Secrets are
 * read per request from their {@link SecretRef}; {@link #toString()} says only where they come from.
 */
public abstract class PrometheusAuth {
    public static final PrometheusAuth NONE = new PrometheusAuth() {
        @Override
        String authorization() {
            return null;
        }

        @Override
        public String describe() {
            return "no authentication";
        }
    };

    private PrometheusAuth() {
    }

    public static PrometheusAuth bearer(SecretRef token) {
        Objects.requireNonNull(token, "token");
        return new PrometheusAuth() {
            @Override
            String authorization() throws MetricsException {
                return "Bearer " + token.read();
            }

            @Override
            public String describe() {
                return "bearer token from " + token.describe();
            }
        };
    }

    public static PrometheusAuth basic(String username, SecretRef password) {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        return new PrometheusAuth() {
            @Override
            String authorization() throws MetricsException {
                String pair = username + ":" + password.read();
                return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
            }

            @Override
            public String describe() {
                return "basic auth as " + username + " with the password from " + password.describe();
            }
        };
    }

    /** The Authorization header's value, or null for none. */
    abstract String authorization() throws MetricsException;

    /** Where the credential comes from, for messages; never the credential. */
    public abstract String describe();

    @Override
    public String toString() {
        return describe();
    }
}
