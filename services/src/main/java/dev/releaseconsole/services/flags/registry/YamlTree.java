package dev.releaseconsole.services.flags.registry;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as a tree that remembers each node's line, read with Jackson's streaming YAML parser. Data binding
 * would lose the lines (it buffers record properties) and would silently keep the last of two equal keys; this keeps
 * both facts, so the registry's errors can say "line 12" and "appears twice".
 */
final class YamlTree {
    private YamlTree() {
    }

    abstract static class Node {
        final int line;

        Node(int line) {
            this.line = line;
        }

        abstract String kind();
    }

    static final class Scalar extends Node {
        final String text;
        final JsonToken token;

        Scalar(int line, String text, JsonToken token) {
            super(line);
            this.text = text;
            this.token = token;
        }

        boolean isNull() {
            return token == JsonToken.VALUE_NULL;
        }

        boolean isBoolean() {
            return token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE;
        }

        @Override
        String kind() {
            return isNull() ? "nothing" : "a single value";
        }
    }

    record Field(String key, int line, Node value) {
    }

    static final class MapNode extends Node {
        final Map<String, Field> fields = new LinkedHashMap<>();

        MapNode(int line) {
            super(line);
        }

        @Override
        String kind() {
            return "a mapping (key: value lines)";
        }
    }

    static final class ListNode extends Node {
        final List<Node> items = new ArrayList<>();

        ListNode(int line) {
            super(line);
        }

        @Override
        String kind() {
            return "a list (- items)";
        }
    }

    /** Parses one document; syntax errors and repeated keys are added to {@code errors} with their line. */
    static Node parse(String text, List<String> errors) {
        try (JsonParser p = new YAMLFactory().createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return null;
            }
            Node root = read(p, errors);
            if (p.nextToken() != null) {
                errors.add("line " + line(p) + ": only one YAML document is allowed (found a second one after '---')");
            }
            return root;
        } catch (IOException e) {
            String msg = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            if (e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe && jpe.getLocation() != null) {
                errors.add("line " + jpe.getLocation().getLineNr() + ": not valid YAML: "
                        + jpe.getOriginalMessage().lines().findFirst().orElse(""));
            } else {
                errors.add("not valid YAML: " + msg);
            }
            return null;
        }
    }

    private static Node read(JsonParser p, List<String> errors) throws IOException {
        JsonToken t = p.currentToken();
        int line = line(p);
        if (t == JsonToken.START_OBJECT) {
            MapNode map = new MapNode(line);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                int keyLine = line(p);
                p.nextToken();
                Node value = read(p, errors);
                Field earlier = map.fields.get(key);
                if (earlier != null) {
                    errors.add("line " + keyLine + ": '" + key + "' appears twice (also on line " + earlier.line()
                            + ")");
                } else {
                    map.fields.put(key, new Field(key, keyLine, value));
                }
            }
            return map;
        }
        if (t == JsonToken.START_ARRAY) {
            ListNode list = new ListNode(line);
            while (p.nextToken() != JsonToken.END_ARRAY) {
                list.items.add(read(p, errors));
            }
            return list;
        }
        return new Scalar(line, t == JsonToken.VALUE_NULL ? null : p.getText(), t);
    }

    private static int line(JsonParser p) {
        return p.currentTokenLocation().getLineNr();
    }
}
