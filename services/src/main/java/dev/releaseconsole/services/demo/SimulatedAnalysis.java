package dev.releaseconsole.services.demo;

import dev.releaseconsole.services.model.AnalysisPhase;
import dev.releaseconsole.services.model.AnalysisRun;
import dev.releaseconsole.services.model.Measurement;
import dev.releaseconsole.services.model.MetricResult;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * A step AnalysisRun, assessed the way Argo's analysis controller does it: per metric, failed &gt; failureLimit
 * fails, inconclusive &gt; inconclusiveLimit is inconclusive, reaching the count succeeds; the run ends as soon as
 * one metric ends badly, with the message naming that metric.
 */
final class SimulatedAnalysis {
    private final String name;
    private final AnalysisTemplate template;
    private final int stepIndex;
    private final int revision;
    private final Instant startedAt;
    private final List<MetricState> metrics = new ArrayList<>();
    private AnalysisPhase phase = AnalysisPhase.Running;
    private String message = "";
    private Instant completedAt;
    private Instant lastMeasuredAt;

    SimulatedAnalysis(String rolloutName, Release release, int stepIndex, AnalysisTemplate template,
                      Instant startedAt) {
        this.name = rolloutName + "-" + release.podHash() + "-" + release.revision() + "-" + stepIndex;
        this.template = template;
        this.stepIndex = stepIndex;
        this.revision = release.revision();
        this.startedAt = startedAt;
        template.metrics().forEach(m -> metrics.add(new MetricState(m)));
    }

    AnalysisPhase phase() {
        return phase;
    }

    String message() {
        return message;
    }

    Instant startedAt() {
        return startedAt;
    }

    /** Takes one measurement per metric when the interval has passed; waits a tick when the canary has no samples. */
    void measureIfDue(Instant now, TrafficModel traffic) {
        if (phase.isCompleted()
                || (lastMeasuredAt != null && now.isBefore(lastMeasuredAt.plus(template.interval())))) {
            return;
        }
        List<OptionalDouble> values = new ArrayList<>();
        for (MetricState m : metrics) {
            OptionalDouble v = traffic.canaryMean(m.spec.metricId(), now, template.interval());
            if (v.isEmpty()) {
                return;
            }
            values.add(v);
        }
        for (int i = 0; i < metrics.size(); i++) {
            metrics.get(i).record(now, values.get(i).getAsDouble() * metrics.get(i).spec.seriesToResult());
        }
        lastMeasuredAt = now;
        assess(now);
    }

    /** Ends a running analysis because its step was left (promote, abort, full promotion). */
    void terminate(Instant now) {
        if (phase.isCompleted()) {
            return;
        }
        metrics.stream().filter(m -> !m.phase.isCompleted()).forEach(m -> m.phase = AnalysisPhase.Successful);
        complete(now, AnalysisPhase.Successful, "Run Terminated");
    }

    AnalysisRun toRun() {
        return new AnalysisRun(name, phase, message, "Step", stepIndex, revision, startedAt, completedAt,
                metrics.stream().map(MetricState::toResult).toList());
    }

    private void assess(Instant now) {
        MetricState worst = null;
        for (MetricState m : metrics) {
            if (m.phase.isCompleted() && m.phase != AnalysisPhase.Successful
                    && (worst == null || severity(m.phase) > severity(worst.phase))) {
                worst = m;
            }
        }
        if (worst != null) {
            complete(now, worst.phase, "Metric \"" + worst.spec.metricId() + "\" assessed " + worst.phase
                    + " due to " + worst.limitExceeded());
        } else if (metrics.stream().allMatch(m -> m.phase == AnalysisPhase.Successful)) {
            complete(now, AnalysisPhase.Successful, "");
        }
    }

    private void complete(Instant now, AnalysisPhase result, String why) {
        phase = result;
        message = why;
        completedAt = now;
    }

    /** Argo's ordering of how bad a completed phase is (analysisutil.IsWorse). */
    private static int severity(AnalysisPhase p) {
        return switch (p) {
            case Inconclusive -> 1;
            case Failed -> 2;
            default -> 0;
        };
    }

    private final class MetricState {
        private final AnalysisTemplate.Metric spec;
        private final List<Measurement> measurements = new ArrayList<>();
        private AnalysisPhase phase = AnalysisPhase.Running;
        private int successful;
        private int failed;
        private int inconclusive;

        MetricState(AnalysisTemplate.Metric spec) {
            this.spec = spec;
        }

        void record(Instant now, double result) {
            AnalysisPhase outcome;
            if (result < spec.successBelow()) {
                outcome = AnalysisPhase.Successful;
                successful++;
            } else if (spec.failAbove() != null && result <= spec.failAbove()) {
                outcome = AnalysisPhase.Inconclusive;
                inconclusive++;
            } else {
                outcome = AnalysisPhase.Failed;
                failed++;
            }
            measurements.add(new Measurement(outcome, now, now,
                    String.format(Locale.ROOT, spec.valueFormat(), result), null));
            if (failed > spec.failureLimit()) {
                phase = AnalysisPhase.Failed;
            } else if (inconclusive > spec.inconclusiveLimit()) {
                phase = AnalysisPhase.Inconclusive;
            } else if (measurements.size() >= template.count()) {
                phase = AnalysisPhase.Successful;
            }
        }

        String limitExceeded() {
            return phase == AnalysisPhase.Failed
                    ? "failed (" + failed + ") > failureLimit (" + spec.failureLimit() + ")"
                    : "inconclusive (" + inconclusive + ") > inconclusiveLimit (" + spec.inconclusiveLimit() + ")";
        }

        MetricResult toResult() {
            return new MetricResult(spec.metricId(), phase, "", measurements.size(), successful, failed,
                    inconclusive, 0, spec.successCondition(), measurements);
        }
    }
}
