package dev.releaseconsole.services.flags.flagd;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Says in words what a flag's JsonLogic targeting does, for the operators the console understands: fractional
 * splits, if/else chains, comparisons, starts_with/ends_with, in, sem_ver, and/or/not, and {@code $ref} to shared
 * evaluators. When any part is something else, the whole is "custom targeting (JsonLogic)": a half-understood rule
 * described confidently would mislead the person deciding whether to turn it off.
 */
final class TargetingSummary {
    static final String CUSTOM = "custom targeting (JsonLogic)";

    private static final Map<String, String> COMPARISONS = Map.of(
            "==", "=", "===", "=", "!=", "!=", "!==", "!=", "<", "<", "<=", "<=", ">", ">", ">=", ">=");

    private TargetingSummary() {
    }

    /** The summary of {@code flag}'s targeting, given the document's {@code $evaluators}. */
    static String describe(JsonNode flag, JsonNode evaluators) {
        JsonNode targeting = flag.path("targeting");
        String defaultVariant = flag.path("defaultVariant").asText();
        if (targeting.isMissingNode() || targeting.isNull() || (targeting.isObject() && targeting.isEmpty())) {
            return "everyone gets " + defaultVariant;
        }
        try {
            return new TargetingSummary.Renderer(evaluators, defaultVariant).result(targeting, 0);
        } catch (NotUnderstood e) {
            return CUSTOM;
        }
    }

    private static final class NotUnderstood extends Exception {
        NotUnderstood() {
            super(null, null, false, false);
        }
    }

    private static final class Renderer {
        private final JsonNode evaluators;
        private final String defaultVariant;

        Renderer(JsonNode evaluators, String defaultVariant) {
            this.evaluators = evaluators;
            this.defaultVariant = defaultVariant;
        }

        /** What an expression that yields a variant yields. */
        String result(JsonNode node, int depth) throws NotUnderstood {
            if (depth > 8) {
                throw new NotUnderstood();
            }
            if (node.isTextual()) {
                return node.asText();
            }
            if (node.isNull()) {
                return defaultVariant + " (default)";
            }
            if (node.isBoolean()) {
                return node.asText();
            }
            String op = operator(node);
            JsonNode args = node.get(op);
            switch (op) {
                case "fractional":
                    return fractional(args);
                case "if":
                case "?:":
                    return ifChain(args, depth);
                case "$ref":
                    return result(referenced(args), depth + 1);
                default:
                    throw new NotUnderstood();
            }
        }

        private String ifChain(JsonNode args, int depth) throws NotUnderstood {
            if (!args.isArray() || args.size() < 2) {
                throw new NotUnderstood();
            }
            List<String> parts = new ArrayList<>();
            int i = 0;
            for (; i + 1 < args.size(); i += 2) {
                parts.add("if " + condition(args.get(i), depth + 1) + " then " + result(args.get(i + 1), depth + 1));
            }
            String otherwise = i < args.size() ? result(args.get(i), depth + 1) : defaultVariant + " (default)";
            return String.join(", else ", parts) + ", else " + otherwise;
        }

        private String fractional(JsonNode args) throws NotUnderstood {
            if (!args.isArray() || args.isEmpty()) {
                throw new NotUnderstood();
            }
            String bucketBy = null;
            double total = 0;
            List<String> names = new ArrayList<>();
            List<Double> weights = new ArrayList<>();
            for (int i = 0; i < args.size(); i++) {
                JsonNode e = args.get(i);
                if (e.isArray() && e.size() >= 1 && e.size() <= 2 && e.get(0).isTextual()) {
                    double w = e.size() == 2 ? numberOr(e.get(1)) : 1;
                    names.add(e.get(0).asText());
                    weights.add(w);
                    total += w;
                } else if (i == 0) {
                    bucketBy = value(e, 0);
                } else {
                    throw new NotUnderstood();
                }
            }
            if (names.isEmpty() || total <= 0) {
                throw new NotUnderstood();
            }
            List<String> shares = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                shares.add(names.get(i) + " " + percent(100.0 * weights.get(i) / total));
            }
            return "fractional: " + String.join(" / ", shares) + (bucketBy == null ? "" : " (by " + bucketBy + ")");
        }

        private double numberOr(JsonNode weight) throws NotUnderstood {
            if (!weight.isNumber()) {
                throw new NotUnderstood();
            }
            return weight.asDouble();
        }

        private String condition(JsonNode node, int depth) throws NotUnderstood {
            if (depth > 8) {
                throw new NotUnderstood();
            }
            if (node.isBoolean()) {
                return node.asText();
            }
            String op = operator(node);
            JsonNode args = node.get(op);
            if (COMPARISONS.containsKey(op)) {
                requireArgs(args, 2);
                return value(args.get(0), depth + 1) + " " + COMPARISONS.get(op) + " " + value(args.get(1), depth + 1);
            }
            switch (op) {
                case "starts_with":
                case "ends_with":
                    requireArgs(args, 2);
                    return value(args.get(0), depth + 1) + " " + op + " " + value(args.get(1), depth + 1);
                case "in":
                    requireArgs(args, 2);
                    return args.get(1).isArray()
                            ? value(args.get(0), depth + 1) + " in " + value(args.get(1), depth + 1)
                            : value(args.get(1), depth + 1) + " contains " + value(args.get(0), depth + 1);
                case "sem_ver":
                    requireArgs(args, 3);
                    return value(args.get(0), depth + 1) + " " + args.get(1).asText() + " " + value(args.get(2),
                            depth + 1) + " (semver)";
                case "and":
                case "or":
                    if (!args.isArray() || args.isEmpty()) {
                        throw new NotUnderstood();
                    }
                    List<String> parts = new ArrayList<>();
                    for (JsonNode a : args) {
                        parts.add(args.size() > 1 && isJunction(a) ? "(" + condition(a, depth + 1) + ")"
                                : condition(a, depth + 1));
                    }
                    return String.join(" " + op + " ", parts);
                case "!":
                    JsonNode inner = args.isArray() && args.size() == 1 ? args.get(0) : args;
                    return "not (" + condition(inner, depth + 1) + ")";
                case "$ref":
                    return "rule " + args.asText() + " (" + condition(referenced(args), depth + 1) + ")";
                default:
                    throw new NotUnderstood();
            }
        }

        private String value(JsonNode node, int depth) throws NotUnderstood {
            if (node.isTextual() || node.isNumber() || node.isBoolean()) {
                return node.asText();
            }
            if (node.isArray()) {
                List<String> items = new ArrayList<>();
                for (JsonNode n : node) {
                    items.add(value(n, depth + 1));
                }
                return "[" + String.join(", ", items) + "]";
            }
            if (node.isObject() && node.size() == 1 && node.has("var")) {
                JsonNode v = node.get("var");
                JsonNode name = v.isArray() && !v.isEmpty() ? v.get(0) : v;
                if (name.isTextual()) {
                    return name.asText();
                }
            }
            throw new NotUnderstood();
        }

        private JsonNode referenced(JsonNode name) throws NotUnderstood {
            JsonNode rule = name.isTextual() ? evaluators.get(name.asText()) : null;
            if (rule == null) {
                throw new NotUnderstood();
            }
            return rule;
        }

        private static boolean isJunction(JsonNode node) {
            return node.isObject() && (node.has("and") || node.has("or"));
        }

        private static String operator(JsonNode node) throws NotUnderstood {
            if (!node.isObject() || node.size() != 1) {
                throw new NotUnderstood();
            }
            return node.fieldNames().next();
        }

        private static void requireArgs(JsonNode args, int n) throws NotUnderstood {
            if (!args.isArray() || args.size() != n) {
                throw new NotUnderstood();
            }
        }

        private static String percent(double p) {
            return p == Math.rint(p) ? (long) p + "%" : String.format(java.util.Locale.ROOT, "%.1f%%", p);
        }
    }
}
