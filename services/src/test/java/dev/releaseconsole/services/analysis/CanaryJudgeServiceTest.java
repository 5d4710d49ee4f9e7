package dev.releaseconsole.services.analysis;

import dev.releaseconsole.services.demo.DemoWorld;
import dev.releaseconsole.services.kube.Poll;
import dev.releaseconsole.services.metrics.MetricsException;
import dev.releaseconsole.services.metrics.MetricsSource;
import dev.releaseconsole.services.model.MetricDefinition;
import dev.releaseconsole.services.model.MetricPoint;
import dev.releaseconsole.services.model.MetricSeries;
import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.model.Strategy;
import dev.releaseconsole.services.model.Track;
import dev.releaseconsole.services.model.WorkloadKind;
import dev.releaseconsole.services.store.LiveState;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The live verdict service on the demo world (on its simulated clock) and on hand-built rollouts. */
class CanaryJudgeServiceTest {
    private static final Instant START = Instant.parse("2026-11-02T10:00:00Z");
    private static final RolloutRef CHECKOUT_API = argo("prod-eu", "checkout", "checkout-api");
    private static final RolloutRef SEARCH_API = argo("prod-eu", "search", "search-api");
    /** Releases of the demo that are good builds: their canaries must never get a failing verdict. */
    private static final Set<String> NOT_GOOD = Set.of("checkout-api", "search-api");

    @Test
    void theRegressingCanaryFailsWithItsReasonsMinutesBeforeTheControllerAbortsIt() {
        LiveState state = new LiveState();
        DemoWorld world = new DemoWorld(42, START, state);
        CanaryJudgeService service = service(state, world);

        Instant firstFail = null;
        Instant bothNamed = null;
        CanaryVerdict bothVerdict = null;
        for (int s = 0; s < 600 && !rollout(state, CHECKOUT_API).abort(); s += 10) {
            Optional<CanaryVerdict> v = service.evaluate(CHECKOUT_API);
            if (v.isPresent() && v.get().label() == VerdictLabel.FAIL && firstFail == null) {
                firstFail = world.clock().instant();
            }
            if (v.isPresent() && bothNamed == null && v.get().summary().contains("error ratio High (critical)")
                    && v.get().summary().contains("p95 latency High")) {
                bothNamed = world.clock().instant();
                bothVerdict = v.get();
            }
            world.advance(Duration.ofSeconds(10));
        }
        Instant abortedAt = rollout(state, CHECKOUT_API).abortedAt();

        assertThat(abortedAt).as("the controller aborts checkout-api about 5.5 minutes in")
                .isBetween(START.plusSeconds(300), START.plusSeconds(360));
        assertThat(firstFail).as("the verdict fails within 2 minutes, over 3 minutes before the abort")
                .isNotNull().isBefore(START.plusSeconds(120)).isBefore(abortedAt.minusSeconds(180));
        assertThat(bothNamed).as("error ratio and p95 are both named before the abort").isNotNull()
                .isBefore(abortedAt.minusSeconds(60));
        assertThat(bothVerdict.score()).hasValue(0);
        assertThat(bothVerdict.summary()).startsWith("Fail: error ratio High (critical), p95 latency High");
        MetricVerdict errors = bothVerdict.metrics().stream().filter(m -> m.metric().id().equals("error-ratio"))
                .findFirst().orElseThrow();
        assertThat(errors.sentence()).matches("Error ratio: canary \\d\\.\\d+% vs baseline 0\\.\\d+%, \\+\\d\\.\\d+ pp,"
                + " higher at 98% confidence");

        service.evaluate(CHECKOUT_API);
        assertThat(state.verdicts().get(CHECKOUT_API)).as("an aborted canary is no longer judged").isEmpty();
    }

    @Test
    void goodBuildsNeverFailOverTwentyMinutesInTwoSeededWorlds() {
        for (long seed : new long[]{42, 7}) {
            LiveState state = new LiveState();
            DemoWorld world = new DemoWorld(seed, START, state);
            CanaryJudgeService service = service(state, world);
            Map<VerdictLabel, Integer> labels = new EnumMap<>(VerdictLabel.class);
            List<String> bad = new ArrayList<>();
            for (int s = 0; s <= 1200; s += 20) {
                for (Rollout r : state.rollouts().all()) {
                    if (NOT_GOOD.contains(r.ref().name())) {
                        continue;
                    }
                    service.evaluate(r.ref()).ifPresent(v -> {
                        labels.merge(v.label(), 1, Integer::sum);
                        if (v.label() != VerdictLabel.PASS && v.label() != VerdictLabel.NO_DATA) {
                            bad.add("+" + Duration.between(START, world.clock().instant()).toSeconds() + " s "
                                    + r.ref().name() + ": " + v.summary());
                        }
                    });
                }
                world.advance(Duration.ofSeconds(20));
            }
            assertThat(bad).as("seed %d: verdicts on good builds that did not pass", seed).isEmpty();
            assertThat(labels.getOrDefault(VerdictLabel.PASS, 0)).as("seed %d: %s", seed, labels)
                    .isGreaterThan(3 * labels.getOrDefault(VerdictLabel.NO_DATA, 0));
        }
    }

    @Test
    void theSlightlySlowerSearchApiIsCalledOutForItsLatency() {
        LiveState state = new LiveState();
        DemoWorld world = new DemoWorld(42, START, state);

        CanaryVerdict v = service(state, world).evaluate(SEARCH_API).orElseThrow();

        assertThat(v.summary()).isEqualTo("Fail (score 67): p95 latency High");
        assertThat(v.metrics()).filteredOn(m -> m.metric().id().equals("request-rate")).singleElement()
                .satisfies(m -> assertThat(m.sentence()).endsWith("(report only, not scored)"));
    }

    @Test
    void onlyCanariesUnderWayWithCanaryTrafficAreJudged() {
        Rollout canary = canary(argo("c", "ns", "a"), 20).build();

        assertThat(CanaryJudgeService.judged(canary)).isTrue();
        assertThat(CanaryJudgeService.judged(canary.toBuilder().phase(Rollout.PAUSED).build())).isTrue();
        assertThat(CanaryJudgeService.judged(canary.toBuilder().actualWeight(0).build())).isFalse();
        assertThat(CanaryJudgeService.judged(canary.toBuilder().abort(true).build())).isFalse();
        assertThat(CanaryJudgeService.judged(canary.toBuilder().phase(Rollout.DEGRADED).build())).isFalse();
        assertThat(CanaryJudgeService.judged(canary.toBuilder().currentPodHash("old").build()))
                .as("no update in progress").isFalse();
        assertThat(CanaryJudgeService.judged(Rollout.builder(argo("c", "ns", "bg"), Strategy.BLUE_GREEN)
                .currentPodHash("new").stableRS("old").actualWeight(0).phase(Rollout.PAUSED).build())).isFalse();
        RolloutRef flagger = new RolloutRef("c", "ns", "f", WorkloadKind.FLAGGER_CANARY);
        Rollout waiting = Rollout.builder(flagger, Strategy.FLAGGER_CANARY).currentPodHash("new").stableRS("old")
                .actualWeight(50).desiredWeight(50).phase("WaitingPromotion").build();
        assertThat(CanaryJudgeService.judged(waiting)).isTrue();
        assertThat(CanaryJudgeService.judged(waiting.toBuilder().phase("Succeeded").build())).isFalse();
    }

    @Test
    void theWindowIsTheCurrentStepStretchedToTheMinimumAndCutToTheMaximum() {
        CanaryJudgeService service = new CanaryJudgeService(new LiveState(), new Fixed(Map.of()),
                c -> Clock.systemUTC(), new CanaryJudge(JudgeConfig.DEFAULTS), CanaryJudgeService.Settings.DEFAULTS);
        Instant now = START.plusSeconds(7200);
        Rollout r = canary(argo("c", "ns", "a"), 20).build();

        assertThat(service.windowStart(r.toBuilder().stepStartedAt(now.minusSeconds(600)).build(), now))
                .isEqualTo(now.minusSeconds(600));
        assertThat(service.windowStart(r.toBuilder().stepStartedAt(now.minusSeconds(20)).build(), now))
                .as("a step that just began: the last 3 minutes").isEqualTo(now.minusSeconds(180));
        assertThat(service.windowStart(r.toBuilder().stepStartedAt(now.minusSeconds(5000)).build(), now))
                .as("a long step: the last 30 minutes").isEqualTo(now.minusSeconds(1800));
        assertThat(service.windowStart(r.toBuilder().stepStartedAt(null).build(), now))
                .as("no step (Flagger)").isEqualTo(now.minusSeconds(180));
    }

    @Test
    void aYoungWindowStretchesBackToEnoughCanarySamplesButNotPastAGapInThem() {
        List<MetricPoint> canary = new ArrayList<>();
        for (int s = 0; s < 600; s += 10) { // an earlier canary, minutes 0-10
            canary.add(new MetricPoint(s * 1000L, 1));
        }
        for (int s = 900; s <= 1500; s += 10) { // this canary: from minute 15 on, one sample per 10 s
            canary.add(new MetricPoint(s * 1000L, 1));
        }

        assertThat(CanaryJudgeService.stretch(canary, 1200_000, 0, 20)).as("31 samples in the window already")
                .isEqualTo(1200_000);
        assertThat(CanaryJudgeService.stretch(canary, 1400_000, 0, 20)).as("back to the 20th newest sample")
                .isEqualTo(1310_000);
        assertThat(CanaryJudgeService.stretch(canary, 1400_000, 1350_000, 20)).as("not past the longest window")
                .isEqualTo(1350_000);
        assertThat(CanaryJudgeService.stretch(canary, 1000_000, 0, 100)).as("not past the gap before minute 15")
                .isEqualTo(900_000);
    }

    @Test
    void aClusterWithoutMetricsSaysSo() {
        LiveState state = new LiveState();
        RolloutRef ref = argo("prod-us", "ns", "a");
        state.rollouts().upsert(canary(ref, 20).build());
        CanaryJudgeService service = new CanaryJudgeService(state, new Fixed(Map.of()), c -> fixedClock(),
                new CanaryJudge(JudgeConfig.DEFAULTS), CanaryJudgeService.Settings.DEFAULTS);

        CanaryVerdict v = service.evaluate(ref).orElseThrow();

        assertThat(v.label()).isEqualTo(VerdictLabel.NO_DATA);
        assertThat(v.summary()).isEqualTo("No data: no metrics are configured for cluster prod-us");
    }

    @Test
    void aMetricTheSourceCannotServeIsAnErrorWithTheSourcesMessage() {
        LiveState state = new LiveState();
        RolloutRef ref = argo("c", "ns", "a");
        state.rollouts().upsert(canary(ref, 20).build());
        MetricsSource failing = new MetricsSource() {
            @Override
            public List<MetricDefinition> metrics(RolloutRef rollout) {
                return List.of(Synthetic.ERROR_RATIO, Synthetic.P95);
            }

            @Override
            public List<MetricSeries> range(RolloutRef rollout, String metricId, Instant from, Instant to)
                    throws MetricsException {
                throw new MetricsException("Prometheus at http://127.0.0.1:9090 answered 503: not ready");
            }
        };
        CanaryJudgeService service = new CanaryJudgeService(state, failing, c -> fixedClock(),
                new CanaryJudge(JudgeConfig.DEFAULTS), CanaryJudgeService.Settings.DEFAULTS);

        CanaryVerdict v = service.evaluate(ref).orElseThrow();

        assertThat(v.label()).isEqualTo(VerdictLabel.ERROR);
        assertThat(v.summary()).isEqualTo("Error: Error ratio: could not fetch samples: Prometheus at "
                + "http://127.0.0.1:9090 answered 503: not ready");
        assertThat(state.verdicts().get(ref)).contains(v);
    }

    @Test
    void inTheBackgroundAtMostTheConfiguredNumberOfRolloutsAreJudgedAtOnce() throws Exception {
        LiveState state = new LiveState();
        for (int i = 0; i < 10; i++) {
            state.rollouts().upsert(canary(argo("c", "ns", "r" + i), 20).build());
        }
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        Set<RolloutRef> seen = ConcurrentHashMap.newKeySet();
        Synthetic samples = new Synthetic(1);
        List<MetricPoint> flat = samples.latency(60, 240, 0.1);
        MetricsSource slow = new MetricsSource() {
            @Override
            public List<MetricDefinition> metrics(RolloutRef rollout) {
                return List.of(Synthetic.P95);
            }

            @Override
            public List<MetricSeries> range(RolloutRef rollout, String metricId, Instant from, Instant to) {
                most.accumulateAndGet(running.incrementAndGet(), Math::max);
                try {
                    Thread.sleep(30);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    running.decrementAndGet();
                }
                seen.add(rollout);
                return List.of(new MetricSeries(metricId, Track.CANARY, flat),
                        new MetricSeries(metricId, Track.BASELINE, flat));
            }
        };
        CanaryJudgeService.Settings settings = new CanaryJudgeService.Settings(Duration.ofMillis(20),
                Duration.ofSeconds(5), 2, Duration.ofMinutes(3), Duration.ofMinutes(30), Duration.ofMinutes(30));
        assertThat(settings.history()).isEqualTo(settings.maxWindow());
        try (CanaryJudgeService service = new CanaryJudgeService(state, slow, c -> Clock.systemUTC(),
                new CanaryJudge(JudgeConfig.DEFAULTS), settings)) {
            service.start();
            Poll.until(Duration.ofSeconds(10), "a verdict for each of the 10 canaries",
                    () -> state.verdicts().size() == 10, () -> state.verdicts().size());
            assertThat(most.get()).as("rollouts judged at the same time").isLessThanOrEqualTo(2);
            assertThat(seen).hasSize(10);
            assertThat(state.verdicts().all()).allSatisfy(v -> assertThat(v.label()).isEqualTo(VerdictLabel.PASS));

            state.rollouts().upsert(canary(argo("c", "ns", "r3"), 20).abort(true).build());
            Poll.until(Duration.ofSeconds(10), "the aborted canary's verdict to go",
                    () -> state.verdicts().get(argo("c", "ns", "r3")).isEmpty());
        }
    }

    @Test
    void aStillWorldIsNotJudgedAgainAndAgain() throws Exception {
        LiveState state = new LiveState();
        DemoWorld world = new DemoWorld(42, START, state);
        AtomicInteger queries = new AtomicInteger();
        MetricsSource counting = new MetricsSource() {
            @Override
            public List<MetricDefinition> metrics(RolloutRef rollout) {
                return world.metrics().metrics(rollout);
            }

            @Override
            public List<MetricSeries> range(RolloutRef rollout, String metricId, Instant from, Instant to)
                    throws MetricsException {
                queries.incrementAndGet();
                return world.metrics().range(rollout, metricId, from, to);
            }
        };
        CanaryJudgeService.Settings settings = new CanaryJudgeService.Settings(Duration.ofMillis(10),
                Duration.ofMillis(10), 2, Duration.ofMinutes(3), Duration.ofMinutes(30), Duration.ofMinutes(30));
        try (CanaryJudgeService service = new CanaryJudgeService(state, counting, c -> world.clock(),
                new CanaryJudge(JudgeConfig.DEFAULTS), settings)) {
            service.start();
            Poll.until(Duration.ofSeconds(10), "a verdict for checkout-api",
                    () -> state.verdicts().get(CHECKOUT_API).isPresent());
            Thread.sleep(300);
            int settled = queries.get();
            Thread.sleep(300);
            assertThat(queries.get()).as("no new queries while simulated time stands still").isEqualTo(settled);

            Instant before = state.verdicts().get(CHECKOUT_API).orElseThrow().to();
            world.advance(Duration.ofSeconds(30));
            Poll.until(Duration.ofSeconds(10), "a fresh verdict once time moved",
                    () -> state.verdicts().get(CHECKOUT_API).orElseThrow().to().isAfter(before));
        }
    }

    private static CanaryJudgeService service(LiveState state, DemoWorld world) {
        return new CanaryJudgeService(state, world.metrics(), c -> world.clock(), new CanaryJudge(JudgeConfig.DEFAULTS),
                CanaryJudgeService.Settings.DEFAULTS);
    }

    private static Rollout rollout(LiveState state, RolloutRef ref) {
        return state.rollouts().get(ref).orElseThrow();
    }

    private static Rollout.Builder canary(RolloutRef ref, int weight) {
        return Rollout.builder(ref, Strategy.CANARY).currentPodHash("new").stableRS("old").actualWeight(weight)
                .desiredWeight(weight).phase(Rollout.PROGRESSING).stepStartedAt(START);
    }

    private static RolloutRef argo(String cluster, String namespace, String name) {
        return new RolloutRef(cluster, namespace, name, WorkloadKind.ARGO_ROLLOUT);
    }

    private static Clock fixedClock() {
        return Clock.fixed(START.plusSeconds(600), ZoneOffset.UTC);
    }

    /** A source with fixed series per metric id. */
    private record Fixed(Map<String, List<MetricSeries>> series) implements MetricsSource {
        @Override
        public List<MetricDefinition> metrics(RolloutRef rollout) {
            return List.of();
        }

        @Override
        public List<MetricSeries> range(RolloutRef rollout, String metricId, Instant from, Instant to) {
            return series.getOrDefault(metricId, List.of());
        }
    }
}
