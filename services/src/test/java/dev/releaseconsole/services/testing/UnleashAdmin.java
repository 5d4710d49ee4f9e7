package dev.releaseconsole.services.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Test fixtures on a real Unleash through its admin API, on the JDK's own HTTP client so that setting up a test
 * never goes through the code under test. Every call fails loudly with Unleash's answer.
 */
public final class UnleashAdmin {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String baseUrl;
    private final String token;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    UnleashAdmin(String baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.token = token;
    }

    /** A constraint as Unleash stores it: {@code contextName operator values...}. */
    public static ObjectNode constraint(String contextName, String operator, String... values) {
        ObjectNode c = JSON.createObjectNode();
        c.put("contextName", contextName);
        c.put("operator", operator);
        ArrayNode vs = c.putArray("values");
        for (String v : values) {
            vs.add(v);
        }
        return c;
    }

    public void createFlag(String name, String type, String description) {
        ObjectNode body = JSON.createObjectNode();
        body.put("name", name);
        body.put("type", type);
        body.put("description", description);
        call("POST", "/api/admin/projects/default/features", body.toString(), 201);
    }

    /** Adds a flexibleRollout strategy at {@code percent}%; returns its id. */
    public String addGradualRollout(String flag, String environment, int percent, int[] segmentIds,
                                    ObjectNode... constraints) {
        ObjectNode body = JSON.createObjectNode();
        body.put("name", "flexibleRollout");
        ArrayNode cs = body.putArray("constraints");
        for (ObjectNode c : constraints) {
            cs.add(c);
        }
        ObjectNode params = body.putObject("parameters");
        params.put("rollout", String.valueOf(percent));
        params.put("stickiness", "default");
        params.put("groupId", flag);
        ArrayNode segs = body.putArray("segments");
        for (int id : segmentIds) {
            segs.add(id);
        }
        return call("POST", environment(flag, environment) + "/strategies", body.toString(), 200)
                .path("id").asText();
    }

    /** Adds the "default" strategy (everyone) with optional constraints. */
    public String addDefaultStrategy(String flag, String environment, ObjectNode... constraints) {
        ObjectNode body = JSON.createObjectNode();
        body.put("name", "default");
        ArrayNode cs = body.putArray("constraints");
        for (ObjectNode c : constraints) {
            cs.add(c);
        }
        body.putObject("parameters");
        return call("POST", environment(flag, environment) + "/strategies", body.toString(), 200)
                .path("id").asText();
    }

    /** Changes a gradual rollout's percentage with the JSON patch the Unleash UI also sends. */
    public void patchRollout(String flag, String environment, String strategyId, int percent) {
        call("PATCH", environment(flag, environment) + "/strategies/" + strategyId,
                "[{\"op\":\"replace\",\"path\":\"/parameters/rollout\",\"value\":\"" + percent + "\"}]", 200);
    }

    public void setEnabled(String flag, String environment, boolean on) {
        call("POST", environment(flag, environment) + (on ? "/on" : "/off"), "", 200);
    }

    public void archive(String flag) {
        call("DELETE", "/api/admin/projects/default/features/" + flag, null, 202, 200);
    }

    public int createSegment(String name, ObjectNode... constraints) {
        ObjectNode body = JSON.createObjectNode();
        body.put("name", name);
        ArrayNode cs = body.putArray("constraints");
        for (ObjectNode c : constraints) {
            cs.add(c);
        }
        return call("POST", "/api/admin/segments", body.toString(), 201, 200).path("id").asInt();
    }

    /** A backend (server SDK) token for {@code environment}: valid, but not for the admin API. */
    public String createBackendToken(String name, String environment) {
        ObjectNode body = JSON.createObjectNode();
        body.put("tokenName", name);
        body.put("type", "backend");
        body.put("environment", environment);
        body.putArray("projects").add("*");
        return call("POST", "/api/admin/api-tokens", body.toString(), 201).path("secret").asText();
    }

    /** Revokes (deletes) an API token. */
    public void revokeToken(String secret) {
        call("DELETE", "/api/admin/api-tokens/" + URLEncoder.encode(secret, StandardCharsets.UTF_8), null, 200);
    }

    public JsonNode flag(String name) {
        return call("GET", "/api/admin/projects/default/features/" + name, null, 200);
    }

    /** How many events of {@code type} Unleash recorded for the flag (in {@code environment}, when not null). */
    public int countEvents(String flag, String type, String environment) {
        String q = "/api/admin/search/events?limit=1000&feature=" + enc("IS:" + flag) + "&type=" + enc("IS:" + type)
                + (environment == null ? "" : "&environment=" + enc("IS:" + environment));
        return call("GET", q, null, 200).path("events").size();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String environment(String flag, String environment) {
        return "/api/admin/projects/default/features/" + flag + "/environments/" + environment;
    }

    private JsonNode call(String method, String path, String body, int... expected) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", token).header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r;
        try {
            r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("fixture " + method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
        for (int code : expected) {
            if (r.statusCode() == code) {
                try {
                    return r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
                } catch (IOException e) {
                    return JSON.createObjectNode();
                }
            }
        }
        throw new IllegalStateException("fixture " + method + " " + path + " answered " + r.statusCode() + ": "
                + r.body());
    }
}
