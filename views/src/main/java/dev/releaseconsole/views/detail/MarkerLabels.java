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
}
