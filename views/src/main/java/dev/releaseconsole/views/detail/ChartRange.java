package dev.releaseconsole.views.detail;

import java.time.Duration;

/** The time range the charts show: a fixed window back from now, or the whole rollout. */
enum ChartRange {
    LAST_15_MIN("Last 15 min", Duration.ofMinutes(15)),
    LAST_HOUR("Last 1 h", Duration.ofHours(1)),
    WHOLE_ROLLOUT("Whole rollout", null);

    private final String label;
    private final Duration window;

    ChartRange(String label, Duration window) {
        this.label = label;
        this.window = window;
    }

    String label() {
        return label;
    }

    /** The fixed window, or null for the whole rollout. */
    Duration window() {
        return window;
    }

    @Override
    public String toString() {
        return label;
    }
}
