package dev.releaseconsole.views.common;

import dev.releaseconsole.services.actions.ActionType;
import dev.releaseconsole.services.model.AnalysisPhase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConfirmationViewModelTest {
    @Test
    void typedNameModeNeedsTheExactName() {
        ConfirmationViewModel vm = new ConfirmationViewModel(ActionType.ABORT, "rollout prod-eu/checkout/checkout-api",
                true, "checkout-api");
        assertThat(vm.isValid()).isFalse();
        vm.typedProperty().set("Checkout-api");
        assertThat(vm.isValid()).isFalse();
        vm.typedProperty().set(" checkout-api ");
        assertThat(vm.isValid()).isTrue();
        assertThat(vm.question()).isEqualTo("You are about to abort: rollout prod-eu/checkout/checkout-api.");
        assertThat(vm.instruction()).isEqualTo("This is production. Type checkout-api to confirm.");
    }

    @Test
    void plainModeIsValidAtOnce() {
        assertThat(new ConfirmationViewModel(ActionType.RESTART, "x", false, "x").isValid()).isTrue();
    }

    @Test
    void badgesAlwaysCarryAWord() {
        assertThat(StatusBadge.forRolloutStatus("Degraded").tone()).isEqualTo(Tone.BAD);
        assertThat(StatusBadge.forRolloutStatus("Aborted").text()).isEqualTo("Aborted");
        assertThat(StatusBadge.forRolloutStatus(null).text()).isEqualTo("Unknown");
        assertThat(StatusBadge.forAnalysis(AnalysisPhase.Inconclusive).tone()).isEqualTo(Tone.WARN);
        assertThat(StatusBadge.forAuditResult("PENDING").text()).isEqualTo("Intent");
        assertThat(StatusBadge.forAuditResult("DENIED").text()).isEqualTo("Denied");
        for (var o : dev.releaseconsole.services.actions.Outcome.values()) {
            assertThat(StatusBadge.forOutcome(o).text()).isNotBlank();
        }
    }
}
