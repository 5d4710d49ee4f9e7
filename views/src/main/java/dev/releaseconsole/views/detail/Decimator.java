package dev.releaseconsole.views.detail;

/**
 * Reduces a series to about one min/max pair per pixel column, keeping the extremes (a spike survives decimation)
 * and keeping gaps: a NaN or infinite sample, or a hole in time longer than {@code gapMillis}, becomes one NaN point
 * that the chart draws as a break in the line. Output is time-ordered.
 */
final class Decimator {
    private Decimator() {
    }

    /**
     * @param in        time-ordered samples (values may be NaN or infinite)
     * @param from      left edge of the visible range (epoch millis)
     * @param to        right edge of the visible range (epoch millis)
     * @param columns   pixel columns available; the result has at most about {@code 2 * columns + gaps} points
     * @param gapMillis a hole between two samples longer than this is drawn as a gap; <= 0 disables it
     */
    static SeriesBuffer.Samples decimate(SeriesBuffer.Samples in, long from, long to, int columns, long gapMillis) {
        int n = in.size();
        long[] t = in.times();
        double[] v = in.values();
        columns = Math.max(1, columns);
        int cap = Math.min(n, 2 * columns) + Math.min(n, columns) + 2;
        long[] ot = new long[cap];
        double[] ov = new double[cap];
        int out = 0;
        if (n == 0) {
            return new SeriesBuffer.Samples(new long[0], new double[0]);
        }
        if (n <= 2 * columns) {
            // Few enough: keep every finite point, collapse runs of non-finite ones into one gap.
            ot = new long[2 * n];
            ov = new double[2 * n];
            boolean lastWasGap = true;
            long prevT = Long.MIN_VALUE;
            for (int i = 0; i < n; i++) {
                boolean finite = Double.isFinite(v[i]);
                if (finite && !lastWasGap && gapMillis > 0 && t[i] - prevT > gapMillis) {
                    ot[out] = prevT + 1;
                    ov[out++] = Double.NaN;
                }
                if (finite) {
                    ot[out] = t[i];
                    ov[out++] = v[i];
                    lastWasGap = false;
                    prevT = t[i];
                } else if (!lastWasGap) {
                    ot[out] = t[i];
                    ov[out++] = Double.NaN;
                    lastWasGap = true;
                }
            }
            return trim(ot, ov, out);
        }
        double span = Math.max(1, to - from);
        int i = 0;
        boolean lastWasGap = true;
        long prevT = Long.MIN_VALUE;
        while (i < n) {
            int col = column(t[i], from, span, columns);
            int minIdx = -1;
            int maxIdx = -1;
            int gapIdx = -1;
            int j = i;
            while (j < n && column(t[j], from, span, columns) == col) {
                double x = v[j];
                boolean timeHole = gapMillis > 0 && prevT != Long.MIN_VALUE && t[j] - prevT > gapMillis;
                if (!Double.isFinite(x) || timeHole) {
                    if (gapIdx < 0) {
                        gapIdx = j;
                    }
                }
                if (Double.isFinite(x)) {
                    if (minIdx < 0 || x < v[minIdx]) {
                        minIdx = j;
                    }
                    if (maxIdx < 0 || x > v[maxIdx]) {
                        maxIdx = j;
                    }
                    prevT = t[j];
                }
                j++;
            }
            // Emit in time order: the gap (if it came first), then min/max in the order they occurred.
            int a = minIdx;
            int b = maxIdx;
            if (a > b) {
                int s = a;
                a = b;
                b = s;
            }
            boolean gapFirst = gapIdx >= 0 && (a < 0 || gapIdx <= a);
            if (gapIdx >= 0 && gapFirst && !lastWasGap) {
                ot[out] = t[gapIdx];
                ov[out++] = Double.NaN;
                lastWasGap = true;
            }
            if (a >= 0) {
                ot[out] = t[a];
                ov[out++] = v[a];
                lastWasGap = false;
                if (b != a) {
                    ot[out] = t[b];
                    ov[out++] = v[b];
                }
            }
            if (gapIdx >= 0 && !gapFirst && !lastWasGap) {
                ot[out] = Math.max(t[gapIdx], a >= 0 ? t[b] : t[gapIdx]);
                ov[out++] = Double.NaN;
                lastWasGap = true;
            }
            if (out + 3 > ot.length) {
                ot = java.util.Arrays.copyOf(ot, ot.length * 2);
                ov = java.util.Arrays.copyOf(ov, ov.length * 2);
            }
            i = j;
        }
        return trim(ot, ov, out);
    }

    private static int column(long t, long from, double span, int columns) {
        int c = (int) Math.floor((t - from) / span * columns);
        return Math.max(-1, Math.min(columns, c));
    }

    private static SeriesBuffer.Samples trim(long[] t, double[] v, int n) {
        // A trailing gap carries no information.
        while (n > 0 && Double.isNaN(v[n - 1])) {
            n--;
        }
        return new SeriesBuffer.Samples(java.util.Arrays.copyOf(t, n), java.util.Arrays.copyOf(v, n));
    }
}
