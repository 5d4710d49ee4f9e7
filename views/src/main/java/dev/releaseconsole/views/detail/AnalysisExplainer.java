package dev.releaseconsole.views.detail;

import dev.releaseconsole.services.model.AnalysisPhase;
import dev.releaseconsole.services.model.AnalysisRun;
import dev.releaseconsole.services.model.Measurement;
import dev.releaseconsole.services.model.MetricResult;

import java.util.ArrayList;
import java.util.List;

/** Says in words why an analysis run or one of its metrics failed (a long-standing ask: argo-rollouts #1506). */
public final class AnalysisExplainer {
    private AnalysisExplainer() {
    }

    /**
     * "error-ratio failed 3 of 4 measurements (last value 0.034, condition result < 0.01)"; empty for a metric that
     * did not fail, error or end inconclusive.
     */
    public static String whyMetric(MetricResult m) {
        if (m == null || m.phase() == null) {
            return "";
        }
        String verb;
        int n;
        switch (m.phase()) {
            case Failed:
                verb = "failed";
                n = m.failed();
                break;
            case Error:
                verb = "could not be measured in";
                n = m.error();
                break;
            case Inconclusive:
                verb = "was inconclusive in";
                n = m.inconclusive();
                break;
            default:
                return "";
        }
        int count = Math.max(m.count(), m.measurements().size());
        StringBuilder sb = new StringBuilder(m.name()).append(' ').append(verb).append(' ').append(n).append(" of ")
                .append(count).append(count == 1 ? " measurement" : " measurements");
        List<String> details = new ArrayList<>();
        lastValue(m).ifPresent(v -> details.add("last value " + v));
        if (m.successCondition() != null && !m.successCondition().isBlank()) {
            details.add("condition " + m.successCondition());
        }
        if (m.phase() == AnalysisPhase.Error) {
            lastMessage(m).ifPresent(msg -> details.add(msg));
        }
        if (!details.isEmpty()) {
            sb.append(" (").append(String.join(", ", details)).append(')');
        }
        return sb.toString();
    }

    /** All failing metrics of a run, one sentence each joined by "; ", or the run's message; empty when it did not fail. */
    public static String whyRun(AnalysisRun run) {
        if (run == null || run.phase() == null) {
            return "";
        }
        if (run.phase() != AnalysisPhase.Failed && run.phase() != AnalysisPhase.Error
                && run.phase() != AnalysisPhase.Inconclusive) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        for (MetricResult m : run.metricResults()) {
            String w = whyMetric(m);
            if (!w.isEmpty()) {
                parts.add(w);
            }
        }
        if (parts.isEmpty()) {
            return run.message() == null ? "" : run.message();
        }
        return String.join("; ", parts);
    }

    private static java.util.Optional<String> lastValue(MetricResult m) {
        for (int i = m.measurements().size() - 1; i >= 0; i--) {
            Measurement x = m.measurements().get(i);
            if (x.value() != null && !x.value().isBlank()) {
                return java.util.Optional.of(x.value());
            }
        }
        return java.util.Optional.empty();
    }

    private static java.util.Optional<String> lastMessage(MetricResult m) {
        for (int i = m.measurements().size() - 1; i >= 0; i--) {
            Measurement x = m.measurements().get(i);
            if (x.message() != null && !x.message().isBlank()) {
                return java.util.Optional.of(x.message());
            }
        }
        return m.message() == null || m.message().isBlank() ? java.util.Optional.empty()
                : java.util.Optional.of(m.message());
    }
}
