package dev.releaseconsole.services.model;

import java.time.Instant;

/**
 * Something a controller did to a rollout (step change, weight change, analysis result, abort), used for step
 * markers on charts and for the timeline. {@code weight} is the canary weight after the event, or -1.
 */
public record RolloutEvent(RolloutRef rollout, Instant time, String reason, String message, int stepIndex,
                           int weight) {
}
