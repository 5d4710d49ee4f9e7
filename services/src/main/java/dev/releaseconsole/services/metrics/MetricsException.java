package dev.releaseconsole.services.metrics;

/**
 * A metrics query that failed, with a message the user can act on (the source's own words where it gives them).
 *
 * <p>{@link #kind()} says what kind of failure it is, so a caller can tell "this query is wrong" (only this metric is
 * affected) from "the source is down" (every query will fail, so stop asking for a while).
 * {@link #sourceErrorType()} and {@link #sourceError()} carry the source's own words, e.g. Prometheus's
 * {@code errorType} "bad_data" and {@code error} "1:5: parse error: unexpected ...". {@link #hint()} says what to do.
 * No credential ever goes into any of these.
 */
public class MetricsException extends Exception {
    /** What failed. */
    public enum Kind {
        /** The query itself: bad PromQL, an execution error, a result the console cannot use. Other queries may work. */
        QUERY,
        /** The source cannot be reached or answers with an outage (connection refused, timeout, 5xx). */
        UNAVAILABLE,
        /** The source refused the credentials (401/403) or a secret could not be read. */
        AUTH,
        /** The answer is bigger than the console accepts (bytes, points or series). */
        TOO_LARGE,
        /** The caller cancelled the query (e.g. the view closed). */
        CANCELLED,
        /** The console's own configuration or the rollout's state does not allow the query (e.g. no canary hash). */
        CONFIG,
        /** Anything else. */
        OTHER
    }

    private final Kind kind;
    private final String sourceErrorType;
    private final String sourceError;
    private final String hint;

    public MetricsException(String message) {
        this(Kind.OTHER, message, null, null, null, null);
    }

    public MetricsException(String message, Throwable cause) {
        this(Kind.OTHER, message, null, null, null, cause);
    }

    /**
     * @param summary         what failed, e.g. "Prometheus at http://127.0.0.1:9090 rejected the query (400)"
     * @param sourceErrorType the source's own error type (Prometheus {@code errorType}), or null
     * @param sourceError     the source's own message (Prometheus {@code error}), or null
     * @param hint            what to do about it, or null
     */
    public MetricsException(Kind kind, String summary, String sourceErrorType, String sourceError, String hint,
                            Throwable cause) {
        this(compose(summary, sourceErrorType, sourceError, hint), kind, sourceErrorType, sourceError, hint, cause);
    }

    private MetricsException(String message, Kind kind, String sourceErrorType, String sourceError, String hint,
                             Throwable cause) {
        super(message, cause);
        this.kind = kind == null ? Kind.OTHER : kind;
        this.sourceErrorType = sourceErrorType;
        this.sourceError = sourceError;
        this.hint = hint;
    }

    private static String compose(String summary, String type, String error, String hint) {
        StringBuilder sb = new StringBuilder(summary == null ? "metrics query failed" : summary);
        if (error != null && !error.isBlank()) {
            sb.append(": ");
            if (type != null && !type.isBlank()) {
                sb.append(type).append(": ");
            }
            sb.append(error.strip());
        }
        if (hint != null && !hint.isBlank()) {
            String h = hint.strip();
            sb.append(". ").append(Character.toUpperCase(h.charAt(0))).append(h.substring(1));
            if (!h.endsWith(".") && !h.endsWith("?")) {
                sb.append('.');
            }
        }
        return sb.toString();
    }

    public Kind kind() {
        return kind;
    }

    /** True when every query to this source would fail now (down, timing out, refusing the credentials). */
    public boolean sourceDown() {
        return kind == Kind.UNAVAILABLE || kind == Kind.AUTH;
    }

    public String sourceErrorType() {
        return sourceErrorType;
    }

    public String sourceError() {
        return sourceError;
    }

    public String hint() {
        return hint;
    }

    /** The same failure with what the caller knows added in front ("p95 latency: ..."), kind and fields kept. */
    public MetricsException withContext(String context) {
        return new MetricsException(context + ": " + getMessage(), kind, sourceErrorType, sourceError, hint, this);
    }
}
