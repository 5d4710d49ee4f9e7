package dev.releaseconsole.services.flags.debt;

import dev.releaseconsole.services.flags.registry.RolloutLinks;
import dev.releaseconsole.services.model.ConnectionState;
import dev.releaseconsole.services.model.Environment;
import dev.releaseconsole.services.model.Flag;
import dev.releaseconsole.services.model.FlagChangeEvent;
import dev.releaseconsole.services.model.FlagEnvironmentState;
import dev.releaseconsole.services.model.FlagProviderStatus;
import dev.releaseconsole.services.model.FlagRef;
import dev.releaseconsole.services.model.FlagRegistration;
import dev.releaseconsole.services.model.FlagRegistry;
import dev.releaseconsole.services.model.FlagType;
import dev.releaseconsole.services.model.RolloutLink;
import dev.releaseconsole.services.store.LiveState;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds flag debt in what the providers report joined with the registry. The rules:
 * <ul>
 *   <li><b>expired</b>: the registry's {@code expires} day has passed (dates are UTC days);</li>
 *   <li><b>past its lifetime</b>: older than its type's expected lifetime ({@link FlagLifetimes}), judged only
 *       where the registry gives no expiry date (an explicit date is the team's own lifetime for the flag) and the
 *       provider reports when the flag was created;</li>
 *   <li><b>at 100% too long</b>: a release or experiment flag fully on in every production environment for longer
 *       than the registry's {@code settings.fullyOnFor}. "Since when" comes from the provider's own change events:
 *       the newest change in a production environment. Providers that keep no history give no such row;</li>
 *   <li><b>no owner</b>: neither the provider nor the registry names one;</li>
 *   <li><b>not in the registry</b> and <b>in no provider</b>, only while a registry is configured; an entry whose
 *       provider is not connected says it cannot tell;</li>
 *   <li>registry links that name both an Argo Rollout and a Flagger Canary, or a rollout that a connected cluster
 *       does not report (the kill switch would fail on it).</li>
 * </ul>
 * Pure: the caller brings the provider events ({@link #needingHistory}) and the time.
 */
public final class FlagDebtCalculator {
    /** Change events read per flag to find when it reached 100%. */
    public static final int HISTORY_EVENTS = 50;
    private static final Set<FlagType> RELEASED_WHEN_FULLY_ON = Set.of(FlagType.RELEASE, FlagType.EXPERIMENT);

    private FlagDebtCalculator() {
    }

    /** The flags whose "at 100% too long" rule needs the provider's change events. */
    public static List<FlagRef> needingHistory(LiveState state) {
        return state.flags().all().stream().filter(FlagDebtCalculator::fullyOnInProduction).map(Flag::ref)
                .sorted().toList();
    }

    public static List<FlagDebt> calculate(LiveState state, Map<FlagRef, List<FlagChangeEvent>> history,
                                           Instant now) {
        FlagRegistry registry = state.flagRegistry();
        List<Flag> flags = state.flags().all();
        List<FlagDebt> out = new ArrayList<>();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        for (Flag flag : flags) {
            Optional<FlagRegistration> entry = registry.lookup(flag.ref());
            String owner = blankToNull(flag.owner()) != null ? flag.owner()
                    : entry.map(FlagRegistration::owner).orElse(null);
            FlagType type = flag.type() != FlagType.UNKNOWN || entry.map(FlagRegistration::type).isEmpty()
                    ? flag.type() : entry.get().type();
            entry.flatMap(e -> expired(flag, e, owner, type, today)).ifPresent(out::add);
            if (entry.map(FlagRegistration::expires).isEmpty()) {
                pastLifetime(flag, owner, type, now).ifPresent(out::add);
            }
            fullyOnTooLong(flag, owner, type, history.get(flag.ref()), registry.fullyOnLimit(), now)
                    .ifPresent(out::add);
            if (owner == null) {
                out.add(debt(DebtKind.NO_OWNER, flag, null, type, "Nobody owns it: the provider names no owner and "
                        + (entry.isPresent() ? "its registry entry (line " + entry.get().line() + ") has none."
                        : "it has no registry entry."), "Add owner: <team> to its registry entry"
                        + (entry.isPresent() ? "." : " (add the entry first)."), null));
            }
            if (registry.configured() && entry.isEmpty()) {
                out.add(debt(DebtKind.NOT_IN_REGISTRY, flag, owner, type, "The provider has it, but the registry "
                        + "has no entry: no owner, expiry or ticket on record, and no linked rollouts for the kill"
                        + " switch.", "Add an entry with key: " + flag.ref().key() + " (owner, type, expires, ticket,"
                        + " rollouts) to " + fileName(registry.source()) + ", or archive the flag if nothing uses it.",
                        null));
            }
        }
        if (registry.configured()) {
            for (FlagRegistration e : registry.entries()) {
                notInProvider(e, flags, state, today).ifPresent(out::add);
                links(e, state, out);
            }
        }
        out.sort(Comparator.comparing(FlagDebt::kind).thenComparing(FlagDebt::key)
                .thenComparing(d -> d.provider() == null ? "" : d.provider()));
        return out;
    }

    private static Optional<FlagDebt> expired(Flag flag, FlagRegistration e, String owner, FlagType type,
                                              LocalDate today) {
        if (e.expires() == null || !today.isAfter(e.expires())) {
            return Optional.empty();
        }
        long days = ChronoUnit.DAYS.between(e.expires(), today);
        return Optional.of(debt(DebtKind.EXPIRED, flag, owner, type, "Expired on " + e.expires() + " ("
                        + days(days) + " ago) by its registry entry" + ticket(e) + ".",
                "Remove it from the code and archive it in " + flag.ref().provider() + "; if it must stay, set a new "
                        + "expires date in the registry and say why in the ticket.",
                e.expires().atStartOfDay().toInstant(ZoneOffset.UTC)));
    }

    private static Optional<FlagDebt> pastLifetime(Flag flag, String owner, FlagType type, Instant now) {
        Optional<Duration> lifetime = FlagLifetimes.expected(type);
        if (lifetime.isEmpty() || flag.createdAt() == null) {
            return Optional.empty();
        }
        Duration age = Duration.between(flag.createdAt(), now);
        if (age.compareTo(lifetime.get()) <= 0) {
            return Optional.empty();
        }
        return Optional.of(debt(DebtKind.PAST_LIFETIME, flag, owner, type, "A" + (type == FlagType.EXPERIMENT
                        || type == FlagType.OPERATIONAL ? "n " : " ") + type.label() + " flag created "
                        + days(age.toDays()) + " ago; " + type.label() + " flags are expected to live "
                        + days(lifetime.get().toDays()) + " (Unleash's lifetime for the type), and the registry names"
                        + " no expiry date.",
                type == FlagType.OPERATIONAL
                        ? "Turn it back into code and remove the flag, or, if it is meant to stay, make it a"
                        + " kill-switch flag; otherwise give it an expires date in the registry."
                        : "Finish the " + (type == FlagType.EXPERIMENT ? "experiment" : "release")
                        + " and remove the flag, or give it an expires date in the registry if it needs longer.",
                flag.createdAt()));
    }

    private static Optional<FlagDebt> fullyOnTooLong(Flag flag, String owner, FlagType type,
                                                     List<FlagChangeEvent> events, Duration limit, Instant now) {
        if (!RELEASED_WHEN_FULLY_ON.contains(type) || !fullyOnInProduction(flag) || events == null) {
            return Optional.empty();
        }
        Set<String> production = new java.util.HashSet<>();
        flag.environments().stream().filter(e -> e.tier() == Environment.PRODUCTION)
                .forEach(e -> production.add(e.environment()));
        Optional<Instant> since = events.stream()
                .filter(ev -> ev.environment() == null || production.contains(ev.environment()))
                .map(FlagChangeEvent::time).max(Comparator.naturalOrder());
        if (since.isEmpty()) {
            return Optional.empty();
        }
        Duration fullyOn = Duration.between(since.get(), now);
        if (fullyOn.compareTo(limit) <= 0) {
            return Optional.empty();
        }
        return Optional.of(debt(DebtKind.FULLY_ON, flag, owner, type, "At 100% in production since "
                        + LocalDate.ofInstant(since.get(), ZoneOffset.UTC) + " (" + days(fullyOn.toDays())
                        + ", from the provider's change history; the limit is " + days(limit.toDays())
                        + "): it no longer switches anything.",
                "Remove the flag from the code, keeping the new path, then archive it in " + flag.ref().provider()
                        + ".", since.get()));
    }

    private static Optional<FlagDebt> notInProvider(FlagRegistration e, List<Flag> flags, LiveState state,
                                                    LocalDate today) {
        boolean reported = flags.stream().anyMatch(f -> e.appliesTo(f.ref()));
        if (reported) {
            return Optional.empty();
        }
        String why = "The registry lists it (line " + e.line() + "), but ";
        String todo = "If the flag was removed, delete its registry entry; if not, check its provider.";
        List<FlagProviderStatus> providers = state.flagProviders().all();
        if (e.provider() != null) {
            Optional<FlagProviderStatus> p = state.flagProviders().get(e.provider());
            if (p.isEmpty()) {
                why += "no provider with id " + e.provider() + " is configured.";
                todo = "Fix provider: in the entry, or configure a provider with id " + e.provider() + ".";
            } else if (p.get().state() != ConnectionState.CONNECTED) {
                why += "provider " + e.provider() + " is not connected (" + p.get().message() + "), so it may still"
                        + " be there.";
                todo = "Look again once " + e.provider() + " is connected.";
            } else {
                why += e.provider() + " does not report it.";
            }
        } else {
            List<String> down = providers.stream().filter(p -> p.state() != ConnectionState.CONNECTED)
                    .map(FlagProviderStatus::id).sorted().toList();
            why += down.isEmpty() ? "no provider reports a flag with this key."
                    : "no connected provider reports it; " + String.join(", ", down) + (down.size() == 1 ? " is" : " are")
                    + " not connected, so it may still be there.";
        }
        if (e.expires() != null) {
            why += " Its entry expire" + (today.isAfter(e.expires()) ? "d" : "s") + " on "
                    + e.expires() + ".";
        }
        return Optional.of(new FlagDebt(DebtKind.NOT_IN_PROVIDER, e.key(), e.provider(), e.owner(), e.type(), why,
                todo, null));
    }

    private static void links(FlagRegistration e, LiveState state, List<FlagDebt> out) {
        for (RolloutLink link : e.rollouts()) {
            RolloutLinks.Resolved r = RolloutLinks.resolve(link, state);
            if (r.resolution() == RolloutLinks.Resolution.AMBIGUOUS) {
                out.add(new FlagDebt(DebtKind.LINK_AMBIGUOUS, e.key(), e.provider(), e.owner(), e.type(),
                        "Its registry entry (line " + e.line() + ") links " + link + ", and cluster " + link.cluster()
                                + " has both an Argo Rollout and a Flagger Canary of that name: the kill switch"
                                + " aborts both.",
                        "Add kind: Rollout or kind: Canary to that link.", null));
            } else if (r.resolution() == RolloutLinks.Resolution.NOT_REPORTED && connected(link.cluster(), state)) {
                out.add(new FlagDebt(DebtKind.LINK_NOT_REPORTED, e.key(), e.provider(), e.owner(), e.type(),
                        "Its registry entry (line " + e.line() + ") links " + link + ", which cluster "
                                + link.cluster() + " does not report: the kill switch would fail on it.",
                        "Fix the link (renamed or moved?) or remove it from the entry.", null));
            }
        }
    }

    private static boolean connected(String cluster, LiveState state) {
        return state.clusters().get(cluster).map(c -> c.state() == ConnectionState.CONNECTED).orElse(false);
    }

    /** Every production environment serves the flag to everyone (and there is at least one). */
    static boolean fullyOnInProduction(Flag flag) {
        List<FlagEnvironmentState> production = flag.environments().stream()
                .filter(e -> e.tier() == Environment.PRODUCTION).toList();
        return !production.isEmpty() && production.stream().allMatch(FlagDebtCalculator::fullyOn);
    }

    /**
     * On for everyone: enabled at 100%, or enabled without a gradual rollout and without targeting (providers
     * summarise unrestricted targeting as "all users").
     */
    static boolean fullyOn(FlagEnvironmentState e) {
        if (!e.enabled()) {
            return false;
        }
        if (e.rolloutPercent() != null) {
            return e.rolloutPercent() >= 100;
        }
        String t = e.targeting() == null ? "" : e.targeting().strip().toLowerCase(Locale.ROOT);
        return t.isEmpty() || t.equals("all users");
    }

    private static FlagDebt debt(DebtKind kind, Flag flag, String owner, FlagType type, String why, String todo,
                                 Instant since) {
        return new FlagDebt(kind, flag.ref().key(), flag.ref().provider(), owner, type, why, todo, since);
    }

    private static String ticket(FlagRegistration e) {
        return e.ticket() == null ? " (no ticket)" : " (ticket " + e.ticket() + ")";
    }

    private static String days(long n) {
        return n == 1 ? "1 day" : n + " days";
    }

    /** The registry's file name, as people know it ("flag-registry.yaml" rather than a long path). */
    private static String fileName(String source) {
        String s = source.strip();
        int space = s.lastIndexOf(' ');
        String path = space < 0 ? s : s.substring(space + 1);
        return path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
