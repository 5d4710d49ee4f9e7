package dev.releaseconsole.services.model;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One rollout as its controller reports it: an Argo Rollout (canary or blue-green) or a Flagger Canary.
 * Fields mirror the CR status; the console derives labels from them but never invents controller state.
 *
 * <p>{@code phase} and {@code message} are the controller's ({@code status.phase}/{@code status.message} for Argo:
 * Healthy, Progressing, Paused, Degraded; Flagger's phase names for a Canary). {@link #displayPhase()} applies the
 * Argo plugin's rules on top. {@code managedBy} names the GitOps owner ("Argo CD application shop", "Flux
 * Kustomization flux-system/apps") or is null. {@code readProblems} lists what could not be read from the source
 * object.
 */
public record Rollout(
        RolloutRef ref,
        Strategy strategy,
        Instant createdAt,
        long generation,
        long observedGeneration,
        List<Step> steps,
        Integer currentStepIndex,
        Instant stepStartedAt,
        int desiredWeight,
        int actualWeight,
        String phase,
        String message,
        boolean specPaused,
        boolean controllerPause,
        List<PauseCondition> pauseConditions,
        boolean abort,
        Instant abortedAt,
        boolean promoteFull,
        String currentPodHash,
        String stableRS,
        int desiredReplicas,
        int readyReplicas,
        int updatedReplicas,
        List<Revision> revisions,
        List<AnalysisRun> analysisRuns,
        String activeSelector,
        String previewSelector,
        Integer failedChecks,
        Integer failedChecksThreshold,
        Integer iterations,
        boolean suspended,
        String managedBy,
        List<String> readProblems) {

    public static final String HEALTHY = "Healthy";
    public static final String PROGRESSING = "Progressing";
    public static final String PAUSED = "Paused";
    public static final String DEGRADED = "Degraded";

    public Rollout {
        steps = List.copyOf(steps);
        pauseConditions = List.copyOf(pauseConditions);
        revisions = List.copyOf(revisions);
        analysisRuns = List.copyOf(analysisRuns);
        readProblems = List.copyOf(readProblems);
    }

    /** The phase a user sees, after the Argo plugin's two overrides (GetRolloutPhase). */
    public String displayPhase() {
        if (ref.kind() == WorkloadKind.ARGO_ROLLOUT) {
            if (observedGeneration != generation) {
                return PROGRESSING;
            }
            if (controllerPause && pauseConditions.isEmpty()) {
                return PROGRESSING;
            }
        }
        return phase == null ? "Unknown" : phase;
    }

    /** The message that goes with {@link #displayPhase()}. */
    public String displayMessage() {
        if (ref.kind() == WorkloadKind.ARGO_ROLLOUT) {
            if (observedGeneration != generation) {
                return "waiting for rollout spec update to be observed";
            }
            if (controllerPause && pauseConditions.isEmpty()) {
                return "waiting for rollout to unpause";
            }
        }
        return message == null ? "" : message;
    }

    /**
     * Why the Argo Rollouts controller has not yet acted on a change the API server already holds, or empty when
     * it has. Normally this lasts well under a second; when it lasts, the controller has probably missed the
     * change (see {@link dev.releaseconsole.services.actions.ActionType#NUDGE}).
     */
    public Optional<String> controllerBehind() {
        if (ref.kind() != WorkloadKind.ARGO_ROLLOUT) {
            return Optional.empty();
        }
        if (observedGeneration != generation) {
            return Optional.of("the controller has not observed spec generation " + generation + " (it reports "
                    + observedGeneration + ")");
        }
        if (controllerPause && pauseConditions.isEmpty() && !specPaused) {
            return Optional.of("the pause was cleared but the controller has not moved on from step " + stepLabel());
        }
        if (abort && !"Degraded".equals(phase)) {
            return Optional.of("status.abort is set but the controller has not reported the rollout aborted");
        }
        if (!abort && "Degraded".equals(phase) && message != null && message.startsWith("RolloutAborted")) {
            return Optional.of("the abort was cleared (retry) but the controller still reports the rollout aborted");
        }
        if (promoteFull && !pauseConditions.isEmpty()) {
            // the controller clears every pause as soon as it sees promoteFull
            return Optional.of("a full promotion was asked for but the controller still holds the rollout at step "
                    + stepLabel());
        }
        return Optional.empty();
    }

    /** The console's own label: "Aborted" where status.abort holds, else the display phase. */
    public String statusLabel() {
        if (abort) {
            return "Aborted";
        }
        if (suspended) {
            return "Suspended";
        }
        return displayPhase();
    }

    public boolean isCanary() {
        return strategy == Strategy.CANARY || strategy == Strategy.FLAGGER_CANARY;
    }

    public boolean isFlagger() {
        return ref.kind() == WorkloadKind.FLAGGER_CANARY;
    }

    /** "i/n" as the Argo dashboard shows it, empty where the strategy has no steps. */
    public String stepLabel() {
        if (steps.isEmpty() || currentStepIndex == null) {
            return "";
        }
        return Math.min(currentStepIndex, steps.size()) + "/" + steps.size();
    }

    public Optional<Step> currentStep() {
        if (currentStepIndex == null || currentStepIndex < 0 || currentStepIndex >= steps.size()) {
            return Optional.empty();
        }
        return Optional.of(steps.get(currentStepIndex));
    }

    /** True when the canary has a newer revision than stable, i.e. an update is under way. */
    public boolean updateInProgress() {
        return currentPodHash != null && !currentPodHash.equals(stableRS);
    }

    public boolean isPausedByHuman() {
        return specPaused;
    }

    public boolean hasPauseCondition(String reason) {
        return pauseConditions.stream().anyMatch(p -> reason.equals(p.reason()));
    }

    /** Time spent in the current step, or empty when unknown. */
    public Optional<Duration> timeInStep(Instant now) {
        return stepStartedAt == null ? Optional.empty() : Optional.of(Duration.between(stepStartedAt, now));
    }

    /** Time left on a timed pause step: the pause condition's start plus the step duration, minus now. */
    public Optional<Duration> timeLeftOnPause(Instant now) {
        Optional<Step> step = currentStep();
        if (step.isEmpty() || step.get().kind() != StepKind.PAUSE || step.get().pauseDuration() == null) {
            return Optional.empty();
        }
        Instant since = pauseConditions.stream()
                .filter(p -> PauseCondition.CANARY_PAUSE_STEP.equals(p.reason()))
                .map(PauseCondition::startTime).findFirst().orElse(null);
        if (since == null) {
            return Optional.empty();
        }
        Duration left = Duration.between(now, since.plus(step.get().pauseDuration()));
        return Optional.of(left.isNegative() ? Duration.ZERO : left);
    }

    /** The newest analysis run, if any. */
    public Optional<AnalysisRun> latestAnalysis() {
        return analysisRuns.stream().max(java.util.Comparator.comparing(AnalysisRun::startedAt,
                java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder())));
    }

    /** Why this rollout needs a human, or empty when it does not. */
    public Optional<String> attentionReason() {
        if (abort) {
            return Optional.of("aborted: " + displayMessage());
        }
        if (DEGRADED.equals(displayPhase()) || "Failed".equals(phase)) {
            return Optional.of(displayPhase() + ": " + displayMessage());
        }
        Optional<AnalysisRun> latest = latestAnalysis();
        if (latest.isPresent() && (latest.get().phase() == AnalysisPhase.Failed
                || latest.get().phase() == AnalysisPhase.Error)) {
            return Optional.of("analysis " + latest.get().name() + " " + latest.get().phase());
        }
        if (latest.isPresent() && latest.get().phase() == AnalysisPhase.Running) {
            // Warn while the run is still going: the controller aborts only once the failure limit is passed.
            Optional<MetricResult> failing = latest.get().metricResults().stream()
                    .filter(m -> m.failed() > 0).findFirst();
            if (failing.isPresent()) {
                MetricResult m = failing.get();
                return Optional.of("analysis failing: " + m.name() + " failed " + m.failed() + " of " + m.count()
                        + " measurements");
            }
        }
        if (hasPauseCondition(PauseCondition.INCONCLUSIVE_ANALYSIS)) {
            return Optional.of("analysis inconclusive: waiting for a human to promote or abort");
        }
        if (hasPauseCondition(PauseCondition.BLUE_GREEN_PAUSE)) {
            return Optional.of("preview is up: waiting for promotion");
        }
        if (currentStep().map(Step::isIndefinitePause).orElse(false) && !pauseConditions.isEmpty()) {
            return Optional.of("paused at step " + stepLabel() + ": waiting for promotion");
        }
        if (specPaused) {
            return Optional.of("paused by a user");
        }
        if ("WaitingPromotion".equals(phase)) {
            return Optional.of("waiting for promotion gate");
        }
        if (!readProblems.isEmpty()) {
            return Optional.of("could not read: " + String.join("; ", readProblems));
        }
        return Optional.empty();
    }

    public boolean needsAttention() {
        return attentionReason().isPresent();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public static Builder builder(RolloutRef ref, Strategy strategy) {
        return new Builder(ref, strategy);
    }

    /** Mutable builder so adapters and the simulator can derive the next state from the last. */
    public static final class Builder {
        private RolloutRef ref;
        private Strategy strategy;
        private Instant createdAt;
        private long generation = 1;
        private long observedGeneration = 1;
        private List<Step> steps = new ArrayList<>();
        private Integer currentStepIndex;
        private Instant stepStartedAt;
        private int desiredWeight;
        private int actualWeight;
        private String phase = HEALTHY;
        private String message = "";
        private boolean specPaused;
        private boolean controllerPause;
        private List<PauseCondition> pauseConditions = new ArrayList<>();
        private boolean abort;
        private Instant abortedAt;
        private boolean promoteFull;
        private String currentPodHash;
        private String stableRS;
        private int desiredReplicas;
        private int readyReplicas;
        private int updatedReplicas;
        private List<Revision> revisions = new ArrayList<>();
        private List<AnalysisRun> analysisRuns = new ArrayList<>();
        private String activeSelector;
        private String previewSelector;
        private Integer failedChecks;
        private Integer failedChecksThreshold;
        private Integer iterations;
        private boolean suspended;
        private String managedBy;
        private List<String> readProblems = new ArrayList<>();

        private Builder(RolloutRef ref, Strategy strategy) {
            this.ref = ref;
            this.strategy = strategy;
        }

        private Builder(Rollout r) {
            ref = r.ref;
            strategy = r.strategy;
            createdAt = r.createdAt;
            generation = r.generation;
            observedGeneration = r.observedGeneration;
            steps = new ArrayList<>(r.steps);
            currentStepIndex = r.currentStepIndex;
            stepStartedAt = r.stepStartedAt;
            desiredWeight = r.desiredWeight;
            actualWeight = r.actualWeight;
            phase = r.phase;
            message = r.message;
            specPaused = r.specPaused;
            controllerPause = r.controllerPause;
            pauseConditions = new ArrayList<>(r.pauseConditions);
            abort = r.abort;
            abortedAt = r.abortedAt;
            promoteFull = r.promoteFull;
            currentPodHash = r.currentPodHash;
            stableRS = r.stableRS;
            desiredReplicas = r.desiredReplicas;
            readyReplicas = r.readyReplicas;
            updatedReplicas = r.updatedReplicas;
            revisions = new ArrayList<>(r.revisions);
            analysisRuns = new ArrayList<>(r.analysisRuns);
            activeSelector = r.activeSelector;
            previewSelector = r.previewSelector;
            failedChecks = r.failedChecks;
            failedChecksThreshold = r.failedChecksThreshold;
            iterations = r.iterations;
            suspended = r.suspended;
            managedBy = r.managedBy;
            readProblems = new ArrayList<>(r.readProblems);
        }

        public Builder createdAt(Instant v) { createdAt = v; return this; }
        public Builder generation(long v) { generation = v; return this; }
        public Builder observedGeneration(long v) { observedGeneration = v; return this; }
        public Builder steps(List<Step> v) { steps = new ArrayList<>(v); return this; }
        public Builder currentStepIndex(Integer v) { currentStepIndex = v; return this; }
        public Builder stepStartedAt(Instant v) { stepStartedAt = v; return this; }
        public Builder desiredWeight(int v) { desiredWeight = v; return this; }
        public Builder actualWeight(int v) { actualWeight = v; return this; }
        public Builder phase(String v) { phase = v; return this; }
        public Builder message(String v) { message = v; return this; }
        public Builder phase(String p, String m) { phase = p; message = m; return this; }
        public Builder specPaused(boolean v) { specPaused = v; return this; }
        public Builder controllerPause(boolean v) { controllerPause = v; return this; }
        public Builder pauseConditions(List<PauseCondition> v) { pauseConditions = new ArrayList<>(v); return this; }
        public Builder abort(boolean v) { abort = v; return this; }
        public Builder abortedAt(Instant v) { abortedAt = v; return this; }
        public Builder promoteFull(boolean v) { promoteFull = v; return this; }
        public Builder currentPodHash(String v) { currentPodHash = v; return this; }
        public Builder stableRS(String v) { stableRS = v; return this; }
        public Builder desiredReplicas(int v) { desiredReplicas = v; return this; }
        public Builder readyReplicas(int v) { readyReplicas = v; return this; }
        public Builder updatedReplicas(int v) { updatedReplicas = v; return this; }
        public Builder revisions(List<Revision> v) { revisions = new ArrayList<>(v); return this; }
        public Builder analysisRuns(List<AnalysisRun> v) { analysisRuns = new ArrayList<>(v); return this; }
        public Builder activeSelector(String v) { activeSelector = v; return this; }
        public Builder previewSelector(String v) { previewSelector = v; return this; }
        public Builder failedChecks(Integer v) { failedChecks = v; return this; }
        public Builder failedChecksThreshold(Integer v) { failedChecksThreshold = v; return this; }
        public Builder iterations(Integer v) { iterations = v; return this; }
        public Builder suspended(boolean v) { suspended = v; return this; }
        public Builder managedBy(String v) { managedBy = v; return this; }
        public Builder readProblems(List<String> v) { readProblems = new ArrayList<>(v); return this; }

        public Rollout build() {
            return new Rollout(ref, strategy, createdAt, generation, observedGeneration, steps, currentStepIndex,
                    stepStartedAt, desiredWeight, actualWeight, phase, message, specPaused, controllerPause,
                    pauseConditions, abort, abortedAt, promoteFull, currentPodHash, stableRS, desiredReplicas,
                    readyReplicas, updatedReplicas, revisions, analysisRuns, activeSelector, previewSelector,
                    failedChecks, failedChecksThreshold, iterations, suspended, managedBy, readProblems);
        }
    }
}
