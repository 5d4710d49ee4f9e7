package dev.releaseconsole.services.analysis;

import dev.releaseconsole.services.model.Direction;
import dev.releaseconsole.services.model.MetricDefinition;
import dev.releaseconsole.services.model.MetricPoint;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded synthetic samples for the judge's tests and benchmark: latency percentiles (log-normal around a level),
 * error ratios from Poisson request and error counts, optionally as a sliding window over per-second counts the way
 * a PromQL rate(...[30s]) sampled every second repeats itself.
 */
final class Synthetic {
    static final MetricDefinition ERROR_RATIO =
            new MetricDefinition("error-ratio", "Error ratio", "%", Direction.INCREASE_IS_BAD, 5.0, true);
    static final MetricDefinition P95 =
            new MetricDefinition("p95-latency", "p95 latency", "ms", Direction.INCREASE_IS_BAD, 500.0, false);
    static final MetricDefinition P99 =
            new MetricDefinition("p99-latency", "p99 latency", "ms", Direction.INCREASE_IS_BAD, null, false);
    static final MetricDefinition CONVERSION =
            new MetricDefinition("conversion", "Checkout conversion", "%", Direction.DECREASE_IS_BAD, null, false);
    static final MetricDefinition THROUGHPUT =
            new MetricDefinition("throughput", "Request rate", "req/s", Direction.DECREASE_IS_BAD, null, false);

    private static final long T0 = 1_800_000_000_000L;

    private final SplittableRandom random;

    Synthetic(long seed) {
        random = new SplittableRandom(seed);
    }

    /** {@code n} independent latency samples: {@code level} x exp(sigma x N(0,1)), one per {@code stepMillis}. */
    List<MetricPoint> latency(int n, double level, double sigma) {
        List<MetricPoint> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new MetricPoint(T0 + i * 1000L, level * Math.exp(sigma * random.nextGaussian())));
        }
        return out;
    }

    /** {@code n} independent error ratios in percent: each of {@code requests} (Poisson) requests fails with {@code percent}. */
    List<MetricPoint> errorRatio(int n, double requests, double percent) {
        List<MetricPoint> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long req = Math.max(1, poisson(requests));
            long err = poisson(req * percent / 100);
            out.add(new MetricPoint(T0 + i * 1000L, 100.0 * err / req));
        }
        return out;
    }

    /**
     * {@code n} error ratios in percent over a sliding window of {@code window} one-second counts
     * ({@code requestsPerSecond}, each failing with {@code percent}): consecutive samples share all but one second.
     */
    List<MetricPoint> slidingErrorRatio(int n, int window, double requestsPerSecond, double percent) {
        long[] req = new long[n + window];
        long[] err = new long[n + window];
        for (int i = 0; i < req.length; i++) {
            req[i] = poisson(requestsPerSecond);
            err[i] = poisson(req[i] * percent / 100);
        }
        List<MetricPoint> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long r = 0;
            long e = 0;
            for (int k = i; k < i + window; k++) {
                r += req[k];
                e += err[k];
            }
            out.add(new MetricPoint(T0 + i * 1000L, r == 0 ? Double.NaN : 100.0 * e / r));
        }
        return out;
    }

    long poisson(double mean) {
        if (mean <= 0) {
            return 0;
        }
        if (mean > 50) {
            return Math.max(0, Math.round(mean + Math.sqrt(mean) * random.nextGaussian()));
        }
        double limit = Math.exp(-mean);
        double product = random.nextDouble();
        long k = 0;
        while (product > limit) {
            product *= random.nextDouble();
            k++;
        }
        return k;
    }

    static double[] values(List<MetricPoint> points) {
        return points.stream().mapToDouble(MetricPoint::value).toArray();
    }
}
