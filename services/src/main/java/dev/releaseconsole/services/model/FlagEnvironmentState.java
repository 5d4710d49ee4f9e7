package dev.releaseconsole.services.model;

/**
 * A flag's state in one environment. {@code rolloutPercent} is null when the flag has no gradual rollout;
 * {@code targeting} is a readable summary of segments and constraints.
 */
public record FlagEnvironmentState(String environment, Environment tier, boolean enabled, Integer rolloutPercent,
                                   String targeting) {
}
