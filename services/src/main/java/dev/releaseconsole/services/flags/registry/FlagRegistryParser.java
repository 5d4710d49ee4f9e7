package dev.releaseconsole.services.flags.registry;

import dev.releaseconsole.services.flags.registry.YamlTree.Field;
import dev.releaseconsole.services.flags.registry.YamlTree.ListNode;
import dev.releaseconsole.services.flags.registry.YamlTree.MapNode;
import dev.releaseconsole.services.flags.registry.YamlTree.Node;
import dev.releaseconsole.services.flags.registry.YamlTree.Scalar;
import dev.releaseconsole.services.model.Durations;
import dev.releaseconsole.services.model.FlagRegistration;
import dev.releaseconsole.services.model.FlagRegistry;
import dev.releaseconsole.services.model.FlagType;
import dev.releaseconsole.services.model.RolloutLink;
import dev.releaseconsole.services.model.WorkloadKind;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads a flag registry strictly: every key must be known, every value of the right form, every flag listed once
 * (per provider). All problems are reported together, each with its line and the entry it belongs to. The format:
 *
 * <pre>
 * settings:
 *   fullyOnFor: 14d                 # optional: a release flag fully on in production longer than this is debt
 * flags:
 *   - key: new-checkout-flow        # required
 *     provider: unleash-main        # optional: only this provider's flag of that key
 *     owner: team-checkout
 *     type: release                 # release | experiment | operational | kill-switch | permission
 *     expires: 2027-01-31           # YYYY-MM-DD
 *     ticket: CHK-1412
 *     killSwitch: false             # true: on-call may pull it as a kill switch
 *     rollouts:                     # what the kill switch aborts with it
 *       - prod-eu/checkout/checkout-api
 *       - {cluster: prod-eu, namespace: search, name: search-ranker, kind: Canary}
 * </pre>
 */
public final class FlagRegistryParser {
    /** Larger than any registry people maintain by hand; a bigger file is refused rather than parsed. */
    public static final int MAX_CHARS = 4 * 1024 * 1024;

    private static final Set<String> TOP_KEYS = Set.of("settings", "flags");
    private static final Set<String> SETTINGS_KEYS = Set.of("fullyOnFor");
    private static final List<String> ENTRY_KEYS = List.of("key", "provider", "owner", "type", "expires", "ticket",
            "killSwitch", "rollouts");
    private static final List<String> LINK_KEYS = List.of("cluster", "namespace", "name", "kind");
    private static final Map<String, FlagType> TYPES = Arrays.stream(FlagType.values())
            .filter(t -> t != FlagType.UNKNOWN).collect(Collectors.toMap(FlagType::label, t -> t));

    private FlagRegistryParser() {
    }

    /** Parses {@code text} (read from {@code origin}, a path or a resource name) as loaded at {@code loadedAt}. */
    public static FlagRegistry parse(String text, String origin, Instant loadedAt) throws RegistryException {
        List<String> errors = new ArrayList<>();
        if (text.length() > MAX_CHARS) {
            throw new RegistryException(origin, List.of("the file has " + text.length() + " characters, more than the "
                    + MAX_CHARS + " a registry may have; is this the right file?"));
        }
        Node root = YamlTree.parse(text, errors);
        if (!errors.isEmpty()) {
            throw new RegistryException(origin, errors);
        }
        if (root == null || root instanceof Scalar s && s.isNull()) {
            throw new RegistryException(origin, List.of("the file is empty; it needs a 'flags:' list (see the example"
                    + " registry in the README)"));
        }
        if (!(root instanceof MapNode top)) {
            throw new RegistryException(origin, List.of("line " + root.line + ": the file must be a mapping with a"
                    + " 'flags:' list, found " + root.kind()));
        }
        unknownKeys(top, TOP_KEYS, "at the top level", errors);
        Duration fullyOn = settings(top.fields.get("settings"), errors);
        List<FlagRegistration> entries = new ArrayList<>();
        Field flags = top.fields.get("flags");
        if (flags == null) {
            errors.add("line " + top.line + ": 'flags:' is missing; list the flags under it");
        } else if (flags.value() instanceof Scalar s && s.isNull()) {
            // "flags:" with nothing under it: an empty registry is allowed
        } else if (!(flags.value() instanceof ListNode list)) {
            errors.add("line " + flags.line() + ": 'flags' must be a list of entries (each starting with '- key:'),"
                    + " found " + flags.value().kind());
        } else {
            for (int i = 0; i < list.items.size(); i++) {
                FlagRegistration e = entry(list.items.get(i), i, errors);
                if (e != null) {
                    entries.add(e);
                }
            }
            duplicates(entries, errors);
        }
        if (!errors.isEmpty()) {
            throw new RegistryException(origin, errors);
        }
        return new FlagRegistry(origin, entries, fullyOn, loadedAt, null);
    }

    private static Duration settings(Field field, List<String> errors) {
        if (field == null || field.value() instanceof Scalar s && s.isNull()) {
            return FlagRegistry.DEFAULT_FULLY_ON_LIMIT;
        }
        if (!(field.value() instanceof MapNode map)) {
            errors.add("line " + field.line() + ": 'settings' must be a mapping, found " + field.value().kind());
            return FlagRegistry.DEFAULT_FULLY_ON_LIMIT;
        }
        unknownKeys(map, SETTINGS_KEYS, "in settings", errors);
        Field f = map.fields.get("fullyOnFor");
        if (f == null) {
            return FlagRegistry.DEFAULT_FULLY_ON_LIMIT;
        }
        String text = text(f, "settings", errors);
        if (text == null) {
            return FlagRegistry.DEFAULT_FULLY_ON_LIMIT;
        }
        try {
            Duration d = Durations.parse(text);
            if (d.isZero()) {
                errors.add("line " + f.line() + ": settings.fullyOnFor must be longer than zero");
            }
            return d;
        } catch (IllegalArgumentException e) {
            errors.add("line " + f.line() + ": settings.fullyOnFor: " + e.getMessage());
            return FlagRegistry.DEFAULT_FULLY_ON_LIMIT;
        }
    }

    private static FlagRegistration entry(Node node, int index, List<String> errors) {
        String where = "flags[" + index + "]";
        if (!(node instanceof MapNode map)) {
            errors.add("line " + node.line + ": " + where + " must be a mapping starting with 'key:', found "
                    + node.kind());
            return null;
        }
        Field keyField = map.fields.get("key");
        String key = keyField == null ? null : text(keyField, where, errors);
        if (keyField == null) {
            errors.add("line " + map.line + ": " + where + " has no 'key'; every entry names its flag with key:");
        } else if (key != null && key.isBlank()) {
            errors.add("line " + keyField.line() + ": " + where + " has an empty key");
            key = null;
        }
        String entryName = key == null ? where : "'" + key + "'";
        int before = errors.size();
        unknownKeys(map, ENTRY_KEYS, "in entry " + entryName, errors);
        String provider = optionalText(map, "provider", entryName, errors);
        String owner = optionalText(map, "owner", entryName, errors);
        String ticket = optionalText(map, "ticket", entryName, errors);
        FlagType type = null;
        String typeText = optionalText(map, "type", entryName, errors);
        if (typeText != null) {
            type = TYPES.get(typeText.toLowerCase(Locale.ROOT));
            if (type == null) {
                errors.add("line " + map.fields.get("type").line() + ": entry " + entryName + ": type '" + typeText
                        + "' is not one of " + String.join(", ", sortedTypes()));
            }
        }
        LocalDate expires = null;
        String expiresText = optionalText(map, "expires", entryName, errors);
        if (expiresText != null) {
            try {
                expires = LocalDate.parse(expiresText);
            } catch (DateTimeParseException e) {
                errors.add("line " + map.fields.get("expires").line() + ": entry " + entryName + ": expires '"
                        + expiresText + "' is not a date; write it as YYYY-MM-DD, e.g. 2027-01-31");
            }
        }
        boolean killSwitch = false;
        Field ks = map.fields.get("killSwitch");
        if (ks != null) {
            if (ks.value() instanceof Scalar s && s.isBoolean()) {
                killSwitch = Boolean.parseBoolean(s.text);
            } else {
                errors.add("line " + ks.line() + ": entry " + entryName + ": killSwitch must be true or false, found "
                        + describe(ks.value()));
            }
        }
        List<RolloutLink> links = links(map.fields.get("rollouts"), entryName, errors);
        if (key == null || errors.size() > before) {
            return null;
        }
        return new FlagRegistration(key, provider, owner, type, expires, ticket, killSwitch, links, map.line);
    }

    private static List<RolloutLink> links(Field field, String entryName, List<String> errors) {
        if (field == null || field.value() instanceof Scalar s && s.isNull()) {
            return List.of();
        }
        if (!(field.value() instanceof ListNode list)) {
            errors.add("line " + field.line() + ": entry " + entryName + ": rollouts must be a list of"
                    + " cluster/namespace/name items, found " + field.value().kind());
            return List.of();
        }
        List<RolloutLink> out = new ArrayList<>();
        for (Node item : list.items) {
            RolloutLink link = item instanceof MapNode m ? linkFromMap(m, entryName, errors)
                    : item instanceof Scalar s && !s.isNull() ? linkFromText(s, entryName, errors) : null;
            if (item instanceof ListNode || item instanceof Scalar s2 && s2.isNull()) {
                errors.add("line " + item.line + ": entry " + entryName + ": a rollout is cluster/namespace/name or"
                        + " a mapping with cluster, namespace, name (and kind), found " + item.kind());
            }
            if (link != null) {
                if (out.contains(link)) {
                    errors.add("line " + item.line + ": entry " + entryName + ": rollout " + link
                            + " is listed twice");
                } else {
                    out.add(link);
                }
            }
        }
        return out;
    }

    private static RolloutLink linkFromText(Scalar s, String entryName, List<String> errors) {
        String[] parts = s.text.split("/", -1);
        if (parts.length != 3 || Arrays.stream(parts).anyMatch(p -> p.isBlank() || !p.strip().equals(p))) {
            errors.add("line " + s.line + ": entry " + entryName + ": rollout '" + s.text + "' must be"
                    + " cluster/namespace/name, e.g. prod-eu/checkout/checkout-api");
            return null;
        }
        return new RolloutLink(parts[0], parts[1], parts[2], null);
    }

    private static RolloutLink linkFromMap(MapNode m, String entryName, List<String> errors) {
        int before = errors.size();
        unknownKeys(m, LINK_KEYS, "in a rollout of entry " + entryName, errors);
        String[] values = new String[3];
        for (int i = 0; i < 3; i++) {
            String k = LINK_KEYS.get(i);
            values[i] = optionalText(m, k, entryName, errors);
            if (values[i] == null && m.fields.get(k) == null) {
                errors.add("line " + m.line + ": entry " + entryName + ": a rollout needs " + k + ":");
            }
        }
        WorkloadKind kind = null;
        String kindText = optionalText(m, "kind", entryName, errors);
        if (kindText != null) {
            kind = Arrays.stream(WorkloadKind.values()).filter(k -> k.kind().equalsIgnoreCase(kindText))
                    .findFirst().orElse(null);
            if (kind == null) {
                errors.add("line " + m.fields.get("kind").line() + ": entry " + entryName + ": kind '" + kindText
                        + "' is not Rollout (Argo Rollouts) or Canary (Flagger)");
            }
        }
        if (errors.size() > before) {
            return null;
        }
        return new RolloutLink(values[0], values[1], values[2], kind);
    }

    private static void duplicates(List<FlagRegistration> entries, List<String> errors) {
        Map<String, FlagRegistration> seen = new HashMap<>();
        for (FlagRegistration e : entries) {
            FlagRegistration earlier = seen.putIfAbsent(e.provider() + "\u0000" + e.key(), e);
            if (earlier != null) {
                errors.add("line " + e.line() + ": flag " + e.describe() + " is listed twice (also on line "
                        + earlier.line() + "); keep one entry");
            }
        }
    }

    private static void unknownKeys(MapNode map, java.util.Collection<String> known, String where,
                                    List<String> errors) {
        for (Field f : map.fields.values()) {
            if (!known.contains(f.key())) {
                errors.add("line " + f.line() + ": unknown key '" + f.key() + "' " + where + "; known keys: "
                        + String.join(", ", known.stream().sorted().toList()));
            }
        }
    }

    private static String optionalText(MapNode map, String key, String entryName, List<String> errors) {
        Field f = map.fields.get(key);
        if (f == null || f.value() instanceof Scalar s && s.isNull()) {
            return null;
        }
        String t = text(f, "entry " + entryName, errors);
        return t == null || t.isBlank() ? null : t.strip();
    }

    private static String text(Field f, String where, List<String> errors) {
        if (f.value() instanceof Scalar s && !s.isNull()) {
            return s.text;
        }
        errors.add("line " + f.line() + ": " + where + ": " + f.key() + " must be a single value, found "
                + f.value().kind());
        return null;
    }

    private static String describe(Node n) {
        return n instanceof Scalar s && !s.isNull() ? "'" + s.text + "'" : n.kind();
    }

    private static List<String> sortedTypes() {
        return TYPES.keySet().stream().sorted().toList();
    }
}
