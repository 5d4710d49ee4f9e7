package dev.releaseconsole.services.model;

import java.util.List;

/** A ReplicaSet revision of a rollout with its images and pod counts; {@code role} is stable, canary, active, preview or old. */
public record Revision(int number, String podTemplateHash, List<String> images, String role, int replicas,
                       int readyReplicas) {
    public Revision {
        images = List.copyOf(images);
    }
}
