package dev.releaseconsole.services.model;

import java.time.Duration;

/** Formats durations the way operators read them: 45s, 3m20s, 2h05m, 3d4h. */
public final class Durations {
    private Durations() {
    }

    public static String compact(Duration d) {
        if (d == null) {
            return "";
        }
        long s = Math.max(0, d.getSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            long sec = s % 60;
            return (s / 60) + "m" + (sec == 0 ? "" : String.format("%02ds", sec));
        }
        if (s < 86_400) {
            return (s / 3600) + "h" + String.format("%02dm", (s % 3600) / 60);
        }
        return (s / 86_400) + "d" + ((s % 86_400) / 3600) + "h";
    }
}
