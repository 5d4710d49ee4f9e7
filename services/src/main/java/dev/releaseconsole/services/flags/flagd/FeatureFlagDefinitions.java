package dev.releaseconsole.services.flags.flagd;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.releaseconsole.services.actions.ActionException;
import dev.releaseconsole.services.actions.ActionException.Reason;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * flagd definitions in the OpenFeature Operator's {@code FeatureFlag} custom resource
 * ({@code core.openfeature.dev/v1beta1}, the operator's served and storage version): the document is
 * {@code spec.flagSpec} ({@code flags}, {@code $evaluators}, {@code metadata}). It is edited as JSON text
 * rendered from the object and put back as structure; the rest of the resource is written back as read.
 */
public final class FeatureFlagDefinitions extends KubeDefinitions<GenericKubernetesResource> {
    public static final ResourceDefinitionContext FEATURE_FLAGS = new ResourceDefinitionContext.Builder()
            .withGroup("core.openfeature.dev").withVersion("v1beta1").withPlural("featureflags")
            .withKind("FeatureFlag").withNamespaced(true).build();

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param client  the console's connection to the cluster ({@code KubeCluster::client}); empty while not connected
     * @param cluster the cluster's name, for messages
     */
    public FeatureFlagDefinitions(Supplier<Optional<KubernetesClient>> client, String cluster, String namespace,
                                  String name) {
        super(client, cluster, namespace, name);
    }

    @Override
    public String kind() {
        return "flagd-featureflag";
    }

    @Override
    public String describe() {
        return "FeatureFlag " + namespace + "/" + name + " on cluster " + cluster;
    }

    @Override
    GenericKubernetesResource get(KubernetesClient c) {
        return c.genericKubernetesResources(FEATURE_FLAGS).inNamespace(namespace).withName(name).get();
    }

    @Override
    String textOf(GenericKubernetesResource ff) throws ActionException {
        Object spec = ff.getAdditionalProperties().get("spec");
        Object flagSpec = spec instanceof Map<?, ?> m ? m.get("flagSpec") : null;
        if (!(flagSpec instanceof Map)) {
            throw new ActionException(Reason.INVALID, describe() + " has no spec.flagSpec object; nothing was"
                    + " changed");
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(flagSpec);
        } catch (JsonProcessingException e) {
            throw new ActionException(Reason.INVALID, describe() + ": spec.flagSpec cannot be read as JSON: "
                    + e.getOriginalMessage());
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    GenericKubernetesResource withText(GenericKubernetesResource ff, String text) throws ActionException {
        Map<String, Object> flagSpec;
        try {
            flagSpec = JSON.readValue(text, new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new ActionException(Reason.INVALID, "the edited flagSpec of " + describe()
                    + " is not JSON: " + e.getOriginalMessage());
        }
        Map<String, Object> spec = new LinkedHashMap<>((Map<String, Object>) ff.getAdditionalProperties().get("spec"));
        spec.put("flagSpec", flagSpec);
        ff.getAdditionalProperties().put("spec", spec);
        return ff;
    }

    @Override
    GenericKubernetesResource replace(KubernetesClient c, GenericKubernetesResource ff) {
        return c.genericKubernetesResources(FEATURE_FLAGS).inNamespace(namespace).resource(ff).update();
    }

    @Override
    String resource() {
        return "featureflags.core.openfeature.dev";
    }

    @Override
    String requestPath() {
        return "/apis/core.openfeature.dev/v1beta1/namespaces/" + namespace + "/featureflags/" + name;
    }
}
