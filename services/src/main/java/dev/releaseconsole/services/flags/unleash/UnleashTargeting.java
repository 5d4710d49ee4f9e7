package dev.releaseconsole.services.flags.unleash;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads an Unleash environment's strategies: the gradual-rollout percentage and a one-line summary of who gets the
 * flag ("region in [eu-west]; tier contains [beta]", "segment beta-users (plan in [pro])").
 */
final class UnleashTargeting {
    /** A segment's name and its constraints, as {@code /api/admin/segments} reports them. */
    record Segment(String name, JsonNode constraints) {
    }

    private static final int MAX_VALUES = 5;

    private UnleashTargeting() {
    }

    /** The strategies that take part in evaluation (not disabled), in Unleash's order. */
    static List<JsonNode> activeStrategies(JsonNode environment) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode s : environment.path("strategies")) {
            if (!s.path("disabled").asBoolean(false)) {
                out.add(s);
            }
        }
        out.sort(Comparator.comparingInt(s -> s.path("sortOrder").asInt(0)));
        return out;
    }

    /** The first gradual-rollout strategy (flexibleRollout, or the legacy gradualRollout* ones), or null. */
    static JsonNode gradualRollout(JsonNode environment) {
        for (JsonNode s : activeStrategies(environment)) {
            if (percentParameter(s) != null) {
                return s;
            }
        }
        return null;
    }

    /** The parameter that holds the percentage of a gradual-rollout strategy, or null for other strategies. */
    static String percentParameter(JsonNode strategy) {
        String name = strategy.path("name").asText("");
        if (name.equals("flexibleRollout")) {
            return "rollout";
        }
        if (name.startsWith("gradualRollout")) {
            return "percentage";
        }
        return null;
    }

    static Integer percent(JsonNode environment) {
        JsonNode s = gradualRollout(environment);
        if (s == null) {
            return null;
        }
        String text = s.path("parameters").path(percentParameter(s)).asText("");
        try {
            int p = (int) Math.round(Double.parseDouble(text.strip()));
            return Math.max(0, Math.min(100, p));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static String summary(JsonNode environment, Map<Integer, Segment> segments) {
        List<JsonNode> strategies = activeStrategies(environment);
        if (strategies.isEmpty()) {
            return environment.path("strategies").size() == 0 ? "everyone (no strategy)"
                    : "nobody (every strategy is disabled)";
        }
        if (strategies.size() == 1) {
            return who(strategies.get(0), segments);
        }
        List<String> parts = new ArrayList<>();
        for (JsonNode s : strategies) {
            String param = percentParameter(s);
            String who = who(s, segments);
            parts.add(param == null ? who : s.path("parameters").path(param).asText("?") + "% of " + who);
        }
        return String.join(" OR ", parts);
    }

    private static String who(JsonNode strategy, Map<Integer, Segment> segments) {
        List<String> conditions = new ArrayList<>();
        for (JsonNode id : strategy.path("segments")) {
            Segment seg = segments.get(id.asInt());
            if (seg == null) {
                conditions.add("segment #" + id.asInt());
            } else {
                String inner = constraints(seg.constraints());
                conditions.add("segment " + seg.name() + (inner.isEmpty() ? "" : " (" + inner + ")"));
            }
        }
        String own = constraints(strategy.path("constraints"));
        if (!own.isEmpty()) {
            conditions.add(own);
        }
        String name = strategy.path("name").asText("");
        JsonNode params = strategy.path("parameters");
        switch (name) {
            case "userWithId":
                conditions.add("userId in [" + params.path("userIds").asText("") + "]");
                break;
            case "remoteAddress":
                conditions.add("IP in [" + params.path("IPs").asText("") + "]");
                break;
            case "applicationHostname":
                conditions.add("host in [" + params.path("hostNames").asText("") + "]");
                break;
            case "default":
            case "flexibleRollout":
            case "gradualRolloutRandom":
            case "gradualRolloutSessionId":
            case "gradualRolloutUserId":
                break;
            default:
                conditions.add("strategy " + name + (params.size() == 0 ? "" : " " + params));
        }
        return conditions.isEmpty() ? "everyone" : String.join("; ", conditions);
    }

    static String constraints(JsonNode constraints) {
        List<String> parts = new ArrayList<>();
        for (JsonNode c : constraints) {
            parts.add(constraint(c));
        }
        return String.join("; ", parts);
    }

    private static String constraint(JsonNode c) {
        String context = c.path("contextName").asText("?");
        String op = c.path("operator").asText("");
        String values;
        if (c.path("values").isArray() && c.path("values").size() > 0) {
            List<String> vs = new ArrayList<>();
            c.path("values").forEach(v -> vs.add(v.asText()));
            values = "[" + String.join(", ", vs.subList(0, Math.min(MAX_VALUES, vs.size())))
                    + (vs.size() > MAX_VALUES ? ", … +" + (vs.size() - MAX_VALUES) : "") + "]";
        } else {
            values = c.path("value").asText("");
        }
        String text = context + " " + operator(op) + " " + values;
        if (c.path("caseInsensitive").asBoolean(false)) {
            text += " (any case)";
        }
        return c.path("inverted").asBoolean(false) ? "not (" + text + ")" : text;
    }

    private static String operator(String op) {
        switch (op) {
            case "IN": return "in";
            case "NOT_IN": return "not in";
            case "STR_CONTAINS": return "contains";
            case "STR_STARTS_WITH": return "starts with";
            case "STR_ENDS_WITH": return "ends with";
            case "NUM_EQ": return "=";
            case "NUM_GT": return ">";
            case "NUM_GTE": return ">=";
            case "NUM_LT": return "<";
            case "NUM_LTE": return "<=";
            case "DATE_AFTER": return "after";
            case "DATE_BEFORE": return "before";
            case "SEMVER_EQ": return "= version";
            case "SEMVER_GT": return "> version";
            case "SEMVER_LT": return "< version";
            default: return op.toLowerCase(Locale.ROOT);
        }
    }
}
