package dev.releaseconsole.services.model;

import java.time.Instant;

/** One measurement of an analysis metric; {@code value} is a string as in the CR. */
public record Measurement(AnalysisPhase phase, Instant startedAt, Instant finishedAt, String value, String message) {
}
