package dev.releaseconsole.services.model;

/** Flag types as Unleash names them; other providers map onto these. */
public enum FlagType {
    RELEASE, EXPERIMENT, OPERATIONAL, KILL_SWITCH, PERMISSION, UNKNOWN;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
