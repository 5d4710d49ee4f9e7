package dev.releaseconsole.services.flags.debt;

import dev.releaseconsole.services.model.FlagType;

import java.time.Duration;
import java.util.Optional;

/**
 * How long a flag of each type is expected to live, as Unleash defines it (its feature types API,
 * {@code GET /api/admin/feature-types}, field {@code lifetimeDays}; docs.getunleash.io, "Feature flag types"):
 * release 40 days, experiment 40 days, operational 7 days; kill-switch and permission flags are meant to stay and
 * never go stale. A flag older than its type's lifetime is what Unleash calls "potentially stale".
 */
public final class FlagLifetimes {
    private FlagLifetimes() {
    }

    /** The expected lifetime, or empty for types meant to stay (and for an unknown type, which cannot be judged). */
    public static Optional<Duration> expected(FlagType type) {
        if (type == null) {
            return Optional.empty();
        }
        return switch (type) {
            case RELEASE, EXPERIMENT -> Optional.of(Duration.ofDays(40));
            case OPERATIONAL -> Optional.of(Duration.ofDays(7));
            default -> Optional.empty();
        };
    }
}
