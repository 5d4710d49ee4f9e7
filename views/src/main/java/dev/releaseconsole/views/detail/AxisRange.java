package dev.releaseconsole.views.detail;

/**
 * A fixed Y range for a live chart: it changes only when the data leaves it (or on {@link #reset()}), so the chart
 * does not jump with every sample. New ranges get 15% head room and "nice" tick units.
 */
final class AxisRange {
    private double lower = Double.NaN;
    private double upper = Double.NaN;

    double lower() {
        return lower;
    }

    double upper() {
        return upper;
    }

    boolean isSet() {
        return !Double.isNaN(lower);
    }

    void reset() {
        lower = Double.NaN;
        upper = Double.NaN;
    }

    /**
     * Makes sure [min, max] fits (non-finite bounds are ignored). Returns true when the range changed.
     */
    boolean include(double min, double max) {
        if (!Double.isFinite(min) || !Double.isFinite(max)) {
            return false;
        }
        if (isSet() && min >= lower && max <= upper) {
            return false;
        }
        double lo = isSet() ? Math.min(lower, min) : min;
        double hi = isSet() ? Math.max(upper, max) : max;
        double span = hi - lo;
        if (span <= 0) {
            span = Math.abs(hi) > 0 ? Math.abs(hi) * 0.5 : 1;
        }
        double pad = span * 0.15;
        double newLo = lo - pad;
        // Metrics here are rates, ratios and latencies: do not go below zero when the data does not.
        if (lo >= 0 && newLo < 0) {
            newLo = 0;
        }
        double newHi = hi + pad;
        double unit = tickUnit(newHi - newLo);
        lower = Math.floor(newLo / unit) * unit;
        upper = Math.ceil(newHi / unit) * unit;
        if (upper <= lower) {
            upper = lower + unit;
        }
        return true;
    }

    double tickUnit() {
        return isSet() ? tickUnit(upper - lower) : 1;
    }

    /** About five ticks with a 1-2-5 unit. */
    static double tickUnit(double span) {
        if (!(span > 0) || !Double.isFinite(span)) {
            return 1;
        }
        double raw = span / 5;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double n = raw / mag;
        double nice = n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10;
        return nice * mag;
    }
}
