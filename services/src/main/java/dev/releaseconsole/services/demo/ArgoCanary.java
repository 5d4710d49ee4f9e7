package dev.releaseconsole.services.demo;

import dev.releaseconsole.services.actions.ActionException;
import dev.releaseconsole.services.model.AnalysisPhase;
import dev.releaseconsole.services.model.PauseCondition;
import dev.releaseconsole.services.model.Revision;
import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.model.Step;
import dev.releaseconsole.services.model.StepKind;
import dev.releaseconsole.services.model.Strategy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;

/**
 * An Argo canary with traffic routing (rollout/canary.go): the canary ReplicaSet is scaled to the step's weight,
 * the weight is shifted once its pods are ready, and steps advance on weight reached, pause expiry or a human
 * promote, and analysis success. A failed step analysis aborts; an inconclusive one pauses for a human.
 */
final class ArgoCanary extends ArgoRollout {
    /** Pods that become ready per simulated second. */
    private static final int PODS_READY_PER_SECOND = 2;
    private static final int ANALYSIS_RUNS_KEPT = 5;

    private final List<Step> steps;
    private final AnalysisTemplate template;
    private int stepIndex;
    private Instant stepStartedAt;
    /** Traffic weight of the canary as the router has it (status.canary.weights.canary.weight). */
    private int actualWeight;
    private int canaryReady;
    private SimulatedAnalysis runningAnalysis;
    private final Deque<SimulatedAnalysis> analyses = new ArrayDeque<>();

    /** The template its analysis steps run, and at which step indices. */
    AnalysisTemplate template() {
        return template;
    }

    List<Step> steps() {
        return steps;
    }

    ArgoCanary(Workload workload, SplittableRandom random, Release stable, List<Step> steps,
               AnalysisTemplate template) {
        super(workload, random, stable);
        this.steps = List.copyOf(steps);
        this.template = template;
        this.stepIndex = steps.size();
    }

    /**
     * For the initial scene: the update to {@code next} began at {@code updateStarted} and reached {@code index} at
     * {@code stepStarted}, with the weight shifted and pods ready. A pause step holds its pause condition; an
     * analysis step has a run that began when the step did (measurements are filled in by {@link #catchUp}).
     */
    void sceneAtStep(Release next, Instant updateStarted, int index, Instant stepStarted) {
        beginUpdate(next, updateStarted);
        stepIndex = index;
        stepStartedAt = stepStarted;
        actualWeight = desiredWeight();
        canaryReady = canaryPods();
        if (index > 0) {
            event(stepStarted, "RolloutStepCompleted", stepCompletedMessage(index - 1));
        }
        Step step = steps.get(index);
        if (step.kind() == StepKind.PAUSE) {
            addPauseCondition(PauseCondition.CANARY_PAUSE_STEP, stepStarted);
        } else if (step.kind() == StepKind.ANALYSIS) {
            startAnalysis(stepStarted);
        }
    }

    /** For the initial scene: a user paused the rollout with spec.paused at {@code since}. */
    void scenePausedByUser(Instant since) {
        specPaused = true;
        event(since, "RolloutPaused", "Rollout is paused");
    }

    /** Replays the analysis that began before the world's start against the metric history, second by second. */
    @Override
    void catchUp(Instant now) {
        if (runningAnalysis == null) {
            return;
        }
        for (Instant t = runningAnalysis.startedAt(); !t.isAfter(now); t = t.plusSeconds(1)) {
            if (runningAnalysis != null) {
                runningAnalysis.measureIfDue(t, traffic);
            }
            reconcile(t);
        }
    }

    @Override
    protected void advance(Instant now) {
        scaleCanary();
        shiftTraffic(now);
        restartOnePod();
        if (runningAnalysis != null) {
            runningAnalysis.measureIfDue(now, traffic);
        }
        reconcile(now);
    }

    @Override
    protected void onReleaseStarted(Instant now) {
        moveToStep(now, 0);
        actualWeight = 0;
        canaryReady = 0;
    }

    @Override
    protected void reconcileStrategy(Instant now) {
        if (!updating()) {
            return;
        }
        if (promoteFull || stepIndex >= steps.size()) {
            complete(now);
            return;
        }
        if (specPaused) {
            return; // steps cannot complete while a user holds the rollout
        }
        Step step = steps.get(stepIndex);
        switch (step.kind()) {
            case SET_WEIGHT -> {
                if (actualWeight == step.weight()) {
                    completeStep(now);
                }
            }
            case PAUSE -> reconcilePause(now, step.pauseDuration());
            case ANALYSIS -> reconcileAnalysis(now);
            default -> throw new IllegalStateException("the demo does not simulate " + step.kind() + " steps");
        }
    }

    private void reconcilePause(Instant now, Duration duration) {
        PauseCondition condition = pauseConditions.stream()
                .filter(p -> p.reason().equals(PauseCondition.CANARY_PAUSE_STEP)).findFirst().orElse(null);
        if (condition == null && controllerPause) {
            // controllerPause without its condition: a human promoted (reference: "Controller rules")
            controllerPause = false;
            completeStep(now);
        } else if (condition == null) {
            addPauseCondition(PauseCondition.CANARY_PAUSE_STEP, now);
        } else if (duration != null && !now.isBefore(condition.startTime().plus(duration))) {
            pauseConditions.remove(condition);
            controllerPause = false;
            completeStep(now);
        }
    }

    private void reconcileAnalysis(Instant now) {
        if (runningAnalysis == null) {
            startAnalysis(now);
            return;
        }
        AnalysisPhase result = runningAnalysis.phase();
        if (result == AnalysisPhase.Successful) {
            event(now, "AnalysisRunSuccessful", "Analysis Completed. Result: Successful");
            completeStep(now);
        } else if (result == AnalysisPhase.Failed || result == AnalysisPhase.Error) {
            String why = runningAnalysis.message();
            event(now, "AnalysisRunFailed", "AnalysisRun '" + runningAnalysis.toRun().name() + "' failed: " + why);
            abortByController(now, why);
        } else if (result == AnalysisPhase.Inconclusive && !controllerPause) {
            event(now, "AnalysisRunInconclusive", "Analysis Completed. Result: Inconclusive");
            addPauseCondition(PauseCondition.INCONCLUSIVE_ANALYSIS, now);
        }
    }

    @Override
    protected List<String> promote(Instant now) {
        List<String> sent = new ArrayList<>();
        int next = Math.min(stepIndex + 1, steps.size());
        if (hasPauseCondition(PauseCondition.INCONCLUSIVE_ANALYSIS) && controllerPause) {
            pauseConditions.clear();
            controllerPause = false;
            moveToStep(now, next);
            sent.add(PATCH_STATUS + "{\"status\":{\"pauseConditions\":null,\"controllerPause\":false,"
                    + "\"currentStepIndex\":" + next + "}}");
        } else if (!pauseConditions.isEmpty()) {
            pauseConditions.clear();
            sent.add(PATCH_STATUS + "{\"status\":{\"pauseConditions\":null}}");
        } else {
            moveToStep(now, next);
            sent.add(PATCH_STATUS + "{\"status\":{\"pauseConditions\":null,\"currentStepIndex\":" + next + "}}");
        }
        if (specPaused) {
            sent.add(unpause());
        }
        return sent;
    }

    @Override
    protected void onAbort(Instant now) {
        moveToStep(now, 0);
        setActualWeight(now, 0);
        canaryReady = 0;
    }

    @Override
    protected void dropUpdate(Instant now) {
        moveToStep(now, 0);
        setActualWeight(now, 0);
        canaryReady = 0;
    }

    @Override
    protected void terminateAnalysis(String runName, Instant now) throws ActionException {
        SimulatedAnalysis run = analyses.stream().filter(a -> a.toRun().name().equals(runName)).findFirst()
                .orElseThrow(() -> new ActionException(ActionException.Reason.NOT_FOUND,
                        "no analysis run " + runName));
        run.terminate(now);
    }

    @Override
    protected void onRetry(Instant now) {
        stepStartedAt = now;
    }

    @Override
    protected int canaryTrafficWeight() {
        return updating() ? actualWeight : 0;
    }

    @Override
    protected int eventStepIndex() {
        return stepIndex;
    }

    @Override
    protected int updatedReplicas() {
        return updating() ? canaryPods() : replicas();
    }

    @Override
    protected int availableUpdatedReplicas() {
        return updating() ? canaryReady : replicas() - podsRestarting();
    }

    @Override
    protected String pendingMessage() {
        return updating() ? "waiting for all steps to complete" : null;
    }

    @Override
    protected Strategy strategy() {
        return Strategy.CANARY;
    }

    @Override
    Rollout snapshot() {
        List<Revision> revisions = new ArrayList<>();
        if (updating()) {
            revisions.add(revision(current, "canary", canaryPods(), canaryReady));
        }
        revisions.add(revision(stable, "stable", replicas(), replicas() - podsRestarting()));
        revisions.addAll(retiredRevisions());
        return argoSnapshot()
                .steps(steps)
                .currentStepIndex(stepIndex)
                .stepStartedAt(stepStartedAt)
                .desiredWeight(updating() ? desiredWeight() : 100)
                .actualWeight(updating() ? actualWeight : 100)
                .readyReplicas(replicas() - podsRestarting() + (updating() ? canaryReady : 0))
                .revisions(revisions)
                .analysisRuns(analyses.stream().map(SimulatedAnalysis::toRun).toList())
                .build();
    }

    /** Argo's GetCurrentSetWeight: the last setWeight at or before the current step; 0 while aborted. */
    private int desiredWeight() {
        if (abort) {
            return 0;
        }
        if (stepIndex >= steps.size()) {
            return 100;
        }
        for (int i = stepIndex; i >= 0; i--) {
            if (steps.get(i).kind() == StepKind.SET_WEIGHT) {
                return steps.get(i).weight();
            }
        }
        return 0;
    }

    /** The canary ReplicaSet's size: its share of the replicas at the desired weight, rounded up. */
    private int canaryPods() {
        return (int) Math.ceil(replicas() * desiredWeight() / 100.0);
    }

    private void scaleCanary() {
        int target = updating() ? canaryPods() : 0;
        canaryReady = canaryReady >= target ? target : Math.min(target, canaryReady + PODS_READY_PER_SECOND);
    }

    /** With traffic routing the weight moves once the canary's pods can take it; it drops at once. */
    private void shiftTraffic(Instant now) {
        int desired = updating() ? desiredWeight() : 0;
        if (desired != actualWeight && (desired < actualWeight || canaryReady >= canaryPods())) {
            setActualWeight(now, desired);
        }
    }

    private void setActualWeight(Instant now, int weight) {
        if (weight != actualWeight) {
            int from = actualWeight;
            actualWeight = weight;
            event(now, "TrafficWeightUpdated", "Traffic weight updated from " + from + " to " + weight);
        }
    }

    private void startAnalysis(Instant now) {
        runningAnalysis = new SimulatedAnalysis(ref().name(), current, stepIndex, template, now);
        analyses.addLast(runningAnalysis);
        while (analyses.size() > ANALYSIS_RUNS_KEPT) {
            analyses.removeFirst();
        }
    }

    private void completeStep(Instant now) {
        int completed = stepIndex;
        moveToStep(now, completed + 1);
        event(now, "RolloutStepCompleted", stepCompletedMessage(completed));
    }

    /** Leaving a step ends its analysis run (Argo terminates it) and restarts the step clock. */
    private void moveToStep(Instant now, int index) {
        if (runningAnalysis != null) {
            runningAnalysis.terminate(now);
            runningAnalysis = null;
        }
        stepIndex = index;
        stepStartedAt = now;
    }

    private void complete(Instant now) {
        moveToStep(now, steps.size());
        promoteFull = false;
        actualWeight = 0;
        canaryReady = 0;
        event(now, "RolloutCompleted", "Rollout completed update to revision " + current.revision() + " ("
                + current.podHash() + "): Rollout is healthy");
        promoteCurrentToStable(now);
    }

    /** RolloutStepCompletedMessage with CanaryStepString: "Rollout step 2/7 completed (setWeight: 25)". */
    private String stepCompletedMessage(int completedIndex) {
        Step step = steps.get(completedIndex);
        String text = switch (step.kind()) {
            case SET_WEIGHT -> "setWeight: " + step.weight();
            case PAUSE -> step.pauseDuration() == null ? "pause" : "pause: " + goDuration(step.pauseDuration());
            case ANALYSIS -> "analysis";
            default -> step.kind().name();
        };
        return "Rollout step " + (completedIndex + 1) + "/" + steps.size() + " completed (" + text + ")";
    }

    /** Go's time.Duration.String() for whole seconds: 2m0s, 1h0m0s, 45s. */
    private static String goDuration(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return s + "s";
        }
        String minutes = (s % 3600) / 60 + "m" + s % 60 + "s";
        return s >= 3600 ? s / 3600 + "h" + minutes : minutes;
    }
}
