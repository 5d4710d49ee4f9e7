package dev.releaseconsole.services.metrics.prometheus;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code {{name}}} placeholders in metric queries and track patterns, and how values are escaped into them. */
public final class Placeholders {
    public static final List<String> NAMES = List.of("namespace", "rollout", "service", "ingress", "canaryHash",
            "stableHash", "canaryWorkload", "stableWorkload", "window", "trackLabel", "canary", "baseline");
    /** The names a track pattern may use (not the patterns themselves). */
    public static final List<String> TRACK_NAMES = List.of("namespace", "rollout", "service", "ingress", "canaryHash",
            "stableHash", "canaryWorkload", "stableWorkload");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z][A-Za-z0-9_]*)\\s*}}");

    private Placeholders() {
    }

    /** A value the rollout does not have (e.g. a Flagger canary has no pod-template hash). */
    public static final class MissingValue extends Exception {
        private final String name;

        MissingValue(String name) {
            super(name);
            this.name = name;
        }

        public String name() {
            return name;
        }
    }

    /**
     * Replaces every placeholder in {@code text} by its value, escaped by {@code escape}. An unknown name is an
     * {@link IllegalArgumentException} (configuration error); a known name without a value is {@link MissingValue}.
     */
    public static String expand(String text, List<String> allowed, Map<String, String> values,
                                UnaryOperator<String> escape) throws MissingValue {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            if (!allowed.contains(name)) {
                throw new IllegalArgumentException("unknown placeholder {{" + name + "}}; known: "
                        + String.join(", ", allowed));
            }
            String v = values.get(name);
            if (v == null) {
                throw new MissingValue(name);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(escape.apply(v)));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Checks that {@code text} uses only {@code allowed} names; throws IllegalArgumentException naming the first other. */
    public static void check(String text, List<String> allowed) {
        Map<String, String> any = new LinkedHashMap<>();
        allowed.forEach(n -> any.put(n, "x"));
        try {
            expand(text, allowed, any, UnaryOperator.identity());
        } catch (MissingValue e) {
            throw new IllegalStateException(e);
        }
    }

    /** Escapes a value for a double-quoted PromQL string (label matcher values). */
    public static String promqlString(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    /** Escapes a literal value for a regular expression (RE2 and Java agree on these escapes). */
    public static String regexLiteral(String v) {
        StringBuilder sb = new StringBuilder(v.length() + 4);
        for (char c : v.toCharArray()) {
            if ("\\.^$|?*+()[]{}".indexOf(c) >= 0) {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }
}
