package dev.releaseconsole.services.demo;

import dev.releaseconsole.services.model.MetricPoint;

import java.util.ArrayList;
import java.util.List;

/** A fixed-capacity, time-ordered ring of samples: the oldest point is overwritten once it is full. */
final class MetricRing {
    private final long[] times;
    private final double[] values;
    private int first;
    private int size;

    MetricRing(int capacity) {
        times = new long[capacity];
        values = new double[capacity];
    }

    void add(long epochMillis, double value) {
        int slot = (first + size) % times.length;
        times[slot] = epochMillis;
        values[slot] = value;
        if (size < times.length) {
            size++;
        } else {
            first = (first + 1) % times.length;
        }
    }

    /** Points with {@code from <= time <= to}, oldest first. */
    List<MetricPoint> range(long from, long to) {
        List<MetricPoint> out = new ArrayList<>();
        for (int i = firstAtOrAfter(from); i < size && timeAt(i) <= to; i++) {
            int slot = (first + i) % times.length;
            out.add(new MetricPoint(times[slot], values[slot]));
        }
        return out;
    }

    private long timeAt(int logicalIndex) {
        return times[(first + logicalIndex) % times.length];
    }

    private int firstAtOrAfter(long from) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (timeAt(mid) < from) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
