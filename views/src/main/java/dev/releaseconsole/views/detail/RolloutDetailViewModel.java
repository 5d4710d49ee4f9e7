package dev.releaseconsole.views.detail;

import dev.releaseconsole.views.common.StatusBadge;
import dev.releaseconsole.services.model.AnalysisRun;
import dev.releaseconsole.services.model.Revision;
import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.model.Strategy;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What the rollout detail shows, as JavaFX properties derived from the last reported {@link Rollout}. Never touches
 * controls; unit-tested without a screen. Call on the FX thread when bound to a view.
 */
public final class RolloutDetailViewModel {
    private final ObjectProperty<Rollout> rollout = new SimpleObjectProperty<>(this, "rollout");
    private final StringProperty title = new SimpleStringProperty(this, "title", "");
    private final StringProperty location = new SimpleStringProperty(this, "location", "");
    private final StringProperty strategy = new SimpleStringProperty(this, "strategy", "");
    private final StringProperty statusText = new SimpleStringProperty(this, "statusText", "");
    private final ObjectProperty<StatusBadge> statusBadge = new SimpleObjectProperty<>(this, "statusBadge",
            StatusBadge.forRolloutStatus(null));
    private final StringProperty message = new SimpleStringProperty(this, "message", "");
    private final StringProperty attention = new SimpleStringProperty(this, "attention", "");
    private final StringProperty revisionText = new SimpleStringProperty(this, "revisionText", "");
    private final StringProperty weightsText = new SimpleStringProperty(this, "weightsText", "");
    private final StringProperty replicasText = new SimpleStringProperty(this, "replicasText", "");
    private final StringProperty stepTiming = new SimpleStringProperty(this, "stepTiming", "");
    private final DoubleProperty pauseProgress = new SimpleDoubleProperty(this, "pauseProgress", -1);
    private final StringProperty blueGreenText = new SimpleStringProperty(this, "blueGreenText", "");
    private final StringProperty flaggerText = new SimpleStringProperty(this, "flaggerText", "");
    private final DoubleProperty flaggerWeight = new SimpleDoubleProperty(this, "flaggerWeight", 0);
    private final StringProperty analysisSummary = new SimpleStringProperty(this, "analysisSummary", "");
    private final StringProperty readProblems = new SimpleStringProperty(this, "readProblems", "");
    private final BooleanProperty present = new SimpleBooleanProperty(this, "present", false);
    private final BooleanProperty gone = new SimpleBooleanProperty(this, "gone", false);
    private final ObservableList<StepItem> steps = FXCollections.observableArrayList();
    private final ObservableList<Revision> revisions = FXCollections.observableArrayList();
    private final ObservableList<AnalysisRun> analysisRuns = FXCollections.observableArrayList();
    private final ObservableList<HistoryRow> history = FXCollections.observableArrayList();
    private List<dev.releaseconsole.services.model.RolloutEvent> lastEvents = List.of();

    /** Shows {@code r} as last reported, with time-dependent texts computed at {@code now} (the cluster's clock). */
    public void setRollout(Rollout r, Instant now) {
        if (r == null) {
            markGone();
            return;
        }
        Rollout previous = rollout.get();
        rollout.set(r);
        present.set(true);
        gone.set(false);
        title.set(r.ref().name());
        location.set(r.ref().cluster() + " / " + r.ref().namespace());
        strategy.set(r.ref().kind().kind() + " · " + r.strategy().label());
        statusText.set(r.statusLabel());
        statusBadge.set(StatusBadge.forRolloutStatus(r.statusLabel()));
        message.set(r.displayMessage());
        attention.set(r.attentionReason().orElse(""));
        revisionText.set(revisionText(r));
        weightsText.set(weightsText(r));
        replicasText.set(replicasText(r));
        blueGreenText.set(r.strategy() == Strategy.BLUE_GREEN ? blueGreenText(r) : "");
        flaggerText.set(r.isFlagger() ? flaggerText(r) : "");
        flaggerWeight.set(Math.max(0, Math.min(1, r.actualWeight() / 100.0)));
        readProblems.set(r.readProblems().isEmpty() ? "" : "could not read: " + String.join("; ", r.readProblems()));
        List<StepItem> items = StepsModel.items(r);
        if (!items.equals(steps)) {
            steps.setAll(items);
        }
        if (previous == null || !previous.revisions().equals(r.revisions())) {
            revisions.setAll(r.revisions().stream()
                    .sorted(Comparator.comparingInt(Revision::number).reversed()).toList());
        }
        if (previous == null || !previous.analysisRuns().equals(r.analysisRuns())) {
            analysisRuns.setAll(r.analysisRuns().stream().sorted(Comparator.comparing(AnalysisRun::startedAt,
                    Comparator.nullsLast(Comparator.reverseOrder()))).toList());
        }
        analysisSummary.set(analysisSummary(r));
        tick(now);
    }

    /** The rollout's events (oldest first, as LiveState keeps them), read off the FX thread by the poller. */
    public void setEvents(List<dev.releaseconsole.services.model.RolloutEvent> events, Instant now) {
        if (events.equals(lastEvents) && !history.isEmpty()) {
            // Only the newest row's "so far" moves.
            List<HistoryRow> rows = StepsModel.history(events.subList(events.size() - 1, events.size()), now);
            HistoryRow newest = rows.get(0);
            if (!newest.equals(history.get(0))) {
                history.set(0, newest);
            }
            return;
        }
        lastEvents = List.copyOf(events);
        history.setAll(StepsModel.history(lastEvents, now));
    }

    /** Recomputes only the time-dependent texts (time in step, time left on a pause) from the held rollout. */
    public void tick(Instant now) {
        Rollout r = rollout.get();
        if (r == null || gone.get()) {
            stepTiming.set("");
            pauseProgress.set(-1);
            return;
        }
        stepTiming.set(StepsModel.currentStepTiming(r, now));
        pauseProgress.set(StepsModel.pauseProgress(r, now));
    }

    /** The rollout is no longer reported by its cluster: keep the last picture, say so. */
    public void markGone() {
        if (rollout.get() != null) {
            gone.set(true);
            attention.set("no longer reported by its cluster (deleted, or the connection was lost)");
            stepTiming.set("");
        }
    }

    public void clear() {
        rollout.set(null);
        present.set(false);
        gone.set(false);
        for (StringProperty p : List.of(title, location, strategy, statusText, message, attention, revisionText,
                weightsText, replicasText, stepTiming, blueGreenText, flaggerText, analysisSummary, readProblems)) {
            p.set("");
        }
        statusBadge.set(StatusBadge.forRolloutStatus(null));
        pauseProgress.set(-1);
        flaggerWeight.set(0);
        steps.clear();
        revisions.clear();
        analysisRuns.clear();
        history.clear();
        lastEvents = List.of();
    }

    static String weightsText(Rollout r) {
        if (r.strategy() == Strategy.BLUE_GREEN) {
            return r.updateInProgress() ? "preview up, not yet serving" : "active serves 100%";
        }
        StringBuilder sb = new StringBuilder("canary ").append(r.actualWeight()).append('%');
        if (r.desiredWeight() != r.actualWeight()) {
            sb.append(" (desired ").append(r.desiredWeight()).append("%)");
        }
        return sb.toString();
    }

    /**
     * "3 desired · 4 ready · 1 updated": each count named, never "4/3 ready" (during an update, canary or preview pods
     * run beside the stable ones, so more can be ready than desired).
     */
    static String replicasText(Rollout r) {
        String s = r.desiredReplicas() + " desired · " + r.readyReplicas() + " ready";
        if (r.updatedReplicas() > 0 && r.updateInProgress()) {
            s += " · " + r.updatedReplicas() + " updated";
        }
        return s;
    }

    static String revisionText(Rollout r) {
        if (r.revisions().isEmpty()) {
            return "";
        }
        List<Revision> sorted = r.revisions().stream().sorted(Comparator.comparingInt(Revision::number).reversed())
                .toList();
        StringBuilder sb = new StringBuilder();
        Optional<Revision> newest = sorted.stream().filter(v -> !"old".equals(v.role())).findFirst();
        Optional<Revision> stable = sorted.stream().filter(v -> "stable".equals(v.role()) || "active".equals(v.role()))
                .findFirst();
        newest.ifPresent(v -> sb.append(describe(v)));
        stable.filter(s -> !Objects.equals(s, newest.orElse(null))).ifPresent(v ->
                sb.append(sb.length() == 0 ? "" : "  ·  ").append(describe(v)));
        return sb.toString();
    }

    private static String describe(Revision v) {
        return "rev " + v.number() + " " + v.role() + ": " + String.join(", ", v.images());
    }

    static String blueGreenText(Rollout r) {
        return "active selector " + orDash(r.activeSelector()) + " · preview selector " + orDash(r.previewSelector());
    }

    static String flaggerText(Rollout r) {
        StringBuilder sb = new StringBuilder("weight ").append(r.actualWeight()).append('%');
        if (r.iterations() != null) {
            sb.append(" · iterations ").append(r.iterations());
        }
        if (r.failedChecks() != null) {
            sb.append(" · failed checks ").append(r.failedChecks());
            if (r.failedChecksThreshold() != null) {
                sb.append('/').append(r.failedChecksThreshold());
            }
        }
        return sb.toString();
    }

    static String analysisSummary(Rollout r) {
        Optional<AnalysisRun> latest = r.latestAnalysis();
        if (latest.isEmpty()) {
            return r.analysisRuns().isEmpty() ? "no analysis runs" : "";
        }
        AnalysisRun run = latest.get();
        String why = AnalysisExplainer.whyRun(run);
        String head = "latest run " + run.name() + ": " + run.phase();
        if (!why.isEmpty()) {
            return head + " — " + why;
        }
        List<String> failing = r.analysisRuns().stream().filter(a -> a != run)
                .map(AnalysisExplainer::whyRun).filter(s -> !s.isEmpty()).collect(Collectors.toList());
        return failing.isEmpty() ? head : head + " (earlier: " + failing.get(0) + ")";
    }

    private static String orDash(String s) {
        return s == null || s.isBlank() ? "—" : s;
    }

    public ReadOnlyObjectProperty<Rollout> rolloutProperty() { return rollout; }
    public Rollout getRollout() { return rollout.get(); }
    public StringProperty titleProperty() { return title; }
    public StringProperty locationProperty() { return location; }
    public StringProperty strategyProperty() { return strategy; }
    public StringProperty statusTextProperty() { return statusText; }
    public ObjectProperty<StatusBadge> statusBadgeProperty() { return statusBadge; }
    public StringProperty messageProperty() { return message; }
    public StringProperty attentionProperty() { return attention; }
    public StringProperty revisionTextProperty() { return revisionText; }
    public StringProperty weightsTextProperty() { return weightsText; }
    public StringProperty replicasTextProperty() { return replicasText; }
    public StringProperty stepTimingProperty() { return stepTiming; }
    public DoubleProperty pauseProgressProperty() { return pauseProgress; }
    public StringProperty blueGreenTextProperty() { return blueGreenText; }
    public StringProperty flaggerTextProperty() { return flaggerText; }
    public DoubleProperty flaggerWeightProperty() { return flaggerWeight; }
    public StringProperty analysisSummaryProperty() { return analysisSummary; }
    public StringProperty readProblemsProperty() { return readProblems; }
    public ReadOnlyBooleanProperty presentProperty() { return present; }
    public ReadOnlyBooleanProperty goneProperty() { return gone; }
    public ObservableList<StepItem> steps() { return steps; }
    public ObservableList<Revision> revisions() { return revisions; }
    public ObservableList<AnalysisRun> analysisRuns() { return analysisRuns; }
    public ObservableList<HistoryRow> history() { return history; }
}
