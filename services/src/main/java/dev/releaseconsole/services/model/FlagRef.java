package dev.releaseconsole.services.model;

import java.util.Objects;

/** A flag in one provider (e.g. "unleash-main", "demo"). */
public record FlagRef(String provider, String key) implements Comparable<FlagRef> {
    public FlagRef {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(key, "key");
    }

    @Override
    public int compareTo(FlagRef o) {
        int c = provider.compareTo(o.provider);
        return c != 0 ? c : key.compareTo(o.key);
    }

    @Override
    public String toString() {
        return provider + ":" + key;
    }
}
