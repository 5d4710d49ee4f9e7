package dev.releaseconsole.services.model;

/** Which population a metric sample belongs to. */
public enum Track {
    CANARY, BASELINE
}
