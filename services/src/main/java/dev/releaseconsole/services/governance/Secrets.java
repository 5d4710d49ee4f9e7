package dev.releaseconsole.services.governance;

import java.util.regex.Pattern;

/** Removes anything that looks like a credential before text reaches a log, the audit log or the UI. */
public final class Secrets {
    private record Rule(Pattern pattern, String replacement) {
    }

    private static final Rule[] RULES = {
            new Rule(Pattern.compile("(?i)(authorization\\s*[:=]\\s*)(?:(?:bearer|basic)\\s+)?[^\\s,;\"'}]+"), "$1***"),
            new Rule(Pattern.compile("(?i)(bearer\\s+)[A-Za-z0-9._~+/=-]+"), "$1***"),
            new Rule(Pattern.compile(
                    "(?i)((?:token|password|passwd|secret|api[_-]?key|client[_-]?key)\"?\\s*[:=]\\s*\"?)[^\\s,;\"'}&]+"),
                    "$1***"),
            new Rule(Pattern.compile("(?i)(://[^:/@\\s]+:)[^@\\s]+@"), "$1***@"),
    };

    private Secrets() {
    }

    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (Rule r : RULES) {
            out = r.pattern().matcher(out).replaceAll(r.replacement());
        }
        return out;
    }
}
