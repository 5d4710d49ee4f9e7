package dev.releaseconsole.services.actions;

import dev.releaseconsole.services.model.Flag;
import dev.releaseconsole.services.model.FlagRef;

import java.util.List;
import java.util.Optional;

/** A feature-flag provider (demo, Unleash, flagd, LaunchDarkly) behind one interface. */
public interface FlagProvider {
    String id();

    List<Flag> list() throws ActionException;

    /** Reads one flag fresh from the provider, to confirm a write. */
    Optional<Flag> read(FlagRef ref) throws ActionException;

    /** Turns the flag on or off in one environment; returns what was sent, for the audit log. */
    String setEnabled(FlagRef ref, String environment, boolean enabled) throws ActionException;
}
