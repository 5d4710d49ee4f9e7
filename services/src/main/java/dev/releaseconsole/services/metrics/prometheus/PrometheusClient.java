package dev.releaseconsole.services.metrics.prometheus;

import dev.releaseconsole.services.governance.Secrets;
import dev.releaseconsole.services.metrics.Cancellation;
import dev.releaseconsole.services.metrics.MetricsException;
import dev.releaseconsole.services.metrics.MetricsException.Kind;
import okhttp3.Call;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Locale;

/**
 * The Prometheus HTTP query API ({@code /api/v1/query} and {@code /api/v1/query_range}) on OkHttp, the HTTP stack
 * fabric8 already brings. Queries are POSTed as forms (long PromQL does not hit URL limits) with Prometheus's own
 * {@code timeout} set to the read timeout, so a heavy query ends on the server with its message instead of hanging.
 *
 * <p>Every failure is a {@link MetricsException} that names the server, quotes Prometheus's {@code errorType} and
 * {@code error} where it sent them, and says what to do; none carries a credential. Calls block: run them on a
 * background thread, and cancel them through the {@link Cancellation} handed in.
 */
public final class PrometheusClient {
    private static final Logger LOG = LoggerFactory.getLogger(PrometheusClient.class);
    /** One connection pool and dispatcher for every Prometheus endpoint; each endpoint derives its own settings. */
    private static final OkHttpClient SHARED = new OkHttpClient.Builder().build();

    private final PrometheusEndpoint endpoint;
    private final OkHttpClient http;
    private final HttpUrl base;
    private final String where;
    private final java.util.concurrent.atomic.AtomicLong requests = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong failures = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong bytesRead = new java.util.concurrent.atomic.AtomicLong();

    /** Builds the client; a CA file that cannot be read or holds no certificate is a CONFIG error. */
    public PrometheusClient(PrometheusEndpoint endpoint) throws MetricsException {
        this.endpoint = endpoint;
        HttpUrl parsed = HttpUrl.get(endpoint.url().toString());
        this.base = parsed.newBuilder().encodedPath(parsed.encodedPath().endsWith("/") ? parsed.encodedPath()
                : parsed.encodedPath() + "/").build();
        this.where = "Prometheus at " + endpoint.url();
        OkHttpClient.Builder b = SHARED.newBuilder()
                .connectTimeout(endpoint.connectTimeout())
                .readTimeout(endpoint.readTimeout())
                .writeTimeout(endpoint.readTimeout())
                // the whole call, including a slow body: a little above Prometheus's own query timeout
                .callTimeout(endpoint.readTimeout().plus(endpoint.connectTimeout()).plusSeconds(5))
                .retryOnConnectionFailure(true)
                .followRedirects(false);
        if (endpoint.caFile() != null) {
            X509TrustManager tm = trustManager(endpoint.caFile());
            try {
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(null, new TrustManager[]{tm}, null);
                b.sslSocketFactory(ctx.getSocketFactory(), tm);
            } catch (GeneralSecurityException e) {
                throw new MetricsException(Kind.CONFIG, "cannot set up TLS with the CA file " + endpoint.caFile(),
                        null, e.getMessage(), null, e);
            }
        }
        if (endpoint.url().getScheme().equalsIgnoreCase("http") && endpoint.auth() != PrometheusAuth.NONE
                && !isLoopback(endpoint.url().getHost())) {
            LOG.warn("{}: credentials ({}) will be sent over plain HTTP; use https", where, endpoint.auth());
        }
        this.http = b.build();
    }

    public PrometheusEndpoint endpoint() {
        return endpoint;
    }

    /** What this client has done so far: requests sent, failed ones, answer bytes read (for figures and logs). */
    public record Stats(long requests, long failures, long bytes) {
    }

    public Stats stats() {
        return new Stats(requests.get(), failures.get(), bytesRead.get());
    }

    /** An instant query evaluated at {@code time}. */
    public PromResult query(String promql, Instant time, Cancellation cancellation) throws MetricsException {
        FormBody form = new FormBody.Builder()
                .add("query", promql)
                .add("time", seconds(time))
                .add("timeout", timeoutParam())
                .build();
        return send("api/v1/query", form, cancellation);
    }

    /** A range query: samples at start, start + step, ... up to end. */
    public PromResult queryRange(String promql, Instant start, Instant end, Duration step,
                                 Cancellation cancellation) throws MetricsException {
        if (step.isNegative() || step.isZero()) {
            throw new IllegalArgumentException("step must be positive: " + step);
        }
        FormBody form = new FormBody.Builder()
                .add("query", promql)
                .add("start", seconds(start))
                .add("end", seconds(end))
                .add("step", seconds(step.toMillis()))
                .add("timeout", timeoutParam())
                .build();
        return send("api/v1/query_range", form, cancellation);
    }

    private PromResult send(String path, FormBody form, Cancellation cancellation) throws MetricsException {
        if (cancellation.isCancelled()) {
            throw cancelled();
        }
        requests.incrementAndGet();
        try {
            PromResult r = exchange(path, form, cancellation);
            bytesRead.addAndGet(r.bytes());
            return r;
        } catch (MetricsException e) {
            failures.incrementAndGet();
            throw e;
        }
    }

    private PromResult exchange(String path, FormBody form, Cancellation cancellation) throws MetricsException {
        Request.Builder rb = new Request.Builder().url(base.resolve(path)).post(form)
                .header("Accept", "application/json");
        String authorization = endpoint.auth().authorization();
        if (authorization != null) {
            rb.header("Authorization", authorization);
        }
        Call call = http.newCall(rb.build());
        long started = System.nanoTime();
        try (Cancellation.Registration ignored = cancellation.onCancel(call::cancel);
             Response response = call.execute()) {
            ResponseBody body = response.body();
            int code = response.code();
            if (code == 401 || code == 403) {
                throw new MetricsException(Kind.AUTH, where + " refused the request (" + code + " "
                        + (code == 401 ? "Unauthorized" : "Forbidden") + ")", null, snippet(body), code == 401
                        ? "check the credential (" + endpoint.auth() + ")"
                        : "the credential (" + endpoint.auth() + ") may not read this Prometheus", null);
            }
            if (code >= 300 && code < 400) {
                throw new MetricsException(Kind.CONFIG, where + " redirects to "
                        + Secrets.redact(String.valueOf(response.header("Location"))) + " (" + code + ")", null, null,
                        "put the final address into the configuration's url", null);
            }
            PromResponseParser.Envelope env;
            boolean json = isJson(response);
            if (!json && code >= 400) {
                throw httpError(code, null, snippet(body));
            }
            try (InputStream in = body.byteStream()) {
                env = new PromResponseParser(endpoint.limits()).parse(in);
            } catch (PromResponseParser.Malformed e) {
                if (code >= 400) {
                    throw httpError(code, null, null);
                }
                throw new MetricsException(Kind.QUERY, where + " sent an answer the console cannot read", null,
                        e.getMessage(), "is the URL a Prometheus (or compatible) query API?", e);
            }
            if (!env.success()) {
                throw httpError(code, env.errorType(), env.error());
            }
            if (LOG.isDebugEnabled()) {
                LOG.debug("{} {}: {} series, {} samples, {} bytes in {} ms", where, path, env.result().series().size(),
                        env.result().points(), env.result().bytes(), (System.nanoTime() - started) / 1_000_000);
            }
            return env.result();
        } catch (PromResponseParser.TooLarge e) {
            call.cancel();
            throw new MetricsException(Kind.TOO_LARGE, where + " answered with " + e.getMessage()
                    + ", more than the console accepts for one query", null, null,
                    "aggregate the query by the track label (sum by (...)) or shorten the range", e);
        } catch (IOException e) {
            if (cancellation.isCancelled()) {
                throw cancelled();
            }
            throw networkError(e);
        }
    }

    private MetricsException httpError(int code, String errorType, String error) {
        String summary = where + " answered " + code;
        String hint;
        Kind kind;
        String type = errorType == null ? "" : errorType;
        switch (type) {
            case "bad_data" -> {
                kind = Kind.QUERY;
                hint = "fix the metric's PromQL in the configuration (or the AnalysisTemplate)";
            }
            case "execution" -> {
                kind = Kind.QUERY;
                hint = "the query parsed but failed while running; check its label matching and aggregation";
            }
            case "timeout" -> {
                kind = Kind.QUERY;
                hint = "the query took longer than " + timeoutParam() + "; shorten the range, simplify the query "
                        + "or raise readTimeout";
            }
            case "canceled" -> {
                kind = Kind.UNAVAILABLE;
                hint = "Prometheus cancelled the query (it may be shutting down or overloaded); it is retried";
            }
            case "not_found" -> {
                kind = Kind.CONFIG;
                hint = "check the URL's path";
            }
            default -> {
                if (code == 404) {
                    kind = Kind.CONFIG;
                    hint = "there is no query API at this URL; check its path (e.g. a /prometheus prefix)";
                } else if (code == 429 || code >= 500) {
                    kind = Kind.UNAVAILABLE;
                    hint = code == 429 ? "it is rate-limiting the console; it is retried shortly"
                            : "it is not able to answer right now; it is retried";
                } else {
                    kind = Kind.QUERY;
                    hint = null;
                }
            }
        }
        return new MetricsException(kind, summary, errorType, error == null ? null : Secrets.redact(error), hint,
                null);
    }

    private MetricsException networkError(IOException e) {
        Throwable root = e;
        for (Throwable t = e; t != null; t = t.getCause()) {
            root = t;
            if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof SSLException
                    || t instanceof SocketTimeoutException || t instanceof NoRouteToHostException) {
                break;
            }
        }
        String msg = root.getMessage() == null ? "" : root.getMessage();
        if (root instanceof UnknownHostException) {
            return new MetricsException(Kind.UNAVAILABLE, "cannot resolve the host of " + where, null, null,
                    "check the URL", e);
        }
        if (root instanceof ConnectException || root instanceof NoRouteToHostException) {
            return new MetricsException(Kind.UNAVAILABLE, "cannot connect to " + where + " (connection refused)",
                    null, null, "is Prometheus running, and is the URL right? The console keeps retrying", e);
        }
        if (root instanceof SSLHandshakeException || root instanceof SSLPeerUnverifiedException) {
            return new MetricsException(Kind.UNAVAILABLE, "TLS with " + where + " failed", null,
                    Secrets.redact(msg), endpoint.caFile() == null
                    ? "if it uses a private CA, set caFile to that CA's certificate (PEM)"
                    : "check that " + endpoint.caFile() + " holds the CA that signed its certificate and that the"
                    + " URL's host name is in that certificate", e);
        }
        if (root instanceof SocketTimeoutException || msg.toLowerCase(Locale.ROOT).contains("timeout")) {
            boolean connect = msg.toLowerCase(Locale.ROOT).contains("connect");
            Duration limit = connect ? endpoint.connectTimeout() : endpoint.readTimeout();
            return new MetricsException(Kind.UNAVAILABLE, where + " did not " + (connect ? "accept the connection"
                    : "answer") + " within " + limit.toMillis() / 1000.0 + " s", null, null,
                    connect ? "is the host reachable from here?" : "it may be overloaded; shorten the range or "
                    + "raise readTimeout", e);
        }
        return new MetricsException(Kind.UNAVAILABLE, "the connection to " + where + " failed", null,
                root.getClass().getSimpleName() + (msg.isEmpty() ? "" : ": " + Secrets.redact(msg)),
                "the console keeps retrying", e);
    }

    private MetricsException cancelled() {
        return new MetricsException(Kind.CANCELLED, "query to " + where + " cancelled", null, null, null, null);
    }

    private static boolean isJson(Response r) {
        String type = r.header("Content-Type");
        return type == null || type.toLowerCase(Locale.ROOT).contains("json");
    }

    /** The start of a non-JSON body (a proxy's error page), tags stripped, for the message. */
    private static String snippet(ResponseBody body) {
        try {
            okio.BufferedSource src = body.source();
            src.request(400);
            byte[] bytes = src.getBuffer().readByteArray(Math.min(400, src.getBuffer().size()));
            String s = new String(bytes, StandardCharsets.UTF_8).replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ")
                    .strip();
            return s.isEmpty() ? null : Secrets.redact(s);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private String timeoutParam() {
        return Math.max(1, endpoint.readTimeout().toSeconds()) + "s";
    }

    static String seconds(Instant t) {
        return seconds(t.toEpochMilli());
    }

    /** Milliseconds as seconds with three decimals, as the API accepts them. */
    static String seconds(long millis) {
        long s = Math.floorDiv(millis, 1000);
        long ms = Math.floorMod(millis, 1000);
        return ms == 0 ? Long.toString(s) : String.format(Locale.ROOT, "%d.%03d", s, ms);
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1");
    }

    private static X509TrustManager trustManager(Path caFile) throws MetricsException {
        try (InputStream in = Files.newInputStream(caFile)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new MetricsException(Kind.CONFIG, "the CA file " + caFile + " holds no certificate", null, null,
                        "it should be PEM (-----BEGIN CERTIFICATE-----)", null);
            }
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate c : certs) {
                ks.setCertificateEntry("ca-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    return x;
                }
            }
            throw new MetricsException(Kind.CONFIG, "no X.509 trust manager for " + caFile, null, null, null, null);
        } catch (IOException e) {
            throw new MetricsException(Kind.CONFIG, "cannot read the CA file " + caFile, null,
                    e.getClass().getSimpleName(), "check the path in the configuration", e);
        } catch (GeneralSecurityException e) {
            throw new MetricsException(Kind.CONFIG, "the CA file " + caFile + " is not a PEM certificate", null,
                    e.getMessage(), null, e);
        }
    }
}
