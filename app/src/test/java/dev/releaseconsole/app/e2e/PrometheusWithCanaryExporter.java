package dev.releaseconsole.app.e2e;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus ({@code prometheus} on the PATH, Debian's package) on a free loopback port with its storage in
 * a temporary directory, scraping every second a small exporter in this JVM that serves request counters for a
 * canary and its stable baseline. The canary's share of 5xx answers is 1% until {@link #regress(boolean)} makes it
 * 30%. Fails with a message saying what to install when Prometheus is missing.
 *
 * <p>Series: {@code e2e_http_requests_total{app, track="canary"|"stable", code="200"|"500"}}, 100 requests a second
 * per track, counted from the time between scrapes.
 */
final class PrometheusWithCanaryExporter implements AutoCloseable {
    private static final double HEALTHY_ERROR_RATIO = 0.01;
    private static final double REGRESSED_ERROR_RATIO = 0.30;
    private static final double REQUESTS_PER_SECOND = 100;
    /** The sample value of an instant query's first result: "value":[1700000000.123,"0.01"]. */
    private static final java.util.regex.Pattern VALUE = java.util.regex.Pattern.compile("\"value\":\\[[^,]+,\"([^\"]+)\"\\]");

    private final HttpServer exporter;
    private final Process prometheus;
    private final String url;
    private final Path log;
    private final String app;
    private volatile boolean regressed;
    private long lastScrapeNanos = System.nanoTime();
    private double canaryOk;
    private double canaryErrors;
    private double stableOk;
    private double stableErrors;

    private PrometheusWithCanaryExporter(String app, Path dir) throws IOException {
        this.app = app;
        String binary = onPath("prometheus");
        exporter = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        exporter.createContext("/metrics", exchange -> {
            byte[] body = scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        exporter.start();
        int port = freePort();
        url = "http://127.0.0.1:" + port;
        Files.createDirectories(dir);
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, "global: {scrape_interval: 1s, evaluation_interval: 1s}\n"
                + "scrape_configs:\n- job_name: e2e\n  static_configs: [{targets: ['127.0.0.1:"
                + exporter.getAddress().getPort() + "']}]\n");
        log = dir.resolve("prometheus.log");
        prometheus = new ProcessBuilder(binary, "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port, "--storage.tsdb.retention.time=1h")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Starts both and waits until Prometheus answers the canary's error ratio with a number. */
    static PrometheusWithCanaryExporter start(String app, Path dir) throws IOException, InterruptedException {
        PrometheusWithCanaryExporter p = new PrometheusWithCanaryExporter(app, dir);
        try {
            p.awaitErrorRatio(ratio -> true, Duration.ofSeconds(60));
        } catch (RuntimeException | Error e) {
            p.close();
            throw e;
        }
        return p;
    }

    String url() {
        return url;
    }

    void regress(boolean on) {
        regressed = on;
    }

    /** The PromQL an AnalysisTemplate uses: the canary's share of 5xx answers over the last 10 seconds. */
    String errorRatioQuery() {
        return "sum(rate(e2e_http_requests_total{app=\"" + app + "\",track=\"canary\",code=~\"5..\"}[10s]))"
                + " / sum(rate(e2e_http_requests_total{app=\"" + app + "\",track=\"canary\"}[10s]))";
    }

    /**
     * Waits until Prometheus answers the error ratio query with a value matching {@code expected} (after a
     * {@link #regress} the 10 s window needs a few scrapes to move).
     */
    void awaitErrorRatio(java.util.function.DoublePredicate expected, Duration deadline) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI query = URI.create(url + "/api/v1/query?query=" + URLEncoder.encode(errorRatioQuery(), StandardCharsets.UTF_8));
        long end = System.nanoTime() + deadline.toNanos();
        String last = "no answer";
        while (System.nanoTime() < end) {
            if (!prometheus.isAlive()) {
                throw new IllegalStateException("prometheus exited with " + prometheus.exitValue() + ": " + logTail());
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(query).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                last = r.statusCode() + " " + r.body();
                java.util.regex.Matcher value = VALUE.matcher(r.body());
                if (r.statusCode() == 200 && value.find() && expected.test(Double.parseDouble(value.group(1)))) {
                    return;
                }
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("Prometheus at " + url + " had no such error ratio after " + deadline.toSeconds()
                + " s; last answer: " + last + "; log: " + logTail());
    }

    private synchronized String scrape() {
        long now = System.nanoTime();
        double requests = REQUESTS_PER_SECOND * (now - lastScrapeNanos) / 1e9;
        lastScrapeNanos = now;
        double canaryRatio = regressed ? REGRESSED_ERROR_RATIO : HEALTHY_ERROR_RATIO;
        canaryErrors += requests * canaryRatio;
        canaryOk += requests * (1 - canaryRatio);
        stableErrors += requests * HEALTHY_ERROR_RATIO;
        stableOk += requests * (1 - HEALTHY_ERROR_RATIO);
        StringBuilder sb = new StringBuilder("# TYPE e2e_http_requests_total counter\n");
        line(sb, "canary", "200", canaryOk);
        line(sb, "canary", "500", canaryErrors);
        line(sb, "stable", "200", stableOk);
        line(sb, "stable", "500", stableErrors);
        return sb.toString();
    }

    private void line(StringBuilder sb, String track, String code, double value) {
        sb.append("e2e_http_requests_total{app=\"").append(app).append("\",track=\"").append(track)
                .append("\",code=\"").append(code).append("\"} ").append(value).append('\n');
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static String onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, command);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new IllegalStateException(command + " is not installed: the canary analysis test needs a real "
                + "Prometheus (Debian: apt-get install prometheus)");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        prometheus.destroy();
        try {
            if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            prometheus.destroyForcibly();
        }
        exporter.stop(0);
    }
}
