package dev.releaseconsole.services.demo;

import dev.releaseconsole.services.model.AnalysisPhase;
import dev.releaseconsole.services.model.AnalysisRun;
import dev.releaseconsole.services.model.ClusterStatus;
import dev.releaseconsole.services.model.ConnectionState;
import dev.releaseconsole.services.model.Environment;
import dev.releaseconsole.services.model.MetricPoint;
import dev.releaseconsole.services.model.MetricSeries;
import dev.releaseconsole.services.model.PauseCondition;
import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.model.RolloutEvent;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.model.Strategy;
import dev.releaseconsole.services.model.Track;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static dev.releaseconsole.services.demo.DemoFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The demo world as a viewer sees it: what is on the floor at start and how it moves as simulated time runs. */
class DemoWorldTest {

    @Test
    void publishesBothClustersConnectedAndEveryRolloutAndFlagAtStart() throws Exception {
        DemoFixture f = new DemoFixture();

        assertThat(f.state.clusters().all()).extracting(ClusterStatus::state, ClusterStatus::message)
                .containsOnly(org.assertj.core.groups.Tuple.tuple(ConnectionState.CONNECTED, "simulated"));
        assertThat(f.world.clusters()).extracting(c -> c.id() + "/" + c.environment() + "/" + c.simulated())
                .containsExactly("prod-eu/PRODUCTION/true", "staging-us/STAGING/true");
        assertThat(f.world.clusters().get(0).displayName()).isEqualTo("prod-eu");
        assertThat(f.state.rollouts().size()).isGreaterThanOrEqualTo(12);
        assertThat(f.state.rollouts().all()).extracting(r -> r.ref().namespaceRef().toString()).contains(
                "prod-eu/checkout", "prod-eu/payments", "prod-eu/search", "staging-us/storefront");
        assertThat(f.state.flags().size()).isEqualTo(f.world.flags().list().size()).isGreaterThanOrEqualTo(8);
        assertThat(f.world.clock().instant()).isEqualTo(START);
    }

    @Test
    void startsWithEveryStateWorthShowing() {
        DemoFixture f = new DemoFixture();

        Rollout checkoutApi = f.rollout(CHECKOUT_API);
        assertThat(checkoutApi.stepLabel()).isEqualTo("1/7");
        assertThat(checkoutApi.actualWeight()).isEqualTo(10);
        assertThat(checkoutApi.displayPhase()).isEqualTo(Rollout.PAUSED);
        assertThat(checkoutApi.timeLeftOnPause(START)).contains(Duration.ofMinutes(4));

        Rollout blueGreen = f.rollout(CHECKOUT_WEB);
        assertThat(blueGreen.strategy()).isEqualTo(Strategy.BLUE_GREEN);
        assertThat(blueGreen.displayPhase()).isEqualTo(Rollout.PAUSED);
        assertThat(blueGreen.displayMessage()).isEqualTo("BlueGreenPause");
        assertThat(blueGreen.controllerPause()).isTrue();
        assertThat(blueGreen.activeSelector()).isEqualTo(blueGreen.stableRS()).isNotEqualTo(blueGreen.previewSelector());
        assertThat(blueGreen.previewSelector()).isEqualTo(blueGreen.currentPodHash());

        Rollout manuallyPaused = f.rollout(PAYMENTS_GATEWAY);
        assertThat(manuallyPaused.specPaused()).isTrue();
        assertThat(manuallyPaused.displayPhase()).isEqualTo(Rollout.PAUSED);
        assertThat(manuallyPaused.displayMessage()).isEqualTo("manually paused");
        assertThat(manuallyPaused.updateInProgress()).isTrue();

        Rollout inconclusive = f.rollout(SEARCH_API);
        assertThat(inconclusive.hasPauseCondition(PauseCondition.INCONCLUSIVE_ANALYSIS)).isTrue();
        assertThat(inconclusive.controllerPause()).isTrue();
        assertThat(inconclusive.displayPhase()).isEqualTo(Rollout.PAUSED);
        assertThat(inconclusive.latestAnalysis().orElseThrow().phase()).isEqualTo(AnalysisPhase.Inconclusive);

        for (RolloutRef waiting : List.of(SEARCH_INDEXER, STOREFRONT_WEB)) {
            Rollout r = f.rollout(waiting);
            assertThat(r.currentStep().orElseThrow().isIndefinitePause()).as(waiting.name()).isTrue();
            assertThat(r.hasPauseCondition(PauseCondition.CANARY_PAUSE_STEP)).isTrue();
            assertThat(r.displayMessage()).isEqualTo("CanaryPauseStep");
        }

        Rollout flagger = f.rollout(SEARCH_RANKER);
        assertThat(flagger.strategy()).isEqualTo(Strategy.FLAGGER_CANARY);
        assertThat(flagger.phase()).isEqualTo("Progressing");
        assertThat(flagger.failedChecks()).isZero();
        assertThat(f.rollout(FRAUD_SCORER).phase()).isEqualTo("Succeeded");

        Rollout healthy = f.rollout(LEDGER_SERVICE);
        assertThat(healthy.displayPhase()).isEqualTo(Rollout.HEALTHY);
        assertThat(healthy.updateInProgress()).isFalse();
        assertThat(healthy.stepLabel()).isEqualTo("7/7");
        assertThat(healthy.actualWeight()).isEqualTo(100);

        Rollout analysing = f.rollout(CART_SERVICE);
        AnalysisRun running = analysing.latestAnalysis().orElseThrow();
        assertThat(running.phase()).isEqualTo(AnalysisPhase.Running);
        assertThat(running.type()).isEqualTo("Step");
        assertThat(running.stepIndex()).isEqualTo(analysing.currentStepIndex());
        assertThat(running.metricResults()).extracting(m -> m.name() + " " + m.successCondition())
                .containsExactly("error-ratio result < 0.01", "p95-latency result < 400");
        assertThat(running.metricResults().get(0).measurements()).isNotEmpty();
    }

    @Test
    void sameSeedReplaysExactlyAndAnotherSeedDiffers() throws Exception {
        DemoFixture a = new DemoFixture(7);
        DemoFixture b = new DemoFixture(7);
        DemoFixture c = new DemoFixture(8);
        for (DemoFixture f : List.of(a, b, c)) {
            f.world.advance(Duration.ofMinutes(10));
        }

        assertThat(sorted(a.state.rollouts().all())).isEqualTo(sorted(b.state.rollouts().all()));
        assertThat(a.state.events(CHECKOUT_API)).isEqualTo(b.state.events(CHECKOUT_API));
        Instant now = a.world.clock().instant();
        assertThat(errorSeries(a, now)).isEqualTo(errorSeries(b, now));
        assertThat(errorSeries(a, now)).isNotEqualTo(errorSeries(c, now));
    }

    @Test
    void checkoutApiRegressesAndTheControllerAbortsItWithinSixMinutes() {
        DemoFixture f = new DemoFixture();

        f.world.advance(Duration.ofMinutes(4));
        assertThat(f.rollout(CHECKOUT_API).abort()).as("still running after 4 simulated minutes").isFalse();

        f.world.advance(Duration.ofMinutes(2));
        Rollout aborted = f.rollout(CHECKOUT_API);
        assertThat(aborted.abort()).isTrue();
        assertThat(aborted.abortedAt()).isBetween(START.plus(Duration.ofMinutes(4)), START.plus(Duration.ofMinutes(6)));
        assertThat(aborted.displayPhase()).isEqualTo(Rollout.DEGRADED);
        assertThat(aborted.statusLabel()).isEqualTo("Aborted");
        assertThat(aborted.displayMessage()).startsWith("RolloutAborted: Rollout aborted update to revision 8");
        assertThat(aborted.actualWeight()).isZero();
        assertThat(aborted.desiredWeight()).isZero();
        assertThat(aborted.currentStepIndex()).isZero();
        assertThat(aborted.pauseConditions()).isEmpty();

        AnalysisRun failed = aborted.latestAnalysis().orElseThrow();
        assertThat(failed.phase()).isEqualTo(AnalysisPhase.Failed);
        assertThat(failed.message()).contains("\"error-ratio\"").contains("failureLimit");
        assertThat(failed.metricResults().get(0).phase()).isEqualTo(AnalysisPhase.Failed);
        assertThat(failed.metricResults().get(0).measurements()).allSatisfy(m ->
                assertThat(Double.parseDouble(m.value())).isGreaterThan(0.01));

        assertThat(f.state.events(CHECKOUT_API)).extracting(RolloutEvent::reason)
                .contains("RolloutStepCompleted", "TrafficWeightUpdated", "AnalysisRunFailed", "RolloutAborted");
    }

    @Test
    void checkoutApiCanaryIsClearlyWorseThanBaselineSoonAfterStart() throws Exception {
        DemoFixture f = new DemoFixture();
        f.world.advance(Duration.ofMinutes(3));
        Instant now = f.world.clock().instant();

        double canaryErrors = mean(f, "error-ratio", Track.CANARY, now);
        double baselineErrors = mean(f, "error-ratio", Track.BASELINE, now);
        double canaryP95 = mean(f, "p95-latency", Track.CANARY, now);
        double baselineP95 = mean(f, "p95-latency", Track.BASELINE, now);

        assertThat(canaryErrors).isGreaterThan(3 * baselineErrors).isGreaterThan(1.0);
        assertThat(canaryP95 / baselineP95).isBetween(1.3, 1.8);
    }

    @Test
    void flaggerCanaryStepsItsWeightThenPromotes() {
        DemoFixture f = new DemoFixture();
        List<Integer> weights = new ArrayList<>();
        List<String> phases = new ArrayList<>();
        for (int s = 0; s < 8 * 60; s++) {
            f.world.tick();
            Rollout r = f.rollout(SEARCH_RANKER);
            if (weights.isEmpty() || weights.get(weights.size() - 1) != r.actualWeight()) {
                weights.add(r.actualWeight());
            }
            if (phases.isEmpty() || !phases.get(phases.size() - 1).equals(r.phase())) {
                phases.add(r.phase());
            }
            assertThat(r.failedChecks()).isZero();
        }
        assertThat(weights).containsSubsequence(20, 30, 40, 50, 0);
        assertThat(phases).containsExactly("Progressing", "Promoting", "Finalising", "Succeeded");
        Rollout done = f.rollout(SEARCH_RANKER);
        assertThat(done.updateInProgress()).isFalse();
        assertThat(done.failedChecksThreshold()).isEqualTo(5);
    }

    @Test
    void healthyRolloutsStartNewRevisionsAndStepThroughThem() {
        DemoFixture f = new DemoFixture();
        Rollout before = f.rollout(CATALOG_API);

        f.world.advance(Duration.ofMinutes(3));
        Rollout updating = f.rollout(CATALOG_API);
        assertThat(updating.updateInProgress()).isTrue();
        assertThat(updating.currentPodHash()).isNotEqualTo(before.currentPodHash());
        assertThat(updating.revisions()).anySatisfy(r -> {
            assertThat(r.role()).isEqualTo("canary");
            assertThat(r.number()).isEqualTo(before.revisions().get(0).number() + 1);
        });

        f.world.advance(Duration.ofMinutes(10));
        Rollout done = f.rollout(CATALOG_API);
        assertThat(done.displayPhase()).isEqualTo(Rollout.HEALTHY);
        assertThat(done.stableRS()).isEqualTo(updating.currentPodHash());
        assertThat(done.latestAnalysis().orElseThrow().phase()).isEqualTo(AnalysisPhase.Successful);
    }

    @Test
    void everyStepChangeIsRecordedWithItsIndexAndWeight() {
        DemoFixture f = new DemoFixture();
        f.world.advance(Duration.ofMinutes(6));

        List<RolloutEvent> steps = f.state.events(CART_SERVICE).stream()
                .filter(e -> e.reason().equals("RolloutStepCompleted")).toList();
        assertThat(steps).extracting(RolloutEvent::message).contains(
                "Rollout step 4/7 completed (analysis)", "Rollout step 5/7 completed (setWeight: 50)",
                "Rollout step 6/7 completed (pause: 2m0s)");
        assertThat(steps).filteredOn(e -> e.message().contains("setWeight: 50"))
                .extracting(RolloutEvent::stepIndex, RolloutEvent::weight)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(5, 50));
        assertThat(f.state.events(CART_SERVICE)).extracting(RolloutEvent::reason).contains("RolloutCompleted");
    }

    @Test
    void clustersAreTaggedByEnvironment() {
        DemoFixture f = new DemoFixture();
        assertThat(f.world.backend("prod-eu").cluster().environment()).isEqualTo(Environment.PRODUCTION);
        assertThat(f.world.backend("staging-us").cluster().environment()).isEqualTo(Environment.STAGING);
        assertThat(f.world.backend("prod-eu").clock().instant()).isEqualTo(f.world.clock().instant());
    }

    private static List<Rollout> sorted(List<Rollout> rollouts) {
        return rollouts.stream().sorted(Comparator.comparing(Rollout::ref)).toList();
    }

    private static List<MetricSeries> errorSeries(DemoFixture f, Instant now) throws Exception {
        return f.world.metrics().range(CHECKOUT_API, "error-ratio", now.minusSeconds(600), now);
    }

    private static double mean(DemoFixture f, String metric, Track track, Instant now) throws Exception {
        return f.world.metrics().range(CHECKOUT_API, metric, now.minusSeconds(60), now).stream()
                .filter(s -> s.track() == track).flatMap(s -> s.points().stream())
                .mapToDouble(MetricPoint::value).average().orElseThrow();
    }
}
