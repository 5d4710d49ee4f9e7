package dev.releaseconsole.views.detail;

import dev.releaseconsole.services.analysis.CanaryVerdict;
import dev.releaseconsole.services.analysis.MetricLabel;
import dev.releaseconsole.services.analysis.MetricVerdict;
import dev.releaseconsole.services.model.Durations;
import dev.releaseconsole.views.common.StatusBadge;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.time.Duration;
import java.util.List;

/**
 * What the rollout detail's verdict panel shows: the live canary verdict's badge (icon, word and score), its one
 * line, the window it was computed over, and one line per metric with the statistics behind it. Pure; call on the
 * FX thread when bound to a view.
 */
public final class VerdictViewModel {
    /**
     * One metric's line: its badge, its sentence, the numbers behind it (for a tooltip), and a short form for a
     * small space ("Error ratio High +2.06 pp").
     */
    public record MetricLine(String metricId, StatusBadge badge, String sentence, String statistics, String brief) {
    }

    private final BooleanProperty present = new SimpleBooleanProperty(this, "present", false);
    private final ObjectProperty<StatusBadge> badge = new SimpleObjectProperty<>(this, "badge",
            StatusBadge.forVerdict(null));
    private final StringProperty summary = new SimpleStringProperty(this, "summary", "");
    private final StringProperty window = new SimpleStringProperty(this, "window", "");
    private final ObservableList<MetricLine> lines = FXCollections.observableArrayList();
    private CanaryVerdict shown;

    /** Shows {@code v}, or nothing when the rollout has no verdict (not a canary under way). */
    public void setVerdict(CanaryVerdict v) {
        if (v != null && v.equals(shown)) {
            return;
        }
        shown = v;
        present.set(v != null);
        badge.set(StatusBadge.forVerdict(v));
        summary.set(v == null ? "" : v.summary());
        window.set(v == null ? "" : windowText(v));
        List<MetricLine> next = v == null ? List.of() : v.metrics().stream().map(VerdictViewModel::line).toList();
        if (!next.equals(lines)) {
            lines.setAll(next);
        }
    }

    public void clear() {
        setVerdict(null);
    }

    /** "canary vs baseline over the last 3m 20s". */
    static String windowText(CanaryVerdict v) {
        Duration d = Duration.between(v.from(), v.to());
        return "canary vs baseline over the last " + Durations.compact(d);
    }

    static MetricLine line(MetricVerdict m) {
        StatusBadge badge = StatusBadge.forMetric(m);
        boolean compared = m.label() == MetricLabel.PASS || m.label() == MetricLabel.HIGH
                || m.label() == MetricLabel.LOW;
        String brief = (m.name() + " " + badge.text() + (compared ? " " + m.change() : "")).trim();
        return new MetricLine(m.metric().id(), badge, m.sentence(), m.statistics(), brief);
    }

    public CanaryVerdict verdict() {
        return shown;
    }

    public ReadOnlyBooleanProperty presentProperty() { return present; }
    public ObjectProperty<StatusBadge> badgeProperty() { return badge; }
    public StringProperty summaryProperty() { return summary; }
    public StringProperty windowProperty() { return window; }
    public ObservableList<MetricLine> lines() { return lines; }
}
