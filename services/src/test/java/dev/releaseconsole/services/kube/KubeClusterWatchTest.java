package dev.releaseconsole.services.kube;

import dev.releaseconsole.services.actions.ActionException;
import dev.releaseconsole.services.actions.ActionType;
import dev.releaseconsole.services.model.AnalysisPhase;
import dev.releaseconsole.services.model.AnalysisRun;
import dev.releaseconsole.services.model.ClusterRef;
import dev.releaseconsole.services.model.ConnectionState;
import dev.releaseconsole.services.model.Environment;
import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.model.RolloutEvent;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.model.Strategy;
import dev.releaseconsole.services.model.WorkloadKind;
import dev.releaseconsole.services.store.LiveState;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.WatchEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A KubeCluster against fabric8's mock API server in CRUD mode: listing, watching, coalescing, events, reads. */
class KubeClusterWatchTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final String ID = "mock-prod";
    static final RolloutRef CHECKOUT = new RolloutRef(ID, "shop", "checkout", WorkloadKind.ARGO_ROLLOUT);
    static final RolloutRef PAYMENTS = new RolloutRef(ID, "shop", "payments", WorkloadKind.ARGO_ROLLOUT);
    static final RolloutRef PODINFO = new RolloutRef(ID, "apps", "podinfo", WorkloadKind.FLAGGER_CANARY);

    MockApi api;
    LiveState state;
    KubeCluster cluster;
    final List<Object[]> performed = new ArrayList<>();

    static KubeCluster.Settings fast() {
        return KubeCluster.Settings.defaults().withBackoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                .withHealthInterval(Duration.ofMillis(200));
    }

    @BeforeEach
    void setUp() {
        api = new MockApi();
        state = new LiveState();
    }

    @AfterEach
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
        api.close();
    }

    private KubeCluster connect() {
        cluster = new KubeCluster(new ClusterRef(ID, ID, Environment.PRODUCTION, false), () -> api.config("shop"),
                api.url(), "token", state, (client, action, current, input) -> {
                    performed.add(new Object[] {client, action, current});
                    return "PATCH rollouts/status {\"status\":{\"pauseConditions\":null}}";
                }, fast());
        cluster.start();
        Poll.until(WAIT, "cluster connected", () -> cluster.status().state() == ConnectionState.CONNECTED,
                () -> cluster.status());
        return cluster;
    }

    private Rollout await(RolloutRef ref) {
        Poll.until(WAIT, ref + " in live state", () -> state.rollouts().get(ref).isPresent(),
                () -> state.rollouts().all());
        return state.rollouts().get(ref).orElseThrow();
    }

    @Test
    void listsEveryRolloutWithItsReplicaSetsAndAnalysisRuns() {
        api.applyAll(KubeFixtures.load("canary-paused.yaml"));
        api.applyAll(KubeFixtures.load("canary-analysis.yaml"));
        api.applyAll(KubeFixtures.load("flagger-progressing.yaml"));
        connect();

        assertThat(state.clusters().get(ID)).hasValueSatisfying(s -> {
            assertThat(s.state()).isEqualTo(ConnectionState.CONNECTED);
            assertThat(s.message()).isEqualTo("Connected to " + api.url() + ". Watching all namespaces.");
            assertThat(s.cluster().environment()).isEqualTo(Environment.PRODUCTION);
        });
        Rollout checkout = await(CHECKOUT);
        assertThat(checkout.stepLabel()).isEqualTo("1/7");
        assertThat(checkout.actualWeight()).isEqualTo(20);
        assertThat(checkout.displayPhase()).isEqualTo(Rollout.PAUSED);
        Poll.until(WAIT, "payments with its analysis runs and revisions", () -> state.rollouts().get(PAYMENTS)
                .map(r -> r.analysisRuns().size() == 2 && r.revisions().size() == 2).orElse(false));
        Poll.until(WAIT, "checkout with its revisions", () -> state.rollouts().get(CHECKOUT)
                .map(r -> r.revisions().size() == 3).orElse(false));
        Rollout payments = state.rollouts().get(PAYMENTS).orElseThrow();
        assertThat(payments.analysisRuns()).extracting(AnalysisRun::name)
                .containsExactly("payments-6d5f7c9b8-3-2", "payments-7f8c6d5b4-2-2"); // billing's run is not linked
        assertThat(payments.actualWeight()).isEqualTo(25);
        Rollout podinfo = await(PODINFO);
        assertThat(podinfo.strategy()).isEqualTo(Strategy.FLAGGER_CANARY);
        assertThat(podinfo.actualWeight()).isEqualTo(30);
        assertThat(state.rollouts().all()).hasSize(3);
        assertThat(cluster.client()).isPresent();
    }

    @Test
    void statusPatchReachesLiveStateAndRecordsEvents() {
        api.applyAll(KubeFixtures.load("canary-paused.yaml"));
        connect();
        await(CHECKOUT);
        List<RolloutEvent> seen = new ArrayList<>();
        state.addEventListener(seen::add);

        Instant sent = Instant.now();
        api.editStatus(KubeObjects.ROLLOUTS, "shop", "checkout", s -> {
            s.remove("pauseConditions");
            s.put("controllerPause", false);
            s.put("currentStepIndex", 3);
            s.put("phase", "Progressing");
            s.put("message", "");
            s.put("canary", Map.of("weights", Map.of("canary", Map.of("weight", 40), "stable",
                    Map.of("weight", 60))));
        });
        Poll.until(Duration.ofSeconds(5), "the patched status in live state", () -> state.rollouts().get(CHECKOUT)
                .map(r -> Integer.valueOf(3).equals(r.currentStepIndex()) && r.actualWeight() == 40).orElse(false),
                () -> state.rollouts().get(CHECKOUT));

        // the events are recorded right after the new state is published: wait for them too
        Poll.until(Duration.ofSeconds(5), "the events of the patch", () -> state.events(CHECKOUT).size() >= 4,
                () -> state.events(CHECKOUT));

        Rollout r = state.rollouts().get(CHECKOUT).orElseThrow();
        assertThat(r.desiredWeight()).isEqualTo(40);
        assertThat(r.stepStartedAt()).isNotNull().isAfterOrEqualTo(sent.minusSeconds(1)); // observed by the watch
        List<RolloutEvent> events = state.events(CHECKOUT);
        assertThat(events).extracting(RolloutEvent::reason).containsExactly("RolloutStepCompleted",
                "RolloutStepCompleted", "TrafficWeightUpdated", "RolloutResumed");
        assertThat(events).extracting(RolloutEvent::message).containsExactly(
                "Rollout step 2/7 completed (pause)", "Rollout step 3/7 completed (setWeight: 40)",
                "Traffic weight updated from 20 to 40", "Rollout is resumed");
        assertThat(events).allSatisfy(e -> {
            assertThat(e.stepIndex()).isEqualTo(3);
            assertThat(e.weight()).isEqualTo(40);
        });
        assertThat(seen).hasSize(4);
    }

    @Test
    void anAnalysisRunChangeRemapsItsRollout() {
        api.applyAll(KubeFixtures.load("canary-analysis.yaml"));
        connect();
        Poll.until(WAIT, "payments with its runs", () -> state.rollouts().get(PAYMENTS)
                .map(r -> r.analysisRuns().size() == 2).orElse(false));

        api.editWhole(KubeObjects.ANALYSIS_RUNS, "shop", "payments-6d5f7c9b8-3-2", s -> {
            s.put("phase", "Failed");
            s.put("message", "Metric \"error-rate\" assessed Failed due to failed (2) > failureLimit (1)");
        });
        Poll.until(Duration.ofSeconds(5), "the failed run on payments", () -> state.rollouts().get(PAYMENTS)
                .flatMap(Rollout::latestAnalysis).map(a -> a.phase() == AnalysisPhase.Failed).orElse(false));
        assertThat(state.events(PAYMENTS)).extracting(RolloutEvent::reason, RolloutEvent::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple("AnalysisRunFailed", "AnalysisRun 'payments-6d5f7c9b8-3-2' "
                        + "failed: Metric \"error-rate\" assessed Failed due to failed (2) > failureLimit (1)"));
    }

    @Test
    void aDeletedRolloutDisappears() {
        api.applyAll(KubeFixtures.load("canary-paused.yaml"));
        api.applyAll(KubeFixtures.load("canary-analysis.yaml"));
        connect();
        await(CHECKOUT);
        await(PAYMENTS);

        api.delete(KubeObjects.ROLLOUTS, "shop", "checkout");
        Poll.until(Duration.ofSeconds(5), "checkout gone", () -> state.rollouts().get(CHECKOUT).isEmpty());
        assertThat(state.rollouts().get(PAYMENTS)).isPresent();
    }

    @Test
    void aListReplacesEverythingThisClusterHadSoDeletedRolloutsDisappear() {
        RolloutRef ghost = new RolloutRef(ID, "shop", "deleted-while-away", WorkloadKind.ARGO_ROLLOUT);
        RolloutRef elsewhere = new RolloutRef("other-cluster", "shop", "checkout", WorkloadKind.ARGO_ROLLOUT);
        state.rollouts().upsert(Rollout.builder(ghost, Strategy.CANARY).build());
        state.rollouts().upsert(Rollout.builder(elsewhere, Strategy.CANARY).build());
        api.applyAll(KubeFixtures.load("canary-paused.yaml"));
        connect();

        await(CHECKOUT);
        Poll.until(WAIT, "the ghost removed by the list", () -> state.rollouts().get(ghost).isEmpty());
        assertThat(state.rollouts().get(elsewhere)).isPresent();
    }

    @Test
    void aRelistAfter410GonePublishesTheFreshListSoDeletedRolloutsDisappear() {
        api.applyAll(KubeFixtures.load("canary-paused.yaml"));
        // the first list is stale (it still has a rollout deleted since); the watch from its resourceVersion
        // answers 410 Gone, as the API server does once etcd has compacted that version; fabric8 re-lists
        GenericKubernetesResource checkout = api.client.genericKubernetesResources(KubeObjects.ROLLOUTS)
                .inNamespace("shop").withName("checkout").get();
        GenericKubernetesResource stale = new GenericKubernetesResourceBuilder()
                .withApiVersion("argoproj.io/v1alpha1").withKind("Rollout")
                .withNewMetadata().withName("deleted-meanwhile").withNamespace("shop").withUid("uid-stale")
                .withResourceVersion("1").endMetadata().build();
        GenericKubernetesResourceList staleList = new GenericKubernetesResourceList();
        staleList.setMetadata(new io.fabric8.kubernetes.api.model.ListMetaBuilder().withResourceVersion("1").build());
        staleList.setItems(List.of(checkout, stale));
        api.server.expect().get().withPath(MockApi.ROLLOUTS_ALL).andReturn(200, staleList).once();
        api.server.expect().get().withPath("/apis/argoproj.io/v1alpha1/rollouts?allowWatchBookmarks=true"
                + "&resourceVersion=1&timeoutSeconds=600&watch=true").andUpgradeToWebSocket().open()
                .waitFor(50).andEmit(new WatchEvent(new StatusBuilder().withCode(410).withReason("Expired")
                        .withMessage("too old resource version: 1").build(), "ERROR")).done().once();
        RolloutRef staleRef = new RolloutRef(ID, "shop", "deleted-meanwhile", WorkloadKind.ARGO_ROLLOUT);
        connect();

        await(CHECKOUT);
        Poll.until(WAIT, "the re-list to drop the deleted rollout", () -> state.rollouts().get(staleRef).isEmpty()
                && state.rollouts().get(CHECKOUT).isPresent(), () -> state.rollouts().all());
        Poll.until(WAIT, "the watch running again", () -> cluster.status().state() == ConnectionState.CONNECTED);
        assertThat(requests()).filteredOn(MockApi.ROLLOUTS_ALL::equals).hasSize(2); // listed, then re-listed
    }

    private List<String> requests() {
        List<String> paths = new ArrayList<>();
        try {
            io.fabric8.mockwebserver.http.RecordedRequest r;
            while ((r = api.server.takeRequest(10, java.util.concurrent.TimeUnit.MILLISECONDS)) != null) {
                paths.add(r.getPath());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return paths;
    }

    @Test
    void malformedObjectsAreListedWithTheirProblemsAndDoNotBreakOthers() {
        api.applyAll(KubeFixtures.load("malformed.yaml"));
        api.applyAll(KubeFixtures.load("canary-paused.yaml"));
        connect();

        Poll.until(WAIT, "all five objects", () -> state.rollouts().size() == 5, () -> state.rollouts().all());
        Rollout broken = state.rollouts().get(new RolloutRef(ID, "shop", "broken-types",
                WorkloadKind.ARGO_ROLLOUT)).orElseThrow();
        assertThat(broken.readProblems()).contains("status.currentStepIndex is 'abc', not a number",
                "spec.replicas is 'three', not a number");
        Rollout noStatus = state.rollouts().get(new RolloutRef(ID, "shop", "no-status", WorkloadKind.ARGO_ROLLOUT))
                .orElseThrow();
        assertThat(noStatus.displayPhase()).isEqualTo(Rollout.PROGRESSING);
        assertThat(noStatus.readProblems()).isEmpty();
        Rollout weird = state.rollouts().get(new RolloutRef(ID, "shop", "weird-shape", WorkloadKind.ARGO_ROLLOUT))
                .orElseThrow();
        assertThat(weird.readProblems()).contains("spec is 'oops', not a mapping");
        assertThat(state.rollouts().get(new RolloutRef(ID, "apps", "flagger-bad", WorkloadKind.FLAGGER_CANARY)))
                .hasValueSatisfying(c -> assertThat(c.readProblems()).isNotEmpty());
        assertThat(state.rollouts().get(CHECKOUT)).hasValueSatisfying(c -> assertThat(c.readProblems()).isEmpty());
    }

    @Test
    void readIsAFreshGetOfTheCrWithItsRunsAndReplicaSets() throws ActionException {
        api.applyAll(KubeFixtures.load("canary-analysis.yaml"));
        connect();

        api.editStatus(KubeObjects.ROLLOUTS, "shop", "payments", s -> s.put("phase", "Degraded"));
        Optional<Rollout> read = cluster.read(PAYMENTS);
        assertThat(read).hasValueSatisfying(r -> {
            assertThat(r.phase()).isEqualTo(Rollout.DEGRADED);
            assertThat(r.analysisRuns()).hasSize(2);
            assertThat(r.revisions()).hasSize(2);
        });
        assertThat(cluster.read(new RolloutRef(ID, "shop", "nope", WorkloadKind.ARGO_ROLLOUT))).isEmpty();
        api.applyAll(KubeFixtures.load("flagger-progressing.yaml"));
        assertThat(cluster.read(PODINFO)).hasValueSatisfying(r -> assertThat(r.actualWeight()).isEqualTo(30));
    }

    @Test
    void performHandsTheActionToTheActuatorWithTheClustersClient() throws ActionException {
        api.applyAll(KubeFixtures.load("canary-paused.yaml"));
        connect();
        Rollout checkout = await(CHECKOUT);

        String sent = cluster.perform(ActionType.PROMOTE, checkout);

        assertThat(sent).isEqualTo("PATCH rollouts/status {\"status\":{\"pauseConditions\":null}}");
        assertThat(performed).singleElement().satisfies(call -> {
            assertThat(call[0]).isSameAs(cluster.client().orElseThrow());
            assertThat(call[1]).isEqualTo(ActionType.PROMOTE);
            assertThat(call[2]).isEqualTo(checkout);
        });
        assertThat(cluster.clock().getZone()).isEqualTo(java.time.ZoneOffset.UTC);
    }

    @Test
    void actionsBeforeConnectingAreUnavailable() {
        KubeCluster idle = new KubeCluster(new ClusterRef("idle", "idle", Environment.DEVELOPMENT, false),
                () -> api.config("shop"), api.url(), "token", state, RolloutActuator.readOnly(), fast());
        try {
            Rollout r = Rollout.builder(new RolloutRef("idle", "shop", "x", WorkloadKind.ARGO_ROLLOUT),
                    Strategy.CANARY).build();
            assertThatThrownBy(() -> idle.perform(ActionType.ABORT, r)).isInstanceOf(ActionException.class)
                    .satisfies(e -> assertThat(((ActionException) e).reason())
                            .isEqualTo(ActionException.Reason.UNAVAILABLE))
                    .hasMessageContaining("Cluster idle is not connected");
        } finally {
            idle.close();
        }
    }

    @Test
    void closingRemovesTheClustersRolloutsAndSaysSo() {
        api.applyAll(KubeFixtures.load("canary-paused.yaml"));
        connect();
        await(CHECKOUT);

        cluster.close();
        assertThat(state.rollouts().get(CHECKOUT)).isEmpty();
        assertThat(state.clusters().get(ID)).hasValueSatisfying(s ->
                assertThat(s.state()).isEqualTo(ConnectionState.DISCONNECTED));
        assertThat(cluster.client()).isEmpty();
    }

    @Test
    void environmentIsGuessedFromTheNames() {
        assertThat(KubeCluster.guessEnvironment("gke_shop-prod_europe-west1")).isEqualTo(Environment.PRODUCTION);
        assertThat(KubeCluster.guessEnvironment("eu-1", "PROD-cluster")).isEqualTo(Environment.PRODUCTION);
        assertThat(KubeCluster.guessEnvironment("staging-eu")).isEqualTo(Environment.STAGING);
        assertThat(KubeCluster.guessEnvironment("kind-dev", null)).isEqualTo(Environment.DEVELOPMENT);
    }
}
