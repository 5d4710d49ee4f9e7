package dev.releaseconsole.services.testing;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small HTTP server of the project's own that serves Prometheus text format at {@code /metrics}: simulated
 * traffic of a canary and a baseline, with labels for all three metric presets at once, and a regression that can
 * be injected into the canary while it runs.
 *
 * <p>Per track, every scrape advances simulated traffic by the wall-clock time since the last one: Poisson request
 * counts, Binomial 5xx errors, log-normal latencies (so p95 is what the profile says) and checkout orders. Series:
 * <ul>
 *   <li>app metrics, labelled as Kubernetes service discovery labels pods ({@code namespace}, {@code pod},
 *       {@code app} = workload, {@code rollouts_pod_template_hash}): {@code http_requests_total{code}},
 *       {@code http_request_duration_seconds_bucket/_sum/_count}, {@code checkout_orders_total{result}};</li>
 *   <li>Istio: {@code istio_requests_total{reporter="destination", destination_workload_namespace,
 *       destination_workload, response_code}}, {@code istio_request_duration_milliseconds_bucket/_sum/_count};</li>
 *   <li>ingress-nginx: {@code nginx_ingress_controller_requests{namespace, ingress, canary, status}},
 *       {@code nginx_ingress_controller_request_duration_seconds_bucket/_sum/_count} ({@code canary} is non-empty
 *       for the canary's requests);</li>
 *   <li>{@code exporter_special_value{kind="nan"|"pos_inf"|"neg_inf"}}: NaN, +Inf and -Inf gauges.</li>
 * </ul>
 * The canary's workload is the rollout's name and the baseline's {@code name-primary} (Flagger's naming); the hashes
 * are {@link Labels#canaryHash()} and {@link Labels#stableHash()}: set them to a real rollout's with
 * {@link #setLabels}.
 *
 * <pre>{@code
 * try (TestExporter exporter = TestExporter.start()) {          // healthy: both tracks the same
 *     exporter.injectRegression(2.0, 30.0);                       // canary: +2 points error ratio, +30% latency
 *     exporter.clearRegression();
 * }
 * }</pre>
 */
public final class TestExporter implements AutoCloseable {
    /** How one track behaves: requests per second, 5xx ratio (0..1), p95 latency, checkout success ratio (0..1). */
    public record Profile(double requestsPerSecond, double errorRatio, double p95Millis, double checkoutSuccess) {
        /** 40 req/s, 0.5% errors, p95 240 ms, 97% checkout success. */
        public static final Profile HEALTHY = new Profile(40, 0.005, 240, 0.97);
    }

    /** The labels the series carry: where the rollout is, and how its tracks are named. */
    public record Labels(String namespace, String rollout, String canaryHash, String stableHash, String ingress) {
        public static final Labels DEFAULT = new Labels("shop", "checkout", "6d4f8b7c9", "5b9c7d3f1", "checkout");

        public String canaryWorkload() {
            return rollout;
        }

        public String stableWorkload() {
            return rollout + "-primary";
        }
    }

    /** Latency buckets in seconds (the app's and ingress-nginx's histograms; Istio's are the same in ms). */
    static final double[] BUCKETS = {0.01, 0.025, 0.05, 0.075, 0.1, 0.125, 0.15, 0.175, 0.2, 0.225, 0.25, 0.275, 0.3,
            0.325, 0.35, 0.375, 0.4, 0.45, 0.5, 0.6, 0.75, 1, 1.5, 2.5, 5};
    /** Log-normal spread of latencies; p95 = median x exp(1.645 sigma). */
    private static final double SIGMA = 0.3;
    /** Share of requests that are checkouts. */
    private static final double CHECKOUT_SHARE = 0.2;

    private final HttpServer server;
    private final ExecutorService executor;
    private final SplittableRandom random;
    private final AtomicLong scrapes = new AtomicLong();
    private Labels labels = Labels.DEFAULT;
    private Profile baseline;
    private Profile canaryBase;
    private double errorPoints;
    private double latencyPercent;
    private double checkoutPoints;
    private final Track canary = new Track();
    private final Track stable = new Track();
    private long lastNanos = System.nanoTime();

    private TestExporter(Profile baseline, Profile canary, long seed) throws IOException {
        this.baseline = baseline;
        this.canaryBase = canary;
        this.random = new SplittableRandom(seed);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "test-exporter");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/metrics", exchange -> {
            byte[] body = exposition().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
            scrapes.incrementAndGet();
        });
        server.start();
    }

    /** Healthy canary and baseline ({@link Profile#HEALTHY}), seed 42, on a free loopback port. */
    public static TestExporter start() {
        return start(Profile.HEALTHY, Profile.HEALTHY, 42);
    }

    public static TestExporter start(Profile baseline, Profile canary, long seed) {
        try {
            return new TestExporter(baseline, canary, seed);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the test exporter", e);
        }
    }

    /** "127.0.0.1:PORT", a scrape target. */
    public String hostPort() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    public URI metricsUrl() {
        return URI.create("http://" + hostPort() + "/metrics");
    }

    /** How many times /metrics was served. */
    public long scrapes() {
        return scrapes.get();
    }

    public synchronized Labels labels() {
        return labels;
    }

    /** Changes the labels from the next scrape on (new series; counters start again from zero). */
    public synchronized void setLabels(Labels l) {
        advance();
        labels = l;
        canary.reset();
        stable.reset();
    }

    /**
     * From now on the canary is worse than its profile by {@code errorRatioPoints} percentage points of 5xx
     * (2.0: 0.5% becomes 2.5%) and {@code latencyPercent} percent latency (30: p95 240 ms becomes 312 ms).
     */
    public synchronized void injectRegression(double errorRatioPoints, double latencyPercent) {
        injectRegression(errorRatioPoints, latencyPercent, 0);
    }

    /** As {@link #injectRegression(double, double)}, and checkout success lower by {@code checkoutPoints} points. */
    public synchronized void injectRegression(double errorRatioPoints, double latencyPercent, double checkoutPoints) {
        advance();
        this.errorPoints = errorRatioPoints;
        this.latencyPercent = latencyPercent;
        this.checkoutPoints = checkoutPoints;
    }

    public synchronized void clearRegression() {
        injectRegression(0, 0, 0);
    }

    public synchronized void setProfiles(Profile newBaseline, Profile newCanary) {
        advance();
        baseline = newBaseline;
        canaryBase = newCanary;
    }

    /** The canary's profile with the regression applied. */
    public synchronized Profile canaryProfile() {
        return new Profile(canaryBase.requestsPerSecond(),
                Math.min(1, Math.max(0, canaryBase.errorRatio() + errorPoints / 100.0)),
                canaryBase.p95Millis() * (1 + latencyPercent / 100.0),
                Math.min(1, Math.max(0, canaryBase.checkoutSuccess() - checkoutPoints / 100.0)));
    }

    public synchronized Profile baselineProfile() {
        return baseline;
    }

    /** Simulates the traffic since the last call. */
    private void advance() {
        long now = System.nanoTime();
        double seconds = Math.min(600, (now - lastNanos) / 1e9);
        lastNanos = now;
        if (seconds <= 0) {
            return;
        }
        canary.simulate(canaryProfile(), seconds);
        stable.simulate(baseline, seconds);
    }

    synchronized String exposition() {
        advance();
        Labels l = labels;
        StringBuilder sb = new StringBuilder(16_384);
        String[] hash = {l.canaryHash(), l.stableHash()};
        String[] workload = {l.canaryWorkload(), l.stableWorkload()};
        String[] nginxCanary = {l.namespace() + "-" + l.rollout() + "-canary-80", ""};
        Track[] tracks = {canary, stable};

        sb.append("# HELP http_requests_total Requests served by the app.\n# TYPE http_requests_total counter\n");
        for (int i = 0; i < 2; i++) {
            String base = app(l, hash[i], workload[i]);
            sb.append("http_requests_total{").append(base).append(",code=\"200\"} ").append(tracks[i].ok).append('\n');
            sb.append("http_requests_total{").append(base).append(",code=\"500\"} ").append(tracks[i].errors)
                    .append('\n');
        }
        sb.append("# HELP http_request_duration_seconds Request latency.\n")
                .append("# TYPE http_request_duration_seconds histogram\n");
        for (int i = 0; i < 2; i++) {
            histogram(sb, "http_request_duration_seconds", app(l, hash[i], workload[i]), tracks[i], 1);
        }
        sb.append("# HELP checkout_orders_total Checkouts by result.\n# TYPE checkout_orders_total counter\n");
        for (int i = 0; i < 2; i++) {
            String base = app(l, hash[i], workload[i]);
            sb.append("checkout_orders_total{").append(base).append(",result=\"success\"} ")
                    .append(tracks[i].ordersOk).append('\n');
            sb.append("checkout_orders_total{").append(base).append(",result=\"failed\"} ")
                    .append(tracks[i].ordersFailed).append('\n');
        }

        sb.append("# HELP istio_requests_total Istio requests.\n# TYPE istio_requests_total counter\n");
        for (int i = 0; i < 2; i++) {
            String base = istio(l, workload[i]);
            sb.append("istio_requests_total{").append(base).append(",response_code=\"200\"} ").append(tracks[i].ok)
                    .append('\n');
            sb.append("istio_requests_total{").append(base).append(",response_code=\"503\"} ")
                    .append(tracks[i].errors).append('\n');
        }
        sb.append("# HELP istio_request_duration_milliseconds Istio request duration.\n")
                .append("# TYPE istio_request_duration_milliseconds histogram\n");
        for (int i = 0; i < 2; i++) {
            histogram(sb, "istio_request_duration_milliseconds", istio(l, workload[i]), tracks[i], 1000);
        }

        sb.append("# HELP nginx_ingress_controller_requests Ingress requests.\n")
                .append("# TYPE nginx_ingress_controller_requests counter\n");
        for (int i = 0; i < 2; i++) {
            String base = nginx(l, nginxCanary[i]);
            sb.append("nginx_ingress_controller_requests{").append(base).append(",status=\"200\"} ")
                    .append(tracks[i].ok).append('\n');
            sb.append("nginx_ingress_controller_requests{").append(base).append(",status=\"502\"} ")
                    .append(tracks[i].errors).append('\n');
        }
        sb.append("# HELP nginx_ingress_controller_request_duration_seconds Ingress request duration.\n")
                .append("# TYPE nginx_ingress_controller_request_duration_seconds histogram\n");
        for (int i = 0; i < 2; i++) {
            histogram(sb, "nginx_ingress_controller_request_duration_seconds", nginx(l, nginxCanary[i]), tracks[i],
                    1);
        }

        sb.append("# HELP exporter_special_value Non-finite gauges.\n# TYPE exporter_special_value gauge\n")
                .append("exporter_special_value{kind=\"nan\"} NaN\n")
                .append("exporter_special_value{kind=\"pos_inf\"} +Inf\n")
                .append("exporter_special_value{kind=\"neg_inf\"} -Inf\n");
        return sb.toString();
    }

    private static String app(Labels l, String hash, String workload) {
        return "namespace=\"" + l.namespace() + "\",app=\"" + workload + "\",pod=\"" + workload + "-" + hash
                + "-x1\",rollouts_pod_template_hash=\"" + hash + "\"";
    }

    private static String istio(Labels l, String workload) {
        return "reporter=\"destination\",destination_workload_namespace=\"" + l.namespace()
                + "\",destination_workload=\"" + workload + "\"";
    }

    private static String nginx(Labels l, String canary) {
        return "namespace=\"" + l.namespace() + "\",ingress=\"" + l.ingress() + "\",canary=\"" + canary + "\"";
    }

    private static void histogram(StringBuilder sb, String name, String labels, Track t, double scale) {
        for (int b = 0; b < BUCKETS.length; b++) {
            sb.append(name).append("_bucket{").append(labels).append(",le=\"").append(number(BUCKETS[b] * scale))
                    .append("\"} ").append(t.buckets[b]).append('\n');
        }
        long count = t.ok + t.errors;
        sb.append(name).append("_bucket{").append(labels).append(",le=\"+Inf\"} ").append(count).append('\n');
        sb.append(name).append("_sum{").append(labels).append("} ").append(number(t.latencySum * scale)).append('\n');
        sb.append(name).append("_count{").append(labels).append("} ").append(count).append('\n');
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, "%s", v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v)
                : Double.toString(v));
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** Counters of one track (monotonic, as Prometheus expects). */
    private final class Track {
        long ok;
        long errors;
        final long[] buckets = new long[BUCKETS.length];
        double latencySum;
        long ordersOk;
        long ordersFailed;

        void reset() {
            ok = 0;
            errors = 0;
            java.util.Arrays.fill(buckets, 0);
            latencySum = 0;
            ordersOk = 0;
            ordersFailed = 0;
        }

        void simulate(Profile p, double seconds) {
            long n = poisson(p.requestsPerSecond() * seconds);
            long e = binomial(n, p.errorRatio());
            ok += n - e;
            errors += e;
            double median = p.p95Millis() / 1000.0 / Math.exp(1.645 * SIGMA);
            for (long i = 0; i < n; i++) {
                double latency = median * Math.exp(SIGMA * gaussian());
                latencySum += latency;
                for (int b = 0; b < BUCKETS.length; b++) {
                    if (latency <= BUCKETS[b]) {
                        buckets[b]++;
                    }
                }
            }
            long orders = binomial(n, CHECKOUT_SHARE);
            long good = binomial(orders, p.checkoutSuccess());
            ordersOk += good;
            ordersFailed += orders - good;
        }
    }

    private long poisson(double mean) {
        if (mean <= 0) {
            return 0;
        }
        if (mean > 50) {
            return Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian()));
        }
        double limit = Math.exp(-mean);
        double product = random.nextDouble();
        long k = 0;
        while (product > limit) {
            product *= random.nextDouble();
            k++;
        }
        return k;
    }

    private long binomial(long n, double p) {
        if (n <= 0 || p <= 0) {
            return 0;
        }
        if (p >= 1) {
            return n;
        }
        if (n > 200) {
            double mean = n * p;
            double sd = Math.sqrt(n * p * (1 - p));
            return Math.max(0, Math.min(n, Math.round(mean + sd * gaussian())));
        }
        long k = 0;
        for (long i = 0; i < n; i++) {
            if (random.nextDouble() < p) {
                k++;
            }
        }
        return k;
    }

    private double gaussian() {
        // Box-Muller on the seeded generator, so runs with a seed are repeatable
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
