package dev.releaseconsole.services.demo;

import java.time.Duration;
import java.util.SplittableRandom;

/**
 * One pod template revision of a simulated workload: its ReplicaSet hash, image version and how the code behaves
 * under traffic.
 */
record Release(int revision, String podHash, String version, Quality quality) {
    /** How a release's code behaves compared with a healthy one. */
    enum Quality {
        GOOD,
        /** Slightly slower: enough to make a strict latency analysis inconclusive, not enough to fail it. */
        SLOWER,
        /** A real regression that grows while the release takes traffic (e.g. a connection pool leak). */
        REGRESSING
    }

    /** Argo's pod-template-hash alphabet (SafeEncodeString): no vowels, no look-alike digits. */
    private static final String HASH_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
    private static final Duration REGRESSION_ONSET = Duration.ofSeconds(30);
    private static final Duration REGRESSION_RAMP = Duration.ofSeconds(180);

    static Release of(int revision, String version, Quality quality, SplittableRandom random) {
        return new Release(revision, podHash(random), version, quality);
    }

    /** The next release: a good build with a bumped patch (mostly) or minor version. */
    Release next(SplittableRandom random) {
        String[] parts = version.split("\\.");
        int major = Integer.parseInt(parts[0]);
        int minor = Integer.parseInt(parts[1]);
        int patch = Integer.parseInt(parts[2]);
        String nextVersion = random.nextInt(10) < 7 ? major + "." + minor + "." + (patch + 1)
                : major + "." + (minor + 1) + ".0";
        return of(revision + 1, nextVersion, Quality.GOOD, random);
    }

    /** The same code with a changed pod template (e.g. a retry annotation): a new revision and hash. */
    Release rebuilt(SplittableRandom random) {
        return of(revision + 1, version, quality, random);
    }

    String image(String repository) {
        return repository + ":" + version;
    }

    /** Traffic multipliers for this release after it has served users for {@code underTraffic}. */
    TrafficModel.Behaviour behaviour(Duration underTraffic) {
        return switch (quality) {
            case GOOD -> TrafficModel.Behaviour.NORMAL;
            case SLOWER -> new TrafficModel.Behaviour(1.0, 1.25, 1.0);
            case REGRESSING -> {
                double level = Math.max(0, Math.min(1, (double) underTraffic.minus(REGRESSION_ONSET).toSeconds()
                        / REGRESSION_RAMP.toSeconds()));
                yield new TrafficModel.Behaviour(1 + 6 * level, 1 + 0.5 * level, 1 - 0.2 * level);
            }
        };
    }

    private static String podHash(SplittableRandom random) {
        StringBuilder sb = new StringBuilder(10);
        for (int i = 0; i < 10; i++) {
            sb.append(HASH_ALPHABET.charAt(random.nextInt(HASH_ALPHABET.length())));
        }
        return sb.toString();
    }
}
