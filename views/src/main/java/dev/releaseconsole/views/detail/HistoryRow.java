package dev.releaseconsole.views.detail;

/**
 * One rollout event in the history table, newest first: when (cluster clock, UTC), the step and weight after it,
 * what happened, and how long that state lasted until the next event ("ongoing" for the newest).
 */
public record HistoryRow(String time, String step, String weight, String reason, String message, String lasted) {
}
