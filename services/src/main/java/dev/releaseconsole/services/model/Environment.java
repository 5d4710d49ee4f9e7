package dev.releaseconsole.services.model;

/** How close a cluster or flag environment is to users. */
public enum Environment {
    DEVELOPMENT, STAGING, PRODUCTION;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
