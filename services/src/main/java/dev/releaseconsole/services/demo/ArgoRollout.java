package dev.releaseconsole.services.demo;

import dev.releaseconsole.services.actions.ActionException;
import dev.releaseconsole.services.actions.ActionInput;
import dev.releaseconsole.services.actions.ActionType;
import dev.releaseconsole.services.model.PauseCondition;
import dev.releaseconsole.services.model.Rollout;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What Argo Rollouts does the same way for canary and blue-green: spec.paused, status.abort and retry, restartAt,
 * pause conditions with controllerPause, promoteFull, and the phase/message of CalculateRolloutPhase
 * (utils/rollout/rolloututil.go). The requests are the kubectl plugin's patches (reference: argo-rollouts.md).
 */
abstract class ArgoRollout extends SimulatedRollout {
    static final String PATCH_MAIN = "PATCH rollouts ";
    static final String PATCH_STATUS = "PATCH rollouts/status ";
    static final String UNPAUSE = PATCH_MAIN + "{\"spec\":{\"paused\":false}}";

    protected boolean specPaused;
    protected boolean controllerPause;
    protected final List<PauseCondition> pauseConditions = new ArrayList<>();
    protected boolean abort;
    protected boolean promoteFull;
    private Instant abortedAt;
    private String abortDetail;
    private Instant restartAt;
    private Instant restartedAt;
    private int podsLeftToRestart;

    protected ArgoRollout(Workload workload, SplittableRandom random, Release stable) {
        super(workload, random, stable);
    }

    @Override
    final String perform(ActionType action, ActionInput input, Instant now) throws ActionException {
        String sent = switch (action) {
            case PAUSE -> {
                specPaused = true;
                generation++;
                yield PATCH_MAIN + "{\"spec\":{\"paused\":true}}";
            }
            case RESUME -> {
                specPaused = false;
                generation++;
                yield UNPAUSE;
            }
            case PROMOTE -> String.join("; ", promote(now));
            case PROMOTE_FULL -> {
                promoteFull = true;
                String full = PATCH_STATUS + "{\"status\":{\"promoteFull\":true}}";
                yield specPaused ? full + "; " + unpause() : full;
            }
            case ABORT -> {
                abort = true;
                yield PATCH_STATUS + "{\"status\":{\"abort\":true}}";
            }
            case RETRY -> {
                abort = false;
                yield PATCH_STATUS + "{\"status\":{\"abort\":false}}";
            }
            case RESTART -> {
                restartAt = now.truncatedTo(ChronoUnit.SECONDS);
                generation++;
                yield PATCH_MAIN + "{\"spec\":{\"restartAt\":\""
                        + DateTimeFormatter.ISO_INSTANT.format(restartAt) + "\"}}";
            }
            case UNDO -> {
                undoTo(input.revision(), now);
                abort = false;
                yield PATCH_MAIN + "(JSON patch) replace /spec/template with the template of revision "
                        + input.revision();
            }
            case TERMINATE_ANALYSIS -> {
                terminateAnalysis(input.analysisRun(), now);
                yield "PATCH analysisruns/" + input.analysisRun() + " {\"spec\":{\"terminate\":true}}";
            }
            // The simulated controller reconciles right below, so a nudge only records the annotation.
            case NUDGE -> PATCH_MAIN + "{\"metadata\":{\"annotations\":{\"release-console.dev/nudged-at\":\""
                    + DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS)) + "\"}}}";
            default -> throw new ActionException(ActionException.Reason.INVALID,
                    action.label() + " does not apply to an Argo rollout");
        };
        reconcile(now);
        switch (action) {
            case PAUSE -> event(now, "RolloutPaused", "Rollout is paused");
            case RESUME -> event(now, "RolloutResumed", "Rollout is resumed");
            case PROMOTE, PROMOTE_FULL -> event(now, "RolloutPromoted", action.label() + " requested by a user");
            default -> {
                // abort, retry and restart are reported by the controller's own events
            }
        }
        return sent;
    }

    /** The status (and spec) patches of `kubectl argo rollouts promote`, applied to this rollout. */
    protected abstract List<String> promote(Instant now);

    /** Strategy-specific reconcile when the rollout is neither aborted nor just retried. */
    protected abstract void reconcileStrategy(Instant now);

    protected abstract void onAbort(Instant now);

    /** Ends a running analysis run as the controller does on {@code spec.terminate}: Successful, "Run Terminated". */
    protected void terminateAnalysis(String runName, Instant now) throws ActionException {
        throw new ActionException(ActionException.Reason.NOT_FOUND, "no analysis run " + runName + " is running");
    }

    protected abstract void onRetry(Instant now);

    /** Pods of the current revision, and how many of them are available. */
    protected abstract int updatedReplicas();

    protected abstract int availableUpdatedReplicas();

    /** The strategy's own "not done yet" message, or null when fully promoted. */
    protected abstract String pendingMessage();

    /** spec.paused=false as the plugin sends it, applied here. */
    protected final String unpause() {
        specPaused = false;
        generation++;
        return UNPAUSE;
    }

    /** The controller's reaction to the current spec and status; also called right after every request. */
    protected final void reconcile(Instant now) {
        observedGeneration = generation;
        if (restartAt != null && podsLeftToRestart == 0 && !restartAt.equals(restartedAt)) {
            podsLeftToRestart = replicas();
            event(now, "RolloutRestarted", "Restarting pods of revision " + stable.revision()
                    + " (restartAt " + DateTimeFormatter.ISO_INSTANT.format(restartAt) + ")");
        }
        if (abort) {
            if (abortedAt == null) {
                applyAbort(now);
            }
            return;
        }
        if (abortedAt != null) {
            abortedAt = null;
            abortDetail = null;
            onRetry(now);
            event(now, "RolloutRetry", "Retrying Rollout after abort");
        }
        reconcileStrategy(now);
    }

    /** Restarted pods come back one per simulated second. */
    protected final void restartOnePod() {
        if (podsLeftToRestart > 0 && --podsLeftToRestart == 0) {
            restartedAt = restartAt;
        }
    }

    protected final boolean restarting() {
        return restartAt != null && !restartAt.equals(restartedAt);
    }

    /** How many pods are down for a restart right now. */
    protected final int podsRestarting() {
        return podsLeftToRestart > 0 ? 1 : 0;
    }

    /** The controller aborts by itself, e.g. when a step analysis failed. */
    protected final void abortByController(Instant now, String detail) {
        abort = true;
        abortDetail = detail;
        applyAbort(now);
    }

    private void applyAbort(Instant now) {
        abortedAt = now;
        pauseConditions.clear();
        controllerPause = false;
        onAbort(now);
        event(now, "RolloutAborted", abortMessage());
    }

    private String abortMessage() {
        String message = "Rollout aborted update to revision " + current.revision();
        return abortDetail == null ? message : message + ": " + abortDetail;
    }

    protected final boolean hasPauseCondition(String reason) {
        return pauseConditions.stream().anyMatch(p -> p.reason().equals(reason));
    }

    protected final void addPauseCondition(String reason, Instant now) {
        pauseConditions.add(new PauseCondition(reason, now));
        controllerPause = true;
        event(now, "RolloutPaused", "Rollout is paused (" + reason + ")");
    }

    /** Common status fields plus the phase and message CalculateRolloutPhase would compute. */
    protected final Rollout.Builder argoSnapshot() {
        return baseSnapshot()
                .specPaused(specPaused)
                .controllerPause(controllerPause)
                .pauseConditions(pauseConditions)
                .abort(abort)
                .abortedAt(abortedAt)
                .promoteFull(promoteFull)
                .updatedReplicas(updatedReplicas())
                .phase(phase(), phaseMessage());
    }

    private String phase() {
        if (abort) {
            return Rollout.DEGRADED;
        }
        if (specPaused || !pauseConditions.isEmpty()) {
            return Rollout.PAUSED;
        }
        return progressingMessage() == null ? Rollout.HEALTHY : Rollout.PROGRESSING;
    }

    private String phaseMessage() {
        if (abort) {
            return "RolloutAborted: " + abortMessage();
        }
        if (specPaused) {
            return "manually paused";
        }
        if (!pauseConditions.isEmpty()) {
            return pauseConditions.get(0).reason();
        }
        String progressing = progressingMessage();
        return progressing == null ? "" : progressing;
    }

    private String progressingMessage() {
        if (restarting()) {
            return "rollout is restarting";
        }
        if (updatedReplicas() < replicas()) {
            return "more replicas need to be updated";
        }
        if (availableUpdatedReplicas() < updatedReplicas()) {
            return "updated replicas are still becoming available";
        }
        return pendingMessage();
    }
}
