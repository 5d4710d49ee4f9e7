package dev.releaseconsole.services.model;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The flag registry as last loaded: its entries, where it came from and when, the team's threshold for "at 100% for
 * too long", and the problem with the file if the last reload failed ({@code problem} non-null: the entries are
 * then those of the last good version, so nothing is lost to a typo). {@link #NONE} when no registry is configured.
 */
public final class FlagRegistry {
    /** How long a flag may stay fully on before the debt view calls it done, when the registry does not say. */
    public static final Duration DEFAULT_FULLY_ON_LIMIT = Duration.ofDays(14);
    public static final FlagRegistry NONE = new FlagRegistry(null, List.of(), DEFAULT_FULLY_ON_LIMIT, null, null);

    private final String source;
    private final List<FlagRegistration> entries;
    private final Duration fullyOnLimit;
    private final Instant loadedAt;
    private final String problem;
    private final Map<String, FlagRegistration> scoped = new HashMap<>();
    private final Map<String, FlagRegistration> unscoped = new HashMap<>();

    public FlagRegistry(String source, List<FlagRegistration> entries, Duration fullyOnLimit, Instant loadedAt,
                        String problem) {
        this.source = source;
        this.entries = List.copyOf(entries);
        this.fullyOnLimit = fullyOnLimit == null ? DEFAULT_FULLY_ON_LIMIT : fullyOnLimit;
        this.loadedAt = loadedAt;
        this.problem = problem;
        for (FlagRegistration e : this.entries) {
            if (e.provider() == null) {
                unscoped.putIfAbsent(e.key(), e);
            } else {
                scoped.putIfAbsent(e.provider() + "\u0000" + e.key(), e);
            }
        }
    }

    /** The entry for a provider's flag: one scoped to that provider wins over one for the key in every provider. */
    public Optional<FlagRegistration> lookup(FlagRef ref) {
        FlagRegistration own = scoped.get(ref.provider() + "\u0000" + ref.key());
        return Optional.ofNullable(own != null ? own : unscoped.get(ref.key()));
    }

    /** The same entries, now with a problem: the file changed and the new version could not be used. */
    public FlagRegistry withProblem(String newProblem) {
        return new FlagRegistry(source, entries, fullyOnLimit, loadedAt, newProblem);
    }

    public boolean configured() {
        return source != null;
    }

    /** The file's path (or resource name); null when none is configured. */
    public String source() {
        return source;
    }

    public List<FlagRegistration> entries() {
        return entries;
    }

    public Duration fullyOnLimit() {
        return fullyOnLimit;
    }

    /** When the entries were read; null before the first successful read. */
    public Instant loadedAt() {
        return loadedAt;
    }

    /** What is wrong with the file now, in words, with the line; null when the last reload succeeded. */
    public String problem() {
        return problem;
    }

    @Override
    public String toString() {
        return "FlagRegistry[" + source + ", " + entries.size() + " entries" + (problem == null ? "" : ", " + problem)
                + "]";
    }
}
