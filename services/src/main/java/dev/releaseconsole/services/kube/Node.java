package dev.releaseconsole.services.kube;

import dev.releaseconsole.services.governance.Secrets;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A tolerant view of one value inside a custom resource's raw JSON (maps, lists, strings, numbers, booleans), with
 * its path for messages. Reading a field of the wrong type yields empty (null) and records a human-readable problem
 * such as "status.currentStepIndex is 'abc', not a number"; missing fields are simply empty. Unknown fields are never
 * looked at, so they never matter.
 */
final class Node {

    /** Collects distinct problems, each prefixed by what object they belong to. */
    static final class Problems {
        private final Set<String> lines;
        private final String prefix;

        Problems() {
            this(new LinkedHashSet<>(), "");
        }

        private Problems(Set<String> lines, String prefix) {
            this.lines = lines;
            this.prefix = prefix;
        }

        /** Problems of a linked object go into the same list, prefixed ("analysisrun shop-7c9-2: ..."). */
        Problems scoped(String what) {
            return new Problems(lines, prefix + what + ": ");
        }

        void add(String problem) {
            lines.add(Secrets.redact(prefix + problem));
        }

        List<String> list() {
            return List.copyOf(lines);
        }
    }

    private static final int MAX_QUOTED = 40;

    private final Object value;
    private final String path;
    private final Problems problems;

    private Node(Object value, String path, Problems problems) {
        this.value = value;
        this.path = path;
        this.problems = problems;
    }

    static Node root(Object value, String path, Problems problems) {
        return new Node(value, path, problems);
    }

    boolean present() {
        return value != null;
    }

    String path() {
        return path;
    }

    Object raw() {
        return value;
    }

    /** The field {@code key} of this mapping; empty when absent, or when this is not a mapping (a problem). */
    Node get(String key) {
        String childPath = path.isEmpty() ? key : path + "." + key;
        if (value == null) {
            return new Node(null, childPath, problems);
        }
        if (value instanceof Map) {
            return new Node(((Map<?, ?>) value).get(key), childPath, problems);
        }
        problems.add(path + " is " + describe(value) + ", not a mapping");
        return new Node(null, childPath, problems);
    }

    Node get(String... keys) {
        Node n = this;
        for (String k : keys) {
            n = n.get(k);
        }
        return n;
    }

    /** Text; numbers or booleans where text belongs are problems (the controller could not have written them). */
    String text() {
        if (value == null) {
            return null;
        }
        if (value instanceof String) {
            return (String) value;
        }
        problems.add(path + " is " + describe(value) + ", not text");
        return null;
    }

    /** Text where either text or a number is legal (e.g. Argo's status.observedGeneration, a string since v0.10). */
    String textOrNumber() {
        if (value instanceof Number) {
            return String.valueOf(value);
        }
        return text();
    }

    Integer integer() {
        if (value == null) {
            return null;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            long l = ((Number) value).longValue();
            if (l > Integer.MAX_VALUE || l < Integer.MIN_VALUE) {
                problems.add(path + " is " + l + ", out of range");
                return null;
            }
            return (int) l;
        }
        if (value instanceof Number) {
            double d = ((Number) value).doubleValue();
            if (d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE) {
                return (int) d;
            }
            problems.add(path + " is " + value + ", not a whole number");
            return null;
        }
        problems.add(path + " is " + describe(value) + ", not a number");
        return null;
    }

    int integer(int orElse) {
        Integer i = integer();
        return i == null ? orElse : i;
    }

    Boolean bool() {
        if (value == null) {
            return null;
        }
        if (value instanceof Boolean) {
            return (Boolean) value;
        }
        problems.add(path + " is " + describe(value) + ", not true or false");
        return null;
    }

    boolean bool(boolean orElse) {
        Boolean b = bool();
        return b == null ? orElse : b;
    }

    /** An RFC 3339 timestamp as Kubernetes writes them. */
    Instant time() {
        String s = text();
        if (s == null || s.isEmpty()) {
            return null;
        }
        return parseTime(s, path, problems);
    }

    static Instant parseTime(String s, String path, Problems problems) {
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            problems.add(path + " is " + quote(s) + ", not a timestamp");
            return null;
        }
    }

    /** The elements of a list; empty when absent, or when this is not a list (a problem). */
    List<Node> list() {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List)) {
            problems.add(path + " is " + describe(value) + ", not a list");
            return List.of();
        }
        List<?> l = (List<?>) value;
        List<Node> out = new ArrayList<>(l.size());
        for (int i = 0; i < l.size(); i++) {
            out.add(new Node(l.get(i), path + "[" + i + "]", problems));
        }
        return out;
    }

    boolean isMap() {
        return value instanceof Map;
    }

    void problem(String text) {
        problems.add(path + " " + text);
    }

    static String describe(Object v) {
        if (v instanceof String) {
            return quote((String) v);
        }
        if (v instanceof Map) {
            return "a mapping";
        }
        if (v instanceof List) {
            return "a list";
        }
        return String.valueOf(v);
    }

    static String quote(String s) {
        String t = s.length() > MAX_QUOTED ? s.substring(0, MAX_QUOTED) + "…" : s;
        return "'" + t.replace('\n', ' ') + "'";
    }
}
