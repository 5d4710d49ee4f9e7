package dev.releaseconsole.services.flags.unleash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.releaseconsole.services.actions.ActionException;
import dev.releaseconsole.services.actions.ActionException.Reason;
import dev.releaseconsole.services.governance.SecretException;
import dev.releaseconsole.services.governance.SecretSource;
import dev.releaseconsole.services.governance.Secrets;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Unleash's admin API on OkHttp: sends one request with the token, waits out a short Retry-After, re-reads the token
 * once after a 401 (it may have been rotated), and turns every failure into an {@link ActionException} that carries
 * Unleash's own message, says what to do, and never the token.
 */
final class UnleashHttp implements AutoCloseable {
    /** Larger answers are refused rather than read into memory. */
    static final long MAX_BODY_BYTES = 32L << 20;
    private static final MediaType JSON = MediaType.get("application/json");
    private static final int MAX_ATTEMPTS = 3;

    private final String providerId;
    private final String baseUrl;
    private final SecretSource tokenSource;
    private final OkHttpClient client;
    private final Duration maxRetryWait;
    private final Duration readTimeout;
    private final ObjectMapper json = new ObjectMapper();
    private volatile String token;

    UnleashHttp(UnleashSettings settings) {
        this.providerId = settings.id();
        this.baseUrl = settings.baseUrl();
        this.tokenSource = settings.token();
        this.maxRetryWait = settings.maxRetryWait();
        this.readTimeout = settings.readTimeout();
        this.client = new OkHttpClient.Builder()
                .connectTimeout(settings.connectTimeout())
                .readTimeout(settings.readTimeout())
                .writeTimeout(settings.readTimeout())
                .callTimeout(settings.connectTimeout().plus(settings.readTimeout()).plusSeconds(2))
                .followRedirects(false)
                .build();
    }

    ObjectMapper json() {
        return json;
    }

    String baseUrl() {
        return baseUrl;
    }

    JsonNode get(String path, String what) throws ActionException {
        return call("GET", path, null, what);
    }

    /** POST, PATCH, PUT with a JSON body (or none); returns the parsed answer, or null when it had no body. */
    JsonNode send(String method, String path, String jsonBody, String what) throws ActionException {
        return call(method, path, jsonBody, what);
    }

    private JsonNode call(String method, String path, String jsonBody, String what) throws ActionException {
        HttpUrl url = HttpUrl.parse(baseUrl + path);
        if (url == null) {
            throw new ActionException(Reason.INVALID, mask("Unleash provider " + providerId + ": '" + baseUrl + path
                    + "' is not a valid URL; check the provider's url"));
        }
        boolean reReadToken = false;
        for (int attempt = 1; ; attempt++) {
            String secret = token(reReadToken);
            RequestBody body = jsonBody == null ? (method.equals("GET") ? null : RequestBody.create(new byte[0],
                    JSON)) : RequestBody.create(jsonBody.getBytes(StandardCharsets.UTF_8), JSON);
            Request request = new Request.Builder().url(url).header("Authorization", secret)
                    .header("Accept", "application/json").method(method, body).build();
            try (Response response = client.newCall(request).execute()) {
                int code = response.code();
                String text = readBody(response.body(), what);
                if (code >= 200 && code < 300) {
                    return parse(text, what);
                }
                Duration retryAfter = retryAfter(response.header("Retry-After"));
                if ((code == 429 || code == 503) && retryAfter != null && retryAfter.compareTo(maxRetryWait) <= 0
                        && attempt < MAX_ATTEMPTS) {
                    sleep(retryAfter, what);
                    continue;
                }
                if (code == 401 && !reReadToken) {
                    String before = secret;
                    reReadToken = true;
                    if (!before.equals(token(true))) {
                        continue; // the token was rotated in its source: try once with the new one
                    }
                }
                throw httpFailure(method, what, code, serverMessage(text), retryAfter);
            } catch (IOException e) {
                throw ioFailure(method, what, e);
            }
        }
    }

    private String token(boolean reRead) throws ActionException {
        String t = token;
        if (t == null || reRead) {
            try {
                t = tokenSource.resolve();
            } catch (SecretException e) {
                throw new ActionException(Reason.DENIED, "Unleash provider " + providerId + " has no API token: "
                        + e.getMessage());
            }
            token = t;
        }
        return t;
    }

    private String readBody(ResponseBody body, String what) throws IOException, ActionException {
        if (body == null) {
            return "";
        }
        long declared = body.contentLength();
        if (declared > MAX_BODY_BYTES) {
            throw tooLarge(what, declared);
        }
        BufferedSource source = body.source();
        if (!source.request(MAX_BODY_BYTES + 1)) {
            return source.readUtf8();
        }
        throw tooLarge(what, -1);
    }

    private ActionException tooLarge(String what, long bytes) {
        return new ActionException(Reason.INVALID, mask("Unleash at " + baseUrl + " answered " + what + " with "
                + (bytes > 0 ? bytes + " bytes" : "more than " + (MAX_BODY_BYTES >> 20) + " MiB")
                + ", more than the console reads (" + (MAX_BODY_BYTES >> 20) + " MiB); list fewer projects"));
    }

    private JsonNode parse(String text, String what) throws ActionException {
        if (text.isBlank()) {
            return null;
        }
        try {
            return json.readTree(text);
        } catch (IOException e) {
            throw new ActionException(Reason.UNKNOWN, mask("Unleash at " + baseUrl + " answered " + what
                    + " with something that is not JSON (" + snippet(text) + "); check that the provider's url is "
                    + "the Unleash server itself and not a login page or proxy"));
        }
    }

    private ActionException httpFailure(String method, String what, int code, String server, Duration retryAfter) {
        boolean write = !method.equals("GET");
        String says = server.isEmpty() ? "" : ": " + server;
        Reason reason;
        String msg;
        switch (code) {
            case 401:
                reason = Reason.DENIED;
                msg = "Unleash at " + baseUrl + " rejected the API token from " + tokenSource.describe()
                        + " (401 Unauthorized" + says + "). The token is wrong, expired or has been revoked: create "
                        + "an admin API token (Admin settings > API access) or a personal access token, and put it "
                        + "in " + tokenSource.describe() + ".";
                break;
            case 403:
                reason = Reason.DENIED;
                msg = server.contains("token type")
                        ? "Unleash at " + baseUrl + " refused " + what + " (403 Forbidden" + says + "). The token "
                        + "from " + tokenSource.describe() + " is a client/backend or frontend token, which cannot "
                        + "use the admin API: use an admin API token or a personal access token."
                        : "Unleash at " + baseUrl + " refused " + what + " (403 Forbidden" + says + "). The token "
                        + "from " + tokenSource.describe() + " may not do this: use a token whose user has the "
                        + "permission in this project and environment.";
                break;
            case 404:
                reason = Reason.NOT_FOUND;
                msg = "Unleash at " + baseUrl + " found nothing for " + what + " (404 Not Found" + says + ")"
                        + (server.contains("path you were looking for") ? "; check the provider's url and project, "
                        + "and that this Unleash version has this API" : "");
                break;
            case 409:
                reason = Reason.CONFLICT;
                msg = "Unleash at " + baseUrl + " refused " + what + " because of a conflicting change (409 Conflict"
                        + says + "); reload and try again";
                break;
            case 429:
                reason = Reason.RATE_LIMITED;
                msg = "Unleash at " + baseUrl + " is rate-limiting the console (429 Too Many Requests" + says
                        + ") for " + what + "; " + (retryAfter == null ? "try again shortly"
                        : "it asks to wait " + retryAfter.toSeconds() + " s before retrying");
                break;
            case 400:
            case 422:
                reason = Reason.INVALID;
                msg = "Unleash at " + baseUrl + " rejected " + what + " as invalid (" + code + says + ")";
                break;
            default:
                if (code >= 500) {
                    reason = Reason.UNAVAILABLE;
                    msg = "Unleash at " + baseUrl + " failed " + what + " with a server error (" + code + says + ")"
                            + (write ? "; the change may or may not have been applied: the console reads the flag "
                            + "back before reporting it" : "; check the Unleash server and its database");
                } else {
                    reason = Reason.UNKNOWN;
                    msg = "Unleash at " + baseUrl + " answered " + what + " with HTTP " + code + says;
                }
        }
        return new ActionException(reason, mask(msg), null, code, retryAfter);
    }

    private ActionException ioFailure(String method, String what, IOException e) {
        boolean write = !method.equals("GET");
        if (isTimeout(e)) {
            return new ActionException(Reason.TIMEOUT, mask("Unleash at " + baseUrl + " did not answer " + what
                    + " within " + readTimeout.toSeconds() + " s" + (write ? "; the change may or may not have been "
                    + "applied: the console reads the flag back before reporting it" : "; check the server and the "
                    + "network")), e);
        }
        String why;
        if (find(e, UnknownHostException.class) != null) {
            why = "cannot resolve the host of " + baseUrl + " (DNS): check the provider's url and your VPN";
        } else if (find(e, ConnectException.class) != null) {
            why = "cannot connect to Unleash at " + baseUrl + ": connection refused. Check that Unleash is running "
                    + "and the url is right";
        } else if (find(e, NoRouteToHostException.class) != null) {
            why = "no route to Unleash at " + baseUrl + ": check your network or VPN";
        } else if (find(e, SSLException.class) != null) {
            why = "TLS with Unleash at " + baseUrl + " failed (" + e.getMessage() + "): check the certificate";
        } else {
            why = "the connection to Unleash at " + baseUrl + " failed during " + what + " ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")"
                    + (write ? "; the change may or may not have been applied" : "");
        }
        return new ActionException(Reason.UNAVAILABLE, mask(why), e);
    }

    /** Unleash's own message: {@code message}, plus the first differing {@code details[].message}. */
    private String serverMessage(String text) {
        if (text == null || text.isBlank()) {
            return "";
        }
        try {
            JsonNode node = json.readTree(text);
            String message = node.path("message").asText("");
            JsonNode details = node.path("details");
            if (details.isArray()) {
                for (JsonNode d : details) {
                    String m = d.path("message").asText("");
                    if (!m.isEmpty() && !m.equals(message)) {
                        message = message.isEmpty() ? m : message + " " + m;
                        break;
                    }
                }
            }
            return message.isEmpty() ? snippet(text) : shorten(message);
        } catch (IOException e) {
            return snippet(text);
        }
    }

    private static String snippet(String text) {
        return shorten(text.strip().replaceAll("\\s+", " "));
    }

    private static String shorten(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    /** Seconds or an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String h = header.strip();
        try {
            long seconds = Long.parseLong(h);
            return Duration.ofSeconds(Math.max(0, seconds));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
                return d.isNegative() ? Duration.ZERO : d;
            } catch (RuntimeException notDate) {
                return null;
            }
        }
    }

    private void sleep(Duration d, String what) throws ActionException {
        try {
            Thread.sleep(Math.max(1, d.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ActionException(Reason.UNKNOWN, "interrupted while waiting to retry " + what);
        }
    }

    /** Masks the token itself as well as anything shaped like a credential. */
    String mask(String text) {
        String t = token;
        String out = t == null || t.length() < 4 ? text : text.replace(t, "***");
        return Secrets.redact(out);
    }

    private static boolean isTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException) {
                return true;
            }
            if (t instanceof InterruptedIOException && t.getMessage() != null
                    && t.getMessage().toLowerCase(Locale.ROOT).contains("timeout")) {
                return true;
            }
        }
        return false;
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    @Override
    public void close() {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }
}
