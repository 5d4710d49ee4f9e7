package dev.releaseconsole.services.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The resource types the console watches, and small helpers over raw objects' metadata. */
final class KubeObjects {
    static final ResourceDefinitionContext ROLLOUTS = new ResourceDefinitionContext.Builder()
            .withGroup("argoproj.io").withVersion("v1alpha1").withPlural("rollouts").withKind("Rollout")
            .withNamespaced(true).build();
    static final ResourceDefinitionContext ANALYSIS_RUNS = new ResourceDefinitionContext.Builder()
            .withGroup("argoproj.io").withVersion("v1alpha1").withPlural("analysisruns").withKind("AnalysisRun")
            .withNamespaced(true).build();
    static final ResourceDefinitionContext REPLICA_SETS = new ResourceDefinitionContext.Builder()
            .withGroup("apps").withVersion("v1").withPlural("replicasets").withKind("ReplicaSet")
            .withNamespaced(true).build();
    static final ResourceDefinitionContext CANARIES = new ResourceDefinitionContext.Builder()
            .withGroup("flagger.app").withVersion("v1beta1").withPlural("canaries").withKind("Canary")
            .withNamespaced(true).build();

    /** Label Argo Rollouts puts on every ReplicaSet (and pod) it manages. */
    static final String POD_TEMPLATE_HASH = "rollouts-pod-template-hash";
    static final String REVISION_ANNOTATION = "rollout.argoproj.io/revision";
    static final String ROLLOUT_TYPE_LABEL = "rollout-type";
    static final String STEP_INDEX_LABEL = "step-index";

    private KubeObjects() {
    }

    static Map<String, Object> props(GenericKubernetesResource r) {
        Map<String, Object> p = r.getAdditionalProperties();
        return p == null ? Map.of() : p;
    }

    static String uid(GenericKubernetesResource r) {
        return r.getMetadata() == null ? null : r.getMetadata().getUid();
    }

    static String namespace(GenericKubernetesResource r) {
        ObjectMeta m = r.getMetadata();
        return m == null || m.getNamespace() == null ? "" : m.getNamespace();
    }

    static String name(GenericKubernetesResource r) {
        ObjectMeta m = r.getMetadata();
        return m == null || m.getName() == null ? "" : m.getName();
    }

    static Map<String, String> labels(GenericKubernetesResource r) {
        ObjectMeta m = r.getMetadata();
        return m == null || m.getLabels() == null ? Map.of() : m.getLabels();
    }

    static Map<String, String> annotations(GenericKubernetesResource r) {
        ObjectMeta m = r.getMetadata();
        return m == null || m.getAnnotations() == null ? Map.of() : m.getAnnotations();
    }

    static List<OwnerReference> owners(GenericKubernetesResource r) {
        ObjectMeta m = r.getMetadata();
        return m == null || m.getOwnerReferences() == null ? List.of() : m.getOwnerReferences();
    }

    /** The UIDs of the Rollouts that own {@code r}: how the Argo plugin links ReplicaSets and AnalysisRuns. */
    static List<String> rolloutOwnerUids(GenericKubernetesResource r) {
        return owners(r).stream()
                .filter(o -> o.getUid() != null && (o.getKind() == null || "Rollout".equals(o.getKind())))
                .map(OwnerReference::getUid).toList();
    }

    /** True when any owner reference of {@code r} has {@code uid}, as the plugin's ownerRef() checks. */
    static boolean ownedBy(GenericKubernetesResource r, String uid) {
        return uid != null && owners(r).stream().anyMatch(o -> uid.equals(o.getUid()));
    }

    static Instant created(GenericKubernetesResource r, Node.Problems problems) {
        ObjectMeta m = r.getMetadata();
        if (m == null || m.getCreationTimestamp() == null || m.getCreationTimestamp().isEmpty()) {
            return null;
        }
        return Node.parseTime(m.getCreationTimestamp(), "metadata.creationTimestamp", problems);
    }

    /** An integer from a label or annotation; a present but non-numeric value is a problem. */
    static Integer intValue(Map<String, String> values, String key, String where, Node.Problems problems) {
        String s = values.get(key);
        if (s == null || s.isEmpty()) {
            return null;
        }
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            problems.add(where + " " + key + " is " + Node.quote(s) + ", not a number");
            return null;
        }
    }
}
