package dev.releaseconsole.services.analysis;

import dev.releaseconsole.services.metrics.MetricsException;
import dev.releaseconsole.services.metrics.MetricsSource;
import dev.releaseconsole.services.model.MetricDefinition;
import dev.releaseconsole.services.model.MetricPoint;
import dev.releaseconsole.services.model.MetricSeries;
import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.model.Track;
import dev.releaseconsole.services.store.KeyedStore;
import dev.releaseconsole.services.store.LiveState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Keeps a live verdict for every canary that is under way: on a background scheduler it looks at the rollouts in
 * {@link LiveState}, and for each one that is progressing or paused with canary traffic it fetches both tracks of
 * every metric from the {@link MetricsSource} over the current step's window, judges them with the
 * {@link CanaryJudge} and publishes the verdict into {@link LiveState#verdicts()}, keyed by rollout. A rollout that
 * is no longer judged (completed, aborted, no canary traffic) loses its verdict.
 *
 * <p>Bounded work: each rollout is recomputed at most once per {@link Settings#minRecompute} (and not at all while its
 * cluster's clock and its state stand still), at most {@link Settings#maxConcurrent} rollouts are judged at a time,
 * and a rollout is never queued twice. The window is the current step, stretched back to at least
 * {@link Settings#minWindow} and to the judge's minimum of canary samples (a step that just began has too few), and
 * cut to {@link Settings#maxWindow}; see {@link #compute}.
 */
public final class CanaryJudgeService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CanaryJudgeService.class);

    /**
     * @param period        how often the scheduler looks for work (wall clock)
     * @param minRecompute  the least time between two verdicts of one rollout (wall clock)
     * @param maxConcurrent rollouts judged at the same time
     * @param minWindow     the shortest window of samples (cluster clock)
     * @param maxWindow     the longest window of samples (cluster clock)
     * @param history       how far back each query reaches (at least {@code maxWindow}): the baseline's history
     *                      measures how much its samples repeat each other
     */
    public record Settings(Duration period, Duration minRecompute, int maxConcurrent, Duration minWindow,
                           Duration maxWindow, Duration history) {
        public static final Settings DEFAULTS = new Settings(Duration.ofSeconds(1), Duration.ofSeconds(5), 2,
                Duration.ofMinutes(3), Duration.ofMinutes(30), Duration.ofMinutes(30));

        public Settings {
            if (period.isNegative() || period.isZero() || minRecompute.isNegative() || maxConcurrent < 1
                    || minWindow.isNegative() || maxWindow.compareTo(minWindow) < 0
                    || history.compareTo(maxWindow) < 0) {
                throw new IllegalArgumentException("invalid judge settings: " + period + ", " + minRecompute + ", "
                        + maxConcurrent + ", " + minWindow + ", " + maxWindow + ", " + history);
            }
        }
    }

    private final LiveState state;
    private final MetricsSource metrics;
    private final Function<String, Clock> clocks;
    private final CanaryJudge judge;
    private final Settings settings;
    private final Map<RolloutRef, Attempt> lastAttempt = new ConcurrentHashMap<>();
    private final Set<RolloutRef> inFlight = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService scheduler;
    /** Null once closed; a sweep already running reads it once and stops if it is gone. */
    private volatile ExecutorService workers;

    /** How long (cluster clock) a measured repetition of a metric's samples is used before it is measured again. */
    static final Duration REPEAT_REFRESH = Duration.ofMinutes(2);

    private final Map<RepeatKey, Repeat> repeats = new ConcurrentHashMap<>();

    private record RepeatKey(RolloutRef rollout, String metricId) {
    }

    private record Repeat(Instant at, double value) {
    }

    /** What a verdict was last computed from: skip recomputing while neither has moved. */
    private record Attempt(long wallNanos, Instant clusterNow, Rollout rollout) {
    }

    public CanaryJudgeService(LiveState state, MetricsSource metrics, Function<String, Clock> clocks,
                              CanaryJudge judge, Settings settings) {
        this.state = state;
        this.metrics = metrics;
        this.clocks = clocks;
        this.judge = judge;
        this.settings = settings;
    }

    /** Where verdicts are published. */
    public KeyedStore<RolloutRef, CanaryVerdict> verdicts() {
        return state.verdicts();
    }

    public CanaryJudge judge() {
        return judge;
    }

    /** Starts judging in the background; calling it again while running does nothing. */
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        AtomicInteger n = new AtomicInteger();
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "canary-judge"));
        s.setRemoveOnCancelPolicy(true);
        scheduler = s;
        // a fixed pool whose queue can only hold each eligible rollout once (inFlight guards it)
        workers = new ThreadPoolExecutor(settings.maxConcurrent(), settings.maxConcurrent(), 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> daemon(r, "canary-judge-" + n.incrementAndGet()));
        ((ThreadPoolExecutor) workers).allowCoreThreadTimeOut(true);
        long periodMillis = settings.period().toMillis();
        scheduler.scheduleWithFixedDelay(this::sweepSafely, 0, periodMillis, TimeUnit.MILLISECONDS);
    }

    /** Stops judging; verdicts already published stay where they are. */
    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            workers.shutdownNow();
            scheduler = null;
            workers = null;
        }
    }

    /**
     * Whether a rollout gets a verdict: a canary (Argo or Flagger) with an update under way, canary traffic, not
     * aborted, and progressing or paused (Flagger: also waiting for promotion).
     */
    public static boolean judged(Rollout r) {
        if (!r.isCanary() || !r.updateInProgress() || r.abort() || r.actualWeight() <= 0 || r.actualWeight() >= 100) {
            return false;
        }
        String phase = r.isFlagger() ? (r.phase() == null ? "" : r.phase()) : r.displayPhase();
        return switch (phase) {
            case Rollout.PROGRESSING, Rollout.PAUSED, "WaitingPromotion" -> true;
            default -> false;
        };
    }

    /**
     * Computes and publishes the verdict of one rollout now, on the calling thread; removes its verdict when it is
     * not judged. Returns what was published.
     */
    public Optional<CanaryVerdict> evaluate(RolloutRef ref) {
        Optional<Rollout> rollout = state.rollouts().get(ref);
        if (rollout.isEmpty() || !judged(rollout.get())) {
            forget(ref);
            return Optional.empty();
        }
        Instant now = clocks.apply(ref.cluster()).instant();
        lastAttempt.put(ref, new Attempt(System.nanoTime(), now, rollout.get()));
        CanaryVerdict verdict = compute(rollout.get(), now);
        // publish only if the rollout is still judged: it may have been promoted or aborted meanwhile
        Optional<Rollout> after = state.rollouts().get(ref);
        if (after.isPresent() && judged(after.get())) {
            state.verdicts().upsert(verdict);
            return Optional.of(verdict);
        }
        state.verdicts().remove(ref);
        return Optional.empty();
    }

    /**
     * The samples of the rollout's current step, judged: one query per metric reaches back {@link Settings#history}.
     * The window is the current step ({@link #windowStart}), stretched back further where the canary has fewer than
     * the judge needs in it (its minimum of samples, and of independent ones), but never past a gap in the canary's samples (where it took no traffic,
     * e.g. between two releases) nor past {@link Settings#maxWindow}. The whole baseline measures how much
     * consecutive samples repeat each other; that changes slowly, so it is kept per rollout and metric for
     * {@link #REPEAT_REFRESH}.
     */
    CanaryVerdict compute(Rollout rollout, Instant now) {
        Instant from = windowStart(rollout, now);
        Instant historyFrom = now.minus(settings.history());
        Instant queryFrom = historyFrom.isBefore(from) ? historyFrom : from;
        long earliestMillis = now.minus(settings.maxWindow()).toEpochMilli();
        RolloutRef ref = rollout.ref();
        List<MetricVerdict> found = new ArrayList<>();
        long windowFrom = from.toEpochMilli();
        List<MetricDefinition> definitions = metrics.metrics(ref);
        if (definitions.isEmpty()) {
            return new CanaryVerdict(ref, VerdictLabel.NO_DATA, java.util.OptionalInt.empty(),
                    "No data: no metrics are configured for cluster " + ref.cluster(), List.of(), from, now);
        }
        for (MetricDefinition metric : definitions) {
            try {
                List<MetricSeries> series = metrics.range(ref, metric.id(), queryFrom, now);
                List<MetricPoint> canary = points(series, Track.CANARY, Long.MIN_VALUE);
                List<MetricPoint> baseline = points(series, Track.BASELINE, Long.MIN_VALUE);
                RepeatKey key = new RepeatKey(ref, metric.id());
                Repeat known = repeats.get(key);
                double repeat;
                if (known != null && !known.at().isAfter(now) && known.at().plus(REPEAT_REFRESH).isAfter(now)) {
                    repeat = known.value();
                } else {
                    repeat = judge.repeatOf(baseline);
                    repeats.put(key, new Repeat(now, repeat));
                }
                // enough samples for the judge: its minimum, and (for a metric it scores) its minimum of
                // independent ones; the verdict's window is that of the scored metrics
                boolean scored = !judge.config().policyFor(metric).reportOnly();
                int needed = (int) Math.max(judge.config().minSamples(),
                        scored ? Math.ceil(judge.config().minIndependent() * repeat) : 0);
                long start = stretch(canary, from.toEpochMilli(), earliestMillis, needed);
                if (scored) {
                    windowFrom = Math.min(windowFrom, start);
                }
                found.add(judge.classify(metric, points(series, Track.CANARY, start),
                        points(series, Track.BASELINE, start), repeat));
            } catch (MetricsException e) {
                found.add(judge.error(metric, e.getMessage()));
            } catch (RuntimeException e) {
                LOG.warn("judging {} of {} failed", metric.id(), ref, e);
                found.add(judge.error(metric, e.toString()));
            }
        }
        return judge.verdict(ref, Instant.ofEpochMilli(windowFrom), now, found);
    }

    /**
     * Where the window starts for one metric: {@code from}, or earlier until the canary has {@code needed} finite
     * samples, stopping at a gap in the canary's samples (longer than a minute and than ten of its usual spacings)
     * and at {@code earliest}.
     */
    static long stretch(List<MetricPoint> canary, long from, long earliest, int needed) {
        List<Long> times = new ArrayList<>();
        for (MetricPoint p : canary) {
            if (Double.isFinite(p.value())) {
                times.add(p.epochMillis());
            }
        }
        int have = 0;
        for (long t : times) {
            if (t >= from) {
                have++;
            }
        }
        if (have >= needed || times.size() < 2) {
            return from;
        }
        long[] gaps = new long[times.size() - 1];
        for (int i = 1; i < times.size(); i++) {
            gaps[i - 1] = times.get(i) - times.get(i - 1);
        }
        java.util.Arrays.sort(gaps);
        long tooLong = Math.max(60_000, 10 * gaps[gaps.length / 2]);
        long start = from;
        for (int i = times.size() - 1; i >= 0 && have < needed; i--) {
            long t = times.get(i);
            if (t >= from) {
                continue;
            }
            long after = i + 1 < times.size() ? times.get(i + 1) : from;
            if (t < earliest || after - t > tooLong) {
                break;
            }
            start = t;
            have++;
        }
        return start;
    }

    /** The current step's start, but at least {@code minWindow} and at most {@code maxWindow} before {@code now}. */
    Instant windowStart(Rollout rollout, Instant now) {
        Instant earliest = now.minus(settings.maxWindow());
        Instant latest = now.minus(settings.minWindow());
        Instant step = rollout.stepStartedAt();
        Instant from = step == null || step.isAfter(latest) ? latest : step;
        return from.isBefore(earliest) ? earliest : from;
    }

    private static List<MetricPoint> points(List<MetricSeries> series, Track track, long fromMillis) {
        List<MetricPoint> out = new ArrayList<>();
        for (MetricSeries s : series) {
            if (s.track() == track) {
                for (MetricPoint p : s.points()) {
                    if (p.epochMillis() >= fromMillis) {
                        out.add(p);
                    }
                }
            }
        }
        return out;
    }

    private void sweepSafely() {
        try {
            sweep();
        } catch (RuntimeException e) {
            LOG.error("canary judge sweep failed", e);
        }
    }

    /** One look at every rollout: drop verdicts of rollouts no longer judged, queue those that are due. */
    void sweep() {
        ExecutorService pool = workers;
        if (pool == null) {
            return; // closed while this sweep was scheduled
        }
        for (CanaryVerdict v : state.verdicts().all()) {
            Optional<Rollout> r = state.rollouts().get(v.rollout());
            if (r.isEmpty() || !judged(r.get())) {
                forget(v.rollout());
            }
        }
        long nowNanos = System.nanoTime();
        for (Rollout r : state.rollouts().all()) {
            if (!judged(r) || !due(r, nowNanos) || !inFlight.add(r.ref())) {
                continue;
            }
            try {
                pool.execute(() -> {
                    try {
                        evaluate(r.ref());
                    } catch (RuntimeException e) {
                        LOG.warn("judging {} failed", r.ref(), e);
                    } finally {
                        inFlight.remove(r.ref());
                    }
                });
            } catch (RejectedExecutionException e) {
                inFlight.remove(r.ref()); // closing
            }
        }
    }

    private void forget(RolloutRef ref) {
        state.verdicts().remove(ref);
        lastAttempt.remove(ref);
        repeats.keySet().removeIf(k -> k.rollout().equals(ref));
    }

    private boolean due(Rollout r, long nowNanos) {
        Attempt last = lastAttempt.get(r.ref());
        if (last == null) {
            return true;
        }
        if (nowNanos - last.wallNanos() < settings.minRecompute().toNanos()) {
            return false;
        }
        Instant clusterNow = clocks.apply(r.ref().cluster()).instant();
        return !clusterNow.equals(last.clusterNow()) || !r.equals(last.rollout());
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
