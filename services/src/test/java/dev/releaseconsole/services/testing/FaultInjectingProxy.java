package dev.releaseconsole.services.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A loopback reverse proxy in front of a real server that answers the next requests with statuses the real server
 * will not produce on demand (429 with Retry-After, 409, 503), then forwards everything else unchanged. It records
 * the method and path of every request it saw, so a test can tell what was sent and what was retried.
 */
public final class FaultInjectingProxy implements AutoCloseable {
    /** One canned answer: status, headers, body (JSON, shaped like the real server's errors). */
    public record Fault(int status, Map<String, String> headers, String body) {
    }

    private final HttpServer server;
    private final String target;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ConcurrentLinkedQueue<Fault> faults = new ConcurrentLinkedQueue<>();
    private final List<String> seen = new CopyOnWriteArrayList<>();

    public FaultInjectingProxy(String target) throws IOException {
        this.target = target;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "fault-proxy");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The next request (whatever it is) gets this answer instead of being forwarded. */
    public void failNext(int status, Map<String, String> headers, String body) {
        faults.add(new Fault(status, headers, body));
    }

    /** "METHOD /path?query" of every request, in order. */
    public List<String> seen() {
        return List.copyOf(seen);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String pathAndQuery = ex.getRequestURI().getRawPath()
                    + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery());
            seen.add(ex.getRequestMethod() + " " + pathAndQuery);
            Fault fault = faults.poll();
            if (fault != null) {
                fault.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
                ex.getResponseHeaders().add("Content-Type", "application/json");
                byte[] body = fault.body().getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(fault.status(), body.length == 0 ? -1 : body.length);
                if (body.length > 0) {
                    try (OutputStream out = ex.getResponseBody()) {
                        out.write(body);
                    }
                }
                return;
            }
            byte[] requestBody = ex.getRequestBody().readAllBytes();
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target + pathAndQuery))
                    .timeout(Duration.ofSeconds(20))
                    .method(ex.getRequestMethod(), requestBody.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(requestBody));
            for (String h : List.of("Authorization", "Content-Type", "Accept")) {
                String v = ex.getRequestHeaders().getFirst(h);
                if (v != null) {
                    b.header(h, v);
                }
            }
            HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            r.headers().firstValue("Content-Type").ifPresent(v -> ex.getResponseHeaders().add("Content-Type", v));
            ex.sendResponseHeaders(r.statusCode(), r.body().length == 0 ? -1 : r.body().length);
            if (r.body().length > 0) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(r.body());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
