package dev.releaseconsole.services.kube.actions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.kubernetes.client.server.mock.CustomResourceAware;
import io.fabric8.kubernetes.client.server.mock.Resetable;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;

/**
 * fabric8's mock API server in mixed mode: expectations (for injected errors) first, CRUD for everything else, with
 * the Argo Rollouts, AnalysisRun and Flagger CRDs registered (Rollout and Canary with a status subresource, as their
 * CRDs declare). Records every request so tests can assert the exact method, path and body.
 */
final class KubeMockCluster implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    final KubernetesMockServer server;
    final KubernetesClient client;

    KubeMockCluster() {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        @SuppressWarnings("deprecation")
        Context context = new Context(io.fabric8.kubernetes.client.utils.Serialization.jsonMapper());
        server = new KubernetesMockServer(context, new MockWebServer(), responses,
                new Recording(new KubernetesMixedDispatcher(responses)), false);
        server.init();
        server.expectCustomResource(crd("argoproj.io", "v1alpha1", "rollouts", "Rollout", true));
        server.expectCustomResource(crd("argoproj.io", "v1alpha1", "analysisruns", "AnalysisRun", false));
        server.expectCustomResource(crd("flagger.app", "v1beta1", "canaries", "Canary", true));
        client = server.createClient();
    }

    private static CustomResourceDefinitionContext crd(String group, String version, String plural, String kind,
                                                       boolean status) {
        return new CustomResourceDefinitionContext.Builder().withGroup(group).withVersion(version)
                .withPlural(plural).withKind(kind).withScope("Namespaced").withStatusSubresource(status).build();
    }

    /** Creates the object (the API server drops status on create), then sets its status through /status. */
    GenericKubernetesResource create(ResourceDefinitionContext ctx, String json) {
        try {
            JsonNode node = JSON.readTree(json);
            GenericKubernetesResource res = JSON.treeToValue(node, GenericKubernetesResource.class);
            String ns = res.getMetadata().getNamespace();
            client.genericKubernetesResources(ctx).inNamespace(ns).resource(res).create();
            if (node.has("status")) {
                String status = JSON.createObjectNode().set("status", node.get("status")).toString();
                client.genericKubernetesResources(ctx).inNamespace(ns).withName(res.getMetadata().getName())
                        .subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), status);
            }
            return get(ctx, ns, res.getMetadata().getName());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    GenericKubernetesResource get(ResourceDefinitionContext ctx, String ns, String name) {
        return client.genericKubernetesResources(ctx).inNamespace(ns).withName(name).get();
    }

    JsonNode getJson(ResourceDefinitionContext ctx, String ns, String name) {
        return JSON.valueToTree(get(ctx, ns, name));
    }

    /** One request as the server received it (the body copied before a handler consumes it). */
    record Seen(String method, String path, String body, String contentType) {
        String line() {
            return method + " " + path;
        }
    }

    /** Every request received since the last drain, in order. */
    List<Seen> drain() {
        synchronized (seen) {
            List<Seen> out = new ArrayList<>(seen);
            seen.clear();
            return out;
        }
    }

    /** The drained requests other than GETs, as "METHOD path body". */
    List<String> writes() {
        List<String> out = new ArrayList<>();
        for (Seen r : drain()) {
            if (!"GET".equals(r.method())) {
                out.add(r.method() + " " + r.path() + " " + r.body());
            }
        }
        return out;
    }

    private final List<Seen> seen = new ArrayList<>();

    /** Copies each request, then hands it to fabric8's mixed (expectations, then CRUD) dispatcher. */
    private final class Recording extends Dispatcher implements CustomResourceAware, Resetable {
        private final KubernetesMixedDispatcher delegate;

        Recording(KubernetesMixedDispatcher delegate) {
            this.delegate = delegate;
        }

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            String body = request.getBody() == null ? "" : new String(request.getBody().getBytes(),
                    StandardCharsets.UTF_8);
            synchronized (seen) {
                seen.add(new Seen(request.getMethod(), request.getPath(), body, request.getHeader("Content-Type")));
            }
            return delegate.dispatch(request);
        }

        @Override
        public void expectCustomResource(CustomResourceDefinitionContext rdc) {
            delegate.expectCustomResource(rdc);
        }

        @Override
        public void reset() {
            delegate.reset();
        }

        @Override
        public void shutdown() {
            delegate.shutdown();
        }
    }

    static String status(int code, String reason, String message) {
        return "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":"
                + JSON.valueToTree(message) + ",\"reason\":\"" + reason + "\",\"code\":" + code + "}";
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
