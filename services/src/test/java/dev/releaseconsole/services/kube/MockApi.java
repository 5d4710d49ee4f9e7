package dev.releaseconsole.services.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.function.Consumer;

/**
 * A fabric8 mock API server in CRUD mode that knows the Argo and Flagger CRDs, on plain HTTP and loopback, with
 * expectations on top where a test wants 401/403/404 for a path (the mixed dispatcher answers expectations first).
 * Fixtures are applied as a controller would leave them: the object is created, then its status written through
 * the status subresource; owner references are re-pointed at the UIDs the server assigned.
 */
public final class MockApi implements AutoCloseable {
    static final String ROLLOUTS_ALL = "/apis/argoproj.io/v1alpha1/rollouts?limit=500";
    static final String ANALYSIS_RUNS_ALL = "/apis/argoproj.io/v1alpha1/analysisruns?limit=500";
    static final String REPLICA_SETS_ALL = "/apis/apps/v1/replicasets?labelSelector=rollouts-pod-template-hash&limit=500";
    static final String CANARIES_ALL = "/apis/flagger.app/v1beta1/canaries?limit=500";

    final KubernetesMockServer server;
    final KubernetesClient client;
    private final Map<String, String> uids = new HashMap<>();

    public MockApi() {
        this(0);
    }

    /** A server on {@code port} (0: any free port). */
    MockApi(int port) {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(), responses,
                new KubernetesMixedDispatcher(responses), false);
        server.init(InetAddress.getLoopbackAddress(), port);
        server.expectCustomResource(crd(KubeObjects.ROLLOUTS, true));
        server.expectCustomResource(crd(KubeObjects.ANALYSIS_RUNS, false)); // the CRD has no status subresource
        server.expectCustomResource(crd(KubeObjects.CANARIES, true));
        server.expectCustomResource(crd(AnalysisTemplateReader.ANALYSIS_TEMPLATES, false));
        server.expectCustomResource(crd(AnalysisTemplateReader.CLUSTER_ANALYSIS_TEMPLATES, false));
        server.expectCustomResource(crd(AnalysisTemplateReader.METRIC_TEMPLATES, false));
        client = server.createClient();
    }

    private static CustomResourceDefinitionContext crd(ResourceDefinitionContext rdc, boolean statusSubresource) {
        return new CustomResourceDefinitionContext.Builder().withGroup(rdc.getGroup()).withVersion(rdc.getVersion())
                .withPlural(rdc.getPlural()).withKind(rdc.getKind())
                .withScope(rdc.isNamespaceScoped() ? "Namespaced" : "Cluster")
                .withStatusSubresource(statusSubresource).build();
    }

    /** A client configuration for the server, as a kubeconfig context with {@code namespace} would give. */
    Config config(String namespace) {
        Config c = Config.empty();
        c.setMasterUrl(server.url("/"));
        c.setNamespace(namespace);
        return c;
    }

    public String url() {
        String u = server.url("/");
        return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
    }

    int port() {
        return server.getPort();
    }

    /** Answers every GET of {@code path} (path and query, exactly as the client sends it) with {@code code}. */
    /** Answers every POST to {@code path} with {@code body}: e.g. access reviews that allow everything. */
    public void answerPost(String path, int code, Object body) {
        server.expect().post().withPath(path).andReturn(code, body).always();
    }

    /** Writes a kubeconfig whose context {@code context} (namespace shop, a token user) points at this server. */
    public Path writeKubeconfig(Path file, String context) throws java.io.IOException {
        java.nio.file.Files.writeString(file, """
                apiVersion: v1
                kind: Config
                current-context: %s
                clusters:
                  - name: mock
                    cluster:
                      server: %s
                contexts:
                  - name: %s
                    context:
                      cluster: mock
                      user: tester
                      namespace: shop
                users:
                  - name: tester
                    user:
                      token: not-a-real-token
                """.formatted(context, url(), context));
        return file;
    }

    /** The object as the server now stores it. */
    public GenericKubernetesResource get(String apiVersion, String kind, String namespace, String name) {
        return client.genericKubernetesResources(apiVersion, kind).inNamespace(namespace).withName(name).get();
    }

    /** The client the tests use to arrange and inspect objects (not the code under test's connection). */
    public KubernetesClient client() {
        return client;
    }

    /** Makes the CRUD server serve a further custom resource type (e.g. the OpenFeature Operator's FeatureFlag). */
    public void serveCustomResource(ResourceDefinitionContext rdc, boolean statusSubresource) {
        server.expectCustomResource(crd(rdc, statusSubresource));
    }

    /**
     * Answers the next {@code method} request to {@code path} with {@code code} and {@code body} (a Status for
     * errors, an object for a stale read), then lets CRUD mode answer again.
     */
    public void answerOnce(String method, String path, int code, Object body) {
        switch (method) {
            case "GET":
                server.expect().get().withPath(path).andReturn(code, body).once();
                break;
            case "PUT":
                server.expect().put().withPath(path).andReturn(code, body).once();
                break;
            default:
                throw new IllegalArgumentException(method);
        }
    }

    /** A Kubernetes Status of a refusal, as the API server sends it. */
    public static Status status(int code, String reason, String message) {
        return new StatusBuilder().withStatus("Failure").withCode(code).withReason(reason).withMessage(message)
                .build();
    }

    void answer(String path, int code, String reason) {
        Status status = new StatusBuilder().withStatus("Failure").withCode(code).withReason(reason)
                .withMessage(reason + " (from the test)").build();
        server.expect().get().withPath(path).andReturn(code, status).always();
    }

    static ResourceDefinitionContext rdc(GenericKubernetesResource r) {
        switch (r.getKind()) {
            case "Rollout":
                return KubeObjects.ROLLOUTS;
            case "AnalysisRun":
                return KubeObjects.ANALYSIS_RUNS;
            case "ReplicaSet":
                return KubeObjects.REPLICA_SETS;
            case "Canary":
                return KubeObjects.CANARIES;
            case "AnalysisTemplate":
                return AnalysisTemplateReader.ANALYSIS_TEMPLATES;
            case "ClusterAnalysisTemplate":
                return AnalysisTemplateReader.CLUSTER_ANALYSIS_TEMPLATES;
            case "MetricTemplate":
                return AnalysisTemplateReader.METRIC_TEMPLATES;
            default:
                throw new IllegalArgumentException(r.getKind());
        }
    }

    /** Applies fixtures, owners first. */
    public List<GenericKubernetesResource> applyAll(List<GenericKubernetesResource> fixtures) {
        List<GenericKubernetesResource> ordered = new ArrayList<>();
        fixtures.stream().filter(f -> f.getKind().equals("Rollout") || f.getKind().equals("Canary"))
                .forEach(ordered::add);
        fixtures.stream().filter(f -> !f.getKind().equals("Rollout") && !f.getKind().equals("Canary"))
                .forEach(ordered::add);
        return ordered.stream().map(this::apply).toList();
    }

    GenericKubernetesResource apply(GenericKubernetesResource fixture) {
        GenericKubernetesResource copy = Serialization.clone(fixture);
        String fixtureUid = copy.getMetadata().getUid();
        copy.getMetadata().setUid(null);
        copy.getMetadata().setResourceVersion(null);
        if (copy.getMetadata().getOwnerReferences() != null) {
            for (OwnerReference o : copy.getMetadata().getOwnerReferences()) {
                o.setUid(uids.getOrDefault(o.getUid(), o.getUid()));
            }
        }
        Object status = copy.getAdditionalProperties().get("status");
        ResourceDefinitionContext rdc = rdc(copy);
        String ns = copy.getMetadata().getNamespace();
        GenericKubernetesResource created = (ns == null ? client.genericKubernetesResources(rdc).resource(copy)
                : client.genericKubernetesResources(rdc).inNamespace(ns).resource(copy)).create();
        if (fixtureUid != null) {
            uids.put(fixtureUid, created.getMetadata().getUid());
        }
        if (status != null && created.getAdditionalProperties().get("status") == null) {
            created = client.genericKubernetesResources(rdc).inNamespace(ns).withName(created.getMetadata().getName())
                    .editStatus(r -> {
                        Object s = status;
                        if (status instanceof Map) {
                            // the fixture's observedGeneration describes its own generation; the server assigned one
                            @SuppressWarnings("unchecked")
                            Map<String, Object> m = new LinkedHashMap<>((Map<String, Object>) status);
                            if (m.containsKey("observedGeneration") && r.getMetadata().getGeneration() != null) {
                                m.put("observedGeneration", String.valueOf(r.getMetadata().getGeneration()));
                            }
                            s = m;
                        }
                        r.getAdditionalProperties().put("status", s);
                        return r;
                    });
        }
        return created;
    }

    /** Changes the status as the controller would (PATCH .../status); keeps observedGeneration current. */
    GenericKubernetesResource editStatus(ResourceDefinitionContext rdc, String ns, String name,
                                         Consumer<Map<String, Object>> change) {
        return client.genericKubernetesResources(rdc).inNamespace(ns).withName(name).editStatus(r -> {
            r.getAdditionalProperties().put("status", changed(r, change));
            return r;
        });
    }

    /** Changes the status by updating the whole object: for AnalysisRuns, whose CRD has no status subresource. */
    GenericKubernetesResource editWhole(ResourceDefinitionContext rdc, String ns, String name,
                                        Consumer<Map<String, Object>> change) {
        return client.genericKubernetesResources(rdc).inNamespace(ns).withName(name).edit(r -> {
            r.getAdditionalProperties().put("status", changed(r, change));
            return r;
        });
    }

    private static Map<String, Object> changed(GenericKubernetesResource r, Consumer<Map<String, Object>> change) {
        Object current = r.getAdditionalProperties().get("status");
        @SuppressWarnings("unchecked")
        Map<String, Object> status = current instanceof Map
                ? new LinkedHashMap<>((Map<String, Object>) current) : new LinkedHashMap<>();
        change.accept(status);
        if (status.containsKey("observedGeneration") && r.getMetadata().getGeneration() != null) {
            status.put("observedGeneration", String.valueOf(r.getMetadata().getGeneration()));
        }
        return status;
    }

    void delete(ResourceDefinitionContext rdc, String ns, String name) {
        client.genericKubernetesResources(rdc).inNamespace(ns).withName(name).delete();
    }

    /**
     * Stops the server. The fabric8 7.8 mock can deadlock its event loop for up to a minute when a client closes a
     * CRUD watch (WatchEventsListener.onClosed waits on an executor whose pending close needs that loop), and then
     * its shutdown times out; that says nothing about the code under test, so it is ignored here.
     */
    @Override
    public void close() {
        client.close();
        try {
            server.destroy();
        } catch (IllegalStateException e) {
            System.err.println("mock API server on port " + port() + " did not stop in time (known mock issue): "
                    + e.getMessage());
        }
    }
}
