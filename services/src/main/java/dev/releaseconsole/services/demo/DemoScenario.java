package dev.releaseconsole.services.demo;

import dev.releaseconsole.services.model.ClusterRef;
import dev.releaseconsole.services.model.Environment;
import dev.releaseconsole.services.model.Flag;
import dev.releaseconsole.services.model.FlagChangeEvent;
import dev.releaseconsole.services.model.FlagEnvironmentState;
import dev.releaseconsole.services.model.FlagRef;
import dev.releaseconsole.services.model.FlagType;
import dev.releaseconsole.services.model.NamespaceRef;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.model.Step;
import dev.releaseconsole.services.model.WorkloadKind;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The demo's release floor at its start: two clusters, fourteen rollouts in every state worth showing, and the
 * flags linked to them. Timings are chosen so that at 1x a viewer sees checkout-api go bad within minutes.
 */
final class DemoScenario {
    static final ClusterRef PROD_EU = new ClusterRef("prod-eu", "prod-eu", Environment.PRODUCTION, true);
    static final ClusterRef STAGING_US = new ClusterRef("staging-us", "staging-us", Environment.STAGING, true);
    static final List<ClusterRef> CLUSTERS = List.of(PROD_EU, STAGING_US);

    /** The demo user may look at payments but not act on it. */
    static final Set<NamespaceRef> READ_ONLY_NAMESPACES = Set.of(new NamespaceRef(PROD_EU.id(), "payments"));

    static final String REGISTRY = "registry.example/";
    static final String PRODUCTION = "production";
    static final String STAGING = "staging";

    private static final List<Step> STANDARD_STEPS = List.of(Step.setWeight(5), Step.pause(Duration.ofMinutes(2)),
            Step.setWeight(25), Step.analysis(AnalysisTemplate.ERROR_RATIO_AND_LATENCY.name()), Step.setWeight(50),
            Step.pause(Duration.ofMinutes(2)), Step.setWeight(100));

    private final Instant start;
    private final SplittableRandom random;
    private final List<SimulatedRollout> rollouts = new ArrayList<>();

    private DemoScenario(Instant start, SplittableRandom random) {
        this.start = start;
        this.random = random;
    }

    static RolloutRef ref(ClusterRef cluster, String namespace, String name) {
        return new RolloutRef(cluster.id(), namespace, name, WorkloadKind.ARGO_ROLLOUT);
    }

    static RolloutRef flaggerRef(ClusterRef cluster, String namespace, String name) {
        return new RolloutRef(cluster.id(), namespace, name, WorkloadKind.FLAGGER_CANARY);
    }

    /** Every rollout in its starting state; each gets its own random stream split from {@code random} in order. */
    static List<SimulatedRollout> rollouts(Instant start, SplittableRandom random) {
        DemoScenario s = new DemoScenario(start, random);
        s.prodCheckout();
        s.prodPayments();
        s.prodSearch();
        s.stagingStorefront();
        return List.copyOf(s.rollouts);
    }

    private void prodCheckout() {
        // THE regressing canary: 1.43.0 leaks errors and latency; its step analysis fails about 5.5 minutes in.
        ArgoCanary checkoutApi = canary(ref(PROD_EU, "checkout", "checkout-api"), 10,
                new TrafficProfile(180, 0.0035, 280, 0.032), 7, "1.42.3",
                List.of(Step.setWeight(10), Step.pause(Duration.ofMinutes(5)), Step.setWeight(25),
                        Step.analysis(AnalysisTemplate.ERROR_RATIO_AND_LATENCY.name()), Step.setWeight(50),
                        Step.pause(Duration.ofMinutes(5)), Step.setWeight(100)),
                AnalysisTemplate.ERROR_RATIO_AND_LATENCY);
        checkoutApi.sceneAtStep(checkoutApi.nextRelease("1.43.0", Release.Quality.REGRESSING), ago(65), 1, ago(60));

        ArgoCanary cart = canary(ref(PROD_EU, "checkout", "cart-service"), 8,
                new TrafficProfile(240, 0.002, 150, 0.034), 14, "2.8.1", STANDARD_STEPS,
                AnalysisTemplate.ERROR_RATIO_AND_LATENCY);
        cart.sceneAtStep(cart.nextRelease("2.9.0", Release.Quality.GOOD), ago(330), 3, ago(70));
        cart.managedBy("Argo CD application checkout-prod");

        ArgoBlueGreen web = blueGreen(ref(PROD_EU, "checkout", "checkout-web"), 6,
                new TrafficProfile(320, 0.0015, 210, 0.031), 31, "5.12.0");
        web.sceneWaitingForPromotion(web.nextRelease("5.13.0", Release.Quality.GOOD), ago(360), ago(300));
    }

    private void prodPayments() {
        ArgoCanary gateway = canary(ref(PROD_EU, "payments", "payments-gateway"), 6,
                new TrafficProfile(90, 0.003, 320, 0.030), 22, "3.4.2", STANDARD_STEPS,
                AnalysisTemplate.ERROR_RATIO_AND_LATENCY);
        gateway.sceneAtStep(gateway.nextRelease("3.5.0", Release.Quality.GOOD), ago(540), 2, ago(360));
        gateway.scenePausedByUser(ago(350));

        canary(ref(PROD_EU, "payments", "ledger-service"), 4, new TrafficProfile(60, 0.001, 120, 0.030), 41,
                "7.1.0", STANDARD_STEPS, AnalysisTemplate.ERROR_RATIO_AND_LATENCY)
                .scheduleNextRelease(start.plus(Duration.ofMinutes(9)));

        flagger(flaggerRef(PROD_EU, "payments", "fraud-scorer"), 3, new TrafficProfile(90, 0.002, 95, 0.030),
                12, "0.19.2").scheduleNextRelease(start.plus(Duration.ofMinutes(13)));
    }

    private void prodSearch() {
        ArgoCanary indexer = canary(ref(PROD_EU, "search", "search-indexer"), 4,
                new TrafficProfile(40, 0.001, 180, 0.020), 9, "4.0.7",
                List.of(Step.setWeight(20), Step.pauseIndefinitely(), Step.setWeight(50),
                        Step.pause(Duration.ofMinutes(1)), Step.setWeight(100)),
                AnalysisTemplate.ERROR_RATIO_AND_LATENCY);
        indexer.sceneAtStep(indexer.nextRelease("4.1.0", Release.Quality.GOOD), ago(480), 1, ago(470));

        // 12.4.0 is a little slower: the strict latency analysis ended Inconclusive and waits for a human.
        ArgoCanary searchApi = canary(ref(PROD_EU, "search", "search-api"), 8,
                new TrafficProfile(400, 0.002, 260, 0.021), 56, "12.3.0",
                List.of(Step.setWeight(20), Step.pause(Duration.ofMinutes(1)), Step.analysis(AnalysisTemplate.STRICT_LATENCY.name()),
                        Step.setWeight(60), Step.pause(Duration.ofMinutes(1)), Step.setWeight(100)),
                AnalysisTemplate.STRICT_LATENCY);
        searchApi.sceneAtStep(searchApi.nextRelease("12.4.0", Release.Quality.SLOWER), ago(270), 2, ago(200));

        FlaggerCanary ranker = flagger(flaggerRef(PROD_EU, "search", "search-ranker"), 4,
                new TrafficProfile(380, 0.002, 140, 0.021), 18, "2.2.0");
        ranker.sceneProgressing(ranker.nextRelease("2.3.0", Release.Quality.GOOD), ago(150), 20, ago(30));
    }

    private void stagingStorefront() {
        ArgoCanary web = canary(ref(STAGING_US, "storefront", "storefront-web"), 4,
                new TrafficProfile(150, 0.003, 230, 0.028), 88, "9.0.4",
                List.of(Step.setWeight(10), Step.pauseIndefinitely(), Step.setWeight(50),
                        Step.pause(Duration.ofMinutes(2)), Step.setWeight(100)),
                AnalysisTemplate.ERROR_RATIO_AND_LATENCY);
        web.sceneAtStep(web.nextRelease("9.1.0", Release.Quality.GOOD), ago(720), 1, ago(710));

        canary(ref(STAGING_US, "storefront", "catalog-api"), 3, new TrafficProfile(200, 0.002, 110, 0.028), 120,
                "3.14.2", STANDARD_STEPS, AnalysisTemplate.ERROR_RATIO_AND_LATENCY)
                .scheduleNextRelease(start.plus(Duration.ofMinutes(2)));

        ArgoCanary recommendations = canary(ref(STAGING_US, "storefront", "recommendations"), 4,
                new TrafficProfile(120, 0.004, 190, 0.027), 33, "1.7.0", STANDARD_STEPS,
                AnalysisTemplate.ERROR_RATIO_AND_LATENCY);
        recommendations.sceneAtStep(recommendations.nextRelease("1.8.0", Release.Quality.GOOD), ago(20), 0, ago(20));

        blueGreen(ref(STAGING_US, "storefront", "storefront-bff"), 3, new TrafficProfile(170, 0.002, 160, 0.028),
                61, "2.0.3").scheduleNextRelease(start.plus(Duration.ofMinutes(5)));

        flagger(flaggerRef(STAGING_US, "storefront", "image-resizer"), 2, new TrafficProfile(50, 0.002, 350, 0.028),
                7, "1.2.9").scheduleNextRelease(start.plus(Duration.ofMinutes(4)));
    }

    private ArgoCanary canary(RolloutRef ref, int replicas, TrafficProfile traffic, int revision, String version,
                              List<Step> steps, AnalysisTemplate template) {
        SplittableRandom own = random.split();
        return add(new ArgoCanary(workload(ref, replicas, traffic), own, stableRelease(revision, version, own),
                steps, template));
    }

    private ArgoBlueGreen blueGreen(RolloutRef ref, int replicas, TrafficProfile traffic, int revision,
                                    String version) {
        SplittableRandom own = random.split();
        return add(new ArgoBlueGreen(workload(ref, replicas, traffic), own, stableRelease(revision, version, own)));
    }

    private FlaggerCanary flagger(RolloutRef ref, int replicas, TrafficProfile traffic, int revision,
                                  String version) {
        SplittableRandom own = random.split();
        return add(new FlaggerCanary(workload(ref, replicas, traffic), own, stableRelease(revision, version, own)));
    }

    private <T extends SimulatedRollout> T add(T rollout) {
        rollouts.add(rollout);
        return rollout;
    }

    private Workload workload(RolloutRef ref, int replicas, TrafficProfile traffic) {
        // Rollout objects were created weeks ago; the age varies per rollout but is fixed by the seed.
        Instant created = start.minus(Duration.ofDays(20 + random.nextInt(200)));
        return new Workload(ref, REGISTRY + ref.name(), replicas, traffic, created);
    }

    private static Release stableRelease(int revision, String version, SplittableRandom random) {
        return Release.of(revision, version, Release.Quality.GOOD, random);
    }

    private Instant ago(long seconds) {
        return start.minusSeconds(seconds);
    }

    /**
     * The flags of the demo provider as the provider itself reports them: like Unleash, it knows types, states and
     * creation times but no owners (but one) and no rollouts. Owners, expiry, tickets and the rollouts each flag
     * rides along with come from the demo's flag registry ({@link #REGISTRY_RESOURCE}), through the same join as a
     * real provider's flags. Ages are relative to {@code start}; some flags are deliberately flag debt.
     */
    static List<Flag> flags(Instant start) {
        return List.of(
                flag("new-checkout-flow", FlagType.RELEASE, null,
                        "The redesigned one-page checkout, shipped with checkout-api 1.43.",
                        List.of(prod(true, 25, "region in [eu-west]; tier = beta"), staging(true, 100, "all users")),
                        start.minus(Duration.ofDays(12))),
                flag("checkout-fast-path", FlagType.KILL_SWITCH, null,
                        "Cached pricing in checkout-api; turn off to fall back to live pricing.",
                        List.of(prod(true, null, "all users"), staging(true, null, "all users")),
                        start.minus(Duration.ofDays(400))),
                flag("payments-3ds-v2", FlagType.RELEASE, null,
                        "3-D Secure 2 challenge flow in payments-gateway.",
                        List.of(prod(true, 5, "card_network = visa"), staging(true, 100, "all users")),
                        start.minus(Duration.ofDays(55))),
                flag("payments-fallback-psp", FlagType.KILL_SWITCH, null,
                        "Route card payments to the fallback provider.",
                        List.of(prod(false, null, "all users"), staging(false, null, "all users")),
                        start.minus(Duration.ofDays(300))),
                flag("search-semantic-ranking", FlagType.RELEASE, null,
                        "Embedding-based ranking in search-api and search-ranker.",
                        List.of(prod(true, 50, "locale in [en, de]"), staging(true, 100, "all users")),
                        start.minus(Duration.ofDays(70))),
                flag("search-bulk-reindex", FlagType.KILL_SWITCH, null,
                        "Nightly bulk reindex in search-indexer; turn off to stop it at once.",
                        List.of(prod(true, null, "all users"), staging(true, null, "all users")),
                        start.minus(Duration.ofDays(200))),
                flag("search-typo-tolerance", FlagType.RELEASE, null,
                        "Typo-tolerant matching in search-api; fully released, the flag is still in the code.",
                        List.of(prod(true, 100, "all users"), staging(true, 100, "all users")),
                        start.minus(Duration.ofDays(95))),
                flag("storefront-new-header", FlagType.RELEASE, null,
                        "New navigation header in storefront-web.",
                        List.of(prod(false, null, "all users"), staging(true, 100, "all users")),
                        start.minus(Duration.ofDays(20))),
                flag("recommendations-widget", FlagType.RELEASE, "team-storefront",
                        "Personalised recommendations on product pages.",
                        List.of(prod(false, null, "all users"), staging(true, 50, "tier = beta")),
                        start.minus(Duration.ofDays(9))));
    }

    /** The demo provider's own change history (like Unleash's event log), oldest first. */
    static List<FlagChangeEvent> flagHistory(Instant start) {
        List<FlagChangeEvent> events = new ArrayList<>();
        for (Flag f : flags(start)) {
            events.add(new FlagChangeEvent(f.ref(), null, f.createdAt(), "release-bot", "feature-created",
                    "created " + f.type().label() + " flag " + f.ref().key()));
            for (FlagEnvironmentState e : f.environments()) {
                if (!e.enabled()) {
                    continue;
                }
                // switched on a day after creation; release flags reached their current percentage later
                Instant on = f.createdAt().plus(Duration.ofDays(1));
                events.add(new FlagChangeEvent(f.ref(), e.environment(), on, "release-bot",
                        "feature-environment-enabled", "enabled in " + e.environment()));
                if (e.rolloutPercent() != null) {
                    Duration age = Duration.between(f.createdAt(), start);
                    Instant set = f.createdAt().plus(age.dividedBy(2));
                    events.add(new FlagChangeEvent(f.ref(), e.environment(), set, "release-bot",
                            "feature-strategy-updated", "gradual rollout set to " + e.rolloutPercent() + "% in "
                            + e.environment()));
                }
            }
        }
        events.sort(java.util.Comparator.comparing(FlagChangeEvent::time));
        return events;
    }

    /** The demo's flag registry, as a team would keep it in Git (see the README). */
    static final String REGISTRY_RESOURCE = "/dev/releaseconsole/services/demo/flag-registry.yaml";

    private static Flag flag(String key, FlagType type, String owner, String description,
                             List<FlagEnvironmentState> environments, Instant created) {
        return new Flag(new FlagRef(DemoFlags.PROVIDER_ID, key), type, description, owner, environments, List.of(),
                created);
    }

    private static FlagEnvironmentState prod(boolean enabled, Integer percent, String targeting) {
        return new FlagEnvironmentState(PRODUCTION, Environment.PRODUCTION, enabled, percent, targeting);
    }

    private static FlagEnvironmentState staging(boolean enabled, Integer percent, String targeting) {
        return new FlagEnvironmentState(STAGING, Environment.STAGING, enabled, percent, targeting);
    }
}
