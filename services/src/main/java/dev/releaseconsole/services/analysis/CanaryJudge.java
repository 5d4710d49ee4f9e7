package dev.releaseconsole.services.analysis;

import dev.releaseconsole.services.model.Direction;
import dev.releaseconsole.services.model.MetricDefinition;
import dev.releaseconsole.services.model.MetricPoint;
import dev.releaseconsole.services.model.RolloutRef;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Kayenta's canary judge, in plain Java: per metric a Mann-Whitney U test of canary against baseline samples,
 * classified Pass / High / Low / No data with a tolerance band and an effect-size check in the metric's bad
 * direction; then a weighted 0-100 score with pass and marginal bars, where a failing critical metric forces a
 * fail. Pure and thread-safe: the same samples always give the same verdict. The README's "Canary verdict" section
 * explains the maths in words.
 */
public final class CanaryJudge {
    private final JudgeConfig config;

    public CanaryJudge(JudgeConfig config) {
        this.config = config;
    }

    public JudgeConfig config() {
        return config;
    }

    /**
     * Classifies one metric from its canary and baseline samples (time order; NaN and infinities are left out),
     * measuring on the baseline how much consecutive samples repeat each other.
     */
    public MetricVerdict classify(MetricDefinition metric, List<MetricPoint> canary, List<MetricPoint> baseline) {
        return classify(metric, canary, baseline, repeatOf(baseline));
    }

    /**
     * How many consecutive samples of this baseline count as one independent observation (1 when the correction is
     * off). Pass a longer stretch of the baseline than the window compared: it measures this far better.
     */
    public double repeatOf(List<MetricPoint> baselineHistory) {
        return config.serialCorrection() ? MannWhitney.repeatOf(finite(baselineHistory)) : 1;
    }

    /** Classifies as above with a known {@code repeat} (see {@link #repeatOf}). */
    public MetricVerdict classify(MetricDefinition metric, List<MetricPoint> canary, List<MetricPoint> baseline,
                                  double repeat) {
        MetricPolicy policy = config.policyFor(metric);
        double[] c = finite(canary);
        double[] b = finite(baseline);
        int ignored = canary.size() - c.length + baseline.size() - b.length;
        double cm = mean(c);
        double bm = mean(b);
        String name = metric.displayName();
        String ignoredNote = ignored == 0 ? "" : "; " + ignored + " NaN/Inf sample" + (ignored == 1 ? "" : "s")
                + " ignored";
        String reportNote = policy.reportOnly() ? " (report only, not scored)" : "";

        if (c.length == 0 || b.length == 0) {
            boolean required = policy.requireData() && c.length == 0 && b.length >= config.minSamples();
            String what = c.length == 0 && b.length == 0 ? "no canary or baseline samples in the window"
                    : c.length == 0 ? "no canary samples in the window"
                    : "no baseline samples in the window";
            if (required) {
                what += " while the baseline has " + b.length + "; the metric is required";
            }
            return new MetricVerdict(metric, required ? MetricLabel.NODATA_FAIL : MetricLabel.NODATA, policy,
                    c.length, b.length, ignored, cm, bm, Optional.empty(),
                    name + ": " + what + ignoredNote + reportNote);
        }
        if (c.length < config.minSamples() || b.length < config.minSamples()) {
            return new MetricVerdict(metric, MetricLabel.NODATA, policy, c.length, b.length, ignored, cm, bm,
                    Optional.empty(), name + ": too few samples yet: canary " + c.length + ", baseline " + b.length
                    + "; " + config.minSamples() + " per track needed" + ignoredNote + reportNote);
        }
        String unit = metric.unit();
        String compared = name + ": canary " + Quantities.format(cm, unit) + " vs baseline "
                + Quantities.format(bm, unit) + ", " + Quantities.change(cm, bm, unit) + ", ";
        if (allEqual(c, b)) {
            return new MetricVerdict(metric, MetricLabel.PASS, policy, c.length, b.length, ignored, cm, bm,
                    Optional.empty(), name + ": canary and baseline both " + Quantities.format(c[0], unit)
                    + " throughout" + ignoredNote + reportNote);
        }

        if (c.length / repeat < config.minIndependent() || b.length / repeat < config.minIndependent()) {
            return new MetricVerdict(metric, MetricLabel.NODATA, policy, c.length, b.length, ignored, cm, bm,
                    Optional.empty(), name + ": too few independent samples yet: consecutive samples repeat over"
                    + " about " + Quantities.number(repeat) + ", so canary " + c.length + " and baseline " + b.length
                    + " count as about " + Math.round(c.length / repeat) + " and " + Math.round(b.length / repeat)
                    + "; " + config.minIndependent() + " per track needed" + ignoredNote + reportNote);
        }
        MannWhitney.Result t = MannWhitney.compare(c, b, config.confidence(), repeat);
        double band = config.tolerance() * Math.abs(t.shift());
        boolean above = t.lower() > band;
        boolean below = t.upper() < -band;
        boolean significant = t.lower() > 0 || t.upper() < 0;
        double relative = relativeChange(cm, bm);
        String at = " at " + config.confidenceText() + " confidence";

        MetricLabel label = MetricLabel.PASS;
        String why;
        boolean higherIsBad = metric.direction() == Direction.INCREASE_IS_BAD;
        if (above || below) {
            boolean bad = above == higherIsBad;
            boolean large = above ? relative >= config.minEffect() : relative <= -config.minEffect();
            String way = above ? "higher" : "lower";
            if (!bad) {
                why = way + " than the baseline, which is better";
            } else if (!large) {
                why = way + ", but by less than the " + Quantities.percent(config.minEffect() * 100)
                        + " change that counts";
            } else {
                label = above ? MetricLabel.HIGH : MetricLabel.LOW;
                why = way + at;
            }
        } else if (significant) {
            why = "not clearly " + (t.lower() > 0 ? "higher" : "lower") + ": the " + config.confidenceText()
                    + " interval reaches into the " + config.toleranceText() + " tolerance band";
        } else {
            why = "no significant difference" + at;
        }
        return new MetricVerdict(metric, label, policy, c.length, b.length, ignored, cm, bm, Optional.of(t),
                compared + why + ignoredNote + reportNote);
    }

    /** A metric whose samples could not be fetched: shown with the source's message, left out of the score. */
    public MetricVerdict error(MetricDefinition metric, String message) {
        return new MetricVerdict(metric, MetricLabel.ERROR, config.policyFor(metric), 0, 0, 0, Double.NaN,
                Double.NaN, Optional.empty(), metric.displayName() + ": could not fetch samples: " + message);
    }

    /**
     * The overall verdict from the metrics' findings: the score is the weighted share of scored metrics that pass
     * (report-only, no-data and error metrics are left out); a failing critical metric forces Fail with score 0; a
     * critical metric without data yet means No data (the canary cannot be vouched for without it).
     */
    public CanaryVerdict verdict(RolloutRef rollout, Instant from, Instant to, List<MetricVerdict> metrics) {
        List<MetricVerdict> scored = metrics.stream().filter(MetricVerdict::scored).toList();
        List<MetricVerdict> failing = new ArrayList<>(scored.stream().filter(MetricVerdict::failing).toList());
        failing.sort(Comparator.comparing((MetricVerdict m) -> !m.critical()));
        List<MetricVerdict> judged = metrics.stream().filter(m -> !m.policy().reportOnly()).toList();

        boolean criticalFails = failing.stream().anyMatch(MetricVerdict::critical);
        if (criticalFails) {
            return new CanaryVerdict(rollout, VerdictLabel.FAIL, OptionalInt.of(0),
                    "Fail: " + failures(failing), metrics, from, to);
        }
        Optional<MetricVerdict> criticalMissing = judged.stream()
                .filter(m -> m.critical() && (m.label() == MetricLabel.NODATA || m.label() == MetricLabel.ERROR))
                .findFirst();
        if (scored.isEmpty() || criticalMissing.isPresent()) {
            MetricVerdict first = criticalMissing.orElseGet(() -> judged.stream()
                    .filter(m -> m.label() == MetricLabel.NODATA).findFirst()
                    .orElseGet(() -> judged.isEmpty() ? null : judged.get(0)));
            if (first == null) {
                return new CanaryVerdict(rollout, VerdictLabel.NO_DATA, OptionalInt.empty(),
                        "No data: no metric to judge", metrics, from, to);
            }
            boolean allErrors = judged.stream().allMatch(m -> m.label() == MetricLabel.ERROR);
            VerdictLabel label = allErrors ? VerdictLabel.ERROR : VerdictLabel.NO_DATA;
            return new CanaryVerdict(rollout, label, OptionalInt.empty(), label.text() + ": " + first.sentence(),
                    metrics, from, to);
        }
        double total = 0;
        double passing = 0;
        for (MetricVerdict m : scored) {
            total += m.policy().weight();
            if (!m.failing()) {
                passing += m.policy().weight();
            }
        }
        int score = (int) Math.round(100 * passing / total);
        VerdictLabel label = score >= config.passScore() ? VerdictLabel.PASS
                : score >= config.marginalScore() ? VerdictLabel.MARGINAL : VerdictLabel.FAIL;
        String summary;
        if (failing.isEmpty()) {
            summary = label.text() + ": " + (scored.size() == 1 ? "the one metric compared is"
                    : "all " + scored.size() + " metrics compared are") + " within tolerance of the baseline";
        } else {
            summary = label.text() + " (score " + score + "): " + failures(failing);
        }
        long unjudged = judged.stream().filter(m -> !m.scored()).count();
        if (unjudged > 0) {
            summary += "; " + unjudged + " without data";
        }
        return new CanaryVerdict(rollout, label, OptionalInt.of(score), summary, metrics, from, to);
    }

    /** "error ratio High (critical), p95 latency High" */
    private static String failures(List<MetricVerdict> failing) {
        List<String> parts = new ArrayList<>();
        for (MetricVerdict m : failing) {
            parts.add(lowerFirst(m.name()) + " " + m.label().text() + (m.critical() ? " (critical)" : ""));
        }
        return String.join(", ", parts);
    }

    private static String lowerFirst(String s) {
        if (s.length() > 1 && Character.isUpperCase(s.charAt(0)) && !Character.isUpperCase(s.charAt(1))) {
            return Character.toLowerCase(s.charAt(0)) + s.substring(1);
        }
        return s;
    }

    /** (canary - baseline) / |baseline|; infinite when only the baseline is zero. */
    static double relativeChange(double canary, double baseline) {
        if (baseline == 0) {
            return canary == 0 ? 0 : Math.copySign(Double.POSITIVE_INFINITY, canary);
        }
        return (canary - baseline) / Math.abs(baseline);
    }

    private static double[] finite(List<MetricPoint> points) {
        double[] out = new double[points.size()];
        int n = 0;
        for (MetricPoint p : points) {
            if (Double.isFinite(p.value())) {
                out[n++] = p.value();
            }
        }
        return n == out.length ? out : java.util.Arrays.copyOf(out, n);
    }

    private static double mean(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static boolean allEqual(double[] c, double[] b) {
        double first = c[0];
        for (double v : c) {
            if (v != first) {
                return false;
            }
        }
        for (double v : b) {
            if (v != first) {
                return false;
            }
        }
        return true;
    }
}
