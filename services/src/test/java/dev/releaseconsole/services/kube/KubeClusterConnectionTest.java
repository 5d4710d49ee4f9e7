package dev.releaseconsole.services.kube;

import dev.releaseconsole.services.model.ClusterRef;
import dev.releaseconsole.services.model.ClusterStatus;
import dev.releaseconsole.services.model.ConnectionState;
import dev.releaseconsole.services.model.Environment;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.model.WorkloadKind;
import dev.releaseconsole.services.store.LiveState;
import io.fabric8.kubernetes.client.Config;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/** What a user sees when a cluster cannot be watched fully: 401, 403, missing CRDs, an unreachable server. */
class KubeClusterConnectionTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final String ID = "mock-prod";
    static final RolloutRef CHECKOUT = new RolloutRef(ID, "shop", "checkout", WorkloadKind.ARGO_ROLLOUT);
    static final RolloutRef PODINFO = new RolloutRef(ID, "apps", "podinfo", WorkloadKind.FLAGGER_CANARY);

    @TempDir
    Path dir;
    MockApi api;
    LiveState state;
    final List<KubeCluster> clusters = new ArrayList<>();

    @BeforeEach
    void setUp() {
        api = new MockApi();
        state = new LiveState();
    }

    @AfterEach
    void tearDown() {
        clusters.forEach(KubeCluster::close);
        if (api != null) {
            api.close();
        }
    }

    private KubeCluster start(String id, KubeCluster.ConfigSource config, String server, String auth,
                              KubeCluster.Settings settings) {
        KubeCluster c = new KubeCluster(new ClusterRef(id, id, Environment.PRODUCTION, false), config, server, auth,
                state, RolloutActuator.readOnly(), settings);
        clusters.add(c);
        c.start();
        return c;
    }

    private KubeCluster start(KubeCluster.Settings settings) {
        return start(ID, () -> api.config("shop"), api.url(), "exec plugin aws", settings);
    }

    private ClusterStatus awaitState(KubeCluster c, ConnectionState s) {
        Poll.until(WAIT, c.cluster().id() + " " + s, () -> c.status().state() == s, c::status);
        return c.status();
    }

    @Test
    void rejectedCredentialsAreUnauthorizedWithWhatToDo() {
        api.answer(MockApi.ROLLOUTS_ALL, 401, "Unauthorized");
        KubeCluster c = start(KubeClusterWatchTest.fast());

        ClusterStatus s = awaitState(c, ConnectionState.UNAUTHORIZED);
        assertThat(s.message()).startsWith("The API server at " + api.url() + " rejected the credentials of "
                + "context 'mock-prod' (401 Unauthorized). The exec plugin aws may have failed or returned an expired "
                + "token. Run your cloud CLI's login and check that the plugin is on PATH. Check with "
                + "`kubectl --context mock-prod get namespaces`. Retrying in ");
        assertThat(state.clusters().get(ID)).contains(s);
    }

    @Test
    void forbiddenAcrossNamespacesFallsBackToTheContextsAndConfiguredNamespaces() {
        api.answer(MockApi.ROLLOUTS_ALL, 403, "Forbidden");
        api.answer(MockApi.ANALYSIS_RUNS_ALL, 403, "Forbidden");
        api.answer(MockApi.REPLICA_SETS_ALL, 403, "Forbidden");
        api.answer(MockApi.CANARIES_ALL, 403, "Forbidden");
        api.applyAll(KubeFixtures.load("canary-paused.yaml"));
        api.applyAll(KubeFixtures.load("flagger-progressing.yaml"));
        KubeCluster c = start(KubeClusterWatchTest.fast().withNamespaces(List.of("apps")));

        ClusterStatus s = awaitState(c, ConnectionState.CONNECTED);
        assertThat(s.message()).isEqualTo("Connected to " + api.url() + ". Watching namespaces shop, apps only: you "
                + "may not list rollouts and canaries across all namespaces (403). Add namespaces you may read to "
                + "this cluster's configuration to see more.");
        Poll.until(WAIT, "rollouts of both namespaces", () -> state.rollouts().get(CHECKOUT).isPresent()
                && state.rollouts().get(PODINFO).isPresent());
        Poll.until(WAIT, "checkout's revisions through the per-namespace ReplicaSet watch",
                () -> state.rollouts().get(CHECKOUT).map(r -> r.revisions().size() == 3).orElse(false));
    }

    @Test
    void forbiddenEverywhereIsForbidden() {
        for (String path : List.of(MockApi.ROLLOUTS_ALL, MockApi.CANARIES_ALL,
                "/apis/argoproj.io/v1alpha1/namespaces/shop/rollouts?limit=500",
                "/apis/flagger.app/v1beta1/namespaces/shop/canaries?limit=500")) {
            api.server.expect().get().withPath(path).andReturn(403, new io.fabric8.kubernetes.api.model
                    .StatusBuilder().withStatus("Failure").withCode(403).withReason("Forbidden")
                    .withMessage("rollouts.argoproj.io is forbidden: User \"alice@example.com\" cannot list "
                            + "resource \"rollouts\" in API group \"argoproj.io\" at the cluster scope").build())
                    .always();
        }
        KubeCluster c = start(KubeClusterWatchTest.fast());

        ClusterStatus s = awaitState(c, ConnectionState.FORBIDDEN);
        assertThat(s.message()).startsWith("You may not list rollouts.argoproj.io or canaries.flagger.app across "
                + "all namespaces, nor in namespace shop (403 Forbidden, context 'mock-prod'). Ask your cluster admin "
                + "for get, list and watch on rollouts.argoproj.io, canaries.flagger.app, or add namespaces you may "
                + "read to this cluster's configuration. The API server said: rollouts.argoproj.io is forbidden: "
                + "User \"alice@example.com\" cannot list resource \"rollouts\" in API group \"argoproj.io\" at "
                + "the cluster scope. Retrying in ");
    }

    @Test
    void aForbiddenAnonymousRequestMeansTheCredentialsWereNotSent() {
        api.server.expect().get().withPath(MockApi.ROLLOUTS_ALL).andReturn(403, new io.fabric8.kubernetes.api.model
                .StatusBuilder().withStatus("Failure").withCode(403).withReason("Forbidden")
                .withMessage("rollouts.argoproj.io is forbidden: User \"system:anonymous\" cannot list resource "
                        + "\"rollouts\" in API group \"argoproj.io\" at the cluster scope").build()).always();
        KubeCluster c = start(KubeClusterWatchTest.fast());

        ClusterStatus s = awaitState(c, ConnectionState.UNAUTHORIZED);
        assertThat(s.message()).startsWith("The API server at " + api.url() + " saw no credentials from context "
                + "'mock-prod' (it answered as to system:anonymous). The exec plugin aws may have failed");
    }

    @Test
    void aMissingCrdIsNotInstalledNotAnError() {
        api.answer(MockApi.CANARIES_ALL, 404, "NotFound");
        api.applyAll(KubeFixtures.load("canary-paused.yaml"));
        KubeCluster c = start(KubeClusterWatchTest.fast());

        ClusterStatus s = awaitState(c, ConnectionState.CONNECTED);
        assertThat(s.message()).isEqualTo("Connected to " + api.url() + ". Watching all namespaces. Flagger not "
                + "installed on this cluster.");
        Poll.until(WAIT, "checkout", () -> state.rollouts().get(CHECKOUT).isPresent());
    }

    @Test
    void neitherArgoNorFlaggerInstalled() {
        api.answer(MockApi.ROLLOUTS_ALL, 404, "NotFound");
        api.answer(MockApi.ANALYSIS_RUNS_ALL, 404, "NotFound");
        api.answer(MockApi.CANARIES_ALL, 404, "NotFound");
        KubeCluster c = start(KubeClusterWatchTest.fast());

        ClusterStatus s = awaitState(c, ConnectionState.CONNECTED);
        assertThat(s.message()).isEqualTo("Connected to " + api.url() + ", but neither Argo Rollouts nor Flagger is "
                + "installed on this cluster (no rollouts.argoproj.io or canaries.flagger.app API): nothing to show. "
                + "Reconnect after installing one.");
    }

    @Test
    void forbiddenAnalysisRunsAreSaidButRolloutsStillShow() {
        api.answer(MockApi.ANALYSIS_RUNS_ALL, 403, "Forbidden");
        api.answer("/apis/argoproj.io/v1alpha1/namespaces/shop/analysisruns?limit=500", 403, "Forbidden");
        api.applyAll(KubeFixtures.load("canary-analysis.yaml"));
        KubeCluster c = start(KubeClusterWatchTest.fast());

        ClusterStatus s = awaitState(c, ConnectionState.CONNECTED);
        assertThat(s.message()).isEqualTo("Connected to " + api.url() + ". Watching all namespaces. Analysis runs "
                + "not visible: you may not list analysisruns (403).");
        Poll.until(WAIT, "payments without runs", () -> state.rollouts().get(new RolloutRef(ID, "shop", "payments",
                WorkloadKind.ARGO_ROLLOUT)).map(r -> r.analysisRuns().isEmpty() && r.revisions().size() == 2)
                .orElse(false));
    }

    @Test
    void anUnreachableClusterKeepsRetryingWithoutBlockingAndRecovers() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port;
        Config config = Config.empty();
        config.setMasterUrl(url);
        Set<String> messages = ConcurrentHashMap.newKeySet();
        state.clusters().addListener((up, gone) -> up.forEach(x -> messages.add(x.message())));

        long before = System.nanoTime();
        KubeCluster c = start("far-away", () -> config, url, "token", KubeClusterWatchTest.fast());
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(1));
        assertThat(c.status().state()).isIn(ConnectionState.CONNECTING, ConnectionState.UNREACHABLE);

        ClusterStatus s = awaitState(c, ConnectionState.UNREACHABLE);
        assertThat(s.message()).startsWith("Cannot connect to " + url + ": connection refused. Check that the "
                + "cluster is running and the address is right; if it is reached through a VPN, tunnel or bastion, "
                + "start that first. Retrying in ");
        Poll.until(WAIT, "several attempts with growing backoff", () -> messages.stream()
                .filter(m -> m.startsWith("Cannot connect")).count() >= 3, () -> messages);

        // the server comes up on that port: the next retry connects
        try (MockApi late = new MockApi(port)) {
            late.applyAll(KubeFixtures.load("canary-paused.yaml"));
            awaitState(c, ConnectionState.CONNECTED);
            Poll.until(WAIT, "checkout after recovery", () -> state.rollouts()
                    .get(new RolloutRef("far-away", "shop", "checkout", WorkloadKind.ARGO_ROLLOUT)).isPresent());
            c.close();
        }
    }

    @Test
    void oneFailingClusterDoesNotAffectAnother() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Config deadConfig = Config.empty();
        deadConfig.setMasterUrl("http://127.0.0.1:" + port);
        KubeCluster dead = start("dead", () -> deadConfig, null, "token", KubeClusterWatchTest.fast());
        KubeCluster broken = start("broken", () -> {
            throw new KubeconfigException("Context 'broken' is not in kubeconfig");
        }, null, null, KubeClusterWatchTest.fast());
        api.applyAll(KubeFixtures.load("canary-paused.yaml"));
        KubeCluster alive = start(KubeClusterWatchTest.fast());

        awaitState(alive, ConnectionState.CONNECTED);
        Poll.until(WAIT, "checkout on the live cluster", () -> state.rollouts().get(CHECKOUT).isPresent());
        awaitState(dead, ConnectionState.UNREACHABLE);
        assertThat(awaitState(broken, ConnectionState.DISCONNECTED).message())
                .startsWith("Context 'broken' is not in kubeconfig Retrying in").contains("(attempt ");
        assertThat(state.rollouts().all()).allMatch(r -> r.ref().cluster().equals(ID));
    }

    @Test
    void aBrokenContextSaysWhatIsWrongWithTheKubeconfig() throws IOException {
        Path kubeconfig = dir.resolve("config");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                contexts:
                  - name: ghost
                    context:
                      cluster: gone
                """);
        KubeContexts kc = KubeContexts.load(List.of(kubeconfig));
        KubeCluster ghost = KubeCluster.forContext(kc, "ghost", state, RolloutActuator.readOnly(),
                KubeClusterWatchTest.fast());
        KubeCluster unknown = KubeCluster.forContext(kc, "prod-us", state, RolloutActuator.readOnly(),
                KubeClusterWatchTest.fast().withEnvironment(Environment.STAGING));
        clusters.add(ghost);
        clusters.add(unknown);
        ghost.start();
        unknown.start();

        assertThat(awaitState(ghost, ConnectionState.DISCONNECTED).message()).startsWith("Context 'ghost' in "
                + kubeconfig + " refers to cluster 'gone', which no kubeconfig file defines");
        assertThat(awaitState(unknown, ConnectionState.DISCONNECTED).message()).startsWith("Context 'prod-us' is not "
                + "in kubeconfig (read: " + kubeconfig + "). Known contexts: ghost.");
        assertThat(unknown.cluster().environment()).isEqualTo(Environment.STAGING);
        assertThat(unknown.cluster().simulated()).isFalse();
    }

    @Test
    void aKubeconfigContextConnectsThroughFabric8sConfig() throws IOException {
        Path kubeconfig = api.writeKubeconfig(dir.resolve("config"), "mock-prod");
        api.applyAll(KubeFixtures.load("canary-paused.yaml"));
        try (KubeClusters fleet = KubeClusters.create(KubeContexts.load(List.of(kubeconfig)), List.of("mock-prod"),
                state, RolloutActuator.readOnly(), name -> KubeClusterWatchTest.fast())) {
            fleet.startAll();
            KubeCluster c = fleet.get("mock-prod").orElseThrow();
            assertThat(c.cluster().environment()).isEqualTo(Environment.PRODUCTION);
            awaitState(c, ConnectionState.CONNECTED);
            Poll.until(WAIT, "checkout", () -> state.rollouts().get(CHECKOUT).isPresent());
            assertThat(fleet.backends()).containsOnlyKeys("mock-prod");
        }
        assertThat(state.rollouts().all()).isEmpty();
    }

    @Test
    void aLostServerIsReportedWhileTheLastKnownStateStays() {
        api.applyAll(KubeFixtures.load("canary-paused.yaml"));
        KubeCluster c = start(KubeClusterWatchTest.fast());
        awaitState(c, ConnectionState.CONNECTED);
        Poll.until(WAIT, "checkout", () -> state.rollouts().get(CHECKOUT).isPresent());

        api.close();
        api = null;

        ClusterStatus s = awaitState(c, ConnectionState.UNREACHABLE);
        assertThat(s.message()).contains("connection refused").endsWith("Showing the last known state; the watch "
                + "keeps retrying.");
        assertThat(state.rollouts().get(CHECKOUT)).isPresent();
    }
}
