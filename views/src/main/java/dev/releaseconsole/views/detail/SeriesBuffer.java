package dev.releaseconsole.views.detail;

import dev.releaseconsole.services.model.MetricPoint;

import java.util.Arrays;
import java.util.List;

/**
 * A bounded, time-ordered buffer of samples for one series (one metric, one track). Appends that would exceed the
 * capacity drop the oldest samples. Not thread-safe: the metrics poller owns it on its single thread.
 */
final class SeriesBuffer {
    private final int capacity;
    private long[] times;
    private double[] values;
    private int start;
    private int size;

    SeriesBuffer(int capacity) {
        if (capacity < 2) {
            throw new IllegalArgumentException("capacity must be at least 2");
        }
        this.capacity = capacity;
        this.times = new long[capacity];
        this.values = new double[capacity];
    }

    int capacity() {
        return capacity;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    long firstTime() {
        return time(0);
    }

    long lastTime() {
        return time(size - 1);
    }

    long time(int i) {
        return times[(start + i) % capacity];
    }

    double value(int i) {
        return values[(start + i) % capacity];
    }

    /** Appends samples newer than the last one held; older or equal timestamps are ignored (overlapping polls). */
    void append(List<MetricPoint> points) {
        for (MetricPoint p : points) {
            append(p.epochMillis(), p.value());
        }
    }

    void append(long t, double v) {
        if (size > 0 && t <= lastTime()) {
            return;
        }
        if (size < capacity) {
            int idx = (start + size) % capacity;
            times[idx] = t;
            values[idx] = v;
            size++;
        } else {
            times[start] = t;
            values[start] = v;
            start = (start + 1) % capacity;
        }
    }

    /**
     * Puts older samples (all before {@link #firstTime()}) in front of what is held, keeping the newest
     * {@code capacity} samples overall. Used when the visible range grows backwards (whole rollout).
     */
    void prepend(List<MetricPoint> older) {
        long before = size == 0 ? Long.MAX_VALUE : firstTime();
        long[] t = new long[older.size() + size];
        double[] v = new double[older.size() + size];
        int n = 0;
        long last = Long.MIN_VALUE;
        for (MetricPoint p : older) {
            if (p.epochMillis() < before && p.epochMillis() > last) {
                t[n] = p.epochMillis();
                v[n] = p.value();
                last = t[n];
                n++;
            }
        }
        for (int i = 0; i < size; i++) {
            t[n] = time(i);
            v[n] = value(i);
            n++;
        }
        int from = Math.max(0, n - capacity);
        clear();
        for (int i = from; i < n; i++) {
            append(t[i], v[i]);
        }
    }

    void clear() {
        start = 0;
        size = 0;
    }

    /** Index of the first sample with time >= {@code t} (size when none). */
    int lowerBound(long t) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (time(mid) < t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Copies the samples with from <= time <= to. */
    Samples window(long from, long to) {
        int a = lowerBound(from);
        int b = lowerBound(to + 1);
        int n = Math.max(0, b - a);
        long[] t = new long[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = time(a + i);
            v[i] = value(a + i);
        }
        return new Samples(t, v);
    }

    /** Plain arrays of samples, time-ordered. */
    record Samples(long[] times, double[] values) {
        int size() {
            return times.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Samples s && Arrays.equals(times, s.times) && Arrays.equals(values, s.values);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(times) + Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return "Samples[" + times.length + "]";
        }
    }
}
