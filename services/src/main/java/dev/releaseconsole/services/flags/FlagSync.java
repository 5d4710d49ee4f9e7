package dev.releaseconsole.services.flags;

import dev.releaseconsole.services.actions.ActionException;
import dev.releaseconsole.services.actions.FlagProvider;
import dev.releaseconsole.services.governance.Secrets;
import dev.releaseconsole.services.model.ConnectionState;
import dev.releaseconsole.services.model.Flag;
import dev.releaseconsole.services.model.FlagProviderStatus;
import dev.releaseconsole.services.store.LiveState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * Keeps {@link LiveState#flags()} and {@link LiveState#flagProviders()} in step with every configured
 * {@link FlagProvider}: each provider is polled ({@link FlagProvider#list()}) on its own background thread, so a slow
 * or broken provider never holds up another. A successful poll replaces that provider's flags (flags it no longer
 * reports disappear) after passing each through {@code join} (the flag registry adds owners and linked rollouts
 * there) and marks it CONNECTED; a failed one keeps the last flags, marks the provider UNAUTHORIZED, FORBIDDEN or
 * UNREACHABLE with the provider's own message, and retries with jittered exponential backoff (honouring a
 * Retry-After). Nothing here writes to a provider.
 */
public final class FlagSync implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FlagSync.class);

    /** How often to poll, and the longest wait between retries while a provider fails. */
    public record Settings(Duration interval, Duration maxBackoff) {
        public Settings {
            if (interval == null || interval.isZero() || interval.isNegative()) {
                throw new IllegalArgumentException("the flag sync interval must be positive, not " + interval);
            }
            if (maxBackoff == null || maxBackoff.compareTo(interval) < 0) {
                throw new IllegalArgumentException("the flag sync's maximum backoff must be at least its interval");
            }
        }

        /** Every 5 s, backing off to at most 60 s while a provider fails. */
        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(5), Duration.ofSeconds(60));
        }
    }

    private final LiveState state;
    private final Map<String, Poller> pollers = new LinkedHashMap<>();
    private final Settings settings;
    private final UnaryOperator<Flag> join;
    private final Clock clock;
    private volatile boolean started;

    /** Polls with {@link Settings#defaults()} and publishes flags as the providers report them. */
    public FlagSync(LiveState state, List<? extends FlagProvider> providers) {
        this(state, providers, Settings.defaults(), UnaryOperator.identity(), Clock.systemUTC());
    }

    /**
     * @param join applied to every flag before it is published (identity: as the provider reports it); a join that
     *             throws for a flag is logged and that flag published as reported
     */
    public FlagSync(LiveState state, List<? extends FlagProvider> providers, Settings settings,
                    UnaryOperator<Flag> join, Clock clock) {
        this.state = Objects.requireNonNull(state, "state");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.join = Objects.requireNonNull(join, "join");
        this.clock = Objects.requireNonNull(clock, "clock");
        for (FlagProvider p : providers) {
            if (pollers.containsKey(p.id())) {
                throw new IllegalArgumentException("two flag providers have the id '" + p.id() + "'");
            }
            pollers.put(p.id(), new Poller(p));
        }
    }

    /** Marks every provider CONNECTING and starts polling; returns at once. */
    public synchronized void start() {
        if (started) {
            return;
        }
        started = true;
        for (Poller p : pollers.values()) {
            state.flagProviders().upsert(new FlagProviderStatus(p.provider.id(), p.provider.kind(),
                    ConnectionState.CONNECTING, "connecting to " + p.provider.kind() + " provider " + p.provider.id(),
                    null));
            p.schedule(Duration.ZERO);
        }
    }

    /**
     * Polls one provider now (for example right after an action, so the views show its effect without waiting for
     * the next interval); the regular schedule continues.
     */
    public void refresh(String providerId) {
        Poller p = pollers.get(providerId);
        if (p == null) {
            throw new IllegalArgumentException("no flag provider '" + providerId + "'");
        }
        if (started) {
            p.executor.execute(p::pollOnce);
        }
    }

    /** How many polls of {@code providerId} have run, successful or not (for tests and diagnostics). */
    public long polls(String providerId) {
        Poller p = pollers.get(providerId);
        return p == null ? 0 : p.polls.get();
    }

    @Override
    public synchronized void close() {
        for (Poller p : pollers.values()) {
            p.executor.shutdownNow();
        }
        for (Poller p : pollers.values()) {
            try {
                p.executor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The wait before the next poll after {@code failures} failures in a row: interval, doubling, jittered. */
    static Duration nextDelay(Settings settings, int failures, Duration retryAfter, double random) {
        if (failures == 0) {
            return settings.interval();
        }
        long base = settings.interval().toMillis();
        long cap = settings.maxBackoff().toMillis();
        long backoff = Math.min(cap, base << Math.min(failures - 1, 20));
        // "Equal jitter": half the backoff fixed, half random, so many consoles do not retry in step.
        long delay = backoff / 2 + (long) (random * (backoff - backoff / 2));
        if (retryAfter != null) {
            delay = Math.max(delay, retryAfter.toMillis());
        }
        return Duration.ofMillis(Math.max(delay, Math.min(base, cap)));
    }

    private final class Poller {
        final FlagProvider provider;
        final ScheduledExecutorService executor;
        final AtomicLong polls = new AtomicLong();
        int failures;
        Instant lastSync;

        Poller(FlagProvider provider) {
            this.provider = provider;
            this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "flag-sync-" + provider.id());
                t.setDaemon(true);
                return t;
            });
        }

        void schedule(Duration delay) {
            if (!executor.isShutdown()) {
                executor.schedule(this::pollAndReschedule, delay.toMillis(), TimeUnit.MILLISECONDS);
            }
        }

        void pollAndReschedule() {
            Duration retryAfter = pollOnce();
            schedule(nextDelay(settings, failures, retryAfter, ThreadLocalRandom.current().nextDouble()));
        }

        /** One poll; returns the provider's Retry-After when it asked for one. */
        synchronized Duration pollOnce() {
            polls.incrementAndGet();
            try {
                List<Flag> flags = provider.list();
                List<Flag> joined = new ArrayList<>(flags.size());
                for (Flag f : flags) {
                    joined.add(applyJoin(f));
                }
                String id = provider.id();
                state.flags().replaceAll(ref -> ref.provider().equals(id), joined);
                failures = 0;
                lastSync = clock.instant();
                state.flagProviders().upsert(new FlagProviderStatus(id, provider.kind(), ConnectionState.CONNECTED,
                        joined.size() + " flag(s)", lastSync));
                return null;
            } catch (ActionException e) {
                failures++;
                publishFailure(e);
                return e.retryAfter().orElse(null);
            } catch (RuntimeException e) {
                failures++;
                LOG.warn("flag provider {} failed unexpectedly", provider.id(), e);
                publish(ConnectionState.UNREACHABLE, "the " + provider.kind() + " provider failed unexpectedly ("
                        + e.getClass().getSimpleName() + ": " + Secrets.redact(String.valueOf(e.getMessage()))
                        + "); the flags shown are from the last successful sync");
                return null;
            }
        }

        private Flag applyJoin(Flag f) {
            try {
                Flag out = join.apply(f);
                return out == null ? f : out;
            } catch (RuntimeException e) {
                LOG.warn("joining flag {} with the registry failed; publishing it as reported", f.ref(), e);
                return f;
            }
        }

        private void publishFailure(ActionException e) {
            String message = Secrets.redact(e.getMessage());
            ConnectionState s;
            switch (e.reason()) {
                case DENIED:
                    s = e.httpStatus() == 403 ? ConnectionState.FORBIDDEN : ConnectionState.UNAUTHORIZED;
                    break;
                default:
                    s = ConnectionState.UNREACHABLE;
            }
            String stale = state.flags().all().stream().anyMatch(f -> f.ref().provider().equals(provider.id()))
                    ? " The flags shown are from the last successful sync" + (lastSync == null ? "" : " at "
                    + lastSync) + "." : "";
            if (failures == 1 || LOG.isDebugEnabled()) {
                LOG.warn("flag provider {}: {}", provider.id(), message);
            }
            publish(s, message + stale);
        }

        private void publish(ConnectionState s, String message) {
            state.flagProviders().upsert(new FlagProviderStatus(provider.id(), provider.kind(), s, message,
                    lastSync));
        }
    }
}
