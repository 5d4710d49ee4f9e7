package dev.releaseconsole.views.detail;

import dev.releaseconsole.views.common.StatusBadge;
import dev.releaseconsole.views.common.Tone;
import dev.releaseconsole.views.testing.TestWorld;
import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.model.Strategy;
import dev.releaseconsole.services.model.WorkloadKind;
import org.junit.jupiter.api.Test;

import static dev.releaseconsole.views.testing.TestWorld.T0;
import static org.assertj.core.api.Assertions.assertThat;

class RolloutDetailViewModelTest {
    @Test
    void headerTexts() {
        RolloutDetailViewModel vm = new RolloutDetailViewModel();
        vm.setRollout(TestWorld.checkout(), T0.plusSeconds(1800));
        assertThat(vm.titleProperty().get()).isEqualTo("checkout-api");
        assertThat(vm.locationProperty().get()).isEqualTo("prod-eu / checkout");
        assertThat(vm.strategyProperty().get()).isEqualTo("Rollout · Canary");
        assertThat(vm.statusTextProperty().get()).isEqualTo("Progressing");
        assertThat(vm.statusBadgeProperty().get().tone()).isEqualTo(Tone.PROGRESS);
        assertThat(vm.weightsTextProperty().get()).isEqualTo("canary 25% (desired 50%)");
        assertThat(vm.replicasTextProperty().get()).isEqualTo("8 desired · 7 ready · 4 updated");
        assertThat(vm.revisionTextProperty().get()).isEqualTo(
                "rev 7 canary: registry/checkout-api:1.8.0  ·  rev 6 stable: registry/checkout-api:1.7.2");
        assertThat(vm.attentionProperty().get()).isEqualTo("analysis checkout-api-7-3 Failed");
        assertThat(vm.analysisSummaryProperty().get()).contains("error-ratio failed 3 of 4 measurements");
        assertThat(vm.stepTimingProperty().get()).startsWith("step 3/6 · analysis error-ratio · in step 5m");
        assertThat(vm.steps()).hasSize(6);
    }

    @Test
    void abortedIsShownAsItsOwnLabelWithAnIcon() {
        RolloutDetailViewModel vm = new RolloutDetailViewModel();
        Rollout r = TestWorld.checkout().toBuilder().abort(true).phase(Rollout.DEGRADED,
                "RolloutAborted: Rollout aborted update to revision 7").build();
        vm.setRollout(r, T0);
        assertThat(vm.statusTextProperty().get()).isEqualTo("Aborted");
        assertThat(vm.statusBadgeProperty().get().tone()).isEqualTo(Tone.BAD);
        assertThat(vm.statusBadgeProperty().get().icon()).as("aborted has its own icon, not Degraded's")
                .isNotEqualTo(StatusBadge.forRolloutStatus("Degraded").icon());
        assertThat(vm.attentionProperty().get()).startsWith("aborted: RolloutAborted");
    }

    @Test
    void flaggerShowsWeightIterationsAndFailedChecks() {
        RolloutRef ref = new RolloutRef("staging", "web", "frontend", WorkloadKind.FLAGGER_CANARY);
        Rollout r = Rollout.builder(ref, Strategy.FLAGGER_CANARY).phase("Progressing", "").actualWeight(30)
                .desiredWeight(30).iterations(6).failedChecks(1).failedChecksThreshold(5).build();
        RolloutDetailViewModel vm = new RolloutDetailViewModel();
        vm.setRollout(r, T0);
        assertThat(vm.flaggerTextProperty().get()).isEqualTo("weight 30% · iterations 6 · failed checks 1/5");
        assertThat(vm.flaggerWeightProperty().get()).isEqualTo(0.3);
    }

    @Test
    void blueGreenShowsSelectors() {
        RolloutRef ref = new RolloutRef("staging", "web", "admin", WorkloadKind.ARGO_ROLLOUT);
        Rollout r = Rollout.builder(ref, Strategy.BLUE_GREEN).activeSelector("5f6d").previewSelector("7c2a")
                .currentPodHash("7c2a").stableRS("5f6d").build();
        RolloutDetailViewModel vm = new RolloutDetailViewModel();
        vm.setRollout(r, T0);
        assertThat(vm.blueGreenTextProperty().get()).isEqualTo("active selector 5f6d · preview selector 7c2a");
        assertThat(vm.weightsTextProperty().get()).isEqualTo("preview up, not yet serving");
        // more pods ready than desired while the preview runs beside the active set: say which is which
        Rollout preview = r.toBuilder().desiredReplicas(3).readyReplicas(4).updatedReplicas(1).build();
        vm.setRollout(preview, T0);
        assertThat(vm.replicasTextProperty().get()).isEqualTo("3 desired · 4 ready · 1 updated");
    }

    @Test
    void goneKeepsThePictureAndSaysSo() {
        RolloutDetailViewModel vm = new RolloutDetailViewModel();
        vm.setRollout(TestWorld.checkout(), T0);
        vm.setRollout(null, T0);
        assertThat(vm.titleProperty().get()).isEqualTo("checkout-api");
        assertThat(vm.goneProperty().get()).isTrue();
        assertThat(vm.attentionProperty().get()).contains("no longer reported");
        vm.clear();
        assertThat(vm.presentProperty().get()).isFalse();
        assertThat(vm.titleProperty().get()).isEmpty();
    }
}
