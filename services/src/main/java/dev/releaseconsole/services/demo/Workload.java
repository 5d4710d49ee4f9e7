package dev.releaseconsole.services.demo;

import dev.releaseconsole.services.model.RolloutRef;

import java.time.Instant;

/** What does not change about a simulated rollout: identity, image repository, size, traffic and age. */
record Workload(RolloutRef ref, String imageRepository, int replicas, TrafficProfile traffic, Instant createdAt) {
}
