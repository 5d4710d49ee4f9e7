package dev.releaseconsole.services.flags.launchdarkly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releaseconsole.services.actions.ActionException;
import dev.releaseconsole.services.actions.ActionException.Reason;
import dev.releaseconsole.services.actions.FlagProvider;
import dev.releaseconsole.services.model.Flag;
import dev.releaseconsole.services.model.FlagChangeEvent;
import dev.releaseconsole.services.model.FlagRef;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One LaunchDarkly project through its REST API v2 (see {@link LaunchDarklyApi} for the exact requests). Flags are
 * listed with the configured environments; on/off is the semantic patch {@code turnFlagOn}/{@code turnFlagOff};
 * the percentage is {@code updateFallthroughVariationOrRollout} with {@code rolloutWeights} for the flag's true and
 * false variations (thousandths of a percent), keeping the rollout's bucketBy and context kind; change events come
 * from the audit log.
 */
public final class LaunchDarklyProvider implements FlagProvider {
    /** Pages of 100 flags; a project with more than 100 pages is cut there and says so. */
    static final int MAX_PAGES = 100;

    private final LaunchDarklySettings settings;
    private final LaunchDarklyApi api;
    private final List<String> environments;

    public LaunchDarklyProvider(LaunchDarklySettings settings) {
        this(settings, new LaunchDarklyApi(settings));
    }

    LaunchDarklyProvider(LaunchDarklySettings settings, LaunchDarklyApi api) {
        this.settings = settings;
        this.api = api;
        this.environments = List.copyOf(settings.environments().keySet());
    }

    @Override
    public String id() {
        return settings.id();
    }

    @Override
    public String kind() {
        return "launchdarkly";
    }

    @Override
    public List<Flag> list() throws ActionException {
        Map<String, Flag> flags = new LinkedHashMap<>();
        int offset = 0;
        for (int page = 0; page < MAX_PAGES; page++) {
            JsonNode answer = api.listFlags(environments, offset);
            JsonNode items = answer == null ? null : answer.path("items");
            if (items == null || !items.isArray()) {
                throw new ActionException(Reason.INVALID, "LaunchDarkly's flag list for project "
                        + settings.projectKey() + " has no items array; is the baseUrl right?");
            }
            for (JsonNode item : items) {
                Flag f = LaunchDarklyFlags.toFlag(id(), item, settings.environments());
                flags.putIfAbsent(f.ref().key(), f);
            }
            offset += items.size();
            long total = answer.path("totalCount").asLong(-1);
            if (items.size() < LaunchDarklyApi.FLAGS_PAGE || (total >= 0 && offset >= total)) {
                return new ArrayList<>(flags.values());
            }
        }
        throw new ActionException(Reason.INVALID, "project " + settings.projectKey() + " has more than "
                + MAX_PAGES * LaunchDarklyApi.FLAGS_PAGE + " flags; the console lists at most that many");
    }

    @Override
    public Optional<Flag> read(FlagRef ref) throws ActionException {
        checkProvider(ref);
        JsonNode flag = api.getFlag(ref.key(), environments);
        return flag == null ? Optional.empty()
                : Optional.of(LaunchDarklyFlags.toFlag(id(), flag, settings.environments()));
    }

    @Override
    public String setEnabled(FlagRef ref, String environment, boolean enabled) throws ActionException {
        checkTarget(ref, environment);
        String body = api.semanticPatch(environment, "Release Console: turn " + (enabled ? "on" : "off") + " in "
                + environment, List.of(api.instruction(enabled ? "turnFlagOn" : "turnFlagOff")));
        return api.patchFlag(ref.key(), body, "turn flag " + ref.key() + (enabled ? " on" : " off") + " in "
                + environment);
    }

    @Override
    public String setRolloutPercent(FlagRef ref, String environment, int percent) throws ActionException {
        checkTarget(ref, environment);
        if (percent < 0 || percent > 100) {
            throw new ActionException(Reason.INVALID, "a rollout percentage is between 0 and 100, not " + percent);
        }
        JsonNode flag = api.getFlag(ref.key(), List.of(environment));
        if (flag == null) {
            throw new ActionException(Reason.NOT_FOUND, "LaunchDarkly project " + settings.projectKey()
                    + " has no flag " + ref.key());
        }
        String[] ids = LaunchDarklyFlags.booleanVariationIds(flag).orElseThrow(() -> new ActionException(
                Reason.INVALID, "flag " + ref.key() + " is not a boolean flag with a true and a false variation;"
                + " the console changes percentages of boolean flags only: change this one in LaunchDarkly"));
        JsonNode env = flag.path("environments").path(environment);
        JsonNode rollout = LaunchDarklyFlags.fallthroughRollout(env).orElseThrow(() -> new ActionException(
                Reason.INVALID, "flag " + ref.key() + " in " + environment + " has no percentage rollout in its"
                + " default rule (" + LaunchDarklyFlags.targeting(flag, env) + "); start one in LaunchDarkly first"));
        ObjectNode instruction = api.instruction("updateFallthroughVariationOrRollout");
        ObjectNode weights = instruction.putObject("rolloutWeights");
        weights.put(ids[0], percent * 1000);
        weights.put(ids[1], (100 - percent) * 1000);
        if (rollout.hasNonNull("bucketBy")) {
            instruction.put("rolloutBucketBy", rollout.get("bucketBy").asText());
        }
        if (rollout.hasNonNull("contextKind")) {
            instruction.put("rolloutContextKind", rollout.get("contextKind").asText());
        }
        String body = api.semanticPatch(environment, "Release Console: percentage rollout to " + percent + "% in "
                + environment, List.of(instruction));
        return api.patchFlag(ref.key(), body, "set the rollout of flag " + ref.key() + " to " + percent + "% in "
                + environment);
    }

    @Override
    public List<FlagChangeEvent> events(FlagRef ref, int limit) throws ActionException {
        checkProvider(ref);
        JsonNode answer = api.auditLog(ref.key(), limit);
        return answer == null ? List.of() : LaunchDarklyFlags.events(ref, answer);
    }

    private void checkProvider(FlagRef ref) throws ActionException {
        if (!ref.provider().equals(id())) {
            throw new ActionException(Reason.INVALID, "flag " + ref + " does not belong to flag provider " + id());
        }
    }

    private void checkTarget(FlagRef ref, String environment) throws ActionException {
        checkProvider(ref);
        if (!settings.environments().containsKey(environment)) {
            throw new ActionException(Reason.INVALID, "flag provider " + id() + " is not configured for"
                    + " LaunchDarkly environment " + environment + " (configured: " + environments + ")");
        }
    }

    @Override
    public String toString() {
        return id() + " (LaunchDarkly project " + settings.projectKey() + " at " + settings.baseUrl() + ")";
    }
}
