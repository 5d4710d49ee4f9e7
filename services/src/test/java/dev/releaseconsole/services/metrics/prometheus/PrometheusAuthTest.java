package dev.releaseconsole.services.metrics.prometheus;

import com.sun.net.httpserver.HttpServer;
import dev.releaseconsole.services.metrics.Cancellation;
import dev.releaseconsole.services.metrics.MetricsException;
import dev.releaseconsole.services.metrics.MetricsException.Kind;
import dev.releaseconsole.services.testing.PrometheusServer;
import dev.releaseconsole.services.testing.TestCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Authentication and TLS against a real Prometheus serving HTTPS with basic auth (its --web.config.file), with a
 * private CA; and the bearer token header, which Prometheus itself does not check, on a recording endpoint.
 */
class PrometheusAuthTest {
    private static final String PASSWORD = "not-a-real-password";
    /** bcrypt (cost 4) of {@link #PASSWORD}, as Prometheus's basic_auth_users wants it. */
    private static final String PASSWORD_HASH = "$2b$04$b3mkn2lApKZzXMfUUlziJO3FWOXwEylUnngijmmytq1IQ/CJNnXke";

    @TempDir
    static Path dir;
    private static PrometheusServer prometheus;
    private static TestCertificates.Pair cert;

    @BeforeAll
    static void start() {
        cert = TestCertificates.selfSigned(dir, "prometheus-test");
        prometheus = PrometheusServer.builder().webConfig("""
                tls_server_config:
                  cert_file: %s
                  key_file: %s
                basic_auth_users:
                  console: %s
                """.formatted(cert.certificate(), cert.privateKey(), PASSWORD_HASH)).start();
    }

    @AfterAll
    static void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
    }

    private static Path secretFile(String name, String content) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, content + "\n");
        return f;
    }

    @Test
    void basicAuthOverTlsWithAPrivateCa() throws Exception {
        assertThat(prometheus.url().getScheme()).isEqualTo("https");
        PrometheusClient client = new PrometheusClient(PrometheusEndpoint.of(prometheus.url())
                .withCaFile(cert.certificate())
                .withAuth(PrometheusAuth.basic("console", SecretRef.fromFile(secretFile("pw", PASSWORD)))));
        PromResult r = client.query("1 + 1", Instant.now(), Cancellation.NONE);
        assertThat(r.series().get(0).points().get(0).value()).isEqualTo(2.0);
    }

    @Test
    void aWrongPasswordIsAnAuthErrorThatNamesWhereTheSecretComesFromButNotTheSecret() throws Exception {
        Path wrong = secretFile("wrong-pw", "wrong-secret-value");
        PrometheusClient client = new PrometheusClient(PrometheusEndpoint.of(prometheus.url())
                .withCaFile(cert.certificate()).withAuth(PrometheusAuth.basic("console", SecretRef.fromFile(wrong))));
        MetricsException e = catchThrowableOfType(MetricsException.class,
                () -> client.query("up", Instant.now(), Cancellation.NONE));
        assertThat(e.kind()).isEqualTo(Kind.AUTH);
        assertThat(e.sourceDown()).isTrue();
        assertThat(e.getMessage()).contains("refused the request (401 Unauthorized)")
                .contains("basic auth as console with the password from file " + wrong)
                .doesNotContain("wrong-secret-value");
        assertThat(client.endpoint().auth().toString()).doesNotContain("wrong-secret-value");
    }

    @Test
    void withoutTheCaTheCertificateIsNotTrustedAndTheMessageSaysSetCaFile() throws Exception {
        PrometheusClient client = new PrometheusClient(PrometheusEndpoint.of(prometheus.url()));
        MetricsException e = catchThrowableOfType(MetricsException.class,
                () -> client.query("up", Instant.now(), Cancellation.NONE));
        assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
        assertThat(e.getMessage()).startsWith("TLS with Prometheus at " + prometheus.url() + " failed")
                .contains("set caFile");
    }

    @Test
    void aCaFileThatIsNotACertificateIsAConfigError() throws Exception {
        Path bogus = secretFile("bogus.pem", "hello");
        MetricsException e = catchThrowableOfType(MetricsException.class, () -> new PrometheusClient(
                PrometheusEndpoint.of(prometheus.url()).withCaFile(bogus)));
        assertThat(e.kind()).isEqualTo(Kind.CONFIG);
        assertThat(e.getMessage()).contains(bogus.toString());
    }

    @Test
    void aMissingSecretSaysWhereItWasLookedFor() throws Exception {
        PrometheusClient noFile = new PrometheusClient(PrometheusEndpoint.of(prometheus.url())
                .withCaFile(cert.certificate())
                .withAuth(PrometheusAuth.basic("console", SecretRef.fromFile(dir.resolve("absent")))));
        assertThat(catchThrowableOfType(MetricsException.class, () -> noFile.query("up", Instant.now(),
                Cancellation.NONE)).getMessage()).contains("credential file " + dir.resolve("absent")
                + " does not exist");
        PrometheusClient noEnv = new PrometheusClient(PrometheusEndpoint.of(prometheus.url())
                .withCaFile(cert.certificate())
                .withAuth(PrometheusAuth.bearer(SecretRef.fromEnv("RC_TEST_SURELY_UNSET_TOKEN"))));
        MetricsException e = catchThrowableOfType(MetricsException.class, () -> noEnv.query("up", Instant.now(),
                Cancellation.NONE));
        assertThat(e.kind()).isEqualTo(Kind.AUTH);
        assertThat(e.getMessage()).contains("environment variable RC_TEST_SURELY_UNSET_TOKEN").contains("not set");
    }

    @Test
    void aBearerTokenIsSentAsTheHeaderAndNeverEchoed() throws Exception {
        // Prometheus does not check bearer tokens (a proxy in front of it does): record what arrives, refuse it
        List<String> seen = new CopyOnWriteArrayList<>();
        HttpServer proxy = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        proxy.createContext("/", ex -> {
            seen.add(ex.getRequestMethod() + " " + ex.getRequestURI() + " " + ex.getRequestHeaders()
                    .getFirst("Authorization"));
            byte[] body = "<html><body><h1>401</h1>token rejected</body></html>".getBytes();
            ex.getResponseHeaders().set("Content-Type", "text/html");
            ex.sendResponseHeaders(401, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        proxy.start();
        try {
            Path token = secretFile("token", "eyJhbGciOi.test-token.sig");
            PrometheusClient client = new PrometheusClient(PrometheusEndpoint.of(URI.create("http://127.0.0.1:"
                    + proxy.getAddress().getPort() + "/prometheus")).withAuth(PrometheusAuth.bearer(
                    SecretRef.fromFile(token))));
            MetricsException e = catchThrowableOfType(MetricsException.class,
                    () -> client.query("up", Instant.now(), Cancellation.NONE));
            assertThat(seen).containsExactly("POST /prometheus/api/v1/query Bearer eyJhbGciOi.test-token.sig");
            assertThat(e.kind()).isEqualTo(Kind.AUTH);
            assertThat(e.getMessage()).contains("401 Unauthorized").contains("401 token rejected")
                    .contains("bearer token from file " + token).doesNotContain("test-token");
        } finally {
            proxy.stop(0);
        }
    }
}
