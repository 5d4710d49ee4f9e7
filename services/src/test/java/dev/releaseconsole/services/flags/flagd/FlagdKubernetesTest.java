package dev.releaseconsole.services.flags.flagd;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.releaseconsole.services.actions.ActionException;
import dev.releaseconsole.services.actions.ActionInput;
import dev.releaseconsole.services.actions.ActionResult;
import dev.releaseconsole.services.actions.ActionType;
import dev.releaseconsole.services.actions.FlagProvider;
import dev.releaseconsole.services.actions.Outcome;
import dev.releaseconsole.services.actions.PermissionChecker;
import dev.releaseconsole.services.actions.ReleaseActions;
import dev.releaseconsole.services.actions.TargetOutcome;
import dev.releaseconsole.services.actions.Verdict;
import dev.releaseconsole.services.governance.SqliteAuditLog;
import dev.releaseconsole.services.kube.MockApi;
import dev.releaseconsole.services.model.ActionTarget;
import dev.releaseconsole.services.model.Environment;
import dev.releaseconsole.services.model.Flag;
import dev.releaseconsole.services.model.FlagRef;
import dev.releaseconsole.services.model.FlagTarget;
import dev.releaseconsole.services.store.LiveState;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * flagd definitions in a ConfigMap and in the OpenFeature Operator's FeatureFlag resource, edited through fabric8
 * against its mock API server in CRUD mode (which enforces resourceVersion on PUT, as kube-apiserver does).
 */
class FlagdKubernetesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NS = "shop";
    private static final String CM_PATH = "/api/v1/namespaces/shop/configmaps/flags";
    private static final String FF_PATH = "/apis/core.openfeature.dev/v1beta1/namespaces/shop/featureflags/checkout";

    @TempDir
    Path dir;

    private final LiveState state = new LiveState();
    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    private MockApi api;
    private SqliteAuditLog audit;
    private FlagdProvider configMapFlags;
    private FlagdProvider featureFlagFlags;
    private ReleaseActions actions;

    @BeforeEach
    void setUp() throws Exception {
        api = new MockApi();
        api.serveCustomResource(FeatureFlagDefinitions.FEATURE_FLAGS, true);
        api.client().configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("flags")
                .withNamespace(NS).addToLabels("app", "flagd").addToAnnotations("owner", "team-checkout").endMetadata()
                .addToData("flags.json", FlagdDocumentTest.fixture()).addToData("README", "edited by hand")
                .build()).create();
        api.client().genericKubernetesResources(FeatureFlagDefinitions.FEATURE_FLAGS).inNamespace(NS)
                .resource(new GenericKubernetesResourceBuilder().withApiVersion("core.openfeature.dev/v1beta1")
                        .withKind("FeatureFlag").withNewMetadata().withName("checkout").withNamespace(NS)
                        .addToAnnotations("argocd.argoproj.io/tracking-id", "shop:core.openfeature.dev/FeatureFlag")
                        .endMetadata().addToAdditionalProperties("spec", Map.of("flagSpec", fixtureAsMap()))
                        .build()).create();
        configMapFlags = new FlagdProvider("flagd-cm", "production", Environment.PRODUCTION,
                new ConfigMapDefinitions(() -> Optional.of(api.client()), "prod-eu", NS, "flags", "flags.json"));
        featureFlagFlags = new FlagdProvider("flagd-ff", "staging", Environment.STAGING,
                new FeatureFlagDefinitions(() -> Optional.of(api.client()), "prod-eu", NS, "checkout"));
        state.flags().upsertAll(configMapFlags.list());
        state.flags().upsertAll(featureFlagFlags.list());
        audit = SqliteAuditLog.open(dir.resolve("audit.db"), Clock.systemUTC());
        PermissionChecker everyone = new PermissionChecker() {
            @Override
            public Verdict mayPerform(ActionType action, ActionTarget target) {
                return Verdict.allowed();
            }

            @Override
            public String whoAmI(ActionTarget target) {
                return "alice";
            }
        };
        actions = new ReleaseActions(state, Map.of(), Map.of("flagd-cm", configMapFlags, "flagd-ff", featureFlagFlags),
                everyone, request -> Verdict.allowed(), audit, Clock.systemUTC(), pool);
    }

    @AfterEach
    void tearDown() {
        pool.shutdownNow();
        audit.close();
        api.close();
    }

    @Test
    void flagsAreListedWithStateRolloutAndTargetingFromTheConfigMap() throws Exception {
        Flag rollout = configMapFlags.read(new FlagRef("flagd-cm", "new-checkout-flow")).orElseThrow();

        assertThat(rollout.owner()).isEqualTo("alice@example.com");
        assertThat(rollout.type().label()).isEqualTo("release");
        assertThat(rollout.environments()).singleElement().satisfies(e -> {
            assertThat(e.environment()).isEqualTo("production");
            assertThat(e.tier()).isEqualTo(Environment.PRODUCTION);
            assertThat(e.enabled()).isTrue();
            assertThat(e.rolloutPercent()).isEqualTo(10);
            assertThat(e.targeting()).isEqualTo("fractional: on 10% / off 90% (by userId)");
        });
        assertThat(configMapFlags.list()).extracting(f -> f.ref().key()).containsExactly("new-checkout-flow",
                "checkout-fast-path", "beta-banner", "eu-pricing", "search-ranking", "weekday-discount");
        assertThat(configMapFlags.kind()).isEqualTo("flagd-configmap");
        assertThat(featureFlagFlags.kind()).isEqualTo("flagd-featureflag");
    }

    @Test
    void turningOffAFlagInAConfigMapChangesThatValueOnlyAndIsConfirmed() {
        ActionResult result = actions.execute(ActionType.FLAG_OFF, cm("checkout-fast-path"), "incident 42");

        TargetOutcome outcome = result.outcomes().get(0);
        assertThat(outcome.outcome()).isEqualTo(Outcome.SUCCEEDED);
        ConfigMap after = configMap();
        assertThat(after.getData().get("flags.json")).isEqualTo(FlagdDocumentTest.fixture()
                .replace("\"state\"   : \"ENABLED\"", "\"state\"   : \"DISABLED\""));
        assertThat(after.getData().get("README")).isEqualTo("edited by hand");
        assertThat(after.getMetadata().getLabels()).containsEntry("app", "flagd");
        assertThat(after.getMetadata().getAnnotations()).containsEntry("owner", "team-checkout");
        assertThat(audit.query(dev.releaseconsole.services.governance.AuditQuery.latest(1)).get(0).detail())
                .contains("sent: PUT " + CM_PATH + " (resourceVersion ")
                .contains("flags.checkout-fast-path.state ENABLED -> DISABLED");
    }

    @Test
    void theRolloutPercentageInAConfigMapChangesBothWeights() {
        ActionResult result = actions.execute(ActionType.FLAG_SET_ROLLOUT, cm("new-checkout-flow"),
                ActionInput.percent(25), null);

        assertThat(result.outcomes().get(0).outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(configMap().getData().get("flags.json")).isEqualTo(FlagdDocumentTest.fixture()
                .replace("[ \"on\", 10 ]", "[ \"on\", 25 ]").replace("[ \"off\", 90 ]", "[ \"off\", 75 ]"));
    }

    @Test
    void aConflictIsRetriedOnTheFreshObjectKeepingTheOtherWritersChange() throws Exception {
        ConfigMap stale = configMap();
        // somebody else edits the ConfigMap after the console read it...
        api.client().configMaps().inNamespace(NS).withName("flags").edit(cm -> {
            cm.getData().put("README", "their edit");
            cm.getData().put("flags.json", cm.getData().get("flags.json").replace("\"version\": \"7\"",
                    "\"version\": \"8\""));
            return cm;
        });
        api.answerOnce("GET", CM_PATH, 200, stale); // ...so the console's first read is the old version

        String sent = configMapFlags.setEnabled(new FlagRef("flagd-cm", "checkout-fast-path"), "production", false);

        assertThat(sent).contains("after 1 conflict(s)");
        ConfigMap after = configMap();
        assertThat(after.getData().get("README")).isEqualTo("their edit");
        assertThat(after.getData().get("flags.json")).isEqualTo(FlagdDocumentTest.fixture()
                .replace("\"version\": \"7\"", "\"version\": \"8\"")
                .replace("\"state\"   : \"ENABLED\"", "\"state\"   : \"DISABLED\""));
    }

    @Test
    void aForbiddenWriteIsReportedAsDeniedAndChangesNothing() {
        api.answerOnce("PUT", CM_PATH, 403, MockApi.status(403, "Forbidden", "configmaps \"flags\" is forbidden: "
                + "User \"alice\" cannot update resource \"configmaps\" in API group \"\" in the namespace \"shop\""));

        ActionResult result = actions.execute(ActionType.FLAG_OFF, cm("checkout-fast-path"), null);

        TargetOutcome outcome = result.outcomes().get(0);
        assertThat(outcome.outcome()).isEqualTo(Outcome.DENIED);
        assertThat(outcome.message()).contains("403 Forbidden: you may not update configmaps in namespace shop on"
                + " cluster prod-eu").contains("cannot update resource");
        assertThat(configMap().getData().get("flags.json")).isEqualTo(FlagdDocumentTest.fixture());
    }

    @Test
    void aMalformedDocumentIsReportedAndKeptExactlyAsItWas() {
        String broken = FlagdDocumentTest.fixture().replace("\"variants\": {\"on\": true, \"off\": false},",
                "\"variants\": {\"on\": true, \"off\": false}");
        api.client().configMaps().inNamespace(NS).withName("flags").edit(cm -> {
            cm.getData().put("flags.json", broken);
            return cm;
        });

        ActionResult result = actions.execute(ActionType.FLAG_OFF, cm("checkout-fast-path"), null);

        assertThat(result.outcomes().get(0).outcome()).isEqualTo(Outcome.FAILED);
        assertThat(result.outcomes().get(0).message())
                .contains("ConfigMap shop/flags key flags.json on cluster prod-eu is not valid JSON at line 22");
        assertThat(configMap().getData().get("flags.json")).isEqualTo(broken);
        assertThatThrownBy(configMapFlags::list).isInstanceOf(ActionException.class)
                .satisfies(e -> assertThat(((ActionException) e).reason()).isEqualTo(ActionException.Reason.INVALID));
    }

    @Test
    void aMissingKeyOrObjectOrClusterSaysWhatIsMissing() {
        FlagProvider wrongKey = new FlagdProvider("x", "production", Environment.PRODUCTION,
                new ConfigMapDefinitions(() -> Optional.of(api.client()), "prod-eu", NS, "flags", "flagd.json"));
        FlagProvider noObject = new FlagdProvider("x", "production", Environment.PRODUCTION,
                new ConfigMapDefinitions(() -> Optional.of(api.client()), "prod-eu", NS, "nope", "flags.json"));
        FlagProvider offline = new FlagdProvider("x", "production", Environment.PRODUCTION,
                new FeatureFlagDefinitions(Optional::empty, "prod-eu", NS, "checkout"));

        assertThatThrownBy(wrongKey::list).hasMessageContaining("the ConfigMap has only the keys [README, flags.json]");
        assertThatThrownBy(noObject::list).hasMessageContaining("ConfigMap shop/nope key flags.json on cluster"
                + " prod-eu does not exist");
        assertThatThrownBy(offline::list).hasMessageContaining("cluster prod-eu is not connected");
    }

    @Test
    void aFeatureFlagResourceIsEditedInItsFlagSpecOnly() throws Exception {
        JsonNode before = JSON.valueToTree(featureFlag().getAdditionalProperties().get("spec"));

        ActionResult off = actions.execute(ActionType.FLAG_OFF, ff("checkout-fast-path"), null);
        ActionResult ramp = actions.execute(ActionType.FLAG_SET_ROLLOUT, ff("new-checkout-flow"),
                ActionInput.percent(40), null);

        assertThat(off.outcomes().get(0).outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(ramp.outcomes().get(0).outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(ramp.outcomes().get(0).stateAfter()).isEqualTo("on in staging at 40%");
        GenericKubernetesResource after = featureFlag();
        ObjectNode wanted = before.deepCopy();
        ((ObjectNode) wanted.at("/flagSpec/flags/checkout-fast-path")).set("state", TextNode.valueOf("DISABLED"));
        ArrayNode fractional = (ArrayNode) wanted.at("/flagSpec/flags/new-checkout-flow/targeting/fractional");
        ((ArrayNode) fractional.get(1)).set(1, IntNode.valueOf(40));
        ((ArrayNode) fractional.get(2)).set(1, IntNode.valueOf(60));
        assertThat((JsonNode) JSON.valueToTree(after.getAdditionalProperties().get("spec"))).isEqualTo(wanted);
        assertThat(after.getMetadata().getAnnotations()).containsKey("argocd.argoproj.io/tracking-id");
    }

    @Test
    void aFeatureFlagConflictIsRetriedOnTheFreshResource() throws Exception {
        GenericKubernetesResource stale = featureFlag();
        api.client().genericKubernetesResources(FeatureFlagDefinitions.FEATURE_FLAGS).inNamespace(NS)
                .withName("checkout").edit(ff -> {
                    ff.getMetadata().getAnnotations().put("their", "edit");
                    return ff;
                });
        api.answerOnce("GET", FF_PATH, 200, stale);

        String sent = featureFlagFlags.setRolloutPercent(new FlagRef("flagd-ff", "new-checkout-flow"), "staging", 30);

        assertThat(sent).startsWith("PUT " + FF_PATH).contains("after 1 conflict(s)");
        assertThat(featureFlag().getMetadata().getAnnotations()).containsEntry("their", "edit");
        assertThat(featureFlagFlags.read(new FlagRef("flagd-ff", "new-checkout-flow")).orElseThrow()
                .environment("staging").orElseThrow().rolloutPercent()).isEqualTo(30);
    }

    @Test
    void anotherEnvironmentThanTheSourcesIsRefused() {
        assertThatThrownBy(() -> featureFlagFlags.setEnabled(new FlagRef("flagd-ff", "beta-banner"), "production",
                true)).hasMessageContaining("holds environment staging only, not production");
    }

    private ConfigMap configMap() {
        return api.client().configMaps().inNamespace(NS).withName("flags").get();
    }

    private GenericKubernetesResource featureFlag() {
        return api.client().genericKubernetesResources(FeatureFlagDefinitions.FEATURE_FLAGS).inNamespace(NS)
                .withName("checkout").get();
    }

    private static FlagTarget cm(String key) {
        return new FlagTarget(new FlagRef("flagd-cm", key), "production");
    }

    private static FlagTarget ff(String key) {
        return new FlagTarget(new FlagRef("flagd-ff", key), "staging");
    }

    private static Map<String, Object> fixtureAsMap() throws Exception {
        return JSON.readValue(FlagdDocumentTest.fixture(), new TypeReference<LinkedHashMap<String, Object>>() { });
    }
}
