package dev.releaseconsole.services.flags.flagd;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.releaseconsole.services.actions.ActionException;
import dev.releaseconsole.services.actions.ActionException.Reason;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One flagd flag-definitions document (top level {@code flags}, {@code $evaluators}, {@code metadata}), parsed for
 * reading and edited as text: an edit replaces the characters of the one value it changes and nothing else, so key
 * order, whitespace, other flags, evaluators, metadata and fields flagd does not know survive byte for byte. Every
 * edit is checked twice before it is handed back: the new text must be valid against flagd's schema, and parsed it
 * must equal the old document with exactly the requested values changed.
 */
public final class FlagdDocument {
    /** Definitions larger than this are refused rather than parsed (a ConfigMap holds at most 1 MiB). */
    static final int MAX_CHARS = 4 * 1024 * 1024;

    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

    private final String text;
    private final String source;
    private final JsonNode root;
    private final Map<String, int[]> scalarSpans;

    private FlagdDocument(String text, String source, JsonNode root, Map<String, int[]> scalarSpans) {
        this.text = text;
        this.source = source;
        this.root = root;
        this.scalarSpans = scalarSpans;
    }

    /**
     * Parses and validates {@code text}; {@code source} names where it came from in messages ("file /etc/flags.json").
     * Malformed JSON, duplicate keys and schema violations are {@link Reason#INVALID} with the position and the
     * schema's words; the text itself is never touched.
     */
    public static FlagdDocument parse(String text, String source) throws ActionException {
        if (text == null || text.isBlank()) {
            throw new ActionException(Reason.INVALID, source + " is empty: it holds no flagd flag definitions");
        }
        if (text.length() > MAX_CHARS) {
            throw new ActionException(Reason.INVALID, source + " is " + text.length() + " characters, more than the "
                    + MAX_CHARS + " the console reads; edit it by hand");
        }
        JsonNode root;
        Map<String, int[]> spans;
        try {
            root = MAPPER.readTree(text);
            spans = scalarSpans(text);
        } catch (JsonParseException e) {
            JsonLocation at = e.getLocation();
            throw new ActionException(Reason.INVALID, source + " is not valid JSON"
                    + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
                    + ": " + e.getOriginalMessage() + ". Nothing was changed; fix the document by hand");
        } catch (IOException e) {
            throw new ActionException(Reason.INVALID, source + " could not be parsed: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new ActionException(Reason.INVALID, source + " is not a JSON object with a \"flags\" field");
        }
        List<String> problems = FlagdSchema.validate(root);
        if (!problems.isEmpty()) {
            throw new ActionException(Reason.INVALID, source + " is not valid against flagd's schema: "
                    + String.join("; ", problems.subList(0, Math.min(5, problems.size())))
                    + (problems.size() > 5 ? " (and " + (problems.size() - 5) + " more)" : "")
                    + ". Nothing was changed; fix the document by hand");
        }
        return new FlagdDocument(text, source, root, spans);
    }

    public String text() {
        return text;
    }

    public String source() {
        return source;
    }

    public JsonNode root() {
        return root;
    }

    /** Flag keys in document order. */
    public List<String> flagKeys() {
        List<String> keys = new ArrayList<>();
        root.path("flags").fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    public Optional<JsonNode> flag(String key) {
        JsonNode f = root.path("flags").get(key);
        return f == null || !f.isObject() ? Optional.empty() : Optional.of(f);
    }

    /** The document's {@code $evaluators} (shared rules referenced with {@code $ref}); empty when it has none. */
    public JsonNode evaluators() {
        return root.path("$evaluators");
    }

    /** Flag-set metadata; empty when there is none. */
    public JsonNode metadata() {
        return root.path("metadata");
    }

    /** The new text and a one-line description of the change for the audit log. */
    public record Edit(String text, String change) {
        public boolean changesNothing(String before) {
            return text.equals(before);
        }
    }

    /** Sets the flag's {@code state} to ENABLED or DISABLED. */
    public Edit withState(String key, boolean enabled) throws ActionException {
        JsonNode flag = requireFlag(key);
        String now = flag.path("state").asText();
        String wanted = enabled ? "ENABLED" : "DISABLED";
        String pointer = pointer("flags", key, "state");
        if (now.equals(wanted)) {
            return new Edit(text, "flags." + key + ".state is already " + wanted);
        }
        Map<String, JsonNode> changes = new LinkedHashMap<>();
        changes.put(pointer, TextNode.valueOf(wanted));
        return apply(changes, "flags." + key + ".state " + now + " -> " + wanted);
    }

    /**
     * Sets a two-variant {@code fractional} split to {@code percent} for the on-variant and the rest for the
     * off-variant. Any other targeting shape is refused with {@link Reason#INVALID}, saying what it is.
     */
    public Edit withRolloutPercent(String key, int percent) throws ActionException {
        if (percent < 0 || percent > 100) {
            throw new ActionException(Reason.INVALID, "a rollout percentage is between 0 and 100, not " + percent);
        }
        JsonNode flag = requireFlag(key);
        FractionalSplit split = FractionalSplit.of(flag).orElseThrow(() -> new ActionException(Reason.INVALID,
                "flag " + key + " in " + source + " has no two-variant fractional split at the top of its targeting"
                        + " (its targeting is: " + TargetingSummary.describe(flag, evaluators())
                        + "); the console changes only {\"fractional\": [[on, N], [off, 100-N]]}, so edit this one"
                        + " by hand"));
        if (split.onWeightIsWhole() && split.onWeight() == percent && split.offWeight() == 100 - percent) {
            return new Edit(text, "flags." + key + " fractional is already " + split.onVariant() + " " + percent
                    + "% / " + split.offVariant() + " " + (100 - percent) + "%");
        }
        String base = pointer("flags", key, "targeting", "fractional");
        Map<String, JsonNode> changes = new LinkedHashMap<>();
        changes.put(base + "/" + split.onIndex() + "/1", IntNode.valueOf(percent));
        changes.put(base + "/" + split.offIndex() + "/1", IntNode.valueOf(100 - percent));
        return apply(changes, "flags." + key + " fractional " + split.onVariant() + " " + split.percentLabel()
                + " -> " + percent + "%, " + split.offVariant() + " -> " + (100 - percent) + "%");
    }

    private JsonNode requireFlag(String key) throws ActionException {
        return flag(key).orElseThrow(() -> new ActionException(Reason.NOT_FOUND, source + " has no flag " + key));
    }

    /** Replaces each pointed-at scalar's characters, then proves the result is the old tree with just these changes. */
    private Edit apply(Map<String, JsonNode> changes, String description) throws ActionException {
        List<Map.Entry<String, JsonNode>> ordered = new ArrayList<>(changes.entrySet());
        for (Map.Entry<String, JsonNode> c : ordered) {
            if (!scalarSpans.containsKey(c.getKey())) {
                throw new ActionException(Reason.INVALID, source + " has no value at " + c.getKey());
            }
        }
        // replace from the end so earlier offsets stay valid
        ordered.sort((a, b) -> Integer.compare(scalarSpans.get(b.getKey())[0], scalarSpans.get(a.getKey())[0]));
        StringBuilder out = new StringBuilder(text);
        for (Map.Entry<String, JsonNode> c : ordered) {
            int[] span = scalarSpans.get(c.getKey());
            out.replace(span[0], span[1], c.getValue().toString());
        }
        String edited = out.toString();
        JsonNode expected = root.deepCopy();
        for (Map.Entry<String, JsonNode> c : changes.entrySet()) {
            setAt(expected, c.getKey(), c.getValue());
        }
        FlagdDocument after;
        try {
            after = parse(edited, source);
        } catch (ActionException e) {
            throw new ActionException(Reason.INVALID, "the edit would leave " + source
                    + " invalid, so nothing was written: " + e.getMessage());
        }
        if (!after.root.equals(expected)) {
            throw new ActionException(Reason.UNKNOWN, "the edit of " + source + " would change more than "
                    + description + ", so nothing was written; please report this");
        }
        return new Edit(edited, description);
    }

    private static void setAt(JsonNode tree, String pointer, JsonNode value) {
        JsonPointer p = JsonPointer.compile(pointer);
        JsonNode parent = tree.at(p.head());
        String last = p.last().getMatchingProperty();
        if (parent instanceof ObjectNode o) {
            o.set(last, value);
        } else if (parent instanceof ArrayNode a) {
            a.set(Integer.parseInt(last), value);
        }
    }

    /** A JSON Pointer from raw segments ("~" and "/" escaped as RFC 6901 says). */
    static String pointer(String... segments) {
        StringBuilder sb = new StringBuilder();
        for (String s : segments) {
            sb.append('/').append(s.replace("~", "~0").replace("/", "~1"));
        }
        return sb.toString();
    }

    /** Character spans [start, end) of every scalar value, keyed by its JSON Pointer. */
    private static Map<String, int[]> scalarSpans(String text) throws IOException {
        Map<String, int[]> spans = new HashMap<>();
        try (JsonParser p = MAPPER.getFactory().createParser(text)) {
            JsonToken t = p.nextToken();
            walk(p, t, "", text, spans);
        }
        return spans;
    }

    private static void walk(JsonParser p, JsonToken t, String at, String text, Map<String, int[]> spans)
            throws IOException {
        if (t == JsonToken.START_OBJECT) {
            for (JsonToken n = p.nextToken(); n != JsonToken.END_OBJECT; n = p.nextToken()) {
                String name = p.currentName();
                walk(p, p.nextToken(), at + "/" + name.replace("~", "~0").replace("/", "~1"), text, spans);
            }
        } else if (t == JsonToken.START_ARRAY) {
            int i = 0;
            for (JsonToken n = p.nextToken(); n != JsonToken.END_ARRAY; n = p.nextToken()) {
                walk(p, n, at + "/" + i++, text, spans);
            }
        } else if (t != null) {
            int start = (int) p.currentTokenLocation().getCharOffset();
            spans.put(at, new int[] {start, scalarEnd(text, start, t)});
        }
    }

    private static int scalarEnd(String text, int start, JsonToken t) {
        int i = start;
        if (t == JsonToken.VALUE_STRING) {
            i++;
            while (i < text.length() && text.charAt(i) != '"') {
                i += text.charAt(i) == '\\' ? 2 : 1;
            }
            return i + 1;
        }
        while (i < text.length() && "+-.0123456789eEtrufalsn".indexOf(text.charAt(i)) >= 0) {
            i++;
        }
        return i;
    }

}
