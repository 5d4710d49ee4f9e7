package dev.releaseconsole.services.model;

import java.util.Objects;

/** A flag in one environment: what a toggle or the kill switch acts on. */
public record FlagTarget(FlagRef flag, String environment) implements ActionTarget {
    public FlagTarget {
        Objects.requireNonNull(flag, "flag");
        Objects.requireNonNull(environment, "environment");
    }

    @Override
    public String describe() {
        return "flag " + flag.provider() + "/" + flag.key() + " in " + environment;
    }
}
