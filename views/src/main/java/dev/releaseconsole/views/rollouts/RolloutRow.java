package dev.releaseconsole.views.rollouts;

import dev.releaseconsole.services.analysis.CanaryVerdict;
import dev.releaseconsole.services.analysis.VerdictLabel;
import dev.releaseconsole.services.model.AnalysisPhase;
import dev.releaseconsole.services.model.AnalysisRun;
import dev.releaseconsole.services.model.Durations;
import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.model.Strategy;
import dev.releaseconsole.views.common.StatusBadge;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * One row of the rollout table: a stable identity (so the table keeps selection and scroll position) whose rollout
 * is replaced in place when the source reports a change. All texts are derived from the {@link Rollout} record and
 * the canary judge's latest {@link CanaryVerdict} (null while the rollout has none).
 */
public final class RolloutRow {
    private final RolloutRef ref;
    private final ObjectProperty<Rollout> rollout = new SimpleObjectProperty<>(this, "rollout");
    private final StringProperty age = new SimpleStringProperty(this, "age", "");
    private final ObjectProperty<CanaryVerdict> verdict = new SimpleObjectProperty<>(this, "verdict");

    public RolloutRow(Rollout initial) {
        this.ref = Objects.requireNonNull(initial, "initial").ref();
        rollout.set(initial);
    }

    public RolloutRef ref() {
        return ref;
    }

    public Rollout rollout() {
        return rollout.get();
    }

    public ReadOnlyObjectProperty<Rollout> rolloutProperty() {
        return rollout;
    }

    void update(Rollout r) {
        if (!r.ref().equals(ref)) {
            throw new IllegalArgumentException("row " + ref + " cannot show " + r.ref());
        }
        rollout.set(r);
    }

    public CanaryVerdict verdict() {
        return verdict.get();
    }

    public ReadOnlyObjectProperty<CanaryVerdict> verdictProperty() {
        return verdict;
    }

    /** The judge's newest verdict on this rollout, or null when it has none (not a canary under way). */
    void updateVerdict(CanaryVerdict v) {
        if (v != null && !v.rollout().equals(ref)) {
            throw new IllegalArgumentException("row " + ref + " cannot show the verdict of " + v.rollout());
        }
        verdict.set(v);
    }

    public StatusBadge verdictBadge() {
        return StatusBadge.forVerdict(verdict());
    }

    /** The verdict's one line ("Fail: error ratio High (critical), p95 latency High"), empty without one. */
    public String verdictSummary() {
        CanaryVerdict v = verdict();
        return v == null ? "" : v.summary();
    }

    public ReadOnlyStringProperty ageProperty() {
        return age;
    }

    public String age() {
        return age.get();
    }

    /** Recomputes the age against the cluster's clock. */
    void refreshAge(Instant now) {
        age.set(ageText(rollout(), now));
    }

    public String name() {
        return ref.name();
    }

    public String cluster() {
        return ref.cluster();
    }

    public String namespace() {
        return ref.namespace();
    }

    public String strategy() {
        return strategyText(rollout());
    }

    public String status() {
        return rollout().statusLabel();
    }

    public StatusBadge statusBadge() {
        return StatusBadge.forRolloutStatus(status());
    }

    public String step() {
        return rollout().stepLabel();
    }

    public String weight() {
        return weightText(rollout());
    }

    public AnalysisPhase analysisPhase() {
        return rollout().latestAnalysis().map(AnalysisRun::phase).orElse(null);
    }

    public StatusBadge analysisBadge() {
        return StatusBadge.forAnalysis(analysisPhase());
    }

    /** Why a human is needed: the controller's reason first, else a failing canary verdict. */
    public String why() {
        return rollout().attentionReason().orElseGet(() -> verdictFails() ? "canary verdict " + verdictSummary() : "");
    }

    /** The controller's state asks for a human, or the canary judge finds the canary worse than its baseline. */
    public boolean needsAttention() {
        return rollout().needsAttention() || verdictFails();
    }

    private boolean verdictFails() {
        CanaryVerdict v = verdict();
        return v != null && v.label() == VerdictLabel.FAIL;
    }

    /** Lower-case text the search matches against: name, namespace, cluster, status, strategy, why (with a failing verdict). */
    public String searchText() {
        Rollout r = rollout();
        return (ref.name() + ' ' + ref.namespace() + ' ' + ref.cluster() + ' ' + r.statusLabel() + ' '
                + strategyText(r) + ' ' + why()).toLowerCase(Locale.ROOT);
    }

    // ---- pure formatting, unit-tested ----

    public static String strategyText(Rollout r) {
        return r.strategy() == null ? "" : r.strategy().label();
    }

    /**
     * "25%", or "25% → 50%" while the actual weight has not reached the desired one. Blue-green shifts no weight:
     * "preview up" while a new version runs beside the active one, "active" otherwise (never a misleading "0%").
     */
    public static String weightText(Rollout r) {
        if (r.strategy() == Strategy.BLUE_GREEN) {
            return r.updateInProgress() ? "preview up" : "active";
        }
        if (r.actualWeight() == r.desiredWeight()) {
            return r.actualWeight() + "%";
        }
        return r.actualWeight() + "% → " + r.desiredWeight() + "%";
    }

    public static String ageText(Rollout r, Instant now) {
        if (r.createdAt() == null || now == null) {
            return "";
        }
        Duration age = Duration.between(r.createdAt(), now);
        // Rollout objects live for months; past two days the hours are noise, as in kubectl's AGE column.
        return age.toDays() >= 2 ? age.toDays() + "d" : Durations.compact(age);
    }

    @Override
    public String toString() {
        return "RolloutRow[" + ref + " " + status() + "]";
    }
}
