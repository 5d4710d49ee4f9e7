package dev.releaseconsole.services.metrics.prometheus;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * One Prometheus server as the console reaches it: the base URL (with any path prefix, e.g.
 * {@code https://mon.example/prometheus}), authentication, an optional CA file (PEM) that replaces the system's
 * trusted roots for this server, timeouts, and limits on what one answer may hold.
 *
 * <p>TLS certificates and host names are always verified; there is deliberately no switch to turn that off: a
 * private CA is what {@code caFile} is for, and the verdict must not rest on numbers anyone on the path could forge.
 */
public record PrometheusEndpoint(URI url, PrometheusAuth auth, Path caFile, Duration connectTimeout,
                                 Duration readTimeout, Limits limits) {

    /**
     * Caps per answer: bytes read, samples parsed, series returned. Above them the answer is refused with a message
     * instead of filling the heap; the parser stops reading at the cap.
     */
    public record Limits(long maxBytes, int maxPoints, int maxSeries) {
        /** 32 MiB, 200,000 samples, 100 series: far above what a chart needs (2 tracks x 7,200 samples). */
        public static final Limits DEFAULT = new Limits(32L << 20, 200_000, 100);

        public Limits {
            if (maxBytes < 1024 || maxPoints < 1 || maxSeries < 1) {
                throw new IllegalArgumentException("limits must be positive (bytes at least 1024): " + maxBytes + ", "
                        + maxPoints + ", " + maxSeries);
            }
        }
    }

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);

    public PrometheusEndpoint {
        Objects.requireNonNull(url, "url");
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("the Prometheus URL must start with http:// or https://, got '"
                    + url + "'");
        }
        if (url.getHost() == null || url.getHost().isBlank()) {
            throw new IllegalArgumentException("the Prometheus URL has no host: '" + url + "'");
        }
        if (url.getRawUserInfo() != null) {
            // never echo the URL here: its user-info is the credential
            throw new IllegalArgumentException("the Prometheus URL must not carry a user name or password; "
                    + "use basicAuth with a passwordEnv or passwordFile instead");
        }
        if (url.getRawQuery() != null || url.getRawFragment() != null) {
            throw new IllegalArgumentException("the Prometheus URL must not have a query or fragment: '" + url + "'");
        }
        auth = auth == null ? PrometheusAuth.NONE : auth;
        connectTimeout = positive(connectTimeout, DEFAULT_CONNECT_TIMEOUT, "connectTimeout");
        readTimeout = positive(readTimeout, DEFAULT_READ_TIMEOUT, "readTimeout");
        limits = limits == null ? Limits.DEFAULT : limits;
    }

    /** An endpoint with default timeouts and limits, no authentication, the system's trusted roots. */
    public static PrometheusEndpoint of(URI url) {
        return new PrometheusEndpoint(url, PrometheusAuth.NONE, null, null, null, null);
    }

    public PrometheusEndpoint withAuth(PrometheusAuth a) {
        return new PrometheusEndpoint(url, a, caFile, connectTimeout, readTimeout, limits);
    }

    public PrometheusEndpoint withCaFile(Path f) {
        return new PrometheusEndpoint(url, auth, f, connectTimeout, readTimeout, limits);
    }

    public PrometheusEndpoint withTimeouts(Duration connect, Duration read) {
        return new PrometheusEndpoint(url, auth, caFile, connect, read, limits);
    }

    public PrometheusEndpoint withLimits(Limits l) {
        return new PrometheusEndpoint(url, auth, caFile, connectTimeout, readTimeout, l);
    }

    private static Duration positive(Duration d, Duration fallback, String name) {
        if (d == null) {
            return fallback;
        }
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
        return d;
    }
}
