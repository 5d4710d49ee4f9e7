package dev.releaseconsole.services.kube;

import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.model.Strategy;
import dev.releaseconsole.services.model.WorkloadKind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.util.Map;

/**
 * Maps a Flagger {@code Canary} (raw JSON, flagger.app/v1beta1) to the console's {@link Rollout}
 * (pkg/apis/flagger/v1beta1/status.go at v1.44): {@code status.phase} as the phase and the {@code Promoted}
 * condition's message as the message; {@code canaryWeight} as both desired and actual weight (Flagger routes what it
 * sets); {@code failedChecks} against {@code spec.analysis.threshold} (the deprecated {@code spec.canaryAnalysis}
 * when {@code analysis} is absent); {@code iterations}; {@code spec.suspend}. {@code lastAppliedSpec} and
 * {@code lastPromotedSpec} stand in for the current and stable pod hashes, so an update is "in progress" while the
 * applied spec has not been promoted. A Canary without status has phase "Unknown" and a message saying Flagger
 * has not reported on it yet.
 */
public final class FlaggerCanaryMapper {
    private FlaggerCanaryMapper() {
    }

    public static Rollout map(String clusterId, GenericKubernetesResource canary) {
        Node.Problems problems = new Node.Problems();
        Map<String, Object> props = KubeObjects.props(canary);
        Node spec = Node.root(props.get("spec"), "spec", problems);
        Node status = Node.root(props.get("status"), "status", problems);
        RolloutRef ref = new RolloutRef(clusterId, KubeObjects.namespace(canary), KubeObjects.name(canary),
                WorkloadKind.FLAGGER_CANARY);
        Node analysis = spec.get("analysis").present() ? spec.get("analysis") : spec.get("canaryAnalysis");

        String phase = status.get("phase").text();
        String message = "";
        for (Node c : status.get("conditions").list()) {
            if ("Promoted".equals(c.get("type").text())) {
                String m = c.get("message").text();
                message = m == null ? "" : m;
            }
        }
        if (phase == null || phase.isEmpty()) {
            phase = "Unknown";
            if (message.isEmpty()) {
                message = "Flagger has not reported on this canary yet";
            }
        }
        int weight = status.get("canaryWeight").integer(0);
        Long generation = canary.getMetadata() == null ? null : canary.getMetadata().getGeneration();
        long gen = generation == null ? 0 : generation;
        return Rollout.builder(ref, Strategy.FLAGGER_CANARY)
                .createdAt(KubeObjects.created(canary, problems))
                .generation(gen)
                .observedGeneration(gen)
                .desiredWeight(weight)
                .actualWeight(weight)
                .phase(phase, message)
                .currentPodHash(status.get("lastAppliedSpec").text())
                .stableRS(status.get("lastPromotedSpec").text())
                .failedChecks(status.get("failedChecks").integer())
                .failedChecksThreshold(analysis.get("threshold").integer())
                .iterations(status.get("iterations").integer())
                .suspended(spec.get("suspend").bool(false))
                .managedBy(GitOpsOwner.of(canary.getMetadata()))
                .readProblems(problems.list())
                .build();
    }
}
