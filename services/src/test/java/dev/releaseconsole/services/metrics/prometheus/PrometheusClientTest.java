package dev.releaseconsole.services.metrics.prometheus;

import dev.releaseconsole.services.metrics.Cancellation;
import dev.releaseconsole.services.metrics.MetricsException;
import dev.releaseconsole.services.metrics.MetricsException.Kind;
import dev.releaseconsole.services.model.MetricPoint;
import dev.releaseconsole.services.testing.PrometheusServer;
import dev.releaseconsole.services.testing.TestExporter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The query API client against a real Prometheus scraping the test exporter every second. */
class PrometheusClientTest {
    private static TestExporter exporter;
    private static PrometheusServer prometheus;
    private static PrometheusClient client;

    @BeforeAll
    static void startPrometheus() throws MetricsException {
        exporter = TestExporter.start();
        prometheus = PrometheusServer.builder().scrape(exporter).start();
        client = new PrometheusClient(PrometheusEndpoint.of(prometheus.url()));
        // ten seconds of history: rates over 5 s windows for the last few seconds
        prometheus.awaitSeries("count_over_time(up[10s]) >= 9", Duration.ofSeconds(40));
    }

    @AfterAll
    static void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (exporter != null) {
            exporter.close();
        }
    }

    @Test
    void anInstantQueryAnswersOneSeriesPerLabelSet() throws MetricsException {
        PromResult r = client.query("sum by (rollouts_pod_template_hash) (http_requests_total)", Instant.now(),
                Cancellation.NONE);
        assertThat(r.resultType()).isEqualTo("vector");
        Map<String, Double> byHash = r.series().stream().collect(Collectors.toMap(
                s -> s.labels().get("rollouts_pod_template_hash"), s -> s.points().get(0).value()));
        assertThat(byHash).containsOnlyKeys(TestExporter.Labels.DEFAULT.canaryHash(),
                TestExporter.Labels.DEFAULT.stableHash());
        assertThat(byHash.values()).allMatch(v -> v > 0);
        assertThat(r.bytes()).isPositive();
    }

    @Test
    void aScalarIsOneSeriesWithoutLabels() throws MetricsException {
        PromResult r = client.query("1 + 1", Instant.now(), Cancellation.NONE);
        assertThat(r.resultType()).isEqualTo("scalar");
        assertThat(r.series()).singleElement().satisfies(s -> {
            assertThat(s.labels()).isEmpty();
            assertThat(s.points()).extracting(MetricPoint::value).containsExactly(2.0);
        });
    }

    @Test
    void aRangeQueryAnswersOneSampleEveryStepOnTheGrid() throws MetricsException {
        long end = Instant.now().toEpochMilli() / 1000 * 1000;
        PromResult r = client.queryRange("sum by (rollouts_pod_template_hash) (rate(http_requests_total[5s]))",
                Instant.ofEpochMilli(end - 4000), Instant.ofEpochMilli(end), Duration.ofSeconds(1),
                Cancellation.NONE);
        assertThat(r.resultType()).isEqualTo("matrix");
        assertThat(r.series()).hasSize(2);
        for (PromSeries s : r.series()) {
            assertThat(s.points()).extracting(MetricPoint::epochMillis)
                    .containsExactly(end - 4000, end - 3000, end - 2000, end - 1000, end);
            assertThat(s.points()).allMatch(p -> p.value() > 5 && p.value() < 100, "about 40 req/s");
        }
    }

    @Test
    void nanAndInfinitiesArriveAsTheyAre() throws MetricsException {
        PromResult r = client.query("exporter_special_value", Instant.now(), Cancellation.NONE);
        Map<String, Double> byKind = r.series().stream().collect(Collectors.toMap(s -> s.labels().get("kind"),
                s -> s.points().get(0).value()));
        assertThat(byKind.get("nan")).isNaN();
        assertThat(byKind.get("pos_inf")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(byKind.get("neg_inf")).isEqualTo(Double.NEGATIVE_INFINITY);
        // an error ratio over no requests: 0/0
        PromResult ratio = client.query("sum(rate(http_requests_total{code=\"404\"}[5s])) / 0 * 0 + 0 / 0",
                Instant.now(), Cancellation.NONE);
        assertThat(ratio.series()).allMatch(s -> Double.isNaN(s.points().get(0).value()));
    }

    @Test
    void aQueryWithoutDataIsAnEmptyResult() throws MetricsException {
        PromResult r = client.queryRange("no_such_metric_anywhere", Instant.now().minusSeconds(30), Instant.now(),
                Duration.ofSeconds(1), Cancellation.NONE);
        assertThat(r.series()).isEmpty();
        assertThat(r.points()).isZero();
    }

    @Test
    void badPromqlIsAQueryErrorInPrometheussOwnWords() {
        MetricsException e = catchThrowableOfType(MetricsException.class,
                () -> client.query("sum(rate(http_requests_total[5s])", Instant.now(), Cancellation.NONE));
        assertThat(e.kind()).isEqualTo(Kind.QUERY);
        assertThat(e.sourceErrorType()).isEqualTo("bad_data");
        assertThat(e.sourceError()).contains("parse error");
        assertThat(e.getMessage()).startsWith("Prometheus at " + prometheus.url() + " answered 400: bad_data: ")
                .contains("Fix the metric's PromQL");
        assertThat(e.sourceDown()).isFalse();
    }

    @Test
    void anExecutionErrorIs422WithPrometheussMessage() {
        // two series per namespace on each side: Prometheus refuses the one-to-one match while evaluating
        MetricsException e = catchThrowableOfType(MetricsException.class, () -> client.query(
                "http_requests_total + on (namespace) http_requests_total", Instant.now(), Cancellation.NONE));
        assertThat(e.kind()).isEqualTo(Kind.QUERY);
        assertThat(e.sourceErrorType()).isEqualTo("execution");
        assertThat(e.getMessage()).contains("answered 422").contains("duplicate series");
    }

    @Test
    void prometheusRefusesMoreThanElevenThousandPointsPerSeries() {
        MetricsException e = catchThrowableOfType(MetricsException.class, () -> client.queryRange("up",
                Instant.now().minus(Duration.ofHours(4)), Instant.now(), Duration.ofSeconds(1), Cancellation.NONE));
        assertThat(e.kind()).isEqualTo(Kind.QUERY);
        assertThat(e.sourceError()).contains("11,000");
    }

    @Test
    void anAnswerAboveTheCapsIsRefusedWhileStreaming() throws MetricsException {
        PrometheusClient capped = new PrometheusClient(PrometheusEndpoint.of(prometheus.url())
                .withLimits(new PrometheusEndpoint.Limits(1 << 20, 10, 100)));
        MetricsException points = catchThrowableOfType(MetricsException.class, () -> capped.queryRange(
                "http_requests_total", Instant.now().minusSeconds(60), Instant.now(), Duration.ofSeconds(1),
                Cancellation.NONE));
        assertThat(points.kind()).isEqualTo(Kind.TOO_LARGE);
        assertThat(points.getMessage()).contains("more than 10 samples").contains("sum by");

        PrometheusClient fewSeries = new PrometheusClient(PrometheusEndpoint.of(prometheus.url())
                .withLimits(new PrometheusEndpoint.Limits(1 << 20, 1000, 3)));
        assertThatThrownBy(() -> fewSeries.query("http_request_duration_seconds_bucket", Instant.now(),
                Cancellation.NONE)).hasMessageContaining("more than 3 series");

        PrometheusClient fewBytes = new PrometheusClient(PrometheusEndpoint.of(prometheus.url())
                .withLimits(new PrometheusEndpoint.Limits(2048, 100_000, 1000)));
        assertThatThrownBy(() -> fewBytes.query("http_request_duration_seconds_bucket", Instant.now(),
                Cancellation.NONE)).hasMessageContaining("more than 2048 bytes");
    }

    @Test
    void nothingListeningIsUnavailableAndSaysSo() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        PrometheusClient down = new PrometheusClient(PrometheusEndpoint.of(URI.create("http://127.0.0.1:" + port)));
        MetricsException e = catchThrowableOfType(MetricsException.class,
                () -> down.query("up", Instant.now(), Cancellation.NONE));
        assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
        assertThat(e.sourceDown()).isTrue();
        assertThat(e.getMessage()).isEqualTo("cannot connect to Prometheus at http://127.0.0.1:" + port
                + " (connection refused). Is Prometheus running, and is the URL right? The console keeps retrying.");
    }

    @Test
    void aServerThatNeverAnswersTimesOut() throws Exception {
        try (SilentServer silent = new SilentServer()) {
            PrometheusClient slow = new PrometheusClient(PrometheusEndpoint.of(silent.url())
                    .withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(300)));
            MetricsException e = catchThrowableOfType(MetricsException.class,
                    () -> slow.query("up", Instant.now(), Cancellation.NONE));
            assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
            assertThat(e.getMessage()).contains("did not answer within 0.3 s");
        }
    }

    @Test
    void cancellingEndsABlockedQueryAtOnce() throws Exception {
        try (SilentServer silent = new SilentServer()) {
            PrometheusClient slow = new PrometheusClient(PrometheusEndpoint.of(silent.url())
                    .withTimeouts(Duration.ofSeconds(1), Duration.ofMinutes(5)));
            Cancellation cancellation = Cancellation.create();
            Thread canceller = new Thread(() -> {
                silent.awaitConnection();
                cancellation.cancel();
            });
            canceller.start();
            // the read timeout is five minutes: only the cancellation can end this
            MetricsException e = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> catchThrowableOfType(
                    MetricsException.class, () -> slow.query("up", Instant.now(), cancellation)));
            assertThat(e.kind()).isEqualTo(Kind.CANCELLED);
            canceller.join();
            // once cancelled, nothing more is sent
            int before = silent.connections();
            assertThatThrownBy(() -> slow.query("up", Instant.now(), cancellation))
                    .isInstanceOf(MetricsException.class).hasMessageContaining("cancelled");
            assertThat(silent.connections()).isEqualTo(before);
        }
    }

    /** Accepts connections and never answers: a hung server, to exercise timeouts and cancellation. */
    static final class SilentServer implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        private final List<Socket> accepted = new CopyOnWriteArrayList<>();
        private final Thread acceptor;

        SilentServer() throws IOException {
            acceptor = new Thread(() -> {
                while (!socket.isClosed()) {
                    try {
                        accepted.add(socket.accept());
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "silent-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        URI url() {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }

        int connections() {
            return accepted.size();
        }

        void awaitConnection() {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (accepted.isEmpty() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            try {
                Thread.sleep(100); // the request is written and the client now waits for the answer
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket s : accepted) {
                s.close();
            }
        }
    }
}
