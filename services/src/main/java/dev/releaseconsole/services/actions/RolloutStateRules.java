package dev.releaseconsole.services.actions;

import dev.releaseconsole.services.model.AnalysisRun;
import dev.releaseconsole.services.model.Revision;
import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.model.Strategy;

import java.util.List;
import java.util.Optional;

/**
 * Whether a rollout's current state allows an action, following Argo Rollouts' and Flagger's semantics
 * (see shared reference: promote is the resume of a step pause; abort only makes sense during an update; retry
 * only after an abort). ALREADY_DONE makes repeated requests (two clicks, a second kill switch) harmless.
 */
public final class RolloutStateRules {
    private RolloutStateRules() {
    }

    /** Without an input: whether the action could apply at all (for enabling a button before the user picks). */
    public static Verdict check(ActionType action, Rollout r) {
        return check(action, r, ActionInput.NONE);
    }

    public static Verdict check(ActionType action, Rollout r, ActionInput input) {
        if (action == ActionType.UNDO) {
            return checkUndo(r, input);
        }
        if (action == ActionType.TERMINATE_ANALYSIS) {
            return checkTerminate(r, input);
        }
        if (action == ActionType.NUDGE) {
            return r.controllerBehind().map(Verdict::allowed)
                    .orElseGet(() -> Verdict.refused("the controller has caught up with this rollout"));
        }
        return r.isFlagger() ? checkFlagger(action, r) : checkArgo(action, r);
    }

    private static Verdict checkUndo(Rollout r, ActionInput input) {
        if (r.isFlagger()) {
            return Verdict.refused("Flagger rolls back on its own; undo applies to Argo Rollouts");
        }
        List<Revision> older = r.revisions().stream()
                .filter(rev -> !rev.podTemplateHash().equals(r.currentPodHash())).toList();
        if (input.revision() == null) {
            return older.isEmpty() ? Verdict.refused("there is no earlier revision to go back to") : Verdict.allowed();
        }
        long wanted = input.revision();
        Optional<Revision> target = r.revisions().stream().filter(rev -> rev.number() == wanted).findFirst();
        if (target.isEmpty()) {
            return Verdict.refused("revision " + wanted + " is not kept any more (its ReplicaSet is gone)");
        }
        return target.get().podTemplateHash().equals(r.currentPodHash())
                ? Verdict.alreadyDone("revision " + wanted + " is already the current one")
                : Verdict.allowed("changes spec.template back to revision " + wanted);
    }

    private static Verdict checkTerminate(Rollout r, ActionInput input) {
        if (r.isFlagger()) {
            return Verdict.refused("Flagger has no AnalysisRuns; use Promote full to skip its analysis");
        }
        List<AnalysisRun> running = r.analysisRuns().stream()
                .filter(a -> a.phase() == null || !a.phase().isCompleted()).toList();
        if (input.analysisRun() == null) {
            return running.isEmpty() ? Verdict.refused("no analysis is running") : Verdict.allowed();
        }
        Optional<AnalysisRun> run = r.analysisRuns().stream()
                .filter(a -> a.name().equals(input.analysisRun())).findFirst();
        if (run.isEmpty()) {
            return Verdict.refused("analysis run " + input.analysisRun() + " does not belong to this rollout");
        }
        return run.get().phase() != null && run.get().phase().isCompleted()
                ? Verdict.alreadyDone("analysis run " + input.analysisRun() + " has already ended ("
                + run.get().phase().name() + ")")
                : Verdict.allowed();
    }

    private static Verdict checkArgo(ActionType action, Rollout r) {
        boolean updating = r.updateInProgress();
        return switch (action) {
            case PROMOTE -> {
                if (r.abort()) {
                    yield Verdict.refused("the rollout is aborted: retry it before promoting");
                }
                if (!r.pauseConditions().isEmpty() || r.specPaused()) {
                    yield Verdict.allowed();
                }
                if (r.strategy() == Strategy.CANARY && updating && r.currentStepIndex() != null
                        && r.currentStepIndex() < r.steps().size()) {
                    yield Verdict.allowed("skips the current step " + r.stepLabel());
                }
                yield Verdict.refused(updating ? "nothing is waiting for promotion"
                        : "no update in progress: stable is the current revision");
            }
            case PROMOTE_FULL -> {
                if (r.abort()) {
                    yield Verdict.refused("the rollout is aborted: retry it before promoting");
                }
                if (!updating) {
                    yield Verdict.alreadyDone("the current revision is already stable");
                }
                yield r.promoteFull() ? Verdict.alreadyDone("a full promotion is already under way")
                        : Verdict.allowed();
            }
            case PAUSE -> r.specPaused() ? Verdict.alreadyDone("the rollout is already paused")
                    : r.abort() ? Verdict.refused("the rollout is aborted: nothing to pause")
                    : Verdict.allowed();
            case RESUME -> r.specPaused() ? Verdict.allowed()
                    : Verdict.refused(r.pauseConditions().isEmpty() ? "the rollout is not paused"
                    : "paused by a step, not by a user: use Promote to continue");
            case ABORT -> {
                if (r.abort()) {
                    yield Verdict.alreadyDone("the rollout is already aborted");
                }
                yield updating ? Verdict.allowed() : Verdict.refused("no update in progress: nothing to abort");
            }
            case RETRY -> r.abort() ? Verdict.allowed() : Verdict.refused("only an aborted rollout can be retried");
            case RESTART -> Verdict.allowed();
            default -> Verdict.refused(action.label() + " does not apply to a rollout");
        };
    }

    private static Verdict checkFlagger(ActionType action, Rollout r) {
        String phase = r.phase() == null ? "" : r.phase();
        boolean active = switch (phase) {
            case "Progressing", "Waiting", "WaitingPromotion", "Promoting", "Finalising" -> true;
            default -> false;
        };
        return switch (action) {
            case PAUSE -> r.suspended() ? Verdict.alreadyDone("the canary is already suspended") : Verdict.allowed();
            case RESUME -> r.suspended() ? Verdict.allowed() : Verdict.refused("the canary is not suspended");
            case PROMOTE -> "WaitingPromotion".equals(phase) || "Waiting".equals(phase) ? Verdict.allowed()
                    : Verdict.refused("Flagger promotes on its own; nothing is waiting at a gate");
            case PROMOTE_FULL -> active ? Verdict.allowed("sets spec.skipAnalysis: promotes without analysis")
                    : Verdict.refused("no analysis in progress");
            case ABORT -> "Failed".equals(phase) ? Verdict.alreadyDone("the canary has already rolled back")
                    : active ? Verdict.allowed() : Verdict.refused("no analysis in progress: nothing to roll back");
            case RETRY -> "Failed".equals(phase) ? Verdict.allowed()
                    : Verdict.refused("only a failed canary can be retried");
            case RESTART -> Verdict.refused("Flagger restarts through its target Deployment, not the Canary");
            default -> Verdict.refused(action.label() + " does not apply to a rollout");
        };
    }

    /** Whether {@code after}, read back from the source, shows that {@code action} took effect on {@code before}. */
    public static boolean confirms(ActionType action, Rollout before, Rollout after) {
        return confirms(action, ActionInput.NONE, before, after);
    }

    public static boolean confirms(ActionType action, ActionInput input, Rollout before, Rollout after) {
        if (action == ActionType.UNDO) {
            // The API server bumps the generation as soon as spec.template changes; the controller follows later.
            return after.generation() > before.generation();
        }
        if (action == ActionType.NUDGE) {
            // Only the controller catching up shows that the nudge worked; an accepted annotation does not.
            return after.controllerBehind().isEmpty();
        }
        if (action == ActionType.TERMINATE_ANALYSIS) {
            return after.analysisRuns().stream().filter(a -> a.name().equals(input.analysisRun()))
                    .allMatch(a -> a.phase() != null && a.phase().isCompleted());
        }
        if (after.isFlagger()) {
            return switch (action) {
                case PAUSE -> after.suspended();
                case RESUME -> !after.suspended();
                case ABORT -> "Failed".equals(after.phase()) || after.abort();
                case RETRY -> !"Failed".equals(after.phase());
                default -> !after.equals(before);
            };
        }
        return switch (action) {
            case ABORT -> after.abort();
            case RETRY -> !after.abort();
            case PAUSE -> after.specPaused();
            case RESUME -> !after.specPaused();
            case PROMOTE -> !after.specPaused() && (after.pauseConditions().isEmpty()
                    || stepOf(after) > stepOf(before)
                    || !after.pauseConditions().equals(before.pauseConditions())
                    || !after.updateInProgress());
            case PROMOTE_FULL -> after.promoteFull() || !after.updateInProgress();
            case RESTART -> true;
            default -> false;
        };
    }

    private static int stepOf(Rollout r) {
        return r.currentStepIndex() == null ? -1 : r.currentStepIndex();
    }
}
