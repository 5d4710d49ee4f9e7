package dev.releaseconsole.views.detail;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AxisRangeTest {
    @Test
    void staysFixedWhileTheDataFitsAndGrowsWhenItLeaves() {
        AxisRange r = new AxisRange();
        assertThat(r.include(0.001, 0.01)).isTrue();
        double lo = r.lower();
        double hi = r.upper();
        assertThat(lo).isLessThanOrEqualTo(0.001);
        assertThat(hi).isGreaterThanOrEqualTo(0.01);
        assertThat(r.include(0.002, 0.009)).isFalse();
        assertThat(r.lower()).isEqualTo(lo);
        assertThat(r.upper()).isEqualTo(hi);
        assertThat(r.include(0.002, 0.05)).isTrue();
        assertThat(r.upper()).isGreaterThanOrEqualTo(0.05);
    }

    @Test
    void ignoresNonFiniteBoundsAndNeverGoesBelowZeroForPositiveData() {
        AxisRange r = new AxisRange();
        assertThat(r.include(Double.NaN, 1)).isFalse();
        assertThat(r.isSet()).isFalse();
        r.include(0.1, 0.2);
        assertThat(r.lower()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void chartGridAdaptsToTheSpace() {
        assertThat(ChartsPane.columnsFor(1000, 420, 4)).isEqualTo(2);
        assertThat(ChartsPane.columnsFor(1020, 300, 4)).isEqualTo(4);
        assertThat(ChartsPane.columnsFor(1900, 800, 4)).isEqualTo(2);
        assertThat(ChartsPane.columnsFor(600, 800, 4)).isEqualTo(1);
        // short and wide: one row as long as every card keeps its minimum width (170 px); else as many as fit
        assertThat(ChartsPane.columnsFor(800, 290, 4)).isEqualTo(4);
        assertThat(ChartsPane.columnsFor(640, 240, 4)).isEqualTo(3);
        // too short for two rows of cards, even if not that wide
        assertThat(ChartsPane.columnsFor(650, 250, 4)).isEqualTo(3);
        assertThat(ChartsPane.columnsFor(700, 400, 4)).isEqualTo(2);
    }

    @Test
    void flatDataGetsARange() {
        AxisRange r = new AxisRange();
        r.include(5, 5);
        assertThat(r.upper()).isGreaterThan(r.lower());
    }
}
