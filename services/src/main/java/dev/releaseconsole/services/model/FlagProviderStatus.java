package dev.releaseconsole.services.model;

import java.time.Instant;

/**
 * One flag provider's connection state, as shown beside its flags: {@code kind} is "unleash", "flagd-file",
 * "launchdarkly", "demo"...; {@code message} says what happened and what to do when it is not connected;
 * {@code lastSync} is when the provider last answered (null before the first answer).
 */
public record FlagProviderStatus(String id, String kind, ConnectionState state, String message, Instant lastSync) {
}
