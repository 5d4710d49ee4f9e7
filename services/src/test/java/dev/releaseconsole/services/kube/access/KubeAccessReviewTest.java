package dev.releaseconsole.services.kube.access;

import dev.releaseconsole.services.testing.MutableClock;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releaseconsole.services.actions.ActionType;
import dev.releaseconsole.services.actions.PermissionChecker;
import dev.releaseconsole.services.actions.Verdict;
import dev.releaseconsole.services.kube.actions.LoadtesterRef;
import dev.releaseconsole.services.model.ActionTarget;
import dev.releaseconsole.services.model.FlagRef;
import dev.releaseconsole.services.model.FlagTarget;
import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.model.Strategy;
import dev.releaseconsole.services.model.WorkloadKind;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SelfSubjectAccessReview and SelfSubjectReview against fabric8's mock API server in expectations mode: the server
 * answers each review allowed or not by the resource it asks about; the tests check the verdicts, the exact reason
 * text, what is asked, the cache, and that nothing blocks.
 */
class KubeAccessReviewTest {
    static final String SSAR = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";
    static final String SSR = "/apis/authentication.k8s.io/v1/selfsubjectreviews";
    static final RolloutRef API = new RolloutRef("prod-eu", "payments", "checkout-api", WorkloadKind.ARGO_ROLLOUT);
    static final RolloutRef PODINFO = new RolloutRef("prod-eu", "test", "podinfo", WorkloadKind.FLAGGER_CANARY);
    static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesMockServer server = new KubernetesMockServer(false);
    private KubernetesClient client;
    /** "namespace group resource/subresource verb" the fake RBAC allows. */
    private final Set<String> allowed = ConcurrentHashMap.newKeySet();
    private final List<JsonNode> asked = new CopyOnWriteArrayList<>();
    private final ManualExecutor background = new ManualExecutor();
    private final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T10:00:00Z"));
    private final AtomicInteger changes = new AtomicInteger();

    @BeforeEach
    void setUp() {
        server.init();
        client = server.createClient();
        server.expect().post().withPath(SSAR).andReply(201, request -> {
            try {
                JsonNode body = JSON.readTree(request.getUtf8Body());
                asked.add(body);
                JsonNode a = body.path("spec").path("resourceAttributes");
                String key = a.path("namespace").asText() + " " + a.path("group").asText() + " "
                        + a.path("resource").asText() + (a.path("subresource").asText("").isEmpty() ? ""
                        : "/" + a.path("subresource").asText()) + " " + a.path("verb").asText();
                ObjectNode answer = ((ObjectNode) body.deepCopy());
                answer.putObject("status").put("allowed", allowed.contains(key));
                return answer.toString();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).always();
    }

    @AfterEach
    void tearDown() {
        client.close();
        server.destroy();
    }

    private KubeAccessReview.Builder review() {
        return KubeAccessReview.builder("prod-eu", client).background(background).clock(clock);
    }

    private KubeAccessReview ready(KubeAccessReview.Builder b) {
        KubeAccessReview r = b.build();
        r.addListener(changes::incrementAndGet);
        return r;
    }

    // ------------------------------------------------------------------------------------------ verdicts

    @Test
    void aColdCacheSaysCheckingWithoutBlockingThenTheAnswerArrivesAndListenersRun() {
        allowed.add("payments argoproj.io rollouts/status patch");
        KubeAccessReview r = ready(review());

        Verdict first = r.mayPerform(ActionType.ABORT, API);

        assertThat(first.isRefused()).isTrue();
        assertThat(first.reason()).isEqualTo("checking permissions\u2026");
        assertThat(asked).as("nothing asked on the calling thread").isEmpty();
        assertThat(background.pending()).isEqualTo(1);

        background.runAll();

        assertThat(changes.get()).isEqualTo(1);
        assertThat(r.mayPerform(ActionType.ABORT, API).isAllowed()).isTrue();
        JsonNode attributes = asked.get(0).path("spec").path("resourceAttributes");
        assertThat(attributes.path("namespace").asText()).isEqualTo("payments");
        assertThat(attributes.path("group").asText()).isEqualTo("argoproj.io");
        assertThat(attributes.path("resource").asText()).isEqualTo("rollouts");
        assertThat(attributes.path("subresource").asText()).isEqualTo("status");
        assertThat(attributes.path("verb").asText()).isEqualTo("patch");
        assertThat(asked.get(0).path("apiVersion").asText()).isEqualTo("authorization.k8s.io/v1");
    }

    @Test
    void aRefusalNamesVerbResourceNamespaceAndCluster() {
        KubeAccessReview r = ready(review());
        r.mayPerform(ActionType.ABORT, API);
        background.runAll();

        Verdict v = r.mayPerform(ActionType.ABORT, API);

        assertThat(v.isRefused()).isTrue();
        assertThat(v.reason()).isEqualTo("you may not patch rollouts/status in namespace payments on cluster prod-eu");
    }

    @Test
    void pauseResumeAndRestartNeedPatchRollouts() {
        allowed.add("payments argoproj.io rollouts patch");
        KubeAccessReview r = ready(review());
        r.mayPerform(ActionType.PAUSE, API);
        background.runAll();

        assertThat(r.mayPerform(ActionType.PAUSE, API).isAllowed()).isTrue();
        assertThat(r.mayPerform(ActionType.RESUME, API).isAllowed()).isTrue();
        assertThat(r.mayPerform(ActionType.RESTART, API).isAllowed()).isTrue();
        r.mayPerform(ActionType.PROMOTE, API);
        background.runAll();
        assertThat(r.mayPerform(ActionType.PROMOTE, API).reason())
                .isEqualTo("you may not patch rollouts/status in namespace payments on cluster prod-eu");
        assertThat(asked).hasSize(2);
    }

    @Test
    void promotingAPausedRolloutAlsoNeedsPatchRollouts() {
        allowed.add("payments argoproj.io rollouts/status patch");
        Rollout paused = Rollout.builder(API, Strategy.CANARY).specPaused(true).build();
        KubeAccessReview r = ready(review().rolloutState(ref -> Optional.of(paused)));
        r.mayPerform(ActionType.PROMOTE, API);
        background.runAll();

        Verdict v = r.mayPerform(ActionType.PROMOTE, API);

        assertThat(v.reason()).isEqualTo("you may not patch rollouts in namespace payments on cluster prod-eu");
        assertThat(r.mayPerform(ActionType.ABORT, API).isAllowed()).isTrue();
    }

    @Test
    void flaggerLeversNeedPatchCanariesAndGatesNeedTheServiceProxy() {
        allowed.add("test flagger.app canaries patch");
        KubeAccessReview r = ready(review().loadtester(LoadtesterRef.defaultIn("flagger-system")));
        r.mayPerform(ActionType.PAUSE, PODINFO);
        r.mayPerform(ActionType.PROMOTE, PODINFO);
        background.runAll();

        assertThat(r.mayPerform(ActionType.PAUSE, PODINFO).isAllowed()).isTrue();
        assertThat(r.mayPerform(ActionType.PROMOTE_FULL, PODINFO).isAllowed()).isTrue();
        assertThat(r.mayPerform(ActionType.PROMOTE, PODINFO).reason())
                .isEqualTo("you may not create services/proxy in namespace flagger-system on cluster prod-eu");
        assertThat(r.mayPerform(ActionType.ABORT, PODINFO).reason())
                .isEqualTo("you may not create services/proxy in namespace flagger-system on cluster prod-eu");
        JsonNode proxy = asked.stream().map(a -> a.path("spec").path("resourceAttributes"))
                .filter(a -> "services".equals(a.path("resource").asText())).findFirst().orElseThrow();
        assertThat(proxy.path("group").asText()).isEmpty();
        assertThat(proxy.path("subresource").asText()).isEqualTo("proxy");
        assertThat(proxy.path("verb").asText()).isEqualTo("create");
    }

    @Test
    void flaggerGatesWithoutALoadtesterAreRefusedWithoutAsking() {
        KubeAccessReview r = ready(review());

        assertThat(r.mayPerform(ActionType.PROMOTE, PODINFO).reason())
                .startsWith("Flagger gates need the flagger-loadtester: configure");
        assertThat(background.pending()).isZero();
    }

    @Test
    void readOnlyModeTurnsEveryActionOffWithoutAsking() {
        allowed.add("payments argoproj.io rollouts/status patch");
        KubeAccessReview r = ready(review().readOnly(true));

        assertThat(r.mayPerform(ActionType.ABORT, API).reason()).isEqualTo("read-only mode: actions are off");
        assertThat(r.mayUndo(API).reason()).isEqualTo("read-only mode: actions are off");
        assertThat(background.pending()).isZero();
        r.setReadOnly(false);
        assertThat(r.mayPerform(ActionType.ABORT, API).reason()).isEqualTo("checking permissions\u2026");
    }

    @Test
    void undoAndTerminateAskWhatKubectlNeeds() {
        allowed.add("payments argoproj.io rollouts get");
        allowed.add("payments apps replicasets list");
        allowed.add("payments argoproj.io analysisruns patch");
        KubeAccessReview r = ready(review());
        r.mayUndo(API);
        r.mayTerminateAnalysis("payments");
        background.runAll();

        assertThat(r.mayUndo(API).reason()).isEqualTo("you may not patch rollouts in namespace payments on cluster "
                + "prod-eu");
        assertThat(r.mayTerminateAnalysis("payments").isAllowed()).isTrue();
    }

    // ------------------------------------------------------------------------------------------ cache

    @Test
    void aCachedAnswerIsNotAskedAgainUntilInvalidated() {
        allowed.add("payments argoproj.io rollouts/status patch");
        KubeAccessReview r = ready(review());
        r.mayPerform(ActionType.ABORT, API);
        background.runAll();
        for (int i = 0; i < 10; i++) {
            assertThat(r.mayPerform(ActionType.ABORT, API).isAllowed()).isTrue();
            assertThat(r.mayPerform(ActionType.RETRY, API).isAllowed()).isTrue();
        }
        assertThat(background.pending()).isZero();
        assertThat(asked).hasSize(1);

        r.invalidate();

        assertThat(r.mayPerform(ActionType.ABORT, API).reason()).isEqualTo("checking permissions\u2026");
        background.runAll();
        assertThat(asked).hasSize(2);
        assertThat(r.mayPerform(ActionType.ABORT, API).isAllowed()).isTrue();
    }

    @Test
    void anExpiredAnswerIsUsedWhileItIsRefreshed() {
        allowed.add("payments argoproj.io rollouts/status patch");
        KubeAccessReview r = ready(review().ttl(Duration.ofMinutes(5), Duration.ofSeconds(15)));
        r.mayPerform(ActionType.ABORT, API);
        background.runAll();
        clock.advance(Duration.ofMinutes(6));
        allowed.clear();

        assertThat(r.mayPerform(ActionType.ABORT, API).isAllowed()).as("old answer while refreshing").isTrue();
        background.runAll();

        assertThat(asked).hasSize(2);
        assertThat(r.mayPerform(ActionType.ABORT, API).reason()).startsWith("you may not patch rollouts/status");
    }

    @Test
    void concurrentQuestionsShareOneReview() {
        KubeAccessReview r = ready(review());
        r.mayPerform(ActionType.ABORT, API);
        r.mayPerform(ActionType.RETRY, API);
        r.mayPerform(ActionType.PROMOTE, API);

        assertThat(background.pending()).isEqualTo(1);
    }

    @Test
    void prefetchWarmsTheCacheForANamespaceInTheBackground() {
        allowed.add("payments argoproj.io rollouts/status patch");
        allowed.add("payments argoproj.io rollouts patch");
        KubeAccessReview r = ready(review());

        r.prefetch(List.of("payments"));
        assertThat(asked).isEmpty();
        background.runAll();

        int askedAfterPrefetch = asked.size();
        assertThat(askedAfterPrefetch).isEqualTo(4);
        assertThat(r.mayPerform(ActionType.ABORT, API).isAllowed()).isTrue();
        assertThat(r.mayPerform(ActionType.PAUSE, API).isAllowed()).isTrue();
        assertThat(background.pending()).isZero();
        assertThat(asked).hasSize(askedAfterPrefetch);
    }

    @Test
    void aCallerThatMayWaitGetsTheAnswerAtOnce() {
        allowed.add("payments argoproj.io rollouts/status patch");
        KubeAccessReview r = KubeAccessReview.builder("prod-eu", client)
                .blockingAllowed(() -> true, Duration.ofSeconds(5)).build();
        try {
            assertThat(r.mayPerform(ActionType.ABORT, API).isAllowed()).isTrue();
        } finally {
            r.close();
        }
    }

    // ------------------------------------------------------------------------------------------ failures

    @Test
    void aFailedReviewRefusesAndSaysWhy() {
        server.clearExpectations();
        server.expect().post().withPath(SSAR).andReturn(503, "{\"kind\":\"Status\",\"apiVersion\":\"v1\","
                + "\"status\":\"Failure\",\"message\":\"the server is currently unable to handle the request\","
                + "\"code\":503}").always();
        KubeAccessReview r = ready(review());
        r.mayPerform(ActionType.ABORT, API);
        background.runAll();

        Verdict v = r.mayPerform(ActionType.ABORT, API);

        assertThat(v.reason()).isEqualTo(
                "could not check permissions: 503 the server is currently unable to handle the request");
    }

    @Test
    void anUnreachableApiServerRefusesAndIsAskedAgainAfterTheFailureTtl() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl("http://127.0.0.1:" + port)
                .withOauthToken("secret-token").withRequestTimeout(2000).build();
        try (KubernetesClient dead = new KubernetesClientBuilder().withConfig(config).build()) {
            KubeAccessReview r = KubeAccessReview.builder("prod-eu", dead).background(background).clock(clock)
                    .ttl(Duration.ofMinutes(5), Duration.ofSeconds(15)).build();
            r.mayPerform(ActionType.ABORT, API);
            background.runAll();

            Verdict v = r.mayPerform(ActionType.ABORT, API);

            assertThat(v.reason()).startsWith("could not check permissions: could not reach the API server");
            assertThat(v.reason()).doesNotContain("secret-token");
            assertThat(background.pending()).isZero();
            clock.advance(Duration.ofSeconds(16));
            r.mayPerform(ActionType.ABORT, API);
            assertThat(background.pending()).as("asked again").isEqualTo(1);
        }
    }

    // ------------------------------------------------------------------------------------------ identity

    @Test
    void whoAmIIsTheUserNameFromSelfSubjectReviewAtTheCluster() {
        server.expect().post().withPath(SSR).andReturn(201, "{\"apiVersion\":\"authentication.k8s.io/v1\","
                + "\"kind\":\"SelfSubjectReview\",\"status\":{\"userInfo\":{\"username\":\"alice\","
                + "\"groups\":[\"sre\",\"system:authenticated\"]}}}").once();
        KubeAccessReview r = ready(review());

        assertThat(r.whoAmI(API)).as("kubeconfig user until the review answers")
                .isEqualTo("fabric8-mock-server-user@prod-eu");
        background.runAll();

        assertThat(r.whoAmI(API)).isEqualTo("alice@prod-eu");
        assertThat(r.whoAmI(API)).isEqualTo("alice@prod-eu");
        assertThat(background.pending()).as("cached").isZero();
        assertThat(changes.get()).isEqualTo(1);
    }

    @Test
    void olderClustersAnswerSelfSubjectReviewInV1beta1() {
        server.expect().post().withPath(SSR).andReturn(404, "{\"kind\":\"Status\",\"code\":404}").once();
        server.expect().post().withPath("/apis/authentication.k8s.io/v1beta1/selfsubjectreviews")
                .andReturn(201, "{\"status\":{\"userInfo\":{\"username\":\"bob@example.com\"}}}").once();
        KubeAccessReview r = ready(review());
        r.whoAmI(API);
        background.runAll();

        assertThat(r.whoAmI(API)).isEqualTo("bob@example.com@prod-eu");
    }

    @Test
    void withoutSelfSubjectReviewTheKubeconfigUserIsNamed() {
        KubeAccessReview r = ready(review().kubeconfigUser("alice-admin"));
        r.whoAmI(API);
        background.runAll();

        assertThat(r.whoAmI(API)).isEqualTo("alice-admin@prod-eu");
    }

    // ------------------------------------------------------------------------------------------ routing

    @Test
    void perClusterPermissionsRoutesByClusterAndFlagsToTheFlagsChecker() {
        allowed.add("payments argoproj.io rollouts/status patch");
        KubeAccessReview prod = ready(review());
        PermissionChecker demo = fixed(Verdict.refused("demo says no"), "demo-user (simulated)");
        PermissionChecker flags = fixed(Verdict.allowed(), "flag-admin");
        PerClusterPermissions all = new PerClusterPermissions(Map.of("demo-eu", demo, "prod-eu", prod), flags);
        prod.mayPerform(ActionType.ABORT, API);
        background.runAll();

        assertThat(all.mayPerform(ActionType.ABORT, API).isAllowed()).isTrue();
        RolloutRef demoRef = new RolloutRef("demo-eu", "shop", "cart", WorkloadKind.ARGO_ROLLOUT);
        assertThat(all.mayPerform(ActionType.ABORT, demoRef).reason()).isEqualTo("demo says no");
        assertThat(all.whoAmI(demoRef)).isEqualTo("demo-user (simulated)");
        FlagTarget flag = new FlagTarget(new FlagRef("unleash", "new-checkout"), "production");
        assertThat(all.mayPerform(ActionType.FLAG_OFF, flag).isAllowed()).isTrue();
        assertThat(all.whoAmI(flag)).isEqualTo("flag-admin");
        RolloutRef gone = new RolloutRef("staging", "shop", "cart", WorkloadKind.ARGO_ROLLOUT);
        assertThat(all.mayPerform(ActionType.ABORT, gone).reason()).isEqualTo("cluster staging is not connected");
        all.put("staging", demo);
        assertThat(all.mayPerform(ActionType.ABORT, gone).reason()).isEqualTo("demo says no");
    }

    @Test
    void aKubeCheckerRefusesTargetsOfOtherClustersAndFlags() {
        KubeAccessReview r = ready(review());
        RolloutRef other = new RolloutRef("prod-us", "payments", "checkout-api", WorkloadKind.ARGO_ROLLOUT);

        assertThat(r.mayPerform(ActionType.ABORT, other).reason()).contains("belongs to cluster prod-us");
        assertThat(r.mayPerform(ActionType.FLAG_OFF, new FlagTarget(new FlagRef("u", "f"), "prod")).isRefused())
                .isTrue();
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static PermissionChecker fixed(Verdict verdict, String user) {
        return new PermissionChecker() {
            @Override
            public Verdict mayPerform(ActionType action, ActionTarget target) {
                return verdict;
            }

            @Override
            public String whoAmI(ActionTarget target) {
                return user;
            }
        };
    }

    /** Runs background work only when the test says so, to observe "checking permissions…". */
    static final class ManualExecutor implements Executor {
        private final Queue<Runnable> queue = new ArrayDeque<>();

        @Override
        public synchronized void execute(Runnable command) {
            queue.add(command);
        }

        synchronized int pending() {
            return queue.size();
        }

        void runAll() {
            while (true) {
                Runnable next;
                synchronized (this) {
                    next = queue.poll();
                }
                if (next == null) {
                    return;
                }
                next.run();
            }
        }
    }
}
