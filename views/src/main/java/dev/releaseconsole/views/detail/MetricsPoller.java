package dev.releaseconsole.views.detail;

import dev.releaseconsole.services.metrics.Cancellation;
import dev.releaseconsole.services.metrics.MetricsException;
import dev.releaseconsole.services.metrics.MetricsSource;
import dev.releaseconsole.services.model.MetricDefinition;
import dev.releaseconsole.services.model.MetricSeries;
import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.model.RolloutEvent;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.model.Track;
import dev.releaseconsole.services.store.LiveState;
import javafx.scene.chart.XYChart;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Fetches canary and baseline samples for the shown rollout on its own background thread, incrementally (only the
 * window after the end of the last successful fetch), into bounded per-series buffers; decimates the visible range
 * to about one min/max pair per pixel column; and hands one {@link ChartFrame.Batch} per poll, for all charts, to
 * {@code sink} (on the poller thread: the sink coalesces and moves it to the FX thread). Nothing here runs on the FX
 * thread.
 *
 * <p>When the source fails, the affected charts keep what they hold, get a gap where the failure began (a NaN
 * sample, drawn as a break in the line) and carry the source's message ({@link ChartFrame#problem()}). A source that
 * is down (unreachable, timing out, refusing the credentials) is asked again after 1, 2, 4 ... up to 15 s, not every
 * poll (a metric whose own query fails, e.g. bad PromQL, is asked again after 10 s); the first successful fetch
 * clears the message and the line resumes after the gap. Stopping a session cancels
 * its queries in flight ({@link Cancellation}), so closing the view never waits for a slow server.
 */
final class MetricsPoller implements AutoCloseable {
    /** Samples kept per series: two hours at one sample per second. */
    static final int BUFFER_CAPACITY = 7200;
    /** Wall-clock poll interval. */
    static final long POLL_MILLIS = 1000;
    /** The longest span fetched back from now (the buffer holds at most this at 1 sample/s). */
    static final long MAX_SPAN_MILLIS = BUFFER_CAPACITY * 1000L;
    /** Longest wait before asking a source that is down again. */
    static final long MAX_RETRY_MILLIS = 15_000;
    /** A query the source refused (bad PromQL, a missing hash) is asked again this much later, not every poll. */
    static final long QUERY_RETRY_MILLIS = 10_000;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private static final AtomicLong SESSIONS = new AtomicLong();

    private final MetricsSource source;
    private final LiveState state;
    private final Function<String, Clock> clocks;
    private final Consumer<ChartFrame.Batch> sink;
    private final LongSupplier wallClock;
    private ScheduledExecutorService executor;
    private ScheduledFuture<?> future;
    private volatile Session session;
    private volatile int columns = 600;
    private volatile ChartRange range = ChartRange.LAST_15_MIN;

    MetricsPoller(MetricsSource source, LiveState state, Function<String, Clock> clocks,
                  Consumer<ChartFrame.Batch> sink) {
        this(source, state, clocks, sink, System::currentTimeMillis);
    }

    /** {@code wallClock} times the retries of a source that is down (real time, whatever the cluster's clock). */
    MetricsPoller(MetricsSource source, LiveState state, Function<String, Clock> clocks,
                  Consumer<ChartFrame.Batch> sink, LongSupplier wallClock) {
        this.source = source;
        this.state = state;
        this.clocks = clocks;
        this.sink = sink;
        this.wallClock = wallClock;
    }

    /** Starts polling for {@code ref} (stopping any previous rollout's polling); returns the session id. */
    synchronized long start(RolloutRef ref) {
        long id = open(ref);
        Session s = session;
        future = executor().scheduleWithFixedDelay(() -> pollAndPublish(s), 0, POLL_MILLIS, TimeUnit.MILLISECONDS);
        return id;
    }

    /**
     * Opens a session for {@code ref} (stopping any previous one) without scheduled polling: the caller polls with
     * {@link #pollNow()}. For tests and the chart benchmark; the view uses {@link #start}.
     */
    synchronized long open(RolloutRef ref) {
        stop();
        Session s = new Session(SESSIONS.incrementAndGet(), ref);
        session = s;
        return s.id;
    }

    /** Stops polling and cancels the queries in flight; buffers of the old rollout are dropped. */
    synchronized void stop() {
        if (future != null) {
            future.cancel(false);
            future = null;
        }
        Session s = session;
        session = null;
        if (s != null) {
            s.cancellation.cancel();
        }
    }

    boolean isPolling() {
        return session != null;
    }

    long sessionId() {
        Session s = session;
        return s == null ? -1 : s.id;
    }

    /** Changes the visible range and polls at once so the charts follow without waiting for the next tick. */
    synchronized void setRange(ChartRange r) {
        range = r;
        Session s = session;
        if (s != null && future != null) {
            executor.execute(() -> pollAndPublish(s));
        }
    }

    ChartRange range() {
        return range;
    }

    /** The plot width in pixels: decimation aims at one min/max pair per column. */
    void setColumns(int c) {
        columns = Math.max(50, Math.min(4000, c));
    }

    private synchronized ScheduledExecutorService executor() {
        if (executor == null) {
            executor = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "detail-metrics-poller");
                t.setDaemon(true);
                return t;
            });
        }
        return executor;
    }

    private void pollAndPublish(Session s) {
        try {
            ChartFrame.Batch b = poll(s);
            if (b != null && session == s) {
                sink.accept(b);
            }
        } catch (RuntimeException e) {
            if (session == s) {
                sink.accept(new ChartFrame.Batch(s.id, List.of(), "metrics unavailable: " + e.getMessage(),
                        state.events(s.ref)));
            }
        }
    }

    /** One poll of the current rollout, synchronously (for tests); null when nothing is shown. */
    ChartFrame.Batch pollNow() {
        Session s = session;
        return s == null ? null : poll(s);
    }

    private ChartFrame.Batch poll(Session s) {
        synchronized (s) {
            if (session != s) {
                return null;
            }
            long now = clocks.apply(s.ref.cluster()).millis();
            List<RolloutEvent> events = state.events(s.ref);
            if (s.definitions == null) {
                try {
                    s.definitions = List.copyOf(source.metrics(s.ref));
                } catch (RuntimeException e) {
                    return new ChartFrame.Batch(s.id, List.of(), "metrics unavailable: " + e.getMessage(), events);
                }
            }
            if (s.definitions.isEmpty()) {
                // every poll says so, not only the first: a later empty batch would leave a bare "No metrics"
                return new ChartFrame.Batch(s.id, List.of(), "No metrics are configured for cluster "
                        + s.ref.cluster() + ": add metrics." + s.ref.cluster() + " (its Prometheus and templates) "
                        + "to the configuration file", events);
            }
            ChartRange r = range;
            if (r != s.appliedRange) {
                s.appliedRange = r;
                s.axes.values().forEach(AxisRange::reset);
            }
            long windowFrom = r.window() != null ? now - r.window().toMillis() : wholeRolloutStart(s.ref, events, now);
            long wantFrom = Math.max(windowFrom, now - MAX_SPAN_MILLIS);
            List<ChartFrame> frames = new ArrayList<>(s.definitions.size());
            int cols = columns;
            long wall = wallClock.getAsLong();
            // a source that is down is asked again only when its retry time has come
            String down = wall < s.retryAt ? s.downMessage : null;
            boolean answered = false;
            int failed = 0;
            for (MetricDefinition def : s.definitions) {
                Buffers b = s.buffers.computeIfAbsent(def.id(), k -> new Buffers());
                if (down != null) {
                    b.fail(down);
                } else if (b.problem != null && wall < b.retryAt) {
                    // this metric's query failed a moment ago: keep its message, do not ask again yet
                } else {
                    try {
                        fetch(s, def.id(), b, wantFrom, now);
                        b.recover();
                        answered = true;
                    } catch (MetricsException e) {
                        if (e.kind() == MetricsException.Kind.CANCELLED || session != s) {
                            return null; // the session was stopped: nobody is waiting for this batch
                        }
                        if (e.sourceDown()) {
                            down = sourceMessage(e);
                            s.failures++;
                            s.retryAt = wall + Math.min(MAX_RETRY_MILLIS, 1000L << Math.min(10, s.failures - 1));
                            s.downMessage = down;
                            b.fail(down);
                        } else {
                            b.fail(e.getMessage());
                            b.retryAt = wall + QUERY_RETRY_MILLIS;
                        }
                    } catch (RuntimeException e) {
                        b.fail(e.getClass().getSimpleName() + ": " + e.getMessage());
                        b.retryAt = wall + QUERY_RETRY_MILLIS;
                    }
                }
                if (b.problem != null) {
                    failed++;
                }
                AxisRange axis = s.axes.computeIfAbsent(def.id(), k -> new AxisRange());
                frames.add(frame(def, b, axis, windowFrom, now, cols, events));
            }
            if (answered) {
                s.failures = 0;
                s.retryAt = 0;
                s.downMessage = null;
            }
            String status = "";
            if (down != null) {
                long wait = Math.max(0, s.retryAt - wall);
                status = "metrics unavailable: " + down + " (retrying in " + Math.max(1, (wait + 999) / 1000)
                        + " s; the charts keep what they had)";
            } else if (failed > 0) {
                status = failed + " of " + s.definitions.size() + " metrics could not be fetched: see the charts";
            }
            return new ChartFrame.Batch(s.id, frames, status, events);
        }
    }

    /** The source's own message, without the metric name a wrapper put in front (it holds for every metric). */
    private static String sourceMessage(MetricsException e) {
        Throwable t = e;
        while (t.getCause() instanceof MetricsException) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    private void fetch(Session s, String metricId, Buffers b, long wantFrom, long now) throws MetricsException {
        if (b.fetchedFrom == Long.MAX_VALUE) {
            List<MetricSeries> got = source.range(s.ref, metricId, Instant.ofEpochMilli(wantFrom),
                    Instant.ofEpochMilli(now), s.cancellation);
            b.fetchedFrom = wantFrom;
            b.fetchedTo = now;
            append(b, got);
            return;
        }
        if (wantFrom < b.fetchedFrom) {
            List<MetricSeries> older = source.range(s.ref, metricId, Instant.ofEpochMilli(wantFrom),
                    Instant.ofEpochMilli(b.fetchedFrom - 1), s.cancellation);
            for (MetricSeries ms : older) {
                b.of(ms.track()).prepend(ms.points());
            }
            b.fetchedFrom = wantFrom;
        }
        if (b.fetchedTo < now) {
            // only the new window: from just after the end of the last successful fetch
            append(b, source.range(s.ref, metricId, Instant.ofEpochMilli(b.fetchedTo + 1), Instant.ofEpochMilli(now),
                    s.cancellation));
            b.fetchedTo = now;
        }
    }

    private static void append(Buffers b, List<MetricSeries> got) {
        for (MetricSeries ms : got) {
            b.of(ms.track()).append(ms.points());
        }
    }

    static ChartFrame frame(MetricDefinition def, Buffers b, AxisRange axis, long from, long now, int columns,
                            List<RolloutEvent> events) {
        String problem = b.problem == null ? "" : b.problem + (b.problem.endsWith(".") ? "" : ".")
                + lastSampleNote(b);
        SeriesBuffer.Samples rawC = b.canary.window(from, now);
        SeriesBuffer.Samples rawB = b.baseline.window(from, now);
        SeriesBuffer.Samples c = Decimator.decimate(rawC, from, now, columns, gapMillis(rawC));
        SeriesBuffer.Samples base = Decimator.decimate(rawB, from, now, columns, gapMillis(rawB));
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (SeriesBuffer.Samples s : List.of(c, base)) {
            for (double v : s.values()) {
                if (Double.isFinite(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        Double threshold = def.threshold();
        boolean hasThreshold = threshold != null && Double.isFinite(threshold);
        if (hasThreshold) {
            min = Math.min(min, threshold);
            max = Math.max(max, threshold);
        }
        if (min <= max) {
            axis.include(min, max);
        } else if (!axis.isSet()) {
            axis.include(0, 1);
        }
        double xLo = (from - now) / 60_000.0;
        List<XYChart.Data<Number, Number>> th = hasThreshold
                ? List.of(new XYChart.Data<>(xLo, threshold), new XYChart.Data<>(0.0, threshold)) : List.of();
        return new ChartFrame(def, toData(c, now), toData(base, now), th,
                MarkerLabels.markers(events, from, now, now), xLo, 0.0, axis.lower(), axis.upper(),
                axis.tickUnit(), lastFinite(rawC), lastFinite(rawB), rawC.size() + rawB.size(), problem);
    }

    /** " Showing samples up to 10:31:05." when the buffers hold any. */
    private static String lastSampleNote(Buffers b) {
        long last = Long.MIN_VALUE;
        for (SeriesBuffer sb : List.of(b.canary, b.baseline)) {
            for (int i = sb.size() - 1; i >= 0; i--) {
                if (Double.isFinite(sb.value(i))) {
                    last = Math.max(last, sb.time(i));
                    break;
                }
            }
        }
        return last == Long.MIN_VALUE ? "" : " Showing samples up to "
                + TIME.format(Instant.ofEpochMilli(last).atZone(ZoneId.systemDefault())) + ".";
    }

    /** A hole longer than five typical sample intervals (at least five seconds) is drawn as a gap. */
    static long gapMillis(SeriesBuffer.Samples s) {
        int n = s.size();
        if (n < 2) {
            return 5_000;
        }
        long typical = (s.times()[n - 1] - s.times()[0]) / (n - 1);
        return Math.max(5_000, typical * 5);
    }

    private static double lastFinite(SeriesBuffer.Samples s) {
        for (int i = s.size() - 1; i >= 0; i--) {
            if (Double.isFinite(s.values()[i])) {
                return s.values()[i];
            }
        }
        return Double.NaN;
    }

    private static List<XYChart.Data<Number, Number>> toData(SeriesBuffer.Samples s, long now) {
        List<XYChart.Data<Number, Number>> out = new ArrayList<>(s.size());
        for (int i = 0; i < s.size(); i++) {
            out.add(new XYChart.Data<>((s.times()[i] - now) / 60_000.0, s.values()[i]));
        }
        return out;
    }

    /**
     * Where "whole rollout" starts: the oldest event held for it, else its creation; at least a minute back, and
     * no further back than the buffers can hold.
     */
    private long wholeRolloutStart(RolloutRef ref, List<RolloutEvent> events, long now) {
        Instant start = null;
        if (!events.isEmpty()) {
            start = events.get(0).time();
        }
        if (start == null) {
            start = state.rollouts().get(ref).map(Rollout::createdAt).orElse(null);
        }
        long from = start == null ? now - 3_600_000 : start.toEpochMilli();
        return Math.max(now - MAX_SPAN_MILLIS, Math.min(from, now - 60_000));
    }

    @Override
    public synchronized void close() {
        stop();
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }

    /**
     * Canary and baseline buffers of one metric, the span fetched so far ([fetchedFrom, fetchedTo]), and the
     * metric's current problem (null when its last fetch succeeded).
     */
    static final class Buffers {
        final SeriesBuffer canary = new SeriesBuffer(BUFFER_CAPACITY);
        final SeriesBuffer baseline = new SeriesBuffer(BUFFER_CAPACITY);
        long fetchedFrom = Long.MAX_VALUE;
        long fetchedTo = Long.MIN_VALUE;
        String problem;
        /** When a metric whose own query failed is asked again. */
        long retryAt;
        private boolean gapMarked;

        SeriesBuffer of(Track t) {
            return t == Track.CANARY ? canary : baseline;
        }

        /** The fetch failed: remember why, and once per outage end the lines just after what was fetched. */
        void fail(String why) {
            problem = why;
            if (!gapMarked && fetchedTo != Long.MIN_VALUE) {
                long at = fetchedTo + 1;
                for (SeriesBuffer sb : List.of(canary, baseline)) {
                    if (!sb.isEmpty()) {
                        sb.append(at, Double.NaN);
                    }
                }
                gapMarked = true;
            }
        }

        void recover() {
            problem = null;
            retryAt = 0;
            gapMarked = false;
        }
    }

    private static final class Session {
        final long id;
        final RolloutRef ref;
        final Map<String, Buffers> buffers = new LinkedHashMap<>();
        final Map<String, AxisRange> axes = new LinkedHashMap<>();
        final Cancellation cancellation = Cancellation.create();
        List<MetricDefinition> definitions;
        ChartRange appliedRange;
        /** Consecutive polls in which the source was down, when to ask it again, and what it said. */
        int failures;
        long retryAt;
        String downMessage;

        Session(long id, RolloutRef ref) {
            this.id = id;
            this.ref = ref;
        }
    }
}
