package dev.releaseconsole.services.actions;

import dev.releaseconsole.services.model.Flag;
import dev.releaseconsole.services.model.FlagChangeEvent;
import dev.releaseconsole.services.model.FlagRef;

import java.util.List;
import java.util.Optional;

/**
 * A feature-flag provider (demo, Unleash, flagd, LaunchDarkly) behind one interface. Only {@link ReleaseActions}
 * calls the writing methods; they block, so callers run them off the UI thread. Failures are
 * {@link ActionException}s whose message is the provider's own, with secrets masked.
 */
public interface FlagProvider {
    /** The configured id, the {@code provider} part of every {@link FlagRef} it reports. */
    String id();

    /** "demo", "unleash", "flagd-file", "flagd-configmap", "flagd-featureflag", "launchdarkly". */
    String kind();

    List<Flag> list() throws ActionException;

    /** Reads one flag fresh from the provider (not a cache), to confirm a write. */
    Optional<Flag> read(FlagRef ref) throws ActionException;

    /** Turns the flag on or off in one environment; returns what was sent, for the audit log. */
    String setEnabled(FlagRef ref, String environment, boolean enabled) throws ActionException;

    /**
     * Sets the gradual-rollout percentage (0-100) of the flag in one environment; returns what was sent. A flag with
     * no gradual rollout there is refused with {@link ActionException.Reason#INVALID} saying so.
     */
    String setRolloutPercent(FlagRef ref, String environment, int percent) throws ActionException;

    /** The provider's own change events for a flag, newest first; empty for providers that keep none. */
    default List<FlagChangeEvent> events(FlagRef ref, int limit) throws ActionException {
        return List.of();
    }
}
