package dev.releaseconsole.services.model;

/** Which controller owns a rollout: Argo Rollouts' Rollout or Flagger's Canary. */
public enum WorkloadKind {
    ARGO_ROLLOUT("Rollout"), FLAGGER_CANARY("Canary");

    private final String kind;

    WorkloadKind(String kind) {
        this.kind = kind;
    }

    /** The Kubernetes kind name. */
    public String kind() {
        return kind;
    }
}
