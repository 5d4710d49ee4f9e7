package dev.releaseconsole.services.metrics;

/** A metrics query that failed, with a message the user can act on (the source's own words where it gives them). */
public class MetricsException extends Exception {
    public MetricsException(String message) {
        super(message);
    }

    public MetricsException(String message, Throwable cause) {
        super(message, cause);
    }
}
