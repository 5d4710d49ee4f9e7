package dev.releaseconsole.services.demo;

import dev.releaseconsole.services.actions.ActionException;
import dev.releaseconsole.services.actions.ActionType;
import dev.releaseconsole.services.model.PauseCondition;
import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.model.RolloutEvent;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.releaseconsole.services.demo.DemoFixture.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Actions on the demo backends behave like the Argo controller plus kubectl plugin, and like Flagger. */
class DemoActionsTest {

    @Test
    void promotingTheIndefinitelyPausedCanaryMovesToTheNextStep() throws Exception {
        DemoFixture f = new DemoFixture();

        String sent = f.perform(ActionType.PROMOTE, SEARCH_INDEXER);

        assertThat(sent).isEqualTo("PATCH rollouts/status {\"status\":{\"pauseConditions\":null}}");
        Rollout promoted = f.world.backend("prod-eu").read(SEARCH_INDEXER).orElseThrow();
        assertThat(promoted.stepLabel()).isEqualTo("2/5");
        assertThat(promoted.pauseConditions()).isEmpty();
        assertThat(promoted.controllerPause()).isFalse();
        assertThat(promoted.displayPhase()).isEqualTo(Rollout.PROGRESSING);
        assertThat(f.rollout(SEARCH_INDEXER)).as("published at once").isEqualTo(promoted);

        f.world.advance(Duration.ofSeconds(10));
        assertThat(f.rollout(SEARCH_INDEXER).actualWeight()).isEqualTo(50);
        assertThat(f.state.events(SEARCH_INDEXER)).extracting(RolloutEvent::reason).contains("RolloutPromoted");
    }

    @Test
    void abortScalesTheCanaryAwayAndRetryStartsAgainFromStepZero() throws Exception {
        DemoFixture f = new DemoFixture();

        assertThat(f.perform(ActionType.ABORT, CHECKOUT_API))
                .isEqualTo("PATCH rollouts/status {\"status\":{\"abort\":true}}");
        Rollout aborted = f.rollout(CHECKOUT_API);
        assertThat(aborted.displayPhase()).isEqualTo(Rollout.DEGRADED);
        assertThat(aborted.displayMessage()).isEqualTo("RolloutAborted: Rollout aborted update to revision 8");
        assertThat(aborted.abortedAt()).isEqualTo(START);
        assertThat(aborted.currentStepIndex()).isZero();
        assertThat(aborted.actualWeight()).isZero();
        assertThat(aborted.pauseConditions()).isEmpty();

        f.world.advance(Duration.ofMinutes(3));
        assertThat(f.rollout(CHECKOUT_API).abort()).as("stays aborted until a human retries").isTrue();

        assertThat(f.perform(ActionType.RETRY, CHECKOUT_API))
                .isEqualTo("PATCH rollouts/status {\"status\":{\"abort\":false}}");
        Rollout retried = f.rollout(CHECKOUT_API);
        assertThat(retried.abort()).isFalse();
        assertThat(retried.currentStepIndex()).isZero();
        assertThat(retried.displayPhase()).isEqualTo(Rollout.PROGRESSING);

        f.world.advance(Duration.ofSeconds(10));
        assertThat(f.rollout(CHECKOUT_API).actualWeight()).isEqualTo(10);

        f.world.advance(Duration.ofMinutes(8));
        assertThat(f.rollout(CHECKOUT_API).abort()).as("the bad revision regresses again").isTrue();
        assertThat(f.rollout(CHECKOUT_API).displayMessage()).contains("error-ratio");
    }

    @Test
    void promotingTheBlueGreenPreviewSwitchesTheActiveService() throws Exception {
        DemoFixture f = new DemoFixture();
        Rollout waiting = f.rollout(CHECKOUT_WEB);

        f.perform(ActionType.PROMOTE, CHECKOUT_WEB);

        Rollout promoted = f.rollout(CHECKOUT_WEB);
        assertThat(promoted.activeSelector()).isEqualTo(waiting.previewSelector()).isEqualTo(promoted.currentPodHash());
        assertThat(promoted.stableRS()).isEqualTo(waiting.currentPodHash());
        assertThat(promoted.displayPhase()).isEqualTo(Rollout.HEALTHY);
        assertThat(promoted.controllerPause()).isFalse();
        assertThat(promoted.revisions()).extracting(r -> r.role() + " " + r.number())
                .startsWith("active " + waiting.revisions().get(0).number());
    }

    @Test
    void aManualPauseHoldsTheStepsUntilResumed() throws Exception {
        DemoFixture f = new DemoFixture();

        assertThat(f.perform(ActionType.PAUSE, RECOMMENDATIONS))
                .isEqualTo("PATCH rollouts {\"spec\":{\"paused\":true}}");
        f.world.advance(Duration.ofMinutes(4));
        Rollout held = f.rollout(RECOMMENDATIONS);
        assertThat(held.stepLabel()).isEqualTo("0/7");
        assertThat(held.displayPhase()).isEqualTo(Rollout.PAUSED);
        assertThat(held.displayMessage()).isEqualTo("manually paused");

        assertThat(f.perform(ActionType.RESUME, RECOMMENDATIONS))
                .isEqualTo("PATCH rollouts {\"spec\":{\"paused\":false}}");
        f.world.advance(Duration.ofSeconds(5));
        assertThat(f.rollout(RECOMMENDATIONS).currentStepIndex()).isGreaterThan(0);
    }

    @Test
    void promoteWhilePausedByAUserSendsBothPatches() throws Exception {
        DemoFixture f = new DemoFixture();
        f.perform(ActionType.PAUSE, STOREFRONT_WEB);

        String sent = f.perform(ActionType.PROMOTE, STOREFRONT_WEB);

        assertThat(sent).isEqualTo("PATCH rollouts/status {\"status\":{\"pauseConditions\":null}}; "
                + "PATCH rollouts {\"spec\":{\"paused\":false}}");
        Rollout r = f.rollout(STOREFRONT_WEB);
        assertThat(r.specPaused()).isFalse();
        assertThat(r.stepLabel()).isEqualTo("2/5");
    }

    @Test
    void promotingAnInconclusiveAnalysisClearsControllerPauseAndSkipsTheStep() throws Exception {
        DemoFixture f = new DemoFixture();

        String sent = f.perform(ActionType.PROMOTE, SEARCH_API);

        assertThat(sent).isEqualTo("PATCH rollouts/status {\"status\":{\"pauseConditions\":null,"
                + "\"controllerPause\":false,\"currentStepIndex\":3}}");
        Rollout r = f.rollout(SEARCH_API);
        assertThat(r.currentStepIndex()).isEqualTo(3);
        assertThat(r.hasPauseCondition(PauseCondition.INCONCLUSIVE_ANALYSIS)).isFalse();
        assertThat(r.controllerPause()).isFalse();
    }

    @Test
    void promotingDuringARunningAnalysisSkipsThatStepAndTerminatesTheRun() throws Exception {
        DemoFixture f = new DemoFixture();

        String sent = f.perform(ActionType.PROMOTE, CART_SERVICE);

        assertThat(sent).isEqualTo("PATCH rollouts/status {\"status\":{\"pauseConditions\":null,"
                + "\"currentStepIndex\":4}}");
        Rollout r = f.rollout(CART_SERVICE);
        assertThat(r.stepLabel()).isEqualTo("4/7");
        assertThat(r.latestAnalysis().orElseThrow().message()).isEqualTo("Run Terminated");
    }

    @Test
    void promoteFullSkipsTheRemainingStepsToHealthy() throws Exception {
        DemoFixture f = new DemoFixture();
        Rollout before = f.rollout(CART_SERVICE);

        assertThat(f.perform(ActionType.PROMOTE_FULL, CART_SERVICE))
                .isEqualTo("PATCH rollouts/status {\"status\":{\"promoteFull\":true}}");

        Rollout r = f.rollout(CART_SERVICE);
        assertThat(r.displayPhase()).isEqualTo(Rollout.HEALTHY);
        assertThat(r.stableRS()).isEqualTo(before.currentPodHash()).isEqualTo(r.currentPodHash());
        assertThat(r.stepLabel()).isEqualTo("7/7");
        assertThat(r.promoteFull()).as("the controller clears it once stable == current").isFalse();
        assertThat(r.latestAnalysis().orElseThrow().message()).isEqualTo("Run Terminated");
    }

    @Test
    void restartRestartsThePodsAndComesBackHealthy() throws Exception {
        DemoFixture f = new DemoFixture();

        assertThat(f.perform(ActionType.RESTART, CATALOG_API))
                .isEqualTo("PATCH rollouts {\"spec\":{\"restartAt\":\"2025-03-01T10:00:00Z\"}}");
        assertThat(f.rollout(CATALOG_API).displayMessage()).isEqualTo("rollout is restarting");
        assertThat(f.state.events(CATALOG_API)).extracting(RolloutEvent::reason).contains("RolloutRestarted");

        f.world.advance(Duration.ofSeconds(10));
        assertThat(f.rollout(CATALOG_API).displayPhase()).isEqualTo(Rollout.HEALTHY);
    }

    @Test
    void flaggerSuspendHoldsTheWeightAndAbortRollsBackUntilRetried() throws Exception {
        DemoFixture f = new DemoFixture();

        assertThat(f.perform(ActionType.PAUSE, SEARCH_RANKER))
                .isEqualTo("PATCH canaries {\"spec\":{\"suspend\":true}}");
        f.world.advance(Duration.ofMinutes(3));
        assertThat(f.rollout(SEARCH_RANKER).actualWeight()).isEqualTo(20);
        assertThat(f.rollout(SEARCH_RANKER).statusLabel()).isEqualTo("Suspended");

        f.perform(ActionType.RESUME, SEARCH_RANKER);
        f.world.advance(Duration.ofSeconds(61));
        assertThat(f.rollout(SEARCH_RANKER).actualWeight()).as("advances again once resumed").isGreaterThan(20);

        assertThat(f.perform(ActionType.ABORT, SEARCH_RANKER)).startsWith("POST flagger-loadtester /rollback/open");
        Rollout failed = f.rollout(SEARCH_RANKER);
        assertThat(failed.phase()).isEqualTo("Failed");
        assertThat(failed.actualWeight()).isZero();

        assertThat(f.perform(ActionType.RETRY, SEARCH_RANKER)).startsWith("PATCH deployments/search-ranker");
        Rollout retried = f.rollout(SEARCH_RANKER);
        assertThat(retried.phase()).isEqualTo("Progressing");
        assertThat(retried.currentPodHash()).isNotEqualTo(failed.currentPodHash());
    }

    @Test
    void flaggerSkipAnalysisPromotes() throws Exception {
        DemoFixture f = new DemoFixture();

        assertThat(f.perform(ActionType.PROMOTE_FULL, SEARCH_RANKER))
                .isEqualTo("PATCH canaries {\"spec\":{\"skipAnalysis\":true}}");
        assertThat(f.rollout(SEARCH_RANKER).phase()).isEqualTo("Promoting");
        f.world.advance(Duration.ofMinutes(3));
        assertThat(f.rollout(SEARCH_RANKER).phase()).isEqualTo("Succeeded");
    }

    @Test
    void actionsTheStateDoesNotAllowAreRefused() {
        DemoFixture f = new DemoFixture();

        assertThatThrownBy(() -> f.perform(ActionType.RETRY, CATALOG_API))
                .isInstanceOfSatisfying(ActionException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ActionException.Reason.INVALID);
                    assertThat(e.getMessage()).isEqualTo("only an aborted rollout can be retried");
                });
        assertThatThrownBy(() -> f.perform(ActionType.RESUME, SEARCH_INDEXER))
                .isInstanceOfSatisfying(ActionException.class,
                        e -> assertThat(e.getMessage()).contains("use Promote to continue"));
    }

    @Test
    void readingARolloutOfAnotherClusterFindsNothing() throws Exception {
        DemoFixture f = new DemoFixture();
        assertThat(f.world.backend("staging-us").read(CHECKOUT_API)).isEmpty();
        assertThat(f.world.backend("prod-eu").read(CHECKOUT_API)).contains(f.rollout(CHECKOUT_API));
    }
}
