package dev.releaseconsole.services.demo;

import dev.releaseconsole.services.model.Direction;
import dev.releaseconsole.services.model.MetricDefinition;
import dev.releaseconsole.services.model.MetricPoint;
import dev.releaseconsole.services.model.Track;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.SplittableRandom;

/**
 * Simulated traffic of one rollout, split between canary and baseline by the canary's weight, sampled once per
 * simulated second per track into bounded series. Counts are drawn per second (Poisson requests, errors and
 * conversions); ratios and rates are computed over a sliding window, as a PromQL {@code rate(...[30s])} would.
 */
final class TrafficModel {
    static final String REQUEST_RATE = "request-rate";
    static final String ERROR_RATIO = "error-ratio";
    static final String P95_LATENCY = "p95-latency";
    static final String CONVERSION = "checkout-conversion";

    static final List<MetricDefinition> DEFINITIONS = List.of(
            new MetricDefinition(REQUEST_RATE, "Request rate", "req/s", Direction.DECREASE_IS_BAD, null, false),
            new MetricDefinition(ERROR_RATIO, "Error ratio", "%", Direction.INCREASE_IS_BAD, 1.0, true),
            new MetricDefinition(P95_LATENCY, "p95 latency", "ms", Direction.INCREASE_IS_BAD, 400.0, false),
            new MetricDefinition(CONVERSION, "Checkout conversion", "%", Direction.DECREASE_IS_BAD, null, false));

    /** At most this many points per series: two hours at one sample per second. */
    static final int SERIES_CAPACITY = 7200;
    private static final int WINDOW_SECONDS = 30;

    /** How a release's code shifts errors, latency and conversion relative to the service's profile. */
    record Behaviour(double errorFactor, double latencyFactor, double conversionFactor) {
        static final Behaviour NORMAL = new Behaviour(1, 1, 1);
    }

    private final TrafficProfile profile;
    private final SplittableRandom random;
    private final Map<Track, Map<String, MetricRing>> series = new EnumMap<>(Track.class);
    private final Map<Track, CountWindow> windows = new EnumMap<>(Track.class);
    /** Slow, mean-reverting swing of the overall load around 1.0. */
    private double load = 1.0;

    TrafficModel(TrafficProfile profile, SplittableRandom random) {
        this.profile = profile;
        this.random = random;
        for (Track track : Track.values()) {
            Map<String, MetricRing> rings = new LinkedHashMap<>();
            DEFINITIONS.forEach(d -> rings.put(d.id(), new MetricRing(SERIES_CAPACITY)));
            series.put(track, rings);
            windows.put(track, new CountWindow());
        }
    }

    /**
     * Records one second of traffic at {@code t}. A track that receives no traffic (canary weight 0, or 100 for the
     * baseline) gets no point, so its series has a gap.
     */
    void sample(Instant t, int canaryWeight, Behaviour canary, Behaviour baseline) {
        load += 0.02 * (1.0 - load) + 0.01 * random.nextGaussian();
        double total = profile.requestsPerSecond() * load;
        sampleTrack(Track.CANARY, t, total * canaryWeight / 100.0, canary);
        sampleTrack(Track.BASELINE, t, total * (100 - canaryWeight) / 100.0, baseline);
    }

    boolean hasMetric(String metricId) {
        return series.get(Track.CANARY).containsKey(metricId);
    }

    List<MetricPoint> range(Track track, String metricId, long fromMillis, long toMillis) {
        return series.get(track).get(metricId).range(fromMillis, toMillis);
    }

    /** Mean of the canary's samples in (now - window, now], as an analysis query would see them; empty without data. */
    OptionalDouble canaryMean(String metricId, Instant now, Duration window) {
        return range(Track.CANARY, metricId, now.minus(window).toEpochMilli() + 1, now.toEpochMilli()).stream()
                .mapToDouble(MetricPoint::value).average();
    }

    private void sampleTrack(Track track, Instant t, double requestsPerSecond, Behaviour behaviour) {
        CountWindow window = windows.get(track);
        if (requestsPerSecond <= 0) {
            window.clear();
            return;
        }
        long requests = poisson(requestsPerSecond);
        long errors = poisson(requests * profile.errorRatio() * behaviour.errorFactor());
        long conversions = poisson(requests * profile.conversion() * behaviour.conversionFactor());
        window.add(requests, errors, conversions);

        // Fewer requests make a noisier percentile; a busier service is a little slower.
        double sigma = 0.04 + 0.25 / Math.sqrt(Math.max(1, requests));
        double p95 = profile.p95Millis() * behaviour.latencyFactor() * (1 + 0.15 * (load - 1))
                * Math.exp(sigma * random.nextGaussian());

        long millis = t.toEpochMilli();
        Map<String, MetricRing> rings = series.get(track);
        rings.get(REQUEST_RATE).add(millis, window.requests / (double) window.seconds());
        rings.get(P95_LATENCY).add(millis, p95);
        if (window.requests > 0) {
            rings.get(ERROR_RATIO).add(millis, 100.0 * window.errors / window.requests);
            rings.get(CONVERSION).add(millis, 100.0 * window.conversions / window.requests);
        }
    }

    private long poisson(double mean) {
        if (mean <= 0) {
            return 0;
        }
        if (mean > 40) {
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

    /** Per-second counts of the last {@link #WINDOW_SECONDS} seconds of one track. */
    private static final class CountWindow {
        private final long[][] slots = new long[WINDOW_SECONDS][3];
        private int next;
        private int filled;
        private long requests;
        private long errors;
        private long conversions;

        void add(long req, long err, long conv) {
            long[] slot = slots[next];
            if (filled == WINDOW_SECONDS) {
                requests -= slot[0];
                errors -= slot[1];
                conversions -= slot[2];
            } else {
                filled++;
            }
            slot[0] = req;
            slot[1] = err;
            slot[2] = conv;
            requests += req;
            errors += err;
            conversions += conv;
            next = (next + 1) % WINDOW_SECONDS;
        }

        int seconds() {
            return filled;
        }

        void clear() {
            next = 0;
            filled = 0;
            requests = 0;
            errors = 0;
            conversions = 0;
        }
    }
}
