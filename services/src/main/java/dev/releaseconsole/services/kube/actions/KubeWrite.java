package dev.releaseconsole.services.kube.actions;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.StatusDetails;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One write request on the wire, exactly: method, path, content type and body, through the client's HTTP stack
 * (its authentication, token refresh and impersonation interceptors), without fabric8's DSL. The DSL's
 * {@code withName(n).patch(ctx, String)} sends a GET first, and its exceptions drop the response headers, so a 429's
 * {@code Retry-After} (which kube-apiserver sends as a header with a plain-text body) could not be honoured.
 * A non-2xx answer becomes a {@link KubernetesClientException} with the server's Status; the Retry-After header is
 * carried in its {@code details.retryAfterSeconds}.
 */
final class KubeWrite {
    static final String MERGE_PATCH = "application/merge-patch+json";
    static final String JSON_PATCH = "application/json-patch+json";
    static final String JSON = "application/json";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private KubeWrite() {
    }

    /** Sends the request; returns the response body of a 2xx, else throws with the status code and Status. */
    static String send(KubernetesClient client, String method, String path, String contentType, String body) {
        HttpClient http = client.getHttpClient();
        String base = client.getMasterUrl().toString();
        String url = (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path;
        long timeoutMs = client.getConfiguration().getRequestTimeout() > 0
                ? client.getConfiguration().getRequestTimeout() : 10_000;
        HttpRequest request = http.newHttpRequestBuilder().uri(url).method(method, contentType, body)
                .timeout(timeoutMs, TimeUnit.MILLISECONDS).build();
        HttpResponse<String> response;
        try {
            // the HTTP layer times the request out; the extra wait only guards against a lost callback
            response = http.sendAsync(request, String.class).get(timeoutMs * 2 + 1_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KubernetesClientException("interrupted while sending " + method + " " + path, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new KubernetesClientException(method + " " + path + " failed: " + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new KubernetesClientException(method + " " + path + " timed out", e);
        }
        if (response.isSuccessful()) {
            return response.body();
        }
        Status status = statusOf(response);
        throw new KubernetesClientException(status.getMessage(), response.code(), status);
    }

    private static Status statusOf(HttpResponse<String> response) {
        String body = response.body() == null ? "" : response.body().trim();
        Status status = null;
        if (body.startsWith("{")) {
            try {
                status = MAPPER.readValue(body, Status.class);
            } catch (IOException e) {
                status = null;
            }
        }
        if (status == null || status.getMessage() == null) {
            status = new StatusBuilder().withCode(response.code())
                    .withMessage(body.isEmpty() ? response.message() : body).build();
        }
        if (status.getCode() == null) {
            status.setCode(response.code());
        }
        String retryAfter = response.header("Retry-After");
        if (retryAfter != null && (status.getDetails() == null
                || status.getDetails().getRetryAfterSeconds() == null)) {
            try {
                int seconds = Integer.parseInt(retryAfter.trim());
                if (status.getDetails() == null) {
                    status.setDetails(new StatusDetails());
                }
                status.getDetails().setRetryAfterSeconds(seconds);
            } catch (NumberFormatException e) {
                // an HTTP date: kube-apiserver does not send one; the default wait applies
            }
        }
        return status;
    }
}
