package dev.releaseconsole.services.flags.unleash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releaseconsole.services.actions.ActionException;
import dev.releaseconsole.services.actions.ActionException.Reason;
import dev.releaseconsole.services.actions.FlagProvider;
import dev.releaseconsole.services.flags.unleash.UnleashTargeting.Segment;
import dev.releaseconsole.services.model.Environment;
import dev.releaseconsole.services.model.Flag;
import dev.releaseconsole.services.model.FlagChangeEvent;
import dev.releaseconsole.services.model.FlagEnvironmentState;
import dev.releaseconsole.services.model.FlagRef;
import dev.releaseconsole.services.model.FlagType;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Unleash through its admin API (kind "unleash"). {@link #list()} reads each project's flag list (type, description,
 * per-environment on/off) on every call, and each flag's strategies (percentage, targeting) only when Unleash's event
 * log shows the flag changed, when it is new, or every {@link UnleashSettings#fullRefresh()}: a poll every few seconds
 * then costs two or three requests, not one per flag. {@link #read} always asks Unleash afresh. Writes are
 * {@code POST .../environments/E/on|off} and a JSON-patch of the gradual-rollout strategy's percentage.
 */
public final class UnleashProvider implements FlagProvider, AutoCloseable {
    public static final String KIND = "unleash";
    private static final int EVENT_WINDOW = 100;
    private static final Pattern MARKDOWN_LINK = Pattern.compile("\\[([^\\]]*)]\\([^)]*\\)");

    private final UnleashSettings settings;
    private final UnleashHttp http;
    private final Object listLock = new Object();
    /** Flag name -> its project, learnt from listing; writes need it. */
    private final Map<String, String> projectOf = new ConcurrentHashMap<>();
    /** Flag name -> the last full flag document (strategies per environment). */
    private final Map<String, JsonNode> details = new ConcurrentHashMap<>();
    private volatile Map<Integer, Segment> segments = Map.of();
    private long eventCursor = -1;
    private long lastFullRefresh;
    private boolean eventsReadable = true;

    public UnleashProvider(UnleashSettings settings) {
        this.settings = settings;
        this.http = new UnleashHttp(settings);
    }

    public UnleashSettings settings() {
        return settings;
    }

    @Override
    public String id() {
        return settings.id();
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public List<Flag> list() throws ActionException {
        synchronized (listLock) {
            long now = System.nanoTime();
            boolean full = eventCursor < 0 || now - lastFullRefresh > settings.fullRefresh().toNanos();
            Set<String> changed = new HashSet<>();
            long newest = eventCursor;
            if (eventsReadable) {
                try {
                    JsonNode page = http.get("/api/admin/search/events?limit=" + EVENT_WINDOW, "reading the event log");
                    boolean reachedCursor = false;
                    for (JsonNode e : page.path("events")) {
                        long id = e.path("id").asLong(-1);
                        newest = Math.max(newest, id);
                        if (id <= eventCursor) {
                            reachedCursor = true;
                            break;
                        }
                        String feature = e.path("featureName").asText("");
                        if (feature.isEmpty()) {
                            full = true; // a segment, project or other global change: re-read everything
                        } else {
                            changed.add(feature);
                        }
                    }
                    if (!reachedCursor && page.path("total").asLong(0) > EVENT_WINDOW) {
                        full = true; // more changes than one page: re-read everything
                    }
                } catch (ActionException e) {
                    if (e.httpStatus() != 403 && e.httpStatus() != 404) {
                        throw e;
                    }
                    eventsReadable = false; // this token or version cannot read events: always re-read everything
                }
            }
            if (!eventsReadable) {
                full = true;
            }
            if (full) {
                segments = readSegments();
            }
            List<Flag> flags = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (String project : settings.projects()) {
                JsonNode list = http.get("/api/admin/projects/" + encode(project) + "/features",
                        "listing the flags of project " + project);
                for (JsonNode summary : list.path("features")) {
                    String name = summary.path("name").asText("");
                    if (name.isEmpty() || summary.path("archived").asBoolean(false)) {
                        continue;
                    }
                    seen.add(name);
                    projectOf.put(name, project);
                    JsonNode detail = details.get(name);
                    if (full || detail == null || changed.contains(name)) {
                        Optional<JsonNode> fresh = fetchDetail(project, name);
                        if (fresh.isEmpty()) {
                            continue; // archived between the list and now
                        }
                        detail = fresh.get();
                        details.put(name, detail);
                    }
                    flags.add(toFlag(summary, detail));
                }
            }
            details.keySet().retainAll(seen);
            projectOf.keySet().retainAll(seen);
            eventCursor = newest;
            if (full) {
                lastFullRefresh = now;
            }
            return flags;
        }
    }

    @Override
    public Optional<Flag> read(FlagRef ref) throws ActionException {
        requireOwn(ref);
        String name = ref.key();
        List<String> candidates = new ArrayList<>();
        Optional.ofNullable(projectOf.get(name)).ifPresent(candidates::add);
        settings.projects().stream().filter(p -> !candidates.contains(p)).forEach(candidates::add);
        for (String project : candidates) {
            Optional<JsonNode> detail = fetchDetail(project, name);
            if (detail.isPresent()) {
                projectOf.put(name, project);
                details.put(name, detail.get());
                if (unknownSegment(detail.get())) {
                    segments = readSegments();
                }
                return Optional.of(toFlag(detail.get(), detail.get()));
            }
        }
        return Optional.empty();
    }

    @Override
    public String setEnabled(FlagRef ref, String environment, boolean enabled) throws ActionException {
        requireOwn(ref);
        String path = environmentPath(ref, environment) + "/" + (enabled ? "on" : "off");
        http.send("POST", path, null, "turning " + ref.key() + " " + (enabled ? "on" : "off") + " in "
                + environment);
        return "POST " + path;
    }

    @Override
    public String setRolloutPercent(FlagRef ref, String environment, int percent) throws ActionException {
        requireOwn(ref);
        if (percent < 0 || percent > 100) {
            throw new ActionException(Reason.INVALID, "a rollout percentage is between 0 and 100, not " + percent);
        }
        String envPath = environmentPath(ref, environment);
        JsonNode env = http.get(envPath, "reading the strategies of " + ref.key() + " in " + environment);
        JsonNode strategy = env == null ? null : UnleashTargeting.gradualRollout(env);
        if (strategy == null) {
            throw new ActionException(Reason.INVALID, "flag " + ref.key() + " has no gradual rollout "
                    + "(flexibleRollout strategy) in " + environment + " on Unleash " + id()
                    + ": add one in Unleash before changing its percentage");
        }
        String param = UnleashTargeting.percentParameter(strategy);
        ArrayNode patch = http.json().createArrayNode();
        ObjectNode op = patch.addObject();
        op.put("op", "replace");
        op.put("path", "/parameters/" + param);
        op.put("value", String.valueOf(percent));
        String path = envPath + "/strategies/" + encode(strategy.path("id").asText());
        http.send("PATCH", path, patch.toString(), "changing the rollout of " + ref.key() + " in " + environment
                + " to " + percent + "%");
        return "PATCH " + path + " " + patch;
    }

    /** Unleash's event log for the flag, newest first (event search API). */
    @Override
    public List<FlagChangeEvent> events(FlagRef ref, int limit) throws ActionException {
        requireOwn(ref);
        int n = Math.max(1, Math.min(1000, limit));
        JsonNode page = http.get("/api/admin/search/events?feature=" + encode("IS:" + ref.key()) + "&limit=" + n,
                "reading the event log of " + ref.key());
        List<FlagChangeEvent> out = new ArrayList<>();
        for (JsonNode e : page.path("events")) {
            String env = e.path("environment").asText("");
            String summary = e.path("summary").asText("");
            summary = summary.isEmpty() ? e.path("label").asText(e.path("type").asText(""))
                    : MARKDOWN_LINK.matcher(summary).replaceAll("$1").replace("**", "");
            out.add(new FlagChangeEvent(ref, env.isEmpty() ? null : env, instant(e.path("createdAt").asText("")),
                    e.path("createdBy").asText(""), e.path("type").asText(""), summary));
        }
        return out;
    }

    private Optional<JsonNode> fetchDetail(String project, String name) throws ActionException {
        try {
            return Optional.ofNullable(http.get("/api/admin/projects/" + encode(project) + "/features/"
                    + encode(name), "reading flag " + name));
        } catch (ActionException e) {
            if (e.reason() == Reason.NOT_FOUND && !e.getMessage().contains("path you were looking for")) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private Map<Integer, Segment> readSegments() throws ActionException {
        try {
            JsonNode page = http.get("/api/admin/segments", "listing segments");
            Map<Integer, Segment> out = new HashMap<>();
            for (JsonNode s : page.path("segments")) {
                out.put(s.path("id").asInt(), new Segment(s.path("name").asText(""), s.path("constraints")));
            }
            return Map.copyOf(out);
        } catch (ActionException e) {
            if (e.httpStatus() == 403 || e.httpStatus() == 404) {
                return Map.of(); // segments then show by id
            }
            throw e;
        }
    }

    private boolean unknownSegment(JsonNode detail) {
        Map<Integer, Segment> known = segments;
        for (JsonNode env : detail.path("environments")) {
            for (JsonNode s : env.path("strategies")) {
                for (JsonNode id : s.path("segments")) {
                    if (!known.containsKey(id.asInt())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * A flag from a list entry (type, description, on/off per environment: always fresh) and its full document
     * (strategies per environment). For {@link #read} both are the same fresh document.
     */
    private Flag toFlag(JsonNode summary, JsonNode detail) {
        String name = summary.path("name").asText();
        Map<String, JsonNode> strategiesByEnv = new HashMap<>();
        for (JsonNode env : detail.path("environments")) {
            strategiesByEnv.put(env.path("name").asText(), env);
        }
        List<FlagEnvironmentState> environments = new ArrayList<>();
        for (JsonNode env : summary.path("environments")) {
            String envName = env.path("name").asText();
            JsonNode withStrategies = strategiesByEnv.getOrDefault(envName, env);
            environments.add(new FlagEnvironmentState(envName, tier(envName, env.path("type").asText("")),
                    env.path("enabled").asBoolean(false), UnleashTargeting.percent(withStrategies),
                    UnleashTargeting.summary(withStrategies, segments)));
        }
        String description = summary.path("description").asText("");
        return new Flag(new FlagRef(id(), name), type(summary.path("type").asText("")), description, null,
                environments, List.of());
    }

    /** The configured tier for this environment name, else from Unleash's environment type; unknown is production. */
    Environment tier(String environment, String unleashType) {
        Environment configured = settings.environmentTiers().get(environment);
        if (configured != null) {
            return configured;
        }
        switch (unleashType.toLowerCase(Locale.ROOT)) {
            case "development":
                return Environment.DEVELOPMENT;
            case "test":
            case "preproduction":
            case "staging":
            case "qa":
                return Environment.STAGING;
            default:
                return Environment.PRODUCTION; // unknown: treat as production, so it asks for typed confirmation
        }
    }

    private static FlagType type(String unleashType) {
        switch (unleashType) {
            case "release": return FlagType.RELEASE;
            case "experiment": return FlagType.EXPERIMENT;
            case "operational": return FlagType.OPERATIONAL;
            case "kill-switch": return FlagType.KILL_SWITCH;
            case "permission": return FlagType.PERMISSION;
            default: return FlagType.UNKNOWN;
        }
    }

    private String environmentPath(FlagRef ref, String environment) throws ActionException {
        String project = projectOf.get(ref.key());
        if (project == null) {
            if (read(ref).isEmpty()) {
                throw new ActionException(Reason.NOT_FOUND, "Unleash " + id() + " has no flag " + ref.key()
                        + " in project(s) " + settings.projects());
            }
            project = projectOf.get(ref.key());
        }
        return "/api/admin/projects/" + encode(project) + "/features/" + encode(ref.key()) + "/environments/"
                + encode(environment);
    }

    private void requireOwn(FlagRef ref) {
        if (!ref.provider().equals(id())) {
            throw new IllegalArgumentException("flag " + ref + " belongs to provider " + ref.provider() + ", not "
                    + id());
        }
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public void close() {
        http.close();
    }

    @Override
    public String toString() {
        return "Unleash " + id() + " at " + http.mask(settings.baseUrl());
    }
}
