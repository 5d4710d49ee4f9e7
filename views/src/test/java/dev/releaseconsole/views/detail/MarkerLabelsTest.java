package dev.releaseconsole.views.detail;

import dev.releaseconsole.services.model.RolloutEvent;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.releaseconsole.views.testing.TestWorld.CHECKOUT;
import static dev.releaseconsole.views.testing.TestWorld.T0;
import static org.assertj.core.api.Assertions.assertThat;

/** Chart markers: their short labels, and where the labels go so that none overprints another. */
class MarkerLabelsTest {
    @Test
    void markerLabels() {
        var ev = new RolloutEvent(CHECKOUT, T0, "RolloutAborted", "", 0, 0);
        assertThat(MarkerLabels.label(ev)).isEqualTo("abort");
        assertThat(MarkerLabels.markers(List.of(ev, ev), 0, Long.MAX_VALUE, T0.toEpochMilli())).hasSize(1);
        var w25 = new RolloutEvent(CHECKOUT, T0, "TrafficWeightUpdated", "", 1, 25);
        var step = new RolloutEvent(CHECKOUT, T0, "RolloutStepCompleted", "", 2, 25);
        var pause = new RolloutEvent(CHECKOUT, T0, "RolloutPaused", "", 2, -1);
        var failed = new RolloutEvent(CHECKOUT, T0, "AnalysisRunFailed", "AnalysisRun 'x' failed", 3, -1);
        assertThat(MarkerLabels.markers(List.of(w25, pause, step, failed, ev), 0, Long.MAX_VALUE, 0))
                .extracting(ChartFrame.Marker::label).containsExactly("25%", "pause", "analysis ✗", "abort");
    }

    @Test
    void labelsAtTheSameTimeStackInRowsInsteadOfOverprinting() {
        List<String> labels = List.of("analysis ✗", "0%", "abort");
        double[] px = {100, 100, 100};
        double[] w = {60, 20, 30};
        List<MarkerLabels.Placement> p = MarkerLabels.place(labels, px, w, 400, 3);
        assertThat(p).allMatch(MarkerLabels.Placement::shown);
        assertThat(p).extracting(MarkerLabels.Placement::row).doesNotHaveDuplicates();
        assertThat(p).extracting(MarkerLabels.Placement::x).containsOnly(103.0);
    }

    @Test
    void whenRowsRunOutWeightMarkersGiveWayToEvents() {
        List<String> labels = List.of("25%", "analysis ✗", "0%", "abort");
        double[] px = {90, 100, 100, 100};
        double[] w = {25, 60, 20, 30};
        List<MarkerLabels.Placement> p = MarkerLabels.place(labels, px, w, 400, 2);
        assertThat(p.get(1).shown()).isTrue();
        assertThat(p.get(3).shown()).as("abort is never the one dropped").isTrue();
        assertThat(p.stream().filter(MarkerLabels.Placement::shown).count()).isEqualTo(2);
        assertThat(p.get(0).shown() || p.get(2).shown()).isFalse();
    }

    @Test
    void aLabelAtTheRightEdgeGoesLeftOfItsLineAndOffPlotMarkersGetNone() {
        List<MarkerLabels.Placement> p = MarkerLabels.place(List.of("abort", "50%"), new double[]{395, -5},
                new double[]{30, 20}, 400, 3);
        assertThat(p.get(0).x()).isEqualTo(395 - 3 - 30.0);
        assertThat(p.get(1).shown()).isFalse();
    }

    @Test
    void separateMarkersShareTheFirstRow() {
        List<MarkerLabels.Placement> p = MarkerLabels.place(List.of("10%", "25%", "50%"), new double[]{10, 100, 200},
                new double[]{25, 25, 25}, 400, 3);
        assertThat(p).extracting(MarkerLabels.Placement::row).containsOnly(0);
    }
}
