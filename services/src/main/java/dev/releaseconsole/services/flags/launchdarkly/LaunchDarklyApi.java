package dev.releaseconsole.services.flags.launchdarkly;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releaseconsole.services.actions.ActionException;
import dev.releaseconsole.services.governance.SecretException;
import dev.releaseconsole.services.actions.ActionException.Reason;
import dev.releaseconsole.services.governance.Secrets;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSource;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * LaunchDarkly's REST API v2 on the wire, all in one place: the paths, query parameters, headers and bodies the
 * adapter sends, and how answers and refusals are read. Pointing {@link LaunchDarklySettings#baseUrl()} at
 * https://app.launchdarkly.com (or app.launchdarkly.us, app.eu.launchdarkly.com) with a real token is all a live
 * smoke test needs.
 * <ul>
 *   <li>every request: {@code Authorization: <token>}, {@code LD-API-Version: 20240415} (pinned, as LaunchDarkly
 *       recommends, so a token's default version cannot change the answers), {@code Accept: application/json};</li>
 *   <li>changes: {@code PATCH /api/v2/flags/{project}/{key}} with
 *       {@code Content-Type: application/json; domain-model=launchdarkly.semanticpatch} and
 *       {@code {"environmentKey", "comment", "instructions"}};</li>
 *   <li>429: waits {@code Retry-After} (seconds or an HTTP date; else until {@code X-Ratelimit-Reset}, epoch ms),
 *       at most {@code maxRetries} times and within {@code rateLimitBudget}; giving up reports the
 *       {@code X-Ratelimit-*} headers;</li>
 *   <li>errors: LaunchDarkly's {@code {"code", "message", "id"}} body is quoted in the exception.</li>
 * </ul>
 */
final class LaunchDarklyApi {
    static final String API_VERSION = "20240415";
    static final String SEMANTIC_PATCH = "application/json; domain-model=launchdarkly.semanticpatch";
    /** Larger answers are refused rather than read into memory. */
    static final long MAX_BODY_BYTES = 32L << 20;
    /** The audit log answers at most 20 entries per page. */
    static final int AUDIT_LOG_PAGE = 20;
    static final int FLAGS_PAGE = 100;

    private static final MediaType SEMANTIC_PATCH_TYPE = MediaType.get(SEMANTIC_PATCH);

    private final LaunchDarklySettings settings;
    private final HttpUrl base;
    private final OkHttpClient http;
    private final ObjectMapper json = new ObjectMapper();
    private final Clock clock;
    private final Sleeper sleeper;

    /** Waits between attempts; tests record the waits instead of sleeping. */
    interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    LaunchDarklyApi(LaunchDarklySettings settings) {
        this(settings, Clock.systemUTC(), d -> Thread.sleep(d.toMillis()));
    }

    LaunchDarklyApi(LaunchDarklySettings settings, Clock clock, Sleeper sleeper) {
        this.settings = settings;
        HttpUrl parsed = HttpUrl.parse(settings.baseUrl());
        if (parsed == null) {
            throw new IllegalArgumentException("LaunchDarkly base URL is not an http(s) URL: " + settings.baseUrl());
        }
        this.base = parsed;
        this.clock = clock;
        this.sleeper = sleeper;
        this.http = new OkHttpClient.Builder().connectTimeout(settings.connectTimeout())
                .readTimeout(settings.readTimeout()).writeTimeout(settings.readTimeout())
                .callTimeout(settings.connectTimeout().plus(settings.readTimeout()).plusSeconds(2))
                .followRedirects(false).build();
    }

    ObjectMapper json() {
        return json;
    }

    /** One page of the project's flags with the given environments' configurations and full targeting. */
    JsonNode listFlags(List<String> environments, int offset) throws ActionException {
        HttpUrl.Builder url = path("api", "v2", "flags", settings.projectKey());
        environments.forEach(e -> url.addQueryParameter("env", e));
        url.addQueryParameter("summary", "0").addQueryParameter("limit", String.valueOf(FLAGS_PAGE))
                .addQueryParameter("offset", String.valueOf(offset));
        return call("GET", url.build(), null, "list the flags of project " + settings.projectKey());
    }

    /** One flag with the given environments' configurations; null when LaunchDarkly has no such flag (404). */
    JsonNode getFlag(String key, List<String> environments) throws ActionException {
        HttpUrl.Builder url = path("api", "v2", "flags", settings.projectKey(), key);
        environments.forEach(e -> url.addQueryParameter("env", e));
        return call("GET", url.build(), null, "read flag " + key, true);
    }

    /** The semantic patch body: {@code {"environmentKey", "comment", "instructions": [...]}}, in that order. */
    String semanticPatch(String environment, String comment, List<ObjectNode> instructions) {
        ObjectNode body = json.createObjectNode();
        body.put("environmentKey", environment);
        body.put("comment", comment);
        body.putArray("instructions").addAll(instructions);
        return body.toString();
    }

    ObjectNode instruction(String kind) {
        return json.createObjectNode().put("kind", kind);
    }

    /** Sends a semantic patch to one flag; returns "PATCH <path> <body>" for the audit log. */
    String patchFlag(String key, String body, String what) throws ActionException {
        HttpUrl url = path("api", "v2", "flags", settings.projectKey(), key).build();
        call("PATCH", url, body, what);
        return "PATCH " + url.encodedPath() + " (" + SEMANTIC_PATCH + ") " + body;
    }

    /** The newest audit-log entries for one flag in any environment of the project. */
    JsonNode auditLog(String key, int limit) throws ActionException {
        HttpUrl url = path("api", "v2", "auditlog")
                // the resource specifier as LaunchDarkly's docs write it (keys are [A-Za-z0-9._-], so only they
                // need escaping)
                .addEncodedQueryParameter("spec", "proj/" + escape(settings.projectKey()) + ":env/*:flag/" + escape(key))
                .addQueryParameter("limit", String.valueOf(Math.max(1, Math.min(AUDIT_LOG_PAGE, limit)))).build();
        return call("GET", url, null, "read the audit log of flag " + key);
    }

    private static String escape(String key) {
        return java.net.URLEncoder.encode(key, StandardCharsets.UTF_8);
    }

    private HttpUrl.Builder path(String... segments) {
        HttpUrl.Builder b = base.newBuilder();
        for (String s : segments) {
            b.addPathSegment(s);
        }
        return b;
    }

    /** Sends one request, waiting out 429s within the budget; returns the parsed answer (null when empty). */
    private JsonNode call(String method, HttpUrl url, String body, String what) throws ActionException {
        return call(method, url, body, what, false);
    }

    private JsonNode call(String method, HttpUrl url, String body, String what, boolean absentIsNull)
            throws ActionException {
        String token;
        try {
            token = settings.token().resolve();
        } catch (SecretException e) {
            throw new ActionException(ActionException.Reason.DENIED, "no LaunchDarkly API access token: "
                    + e.getMessage());
        }
        Instant giveUpAt = clock.instant().plus(settings.rateLimitBudget());
        for (int attempt = 0; ; attempt++) {
            Request.Builder request = new Request.Builder().url(url).header("Authorization", token)
                    .header("LD-API-Version", API_VERSION).header("Accept", "application/json")
                    .header("User-Agent", "release-console");
            request.method(method, body == null ? null
                    : RequestBody.create(body.getBytes(StandardCharsets.UTF_8), SEMANTIC_PATCH_TYPE));
            try (Response response = http.newCall(request.build()).execute()) {
                String text = readBody(response, what);
                if (response.isSuccessful()) {
                    return text.isBlank() ? null : parse(text, what);
                }
                if (response.code() == 404 && absentIsNull) {
                    return null;
                }
                if (response.code() != 429) {
                    throw refusal(response, text, what, method);
                }
                Duration wait = retryAfter(response);
                Instant now = clock.instant();
                if (attempt >= settings.maxRetries() || now.plus(wait).isAfter(giveUpAt)) {
                    throw new ActionException(Reason.RATE_LIMITED, "LaunchDarkly is rate limiting requests (HTTP 429"
                            + serverSays(text) + ") and still was after " + attempt + " retr"
                            + (attempt == 1 ? "y" : "ies") + " within " + settings.rateLimitBudget().toSeconds()
                            + " s; could not " + what + ". " + rateLimitHeaders(response)
                            + ". Nothing was changed; try again after " + Math.max(1, wait.toSeconds()) + " s");
                }
                sleeper.sleep(wait);
            } catch (SocketTimeoutException e) {
                throw timeout(method, what);
            } catch (InterruptedIOException e) {
                if (e.getMessage() != null && e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("timeout")) {
                    throw timeout(method, what);
                }
                Thread.currentThread().interrupt();
                throw new ActionException(Reason.UNKNOWN, "interrupted while waiting to " + what);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ActionException(Reason.UNKNOWN, "interrupted while waiting out LaunchDarkly's rate limit"
                        + " to " + what);
            } catch (ConnectException | UnknownHostException e) {
                throw new ActionException(Reason.UNAVAILABLE, "could not reach LaunchDarkly at " + base
                        + " to " + what + " (" + (e instanceof UnknownHostException ? "unknown host" : "connection"
                        + " refused") + "); check the network and the provider's baseUrl");
            } catch (IOException e) {
                throw new ActionException(Reason.UNAVAILABLE, Secrets.redact("could not " + what
                        + " at LaunchDarkly (" + base + "): " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage())));
            }
        }
    }

    private ActionException timeout(String method, String what) {
        return new ActionException(Reason.TIMEOUT, "LaunchDarkly did not answer within "
                + settings.readTimeout().toSeconds() + " s when asked to " + what
                + ("GET".equals(method) ? "" : "; the change may or may not have been applied: read the flag before"
                + " trying again"));
    }

    private String readBody(Response response, String what) throws IOException, ActionException {
        BufferedSource source = response.body().source();
        if (source.request(MAX_BODY_BYTES + 1)) {
            throw new ActionException(Reason.INVALID, "LaunchDarkly's answer to " + what + " is larger than "
                    + (MAX_BODY_BYTES >> 20) + " MiB; refusing to read it");
        }
        return source.getBuffer().readString(StandardCharsets.UTF_8);
    }

    private JsonNode parse(String text, String what) throws ActionException {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ActionException(Reason.INVALID, "LaunchDarkly's answer to " + what + " is not JSON ("
                    + e.getOriginalMessage() + "); is the baseUrl pointing at a proxy or a login page?");
        }
    }

    private ActionException refusal(Response response, String text, String what, String method) {
        int code = response.code();
        String says = serverSays(text);
        String msg;
        Reason reason;
        switch (code) {
            case 400:
            case 422:
                reason = Reason.INVALID;
                msg = "LaunchDarkly refused the request to " + what + " (HTTP " + code + says + ")";
                break;
            case 401:
                reason = Reason.DENIED;
                msg = "LaunchDarkly did not accept the access token from " + settings.token().describe()
                        + " (HTTP 401" + says + "); it may be expired, revoked or mistyped: put a valid API access"
                        + " token there";
                break;
            case 403:
                reason = Reason.DENIED;
                msg = "LaunchDarkly does not let this access token " + what + " (HTTP 403" + says
                        + "); give the token's role the permission, or use a token that has it";
                break;
            case 404:
                reason = Reason.NOT_FOUND;
                msg = "LaunchDarkly has nothing to " + what + " in project " + settings.projectKey() + " (HTTP 404"
                        + says + "); check the project, environment and flag keys";
                break;
            case 405:
                reason = Reason.DENIED;
                msg = "LaunchDarkly requires an approval for changes here, so it did not " + what + " (HTTP 405"
                        + says + "); request the change in LaunchDarkly's approval flow";
                break;
            case 409:
                reason = Reason.CONFLICT;
                msg = "LaunchDarkly refused to " + what + " because of a concurrent change (HTTP 409" + says
                        + "); read the flag again and retry";
                break;
            default:
                reason = code >= 500 ? Reason.UNAVAILABLE : Reason.UNKNOWN;
                msg = "LaunchDarkly could not " + what + " (HTTP " + code + says + ")"
                        + (code >= 500 && !"GET".equals(method)
                        ? "; the change may or may not have been applied: read the flag before trying again" : "");
        }
        return new ActionException(reason, Secrets.redact(msg));
    }

    /** ": <message> [code <code>, request id <id>]" from LaunchDarkly's error body, or the start of a non-JSON body. */
    private String serverSays(String text) {
        if (text == null || text.isBlank()) {
            return "";
        }
        try {
            JsonNode err = json.readTree(text);
            List<String> extra = new ArrayList<>();
            if (err.hasNonNull("code")) {
                extra.add("code " + err.get("code").asText());
            }
            if (err.hasNonNull("id")) {
                extra.add("request id " + err.get("id").asText());
            }
            String message = err.path("message").asText("");
            return message.isEmpty() && extra.isEmpty() ? "" : ": " + message
                    + (extra.isEmpty() ? "" : " [" + String.join(", ", extra) + "]");
        } catch (JsonProcessingException e) {
            String first = text.strip();
            return ": " + (first.length() > 200 ? first.substring(0, 200) + "..." : first);
        }
    }

    /** Retry-After in seconds or as an HTTP date; else until X-Ratelimit-Reset (epoch ms); else one second. */
    private Duration retryAfter(Response response) {
        String retryAfter = response.header("Retry-After");
        if (retryAfter != null) {
            try {
                return Duration.ofSeconds(Math.max(0, Long.parseLong(retryAfter.trim())));
            } catch (NumberFormatException e) {
                try {
                    Instant at = ZonedDateTime.parse(retryAfter.trim(), DateTimeFormatter.RFC_1123_DATE_TIME)
                            .toInstant();
                    return positive(Duration.between(clock.instant(), at));
                } catch (DateTimeParseException ignored) {
                    // neither form: fall through to the reset header
                }
            }
        }
        String reset = response.header("X-Ratelimit-Reset");
        if (reset != null) {
            try {
                return positive(Duration.between(clock.instant(), Instant.ofEpochMilli(Long.parseLong(reset.trim()))));
            } catch (NumberFormatException ignored) {
                // not epoch milliseconds: use the default
            }
        }
        return Duration.ofSeconds(1);
    }

    private static Duration positive(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }

    private static String rateLimitHeaders(Response response) {
        List<String> parts = new ArrayList<>();
        for (String h : List.of("Retry-After", "X-Ratelimit-Global-Remaining", "X-Ratelimit-Route-Remaining",
                "X-Ratelimit-Reset")) {
            String v = response.header(h);
            if (v != null) {
                String shown = v;
                if (h.equals("X-Ratelimit-Reset")) {
                    try {
                        shown = v + " (" + Instant.ofEpochMilli(Long.parseLong(v.trim())) + ")";
                    } catch (NumberFormatException ignored) {
                        // shown as sent
                    }
                }
                parts.add(h + ": " + shown);
            }
        }
        return parts.isEmpty() ? "LaunchDarkly sent no rate-limit headers" : "LaunchDarkly says " + String.join(", ",
                parts);
    }
}
