package dev.releaseconsole.services.kube;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Go's time.ParseDuration for the forms Argo pause steps use: "30s", "10m", "1h30m", "1.5h", "500ms". */
final class GoDuration {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");

    private GoDuration() {
    }

    /** The duration, or null when {@code s} is not a Go duration. */
    static Duration parse(String s) {
        if (s == null) {
            return null;
        }
        String t = s.trim();
        boolean negative = t.startsWith("-");
        if (negative || t.startsWith("+")) {
            t = t.substring(1);
        }
        if (t.equals("0")) {
            return Duration.ZERO;
        }
        if (t.isEmpty()) {
            return null;
        }
        Matcher m = PART.matcher(t);
        int at = 0;
        BigDecimal nanos = BigDecimal.ZERO;
        while (at < t.length()) {
            if (!m.find(at) || m.start() != at) {
                return null;
            }
            BigDecimal n = new BigDecimal(m.group(1).startsWith(".") ? "0" + m.group(1) : m.group(1));
            nanos = nanos.add(n.multiply(BigDecimal.valueOf(unitNanos(m.group(2)))));
            at = m.end();
        }
        Duration d = Duration.ofNanos(nanos.longValue());
        return negative ? d.negated() : d;
    }

    private static long unitNanos(String unit) {
        switch (unit) {
            case "ns":
                return 1L;
            case "us":
            case "µs":
            case "μs":
                return 1_000L;
            case "ms":
                return 1_000_000L;
            case "s":
                return 1_000_000_000L;
            case "m":
                return 60_000_000_000L;
            default:
                return 3_600_000_000_000L;
        }
    }

    /** Go's Duration.String() for whole seconds, as the controller writes step messages: 2m0s, 1h0m0s, 45s. */
    static String format(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return s + "s";
        }
        String minutes = (s % 3600) / 60 + "m" + s % 60 + "s";
        return s >= 3600 ? s / 3600 + "h" + minutes : minutes;
    }
}
