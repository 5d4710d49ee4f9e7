package dev.releaseconsole.services.flags.launchdarkly;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releaseconsole.services.model.Environment;
import dev.releaseconsole.services.model.Flag;
import dev.releaseconsole.services.model.FlagChangeEvent;
import dev.releaseconsole.services.model.FlagEnvironmentState;
import dev.releaseconsole.services.model.FlagRef;
import dev.releaseconsole.services.model.FlagType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How LaunchDarkly's flag and audit-log representations read as the console's model (the other half of the wire
 * format, beside {@link LaunchDarklyApi}). A flag's type comes from its tags (kill-switch, release, experiment,
 * operational, permission), its owner from its maintainer; the rollout percentage is the share of the {@code true}
 * variation in the default rule (fallthrough) of a boolean flag, in LaunchDarkly's thousandths of a percent.
 */
final class LaunchDarklyFlags {
    private static final Pattern ENV_IN_RESOURCE = Pattern.compile(":env/([^:;/]+)");

    private LaunchDarklyFlags() {
    }

    /** The boolean flag's variation ids: [on (value true), off (value false)], or empty for any other flag. */
    static Optional<String[]> booleanVariationIds(JsonNode flag) {
        JsonNode variations = flag.path("variations");
        if (!"boolean".equals(flag.path("kind").asText()) || variations.size() != 2) {
            return Optional.empty();
        }
        String on = null;
        String off = null;
        for (JsonNode v : variations) {
            if (v.path("value").isBoolean()) {
                if (v.path("value").asBoolean()) {
                    on = v.path("_id").asText(null);
                } else {
                    off = v.path("_id").asText(null);
                }
            }
        }
        return on == null || off == null ? Optional.empty() : Optional.of(new String[] {on, off});
    }

    static Flag toFlag(String providerId, JsonNode flag, Map<String, Environment> environments) {
        List<FlagEnvironmentState> states = new ArrayList<>();
        environments.forEach((key, tier) -> {
            JsonNode env = flag.path("environments").path(key);
            if (env.isObject()) {
                states.add(new FlagEnvironmentState(key, tier, env.path("on").asBoolean(false),
                        rolloutPercent(flag, env).orElse(null), targeting(flag, env)));
            }
        });
        String owner = flag.path("_maintainer").path("email").asText("");
        if (owner.isEmpty()) {
            owner = flag.path("_maintainerTeam").path("name").asText("");
        }
        return new Flag(new FlagRef(providerId, flag.path("key").asText()), type(flag.path("tags")),
                flag.path("description").isTextual() ? flag.get("description").asText() : "", owner, states,
                List.of());
    }

    /** The {@code true} variation's share of the default rule's percentage rollout, for boolean flags. */
    static Optional<Integer> rolloutPercent(JsonNode flag, JsonNode env) {
        JsonNode rollout = env.path("fallthrough").path("rollout");
        Optional<String[]> ids = booleanVariationIds(flag);
        if (!rollout.isObject() || ids.isEmpty()) {
            return Optional.empty();
        }
        int onIndex = indexOf(flag, ids.get()[0]);
        long on = 0;
        long total = 0;
        for (JsonNode v : rollout.path("variations")) {
            long w = v.path("weight").asLong(0);
            total += w;
            if (v.path("variation").asInt(-1) == onIndex) {
                on += w;
            }
        }
        return total <= 0 ? Optional.empty() : Optional.of((int) Math.round(100.0 * on / total));
    }

    /** The default rule's rollout, when it is one: its bucketBy and contextKind are kept when the percentage moves. */
    static Optional<JsonNode> fallthroughRollout(JsonNode env) {
        JsonNode rollout = env.path("fallthrough").path("rollout");
        return rollout.isObject() ? Optional.of(rollout) : Optional.empty();
    }

    /** "2 rules (if email endsWith @example.com then true; ...); 3 individual targets; default: true 25% / false 75%". */
    static String targeting(JsonNode flag, JsonNode env) {
        List<String> parts = new ArrayList<>();
        JsonNode rules = env.path("rules");
        if (rules.size() > 0) {
            List<String> described = new ArrayList<>();
            for (JsonNode rule : rules) {
                List<String> clauses = new ArrayList<>();
                for (JsonNode c : rule.path("clauses")) {
                    clauses.add(clause(c));
                }
                described.add("if " + (clauses.isEmpty() ? "always" : String.join(" and ", clauses)) + " then "
                        + serve(flag, rule));
            }
            parts.add(rules.size() + " rule" + (rules.size() == 1 ? "" : "s") + " (" + String.join("; ", described)
                    + ")");
        }
        int targets = 0;
        for (String field : List.of("targets", "contextTargets")) {
            for (JsonNode t : env.path(field)) {
                targets += t.path("values").size();
            }
        }
        if (targets > 0) {
            parts.add(targets + " individual target" + (targets == 1 ? "" : "s"));
        }
        parts.add("default: " + serve(flag, env.path("fallthrough")));
        return String.join("; ", parts);
    }

    private static String clause(JsonNode c) {
        String op = c.path("op").asText();
        String values = join(c.path("values"));
        String negate = c.path("negate").asBoolean(false) ? "not " : "";
        if ("segmentMatch".equals(op)) {
            return negate + "in segment " + values;
        }
        return c.path("attribute").asText() + " " + negate + op + " " + values;
    }

    private static String serve(JsonNode flag, JsonNode serving) {
        if (serving.has("variation") && serving.get("variation").isInt()) {
            return label(flag, serving.get("variation").asInt());
        }
        JsonNode rollout = serving.path("rollout");
        if (rollout.isObject()) {
            long total = 0;
            for (JsonNode v : rollout.path("variations")) {
                total += v.path("weight").asLong(0);
            }
            List<String> shares = new ArrayList<>();
            for (JsonNode v : rollout.path("variations")) {
                double p = total == 0 ? 0 : 100.0 * v.path("weight").asLong(0) / total;
                shares.add(label(flag, v.path("variation").asInt(-1)) + " " + (p == Math.rint(p) ? (long) p + "%"
                        : String.format(Locale.ROOT, "%.1f%%", p)));
            }
            String bucketBy = rollout.path("bucketBy").asText("");
            return String.join(" / ", shares) + (bucketBy.isEmpty() ? "" : " (by " + bucketBy + ")");
        }
        return "nothing configured";
    }

    private static String label(JsonNode flag, int index) {
        JsonNode v = flag.path("variations").path(index);
        if (v.isMissingNode()) {
            return "variation " + index;
        }
        String name = v.path("name").asText("");
        return name.isEmpty() ? v.path("value").toString().replaceAll("^\"|\"$", "") : name;
    }

    private static int indexOf(JsonNode flag, String variationId) {
        JsonNode variations = flag.path("variations");
        for (int i = 0; i < variations.size(); i++) {
            if (variationId.equals(variations.get(i).path("_id").asText())) {
                return i;
            }
        }
        return -1;
    }

    private static String join(JsonNode values) {
        List<String> out = new ArrayList<>();
        values.forEach(v -> out.add(v.asText()));
        return out.size() == 1 ? out.get(0) : "[" + String.join(", ", out) + "]";
    }

    private static FlagType type(JsonNode tags) {
        for (JsonNode t : tags) {
            switch (t.asText().toLowerCase(Locale.ROOT)) {
                case "kill-switch":
                case "killswitch":
                case "kill_switch":
                    return FlagType.KILL_SWITCH;
                case "release":
                    return FlagType.RELEASE;
                case "experiment":
                    return FlagType.EXPERIMENT;
                case "operational":
                case "ops":
                    return FlagType.OPERATIONAL;
                case "permission":
                    return FlagType.PERMISSION;
                default:
                    break;
            }
        }
        return FlagType.UNKNOWN;
    }

    /** Audit-log entries (newest first, as LaunchDarkly lists them) as change events. */
    static List<FlagChangeEvent> events(FlagRef flag, JsonNode auditLog) {
        List<FlagChangeEvent> out = new ArrayList<>();
        for (JsonNode entry : auditLog.path("items")) {
            JsonNode firstAccess = entry.path("accesses").path(0);
            String environment = null;
            Matcher m = ENV_IN_RESOURCE.matcher(firstAccess.path("resource").asText(""));
            if (m.find() && !"*".equals(m.group(1))) {
                environment = m.group(1);
            }
            String summary = firstNonBlank(entry.path("title").asText(""), entry.path("shortDescription").asText(""),
                    entry.path("description").asText(""), entry.path("name").asText("")).replace("**", "");
            String comment = entry.path("comment").asText("");
            out.add(new FlagChangeEvent(flag, environment, Instant.ofEpochMilli(entry.path("date").asLong()),
                    actor(entry), firstNonBlank(firstAccess.path("action").asText(""), entry.path("kind").asText("")),
                    comment.isBlank() ? summary : summary + " (comment: " + comment + ")"));
        }
        return out;
    }

    private static String actor(JsonNode entry) {
        JsonNode member = entry.path("member");
        String email = member.path("email").asText("");
        if (!email.isEmpty()) {
            return email;
        }
        String name = (member.path("firstName").asText("") + " " + member.path("lastName").asText("")).trim();
        if (!name.isEmpty()) {
            return name;
        }
        String token = entry.path("token").path("name").asText("");
        if (!token.isEmpty()) {
            return "access token " + token;
        }
        String app = entry.path("app").path("name").asText("");
        return app.isEmpty() ? "unknown" : "app " + app;
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return "";
    }
}
