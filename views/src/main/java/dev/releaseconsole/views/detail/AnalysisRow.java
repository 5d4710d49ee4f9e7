package dev.releaseconsole.views.detail;

import dev.releaseconsole.services.model.AnalysisPhase;
import dev.releaseconsole.services.model.AnalysisRun;
import dev.releaseconsole.services.model.Measurement;
import dev.releaseconsole.services.model.MetricResult;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * One row of the analysis tree: a run, one of its metrics, or one measurement. Columns read the strings here.
 * {@code key} identifies the row across refreshes so expansion survives updates.
 */
record AnalysisRow(Kind kind, String key, String name, String type, AnalysisPhase phase, String time,
                   String detail, String message) {
    enum Kind { RUN, METRIC, MEASUREMENT }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    static AnalysisRow of(AnalysisRun run) {
        String type = run.type() == null ? "" : run.type();
        if (run.stepIndex() != null) {
            type += " (step " + run.stepIndex() + ")"; // the step index, as in the step column
        }
        String why = AnalysisExplainer.whyRun(run);
        String msg = why.isEmpty() ? nz(run.message()) : why;
        return new AnalysisRow(Kind.RUN, run.name(), run.name(), type, run.phase(), time(run.startedAt()),
                "revision " + run.revision(), msg);
    }

    static AnalysisRow of(AnalysisRun run, MetricResult m) {
        String counts = counts(m);
        String why = AnalysisExplainer.whyMetric(m);
        return new AnalysisRow(Kind.METRIC, run.name() + "/" + m.name(), m.name(), nz(m.successCondition()),
                m.phase(), "", counts, why.isEmpty() ? nz(m.message()) : why);
    }

    static AnalysisRow of(AnalysisRun run, MetricResult m, int index, Measurement x) {
        return new AnalysisRow(Kind.MEASUREMENT, run.name() + "/" + m.name() + "/" + index, "#" + (index + 1), "",
                x.phase(), time(x.finishedAt() != null ? x.finishedAt() : x.startedAt()),
                x.value() == null ? "" : "value " + x.value(), nz(x.message()));
    }

    /** "4 measured: 1 ok, 3 failed, 0 inconclusive, 0 error" */
    static String counts(MetricResult m) {
        return m.count() + " measured: " + m.successful() + " successful, " + m.failed() + " failed, "
                + m.inconclusive() + " inconclusive, " + m.error() + " error";
    }

    static String time(Instant t) {
        return t == null ? "" : TIME.format(t);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
