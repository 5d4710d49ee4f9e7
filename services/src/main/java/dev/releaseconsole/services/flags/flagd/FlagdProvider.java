package dev.releaseconsole.services.flags.flagd;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releaseconsole.services.actions.ActionException;
import dev.releaseconsole.services.actions.ActionException.Reason;
import dev.releaseconsole.services.actions.FlagProvider;
import dev.releaseconsole.services.model.Environment;
import dev.releaseconsole.services.model.Flag;
import dev.releaseconsole.services.model.FlagEnvironmentState;
import dev.releaseconsole.services.model.FlagRef;
import dev.releaseconsole.services.model.FlagType;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * flagd flags from one definitions document, which is one environment: a flagd deployment reads one document, so a
 * file, a ConfigMap key or a FeatureFlag resource is what one environment's flagd serves. Configure one provider per
 * document, each with its environment's name and tier (e.g. "flagd-prod" for production, "flagd-staging").
 * <p>
 * On is {@code "state": "ENABLED"}, off is {@code "DISABLED"}: flagd then treats the flag as absent and every caller
 * gets the default it passes in code. The rollout percentage is the on-variant's share of a two-variant
 * {@code fractional} split that is the flag's whole targeting. Type, owner and description come from the flag's
 * {@code metadata} ({@code type}: release, kill-switch, ...; {@code owner}; {@code description}), falling back to
 * the document's metadata for the owner. flagd keeps no change log, so {@link #events} is empty.
 */
public final class FlagdProvider implements FlagProvider {
    private final String id;
    private final String environment;
    private final Environment tier;
    private final DefinitionsSource source;

    public FlagdProvider(String id, String environment, Environment tier, DefinitionsSource source) {
        this.id = Objects.requireNonNull(id, "id");
        this.environment = Objects.requireNonNull(environment, "environment");
        this.tier = Objects.requireNonNull(tier, "tier");
        this.source = Objects.requireNonNull(source, "source");
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String kind() {
        return source.kind();
    }

    public String environment() {
        return environment;
    }

    public DefinitionsSource source() {
        return source;
    }

    @Override
    public List<Flag> list() throws ActionException {
        FlagdDocument doc = FlagdDocument.parse(source.read(), source.describe());
        List<Flag> flags = new ArrayList<>();
        for (String key : doc.flagKeys()) {
            flags.add(toFlag(doc, key));
        }
        return flags;
    }

    @Override
    public Optional<Flag> read(FlagRef ref) throws ActionException {
        checkProvider(ref);
        FlagdDocument doc = FlagdDocument.parse(source.read(), source.describe());
        return doc.flag(ref.key()).isPresent() ? Optional.of(toFlag(doc, ref.key())) : Optional.empty();
    }

    @Override
    public String setEnabled(FlagRef ref, String environment, boolean enabled) throws ActionException {
        checkTarget(ref, environment);
        return source.update(doc -> doc.withState(ref.key(), enabled));
    }

    @Override
    public String setRolloutPercent(FlagRef ref, String environment, int percent) throws ActionException {
        checkTarget(ref, environment);
        return source.update(doc -> doc.withRolloutPercent(ref.key(), percent));
    }

    private Flag toFlag(FlagdDocument doc, String key) {
        JsonNode flag = doc.flag(key).orElseThrow();
        JsonNode meta = flag.path("metadata");
        boolean enabled = "ENABLED".equals(flag.path("state").asText());
        Integer percent = FractionalSplit.of(flag).map(FractionalSplit::percent).orElse(null);
        String targeting = TargetingSummary.describe(flag, doc.evaluators());
        String owner = text(meta, "owner");
        if (owner == null) {
            owner = text(doc.metadata(), "owner");
        }
        String description = text(meta, "description");
        return new Flag(new FlagRef(id, key), type(text(meta, "type")), description == null ? "" : description,
                owner == null ? "" : owner, List.of(new FlagEnvironmentState(environment, tier, enabled, percent,
                targeting)), List.of());
    }

    private static FlagType type(String value) {
        if (value == null) {
            return FlagType.UNKNOWN;
        }
        String v = value.trim().toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
        if (v.equals("KILLSWITCH")) {
            return FlagType.KILL_SWITCH;
        }
        for (FlagType t : FlagType.values()) {
            if (t.name().equals(v)) {
                return t;
            }
        }
        return FlagType.UNKNOWN;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isValueNode() && !v.asText().isBlank() ? v.asText() : null;
    }

    private void checkProvider(FlagRef ref) throws ActionException {
        if (!ref.provider().equals(id)) {
            throw new ActionException(Reason.INVALID, "flag " + ref + " does not belong to flag provider " + id);
        }
    }

    private void checkTarget(FlagRef ref, String environment) throws ActionException {
        checkProvider(ref);
        if (!this.environment.equals(environment)) {
            throw new ActionException(Reason.INVALID, "flag provider " + id + " (" + source.describe()
                    + ") holds environment " + this.environment + " only, not " + environment);
        }
    }

    @Override
    public String toString() {
        return id + " (" + source.describe() + ", environment " + environment + ")";
    }
}
