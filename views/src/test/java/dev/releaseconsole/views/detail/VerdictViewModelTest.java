package dev.releaseconsole.views.detail;

import dev.releaseconsole.views.common.Tone;
import dev.releaseconsole.views.testing.TestWorld;
import org.junit.jupiter.api.Test;
import org.kordamp.ikonli.feather.Feather;


import static org.assertj.core.api.Assertions.assertThat;

/** The verdict panel's model, without a screen. */
class VerdictViewModelTest {
    @Test
    void showsTheBadgeTheReasonTheWindowAndOneLinePerMetric() {
        VerdictViewModel vm = new VerdictViewModel();
        vm.setVerdict(TestWorld.failingVerdict(TestWorld.CHECKOUT));

        assertThat(vm.presentProperty().get()).isTrue();
        assertThat(vm.badgeProperty().get().text()).isEqualTo("Fail \u00b7 0");
        assertThat(vm.badgeProperty().get().icon()).isEqualTo(Feather.X_OCTAGON);
        assertThat(vm.badgeProperty().get().tone()).isEqualTo(Tone.BAD);
        assertThat(vm.summaryProperty().get()).isEqualTo("Fail: error ratio High (critical), p95 latency High");
        assertThat(vm.windowProperty().get()).isEqualTo("canary vs baseline over the last 3m20s");
        assertThat(vm.lines()).extracting(l -> l.badge().text())
                .containsExactly("High", "High", "Low (report only)");
        assertThat(vm.lines().get(0).badge().icon()).isEqualTo(Feather.ARROW_UP_CIRCLE);
        assertThat(vm.lines().get(0).badge().tone()).isEqualTo(Tone.BAD);
        assertThat(vm.lines().get(2).badge().tone()).as("report-only is never shown as bad").isEqualTo(Tone.MUTED);
        assertThat(vm.lines().get(1).sentence()).startsWith("p95 latency: canary 412 ms vs baseline 281 ms");
        assertThat(vm.lines()).extracting(VerdictViewModel.MetricLine::brief).containsExactly(
                "Error ratio High +2.06 pp", "p95 latency High +46.6%", "Request rate Low (report only) -66.7%");
    }

    @Test
    void noVerdictHidesThePanel() {
        VerdictViewModel vm = new VerdictViewModel();
        vm.setVerdict(TestWorld.failingVerdict(TestWorld.CHECKOUT));
        vm.clear();

        assertThat(vm.presentProperty().get()).isFalse();
        assertThat(vm.lines()).isEmpty();
        assertThat(vm.summaryProperty().get()).isEmpty();
        assertThat(vm.badgeProperty().get().text()).isEqualTo("none");
    }
}
