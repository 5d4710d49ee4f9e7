package dev.releaseconsole.services.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A real Prometheus (the {@code prometheus} binary, Debian package 2.42) for tests: on a free loopback port, with
 * its own temporary storage, scraping the given targets every second, with {@code --web.enable-lifecycle}.
 * {@link #stop()} and {@link #start()} stop and restart it mid-test on the same port and storage (the TSDB keeps
 * what it had). When the binary is missing, {@link Builder#start()} throws with the command that installs it: the
 * test fails, it is never skipped.
 *
 * <pre>{@code
 * try (TestExporter exporter = TestExporter.start();
 *      PrometheusServer prom = PrometheusServer.builder().scrape(exporter).start()) {
 *     prom.awaitSeries("http_requests_total", Duration.ofSeconds(20));
 *     URI url = prom.url();   // http://127.0.0.1:PORT
 * }
 * }</pre>
 * Optional: {@code .webConfig(yaml)} for TLS or basic auth (Prometheus's --web.config.file), {@code .scrapeInterval},
 * {@code .extraArgs}. One server per test class keeps the suite fast (start-up is well under a second; the first
 * sample is there a few seconds later).
 */
public final class PrometheusServer implements AutoCloseable {
    /** The binary: {@code $PROMETHEUS_BIN} or {@code prometheus} on the PATH. */
    public static final String INSTALL_HINT = "install it with `apt-get install prometheus` (Debian/Ubuntu; the tests "
            + "use 2.42), or set PROMETHEUS_BIN to the binary";
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
                "prometheus-test-cleanup"));
    }

    private final Path binary;
    private final Path dir;
    private final boolean ownsDir;
    private final int port;
    private final boolean tls;
    private final List<String> args;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;
    private int starts;

    private PrometheusServer(Builder b, Path binary) throws IOException {
        this.binary = binary;
        this.ownsDir = b.dir == null;
        this.dir = b.dir == null ? Files.createTempDirectory("prometheus-test-") : b.dir;
        this.port = freePort();
        this.tls = b.webConfig != null && b.webConfig.contains("tls_server_config");
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, config(b));
        List<String> a = new ArrayList<>(List.of(
                binary.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--storage.tsdb.retention.time=1h",
                "--web.listen-address=127.0.0.1:" + port,
                "--web.enable-lifecycle",
                "--log.level=info"));
        if (b.webConfig != null) {
            Path web = dir.resolve("web.yml");
            Files.writeString(web, b.webConfig);
            a.add("--web.config.file=" + web);
        }
        a.addAll(b.extraArgs);
        this.args = List.copyOf(a);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The base URL: {@code http://127.0.0.1:PORT} (https with a TLS web config). */
    public URI url() {
        return URI.create((tls ? "https" : "http") + "://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    /** Where its configuration, storage and log are. */
    public Path dir() {
        return dir;
    }

    public Path logFile() {
        return dir.resolve("prometheus.log");
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** (Re)starts the process on the same port and storage and waits until it serves requests. */
    public synchronized void start() {
        if (isRunning()) {
            return;
        }
        try {
            ProcessBuilder pb = new ProcessBuilder(args).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()));
            process = pb.start();
            LIVE.add(process);
            starts++;
            awaitReady(Duration.ofSeconds(30));
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + binary + ": " + e.getMessage(), e);
        }
    }

    /** Stops the process (SIGTERM, then SIGKILL after 10 s): its port refuses connections until {@link #start()}. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(java.util.concurrent.TimeUnit.SECONDS.toMillis(10),
                    java.util.concurrent.TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        LIVE.remove(process);
        process = null;
    }

    /** Re-reads the configuration ({@code POST /-/reload}; plain HTTP servers only). */
    public void reload() {
        send(HttpRequest.newBuilder(url().resolve("/-/reload")).POST(HttpRequest.BodyPublishers.noBody()));
    }

    /**
     * Waits until the instant query {@code promql} returns at least one series (plain HTTP servers only): the
     * scrapes have landed. Fails with the log's tail after {@code timeout}.
     */
    public void awaitSeries(String promql, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            last = query(promql);
            if (last.contains("\"result\":[{")) {
                return;
            }
            sleep(250);
        }
        throw new AssertionError("Prometheus had no series for " + promql + " within " + timeout + "; last answer: "
                + last + "\n" + logTail());
    }

    /** The raw JSON of an instant query, for assertions that want Prometheus's own words. */
    public String query(String promql) {
        String q = "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8);
        return send(HttpRequest.newBuilder(url().resolve(q)).GET());
    }

    private String send(HttpRequest.Builder rb) {
        try {
            return http.send(rb.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "(" + e + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        }
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("prometheus exited with " + process.exitValue() + " at start-up:\n"
                        + logTail());
            }
            if (readyLines() >= starts) {
                return;
            }
            sleep(50);
        }
        throw new IllegalStateException("prometheus did not become ready within " + timeout + ":\n" + logTail());
    }

    /** How many times the log says "ready to receive web requests" (once per start). */
    private long readyLines() {
        try (Stream<String> lines = Files.lines(logFile())) {
            return lines.filter(l -> l.contains("Server is ready to receive web requests")).count();
        } catch (IOException e) {
            return 0;
        }
    }

    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        stop();
        if (ownsDir) {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp dir left behind is not worth failing a test for
            }
        }
    }

    private static String config(Builder b) {
        long ms = b.scrapeInterval.toMillis();
        StringBuilder sb = new StringBuilder();
        sb.append("global:\n  scrape_interval: ").append(ms).append("ms\n  scrape_timeout: ").append(ms)
                .append("ms\n  evaluation_interval: ").append(ms).append("ms\nscrape_configs:\n");
        for (String[] t : b.targets) {
            sb.append("  - job_name: ").append(t[0]).append("\n    static_configs:\n      - targets: ['")
                    .append(t[1]).append("']\n");
        }
        return sb.toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The binary, or an exception that says how to install it. */
    public static Path binary() {
        String env = System.getenv("PROMETHEUS_BIN");
        if (env != null && !env.isBlank()) {
            Path p = Path.of(env);
            if (Files.isExecutable(p)) {
                return p;
            }
            throw new IllegalStateException("PROMETHEUS_BIN=" + env + " is not an executable file; " + INSTALL_HINT);
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String d : path.split(java.io.File.pathSeparator)) {
            Path p = Path.of(d, "prometheus");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw new IllegalStateException("the prometheus binary is not on the PATH; " + INSTALL_HINT);
    }

    /** How to start one. */
    public static final class Builder {
        private Duration scrapeInterval = Duration.ofSeconds(1);
        private final List<String[]> targets = new ArrayList<>();
        private String webConfig;
        private final List<String> extraArgs = new ArrayList<>();
        private Path dir;

        private Builder() {
        }

        /** Scrapes {@code hostPort} (e.g. 127.0.0.1:8080, path /metrics) as job {@code job}. */
        public Builder scrape(String job, String hostPort) {
            targets.add(new String[]{job, hostPort});
            return this;
        }

        /** Scrapes the exporter as job "exporter". */
        public Builder scrape(TestExporter exporter) {
            return scrape("exporter", exporter.hostPort());
        }

        public Builder scrapeInterval(Duration d) {
            scrapeInterval = d;
            return this;
        }

        /** Prometheus's web configuration file (TLS, basic auth), as YAML. */
        public Builder webConfig(String yaml) {
            webConfig = yaml;
            return this;
        }

        public Builder extraArgs(String... a) {
            extraArgs.addAll(List.of(a));
            return this;
        }

        /** Keep configuration, storage and log in {@code d} instead of a temporary directory deleted on close. */
        public Builder dir(Path d) {
            dir = d;
            return this;
        }

        /** Starts it and waits until it is ready; throws when the binary is missing or it does not start. */
        public PrometheusServer start() {
            Path bin = binary();
            try {
                PrometheusServer s = new PrometheusServer(this, bin);
                s.start();
                return s;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
