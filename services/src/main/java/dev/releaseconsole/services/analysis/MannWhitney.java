package dev.releaseconsole.services.analysis;

import org.apache.commons.math3.distribution.NormalDistribution;

import java.util.Arrays;

/**
 * The Mann-Whitney U test (Wilcoxon rank-sum) of canary against baseline samples, with the Hodges-Lehmann estimate
 * of the shift between them and its distribution-free confidence interval.
 *
 * <p>Samples of a live metric are not independent: a PromQL {@code rate(x[1m])} sampled every 15 s repeats three
 * quarters of its window from one sample to the next. Treating them as independent makes any test far too sure of
 * itself. So the variance of U is widened by how much the samples repeat each other: the integrated autocorrelation
 * time of the baseline's ranks in time order (Geyer's initial monotone sequence), which says how many consecutive
 * samples count as one independent observation. Both tracks come from the same query (same rate window, same
 * step), so they repeat alike; it is measured on the baseline because a regression that grows while the canary
 * runs would otherwise be mistaken for repetition and hide itself. For independent samples the factor is about 1
 * and this is the textbook test (normal approximation with the tie correction and no continuity correction, the
 * asymptotic p-value of commons-math3's {@code MannWhitneyUTest} plus the tie correction).
 */
public final class MannWhitney {
    private static final NormalDistribution NORMAL = new NormalDistribution(0, 1);
    /** Autocorrelation is estimated from at least this many samples; fewer count as independent. */
    private static final int MIN_SAMPLES_FOR_AUTOCORRELATION = 8;

    private MannWhitney() {
    }

    /**
     * One comparison. {@code shift} is the Hodges-Lehmann estimate (the median of all canary-minus-baseline
     * differences), {@code lower}/{@code upper} its confidence interval; {@code u} counts the pairs in which the
     * canary is higher (ties count a half); {@code z} and {@code pValue} (two-sided) include the widening for
     * repeated samples: {@code repeat} consecutive samples count as one independent observation (1 = independent).
     */
    public record Result(int canaryCount, int baselineCount, double u, double z, double pValue, double shift,
                         double lower, double upper, double confidence, double repeat) {
        /** Samples that count as independent, per track. */
        public double canaryEffective() {
            return canaryCount / repeat;
        }

        public double baselineEffective() {
            return baselineCount / repeat;
        }
    }

    /**
     * Compares {@code canary} with {@code baseline}, each in time order, finite and non-empty, at {@code confidence}
     * (e.g. 0.98) for the interval. With {@code serialCorrection} false the samples are taken as independent.
     */
    public static Result compare(double[] canary, double[] baseline, double confidence, boolean serialCorrection) {
        return compare(canary, baseline, confidence, serialCorrection ? repeatOf(baseline) : 1);
    }

    /**
     * Compares as above with a given {@code repeat}: how many consecutive samples count as one independent
     * observation (at least 1), e.g. measured by {@link #repeatOf} on a longer stretch of the baseline than the
     * window compared, which measures it far better (a window of 180 samples underestimates a repetition over 30
     * by about a quarter).
     */
    public static Result compare(double[] canary, double[] baseline, double confidence, double repeat) {
        if (canary.length == 0 || baseline.length == 0) {
            throw new IllegalArgumentException("both tracks need samples: canary " + canary.length + ", baseline "
                    + baseline.length);
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be between 0 and 1, not " + confidence);
        }
        int n = canary.length;
        int m = baseline.length;
        int total = n + m;
        double[] pooled = new double[total];
        System.arraycopy(canary, 0, pooled, 0, n);
        System.arraycopy(baseline, 0, pooled, n, m);
        double[] ranks = ranks(pooled);

        double canaryRankSum = 0;
        for (int i = 0; i < n; i++) {
            canaryRankSum += ranks[i];
        }
        double u = canaryRankSum - n * (n + 1) / 2.0;
        double pairs = (double) n * m;

        if (!(repeat >= 1) || Double.isInfinite(repeat)) {
            throw new IllegalArgumentException("repeat must be a number of at least 1, not " + repeat);
        }
        double variance = pairs / 12.0 * ((total + 1) - tieTerm(pooled) / ((double) total * (total - 1))) * repeat;

        double[] c = canary.clone();
        double[] b = baseline.clone();
        Arrays.sort(c);
        Arrays.sort(b);
        long count = (long) n * m;
        double shift = count % 2 == 1 ? kthDifference(c, b, (count + 1) / 2)
                : (kthDifference(c, b, count / 2) + kthDifference(c, b, count / 2 + 1)) / 2;

        if (variance <= 0) {
            // every sample ties with every other: no spread to test against
            return new Result(n, m, u, 0, 1, shift, shift, shift, confidence, repeat);
        }
        double sd = Math.sqrt(variance);
        double z = (u - pairs / 2) / sd;
        double p = Math.min(1, 2 * NORMAL.cumulativeProbability(-Math.abs(z)));
        double quantile = NORMAL.inverseCumulativeProbability(1 - (1 - confidence) / 2);
        long k = (long) Math.floor(pairs / 2 - quantile * sd);
        if (k < 1) {
            // too few independent samples for an interval at this confidence: it is unbounded
            return new Result(n, m, u, z, p, shift, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, confidence,
                    repeat);
        }
        k = Math.min(k, (count + 1) / 2);
        double lower = kthDifference(c, b, k);
        double upper = kthDifference(c, b, count - k + 1);
        return new Result(n, m, u, z, p, shift, lower, upper, confidence, repeat);
    }

    /** Sum of t^3 - t over groups of t equal values: the tie correction of the variance of U. */
    private static double tieTerm(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double term = 0;
        int i = 0;
        while (i < sorted.length) {
            int j = i + 1;
            while (j < sorted.length && sorted[j] == sorted[i]) {
                j++;
            }
            double t = j - i;
            term += t * t * t - t;
            i = j;
        }
        return term;
    }

    /** How many consecutive samples of {@code series} (time order) count as one: {@link #repeatFactor} of its ranks. */
    public static double repeatOf(double[] series) {
        if (series.length < MIN_SAMPLES_FOR_AUTOCORRELATION) {
            return 1;
        }
        return repeatFactor(ranks(series));
    }

    /**
     * Mid-ranks (1-based; tied values share the mean of their positions), from one primitive sort: several times
     * faster than commons-math3's {@code NaturalRanking}, which matters at thousands of samples per metric.
     */
    static double[] ranks(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            int first = lowerBound(sorted, values[i]);
            int last = upperBound(sorted, values[i]);
            out[i] = (first + 1 + last) / 2.0;
        }
        return out;
    }

    /** The first index whose value is not below {@code v}. */
    private static int lowerBound(double[] sorted, double v) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The first index whose value is above {@code v}. */
    private static int upperBound(double[] sorted, double v) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * How many consecutive samples count as one independent observation: 1 + 2 x the sum of the autocorrelations,
     * summed in pairs of lags until a pair is no longer positive, each pair no larger than the one before (Geyer
     * 1992, initial monotone sequence). At least 1, and at most a third of the samples (so three always count).
     */
    static double repeatFactor(double[] series) {
        int n = series.length;
        if (n < MIN_SAMPLES_FOR_AUTOCORRELATION) {
            return 1;
        }
        double mean = 0;
        for (double v : series) {
            mean += v;
        }
        mean /= n;
        double[] d = new double[n];
        double c0 = 0;
        for (int i = 0; i < n; i++) {
            d[i] = series[i] - mean;
            c0 += d[i] * d[i];
        }
        if (c0 == 0) {
            return 1;
        }
        int maxLag = n / 2;
        double tau = -1;
        double previousPair = Double.POSITIVE_INFINITY;
        for (int lag = 0; lag + 1 <= maxLag; lag += 2) {
            double pair = autocorrelation(d, c0, lag) + autocorrelation(d, c0, lag + 1);
            if (pair <= 0) {
                break;
            }
            pair = Math.min(pair, previousPair);
            previousPair = pair;
            tau += 2 * pair;
        }
        return Math.max(1, Math.min(tau, n / 3.0));
    }

    private static double autocorrelation(double[] centred, double c0, int lag) {
        if (lag == 0) {
            return 1;
        }
        double s = 0;
        for (int i = 0; i + lag < centred.length; i++) {
            s += centred[i] * centred[i + lag];
        }
        return s / c0;
    }

    /**
     * The k-th smallest (1-based) of all differences {@code c[i] - b[j]}, both arrays sorted ascending, without
     * forming the n x m differences: bisection on the value, counting in one merge-like pass per step, until at most
     * n + m differences lie between the bounds; those are then listed and the one wanted picked.
     */
    static double kthDifference(double[] c, double[] b, long k) {
        long count = (long) c.length * b.length;
        if (k < 1 || k > count) {
            throw new IllegalArgumentException("k must be between 1 and " + count + ", not " + k);
        }
        double lo = c[0] - b[b.length - 1];
        long atLo = countAtMost(c, b, lo);
        if (atLo >= k) {
            return lo;
        }
        double hi = c[c.length - 1] - b[0];
        long atHi = count;
        long few = c.length + (long) b.length;
        // invariant: atLo < k differences are <= lo, atHi >= k are <= hi
        while (atHi - atLo > few) {
            double mid = lo + (hi - lo) / 2;
            if (mid <= lo || mid >= hi) {
                return smallestAbove(c, b, lo); // no double between: the answer is the next difference
            }
            long atMid = countAtMost(c, b, mid);
            if (atMid >= k) {
                hi = mid;
                atHi = atMid;
            } else {
                lo = mid;
                atLo = atMid;
            }
        }
        double[] between = new double[(int) (atHi - atLo)];
        int n = 0;
        int first = 0; // first j with c[i] - b[j] <= hi
        int last = 0;  // first j with c[i] - b[j] <= lo
        for (double ci : c) {
            while (first < b.length && ci - b[first] > hi) {
                first++;
            }
            while (last < b.length && ci - b[last] > lo) {
                last++;
            }
            for (int j = first; j < last; j++) {
                between[n++] = ci - b[j];
            }
        }
        Arrays.sort(between, 0, n);
        return between[(int) (k - atLo - 1)];
    }

    /** How many differences c[i] - b[j] are at most {@code t}. */
    private static long countAtMost(double[] c, double[] b, double t) {
        long total = 0;
        int j = 0;
        for (double ci : c) {
            // differences fall as j rises; skip those still above t
            while (j < b.length && ci - b[j] > t) {
                j++;
            }
            total += b.length - j;
        }
        return total;
    }

    /** The smallest difference c[i] - b[j] greater than {@code t}. */
    private static double smallestAbove(double[] c, double[] b, double t) {
        double best = Double.POSITIVE_INFINITY;
        int j = 0;
        for (double ci : c) {
            while (j < b.length && ci - b[j] > t) {
                j++;
            }
            if (j > 0) {
                best = Math.min(best, ci - b[j - 1]);
            }
        }
        return best;
    }
}
