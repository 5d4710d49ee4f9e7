package dev.releaseconsole.views.detail;

import dev.releaseconsole.services.model.MetricPoint;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SeriesBufferTest {
    private static List<MetricPoint> points(long from, long to) {
        List<MetricPoint> l = new ArrayList<>();
        for (long t = from; t <= to; t++) {
            l.add(new MetricPoint(t * 1000, t));
        }
        return l;
    }

    @Test
    void isBoundedAndKeepsTheNewest() {
        SeriesBuffer b = new SeriesBuffer(100);
        b.append(points(0, 999));
        assertThat(b.size()).isEqualTo(100);
        assertThat(b.firstTime()).isEqualTo(900_000);
        assertThat(b.lastTime()).isEqualTo(999_000);
    }

    @Test
    void overlappingPollsDoNotDuplicate() {
        SeriesBuffer b = new SeriesBuffer(100);
        b.append(points(0, 10));
        b.append(points(5, 20));
        assertThat(b.size()).isEqualTo(21);
    }

    @Test
    void prependsOlderSamples() {
        SeriesBuffer b = new SeriesBuffer(100);
        b.append(points(50, 60));
        b.prepend(points(40, 55));
        assertThat(b.size()).isEqualTo(21);
        assertThat(b.firstTime()).isEqualTo(40_000);
        assertThat(b.window(45_000, 52_000).size()).isEqualTo(8);
    }

    @Test
    void windowSelectsByTime() {
        SeriesBuffer b = new SeriesBuffer(1000);
        b.append(points(0, 99));
        SeriesBuffer.Samples w = b.window(10_000, 19_000);
        assertThat(w.size()).isEqualTo(10);
        assertThat(w.values()[0]).isEqualTo(10.0);
    }
}
