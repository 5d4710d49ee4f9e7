package dev.releaseconsole.services.demo;

import dev.releaseconsole.services.metrics.MetricsException;
import dev.releaseconsole.services.metrics.MetricsSource;
import dev.releaseconsole.services.model.Direction;
import dev.releaseconsole.services.model.MetricDefinition;
import dev.releaseconsole.services.model.MetricPoint;
import dev.releaseconsole.services.model.MetricSeries;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.model.Track;
import dev.releaseconsole.services.model.WorkloadKind;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static dev.releaseconsole.services.demo.DemoFixture.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Canary and baseline series as a chart polls them. */
class DemoMetricsTest {

    @Test
    void everyRolloutHasTheFourMetrics() {
        MetricsSource metrics = new DemoFixture().world.metrics();

        assertThat(metrics.metrics(CHECKOUT_API)).extracting(MetricDefinition::id)
                .containsExactly("request-rate", "error-ratio", "p95-latency", "checkout-conversion");
        MetricDefinition errors = metrics.metrics(CHECKOUT_API).get(1);
        assertThat(errors.unit()).isEqualTo("%");
        assertThat(errors.direction()).isEqualTo(Direction.INCREASE_IS_BAD);
        assertThat(errors.threshold()).isEqualTo(1.0);
        assertThat(errors.critical()).isTrue();
        assertThat(metrics.metrics(CHECKOUT_API).get(3).direction()).isEqualTo(Direction.DECREASE_IS_BAD);
    }

    @Test
    void historyCoversTheTenMinutesBeforeStartOneSamplePerSecond() throws Exception {
        DemoFixture f = new DemoFixture();

        List<MetricSeries> series = f.world.metrics().range(CHECKOUT_API, "p95-latency",
                START.minus(DemoWorld.HISTORY_AT_START), START);

        MetricSeries baseline = track(series, Track.BASELINE);
        assertThat(baseline.points()).hasSize(600);
        assertThat(baseline.points()).extracting(MetricPoint::epochMillis).isSorted();
        assertThat(baseline.points().get(599).epochMillis()).isEqualTo(START.toEpochMilli());
        assertThat(track(series, Track.CANARY).points()).as("the canary took traffic for the last 65 s")
                .hasSizeBetween(60, 66);
    }

    @Test
    void aRolloutWithoutCanaryHasAnEmptyCanarySeries() throws Exception {
        DemoFixture f = new DemoFixture();

        List<MetricSeries> series = f.world.metrics().range(LEDGER_SERVICE, "request-rate", START.minusSeconds(300),
                START);

        assertThat(track(series, Track.CANARY).points()).isEmpty();
        assertThat(track(series, Track.BASELINE).points()).hasSize(301)
                .allSatisfy(p -> assertThat(p.value()).isBetween(30.0, 90.0));
    }

    @Test
    void canaryRequestRateFollowsItsWeight() throws Exception {
        DemoFixture f = new DemoFixture();

        List<MetricSeries> series = f.world.metrics().range(SEARCH_INDEXER, "request-rate", START.minusSeconds(60),
                START);

        double canary = mean(track(series, Track.CANARY));
        double baseline = mean(track(series, Track.BASELINE));
        assertThat(canary / (canary + baseline)).isBetween(0.15, 0.25);
    }

    @Test
    void seriesStayBoundedHoweverLongTheWorldRuns() throws Exception {
        DemoFixture f = new DemoFixture();
        for (int i = 0; i < 10_000; i++) {
            f.world.tick();
        }

        for (RolloutRef ref : f.state.rollouts().all().stream().map(r -> r.ref()).toList()) {
            for (MetricSeries s : f.world.metrics().range(ref, "error-ratio", Instant.EPOCH,
                    f.world.clock().instant())) {
                assertThat(s.points().size()).as(ref + " " + s.track()).isLessThanOrEqualTo(7200);
            }
        }
        assertThat(track(f.world.metrics().range(CATALOG_API, "p95-latency", Instant.EPOCH,
                f.world.clock().instant()), Track.BASELINE).points()).hasSize(7200);
    }

    @Test
    void unknownRolloutsAndMetricsAreExplained() {
        MetricsSource metrics = new DemoFixture().world.metrics();
        RolloutRef missing = new RolloutRef("prod-eu", "checkout", "nope", WorkloadKind.ARGO_ROLLOUT);

        assertThatThrownBy(() -> metrics.range(missing, "error-ratio", START.minusSeconds(60), START))
                .isInstanceOf(MetricsException.class).hasMessageContaining("prod-eu/checkout/nope");
        assertThatThrownBy(() -> metrics.range(CHECKOUT_API, "cpu", START.minusSeconds(60), START))
                .isInstanceOf(MetricsException.class).hasMessageContaining("'cpu'").hasMessageContaining("error-ratio");
        assertThat(metrics.metrics(missing)).isEmpty();
    }

    private static MetricSeries track(List<MetricSeries> series, Track track) {
        return series.stream().filter(s -> s.track() == track).findFirst().orElseThrow();
    }

    private static double mean(MetricSeries series) {
        return series.points().stream().mapToDouble(MetricPoint::value).average().orElseThrow();
    }
}
