package dev.releaseconsole.views.detail;

import dev.releaseconsole.services.model.RolloutEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Short labels for chart markers from rollout events: "25%" where the canary weight changed, "abort", "promote",
 * "analysis ✗"... Events that change nothing visible (a step completing at the same weight) get no marker.
 */
final class MarkerLabels {
    private MarkerLabels() {
    }

    /** The marker label of one event, or "" when the event is not worth a marker by itself. */
    static String label(RolloutEvent e) {
        String reason = e.reason() == null ? "" : e.reason().toLowerCase(Locale.ROOT);
        if (reason.contains("abort")) {
            return "abort";
        }
        if (reason.contains("retry")) {
            return "retry";
        }
        if (reason.contains("restart")) {
            return "restart";
        }
        if (reason.contains("analysis") || reason.contains("check")) {
            if (reason.contains("fail")) {
                return "analysis ✗";
            }
            if (reason.contains("inconclusive")) {
                return "analysis ?";
            }
            if (reason.contains("success")) {
                return "analysis ✓";
            }
            return "";
        }
        if (reason.equals("rolloutcompleted") || reason.equals("succeeded")) {
            return "done";
        }
        if (reason.contains("promot")) {
            return "promote";
        }
        if (reason.contains("resume")) {
            return "resume";
        }
        if (e.weight() >= 0) {
            return e.weight() + "%";
        }
        if (reason.contains("pause")) {
            return "pause";
        }
        return "";
    }

    /**
     * Markers for the events within [from, to], oldest first. A weight marker appears only where the weight
     * differs from the last one seen (so "25%" means the canary moved to 25%), and an event repeating the
     * previous label is dropped.
     */
    static List<ChartFrame.Marker> markers(List<RolloutEvent> events, long from, long to, long now) {
        List<ChartFrame.Marker> out = new ArrayList<>();
        String previous = null;
        int lastWeight = Integer.MIN_VALUE;
        for (RolloutEvent e : events) {
            if (e.time() == null) {
                continue;
            }
            String label = label(e);
            boolean weightMarker = e.weight() >= 0 && label.equals(e.weight() + "%");
            boolean sameWeight = weightMarker && e.weight() == lastWeight;
            if (e.weight() >= 0) {
                lastWeight = e.weight();
            }
            if (label.isEmpty() || sameWeight || label.equals(previous)) {
                continue;
            }
            previous = label;
            long t = e.time().toEpochMilli();
            if (t < from || t > to) {
                continue;
            }
            out.add(new ChartFrame.Marker((t - now) / 60_000.0, label));
        }
        return out;
    }

    /** Where a marker's label goes: a row (0 at the top) and the label's left x, or {@link #SKIPPED}. */
    record Placement(int row, double x) {
        static final Placement SKIPPED = new Placement(-1, Double.NaN);

        boolean shown() {
            return row >= 0;
        }
    }

    /**
     * Places the labels of markers at pixel positions {@code px} (widths {@code widths}) in a plot {@code plotWidth}
     * wide, in at most {@code rows} rows, so that no two labels overlap: a label goes right of its line, or left of
     * it where it would run past the right edge, in the first row where it fits. Events (abort, promote, analysis
     * results...) are placed before weight and pause markers, so those are the ones skipped when there is no room.
     * A skipped label's line stays. Pure; the chart calls it from its layout.
     */
    static List<Placement> place(List<String> labels, double[] px, double[] widths, double plotWidth, int rows) {
        int n = labels.size();
        Placement[] out = new Placement[n];
        java.util.Arrays.fill(out, Placement.SKIPPED);
        List<List<double[]>> used = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            used.add(new ArrayList<>());
        }
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < n; i++) {
                boolean important = !minor(labels.get(i));
                if ((pass == 0) != important || px[i] < 0 || px[i] > plotWidth) {
                    continue;
                }
                double left = px[i] + GAP;
                if (left + widths[i] > plotWidth) {
                    left = Math.max(0, px[i] - GAP - widths[i]);
                }
                double right = left + widths[i];
                for (int r = 0; r < rows; r++) {
                    if (fits(used.get(r), left, right)) {
                        used.get(r).add(new double[]{left, right});
                        out[i] = new Placement(r, left);
                        break;
                    }
                }
            }
        }
        return List.of(out);
    }

    /** Space between a label and its line, and between two labels in a row. */
    static final double GAP = 3;

    private static boolean fits(List<double[]> row, double left, double right) {
        for (double[] taken : row) {
            if (left < taken[1] + GAP && right + GAP > taken[0]) {
                return false;
            }
        }
        return true;
    }

    /** Weight and pause markers: the first to give way when labels crowd. */
    static boolean minor(String label) {
        return label.endsWith("%") || label.equals("pause");
    }
}
