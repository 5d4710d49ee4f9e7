package dev.releaseconsole.services.model;

import java.time.Instant;

/**
 * A change a flag provider recorded itself (Unleash's event log, LaunchDarkly's audit log, a flagd file's edit):
 * who changed what, when. {@code environment} is null for changes that are not per environment.
 */
public record FlagChangeEvent(FlagRef flag, String environment, Instant time, String actor, String type,
                              String summary) {
}
