package dev.releaseconsole.services.analysis;

import dev.releaseconsole.services.model.MetricDefinition;

import java.util.Optional;

/**
 * The judge's finding on one metric, with the numbers behind it and a sentence that says it in words, e.g. "p95
 * latency: canary 312 ms vs baseline 240 ms, +30%, outside the 25% band at 98% confidence".
 *
 * @param canaryCount   finite canary samples compared
 * @param baselineCount finite baseline samples compared
 * @param ignored       NaN or infinite samples left out (both tracks)
 * @param canaryMean    mean of the canary's samples (NaN without samples)
 * @param baselineMean  mean of the baseline's samples (NaN without samples)
 * @param test          the Mann-Whitney comparison, when one was made
 */
public record MetricVerdict(MetricDefinition metric, MetricLabel label, MetricPolicy policy, int canaryCount,
                            int baselineCount, int ignored, double canaryMean, double baselineMean,
                            Optional<MannWhitney.Result> test, String sentence) {

    public String name() {
        return metric.displayName();
    }

    public boolean critical() {
        return metric.critical();
    }

    /** Counts in the score: not report-only, and compared (or required and missing). */
    public boolean scored() {
        return !policy.reportOnly() && (label == MetricLabel.PASS || label.failing());
    }

    /** Counts against the canary. */
    public boolean failing() {
        return scored() && label.failing();
    }

    /** The canary's change against the baseline ("+2.06 pp", "+30%"), empty without both means. */
    public String change() {
        if (!Double.isFinite(canaryMean) || !Double.isFinite(baselineMean)) {
            return "";
        }
        return Quantities.change(canaryMean, baselineMean, metric.unit());
    }

    /**
     * The statistics behind the label, for a tooltip: "p = 0.0004; shift +70 ms (98% interval +61 to +79 ms);
     * 180 canary and 180 baseline samples, ~6 independent each (samples repeat over 30)".
     */
    public String statistics() {
        if (test.isEmpty()) {
            return canaryCount + " canary and " + baselineCount + " baseline samples"
                    + (ignored > 0 ? "; " + ignored + " NaN/Inf ignored" : "");
        }
        MannWhitney.Result t = test.get();
        String unit = metric.unit();
        StringBuilder sb = new StringBuilder()
                .append("Mann-Whitney p = ").append(pValue(t.pValue()))
                .append("; shift ").append(shift(t.shift(), unit))
                .append(" (").append(Quantities.percent(t.confidence() * 100)).append(" interval ")
                .append(shift(t.lower(), unit)).append(" to ").append(shift(t.upper(), unit)).append(")")
                .append("; ").append(t.canaryCount()).append(" canary and ").append(t.baselineCount())
                .append(" baseline samples");
        if (t.repeat() > 1.05) {
            sb.append(", about ").append(Math.round(Math.max(1, t.canaryEffective()))).append(" and ")
                    .append(Math.round(Math.max(1, t.baselineEffective())))
                    .append(" independent (consecutive samples repeat over about ")
                    .append(Quantities.number(t.repeat())).append(")");
        }
        if (ignored > 0) {
            sb.append("; ").append(ignored).append(" NaN/Inf ignored");
        }
        return sb.toString();
    }

    private static String shift(double v, String unit) {
        String s = Quantities.format(v, unit);
        return s.startsWith("-") ? s : "+" + s;
    }

    private static String pValue(double p) {
        return p < 0.0001 ? "< 0.0001" : Quantities.number(p);
    }
}
