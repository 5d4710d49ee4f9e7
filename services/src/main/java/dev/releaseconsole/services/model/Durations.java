package dev.releaseconsole.services.model;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Formats durations the way operators read them: 45s, 3m20s, 2h05m, 3d4h. */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

    private Durations() {
    }

    /**
     * Reads what people write in configuration files: "500ms", "10s", "1m30s", "2h", "14d". Anything else is an
     * {@link IllegalArgumentException} that shows the accepted form.
     */
    public static Duration parse(String text) {
        String s = text == null ? "" : text.strip();
        Matcher m = PART.matcher(s);
        Duration total = Duration.ZERO;
        int at = 0;
        while (at < s.length() && m.find(at) && m.start() == at) {
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
            at = m.end();
        }
        if (s.isEmpty() || at != s.length()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration; write it like 500ms, 10s, 1m30s, 2h"
                    + " or 14d");
        }
        return total;
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
