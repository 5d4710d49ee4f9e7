package dev.releaseconsole.services.kube;

import dev.releaseconsole.services.model.AnalysisPhase;
import dev.releaseconsole.services.model.AnalysisRun;
import dev.releaseconsole.services.model.PauseCondition;
import dev.releaseconsole.services.model.Revision;
import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.model.RolloutEvent;
import dev.releaseconsole.services.model.Step;
import dev.releaseconsole.services.model.Strategy;
import dev.releaseconsole.services.model.WorkloadKind;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The events a watch derives from two successive snapshots of one rollout, named as the demo world names them (and
 * as the Argo controller and Flagger name their Kubernetes events) so chart markers and the history read the same:
 * RolloutUpdated, RolloutStepCompleted, TrafficWeightUpdated, RolloutPaused, RolloutResumed, RolloutAborted,
 * RolloutRetry, RolloutCompleted, RolloutDegraded, AnalysisRunRunning/Successful/Failed/Inconclusive; for Flagger
 * the phase names, RolledBack, WeightAdvanced, CheckFailed, Suspended and Resumed. The first snapshot of a rollout
 * yields no events: nothing was observed to change.
 */
final class RolloutEvents {
    private RolloutEvents() {
    }

    static List<RolloutEvent> diff(Rollout previous, Rollout current, Instant now) {
        if (previous == null || current == null) {
            return List.of();
        }
        return current.ref().kind() == WorkloadKind.FLAGGER_CANARY
                ? flagger(previous, current, now) : argo(previous, current, now);
    }

    private static List<RolloutEvent> argo(Rollout p, Rollout r, Instant now) {
        List<RolloutEvent> out = new ArrayList<>();
        int stepIndex = r.currentStepIndex() == null ? -1 : r.currentStepIndex();
        int weight = r.strategy() == Strategy.CANARY && r.updateInProgress() ? r.actualWeight() : 0;
        boolean samePod = Objects.equals(p.currentPodHash(), r.currentPodHash());

        if (!samePod && r.updateInProgress()) {
            out.add(event(r, now, "RolloutUpdated", "Rollout updated to revision " + describeRevision(r),
                    stepIndex, weight));
        }
        analysis(p, r, now, stepIndex, weight, out);
        if (samePod && !p.abort() && !r.abort() && p.currentStepIndex() != null && r.currentStepIndex() != null
                && !p.currentStepIndex().equals(r.currentStepIndex())) {
            int from = p.currentStepIndex();
            int to = r.currentStepIndex();
            int n = r.steps().size();
            if (to > from) {
                for (int k = Math.max(0, from); k < Math.min(to, n); k++) {
                    out.add(event(r, now, "RolloutStepCompleted", "Rollout step " + (k + 1) + "/" + n
                            + " completed (" + stepText(r.steps().get(k)) + ")", stepIndex, weight));
                }
            } else {
                out.add(event(r, now, "RolloutStepChanged", "Rollout moved from step " + from + "/" + n
                        + " back to step " + to + "/" + n, stepIndex, weight));
            }
        }
        if (r.strategy() == Strategy.CANARY && samePod && p.updateInProgress() && r.updateInProgress()
                && p.actualWeight() != r.actualWeight()) {
            out.add(event(r, now, "TrafficWeightUpdated", "Traffic weight updated from " + p.actualWeight()
                    + " to " + r.actualWeight(), stepIndex, weight));
        }
        if (!p.abort() && r.abort()) {
            String m = r.message() == null || r.message().isEmpty()
                    ? "Rollout aborted update to revision " + revisionNumber(r)
                    : r.message().replaceFirst("^RolloutAborted: ", "");
            out.add(event(r, now, "RolloutAborted", m, stepIndex, weight));
        } else if (p.abort() && !r.abort() && samePod) {
            out.add(event(r, now, "RolloutRetry", "Retrying Rollout after abort", stepIndex, weight));
        }
        String pd = p.displayPhase();
        String rd = r.displayPhase();
        if (!pd.equals(rd)) {
            if (Rollout.PAUSED.equals(rd)) {
                String reasons = r.pauseConditions().stream().map(PauseCondition::reason)
                        .collect(Collectors.joining(", "));
                out.add(event(r, now, "RolloutPaused", reasons.isEmpty() ? "Rollout is paused"
                        : "Rollout is paused (" + reasons + ")", stepIndex, weight));
            } else if (Rollout.PAUSED.equals(pd) && Rollout.PROGRESSING.equals(rd)) {
                out.add(event(r, now, "RolloutResumed", "Rollout is resumed", stepIndex, weight));
            }
            if (Rollout.HEALTHY.equals(rd) && !r.updateInProgress() && (p.updateInProgress() || !samePod)) {
                out.add(event(r, now, "RolloutCompleted", "Rollout completed update to revision "
                        + revisionNumber(r) + " (" + nz(r.currentPodHash()) + "): Rollout is healthy", stepIndex, 0));
            } else if (Rollout.DEGRADED.equals(rd) && !r.abort()) {
                out.add(event(r, now, "RolloutDegraded", r.displayMessage(), stepIndex, weight));
            }
        }
        return out;
    }

    private static void analysis(Rollout p, Rollout r, Instant now, int stepIndex, int weight,
                                 List<RolloutEvent> out) {
        Map<String, AnalysisPhase> before = new HashMap<>();
        p.analysisRuns().forEach(a -> before.put(a.name(), a.phase()));
        for (AnalysisRun run : r.analysisRuns()) {
            AnalysisPhase was = before.get(run.name());
            AnalysisPhase is = run.phase();
            if (is == null || is == was || (!before.containsKey(run.name()) && is == AnalysisPhase.Pending)) {
                continue;
            }
            switch (is) {
                case Running:
                    out.add(event(r, now, "AnalysisRunRunning", "AnalysisRun '" + run.name() + "' is running",
                            stepIndex, weight));
                    break;
                case Successful:
                    out.add(event(r, now, "AnalysisRunSuccessful", "Analysis Completed. Result: Successful",
                            stepIndex, weight));
                    break;
                case Failed:
                case Error:
                    out.add(event(r, now, "AnalysisRunFailed", "AnalysisRun '" + run.name() + "' "
                            + (is == AnalysisPhase.Error ? "ended in Error" : "failed")
                            + (run.message() == null || run.message().isEmpty() ? "" : ": " + run.message()),
                            stepIndex, weight));
                    break;
                case Inconclusive:
                    out.add(event(r, now, "AnalysisRunInconclusive", "Analysis Completed. Result: Inconclusive",
                            stepIndex, weight));
                    break;
                default:
                    break;
            }
        }
    }

    private static List<RolloutEvent> flagger(Rollout p, Rollout r, Instant now) {
        List<RolloutEvent> out = new ArrayList<>();
        int weight = r.updateInProgress() ? r.actualWeight() : 0;
        String target = r.ref().name() + "." + r.ref().namespace();
        boolean samePod = Objects.equals(p.currentPodHash(), r.currentPodHash());
        if (p.suspended() != r.suspended()) {
            out.add(event(r, now, r.suspended() ? "Suspended" : "Resumed", "spec.suspend set to " + r.suspended(),
                    -1, weight));
        }
        if (r.failedChecks() != null && r.failedChecks() > (p.failedChecks() == null ? 0 : p.failedChecks())
                && !"Failed".equals(r.phase())) {
            out.add(event(r, now, "CheckFailed", "Halt " + target + " advancement: failed checks "
                    + r.failedChecks(), -1, weight));
        }
        if (!Objects.equals(p.phase(), r.phase())) {
            String phase = r.phase();
            if ("Failed".equals(phase)) {
                out.add(event(r, now, "RolledBack", r.message().isEmpty() ? "Rolling back " + target
                        : r.message(), -1, 0));
            } else if ("Progressing".equals(phase) && !samePod) {
                out.add(event(r, now, phase, "New revision detected! Scaling up " + target, -1, weight));
            } else {
                out.add(event(r, now, phase, r.message(), -1, weight));
            }
        }
        if ("Progressing".equals(r.phase()) && samePod && r.actualWeight() > p.actualWeight()) {
            out.add(event(r, now, "WeightAdvanced", "Advance " + target + " canary weight " + r.actualWeight(),
                    -1, weight));
        }
        return out;
    }

    private static RolloutEvent event(Rollout r, Instant now, String reason, String message, int stepIndex,
                                      int weight) {
        return new RolloutEvent(r.ref(), now, reason, message == null ? "" : message, stepIndex, weight);
    }

    /** CanaryStepString: "setWeight: 25", "pause", "pause: 2m0s", "analysis", ... */
    static String stepText(Step s) {
        switch (s.kind()) {
            case SET_WEIGHT:
                return "setWeight: " + s.weight();
            case PAUSE:
                Duration d = s.pauseDuration();
                return d == null ? "pause" : "pause: " + GoDuration.format(d);
            case ANALYSIS:
                return "analysis";
            case EXPERIMENT:
                return "experiment";
            case SET_CANARY_SCALE:
                return "setCanaryScale";
            default:
                return "step";
        }
    }

    private static String describeRevision(Rollout r) {
        for (Revision rev : r.revisions()) {
            if (r.currentPodHash() != null && r.currentPodHash().equals(rev.podTemplateHash())) {
                return rev.number() + (rev.images().isEmpty() ? "" : " (" + String.join(", ", rev.images()) + ")");
            }
        }
        return nz(r.currentPodHash());
    }

    private static String revisionNumber(Rollout r) {
        for (Revision rev : r.revisions()) {
            if (r.currentPodHash() != null && r.currentPodHash().equals(rev.podTemplateHash())) {
                return String.valueOf(rev.number());
            }
        }
        return "?";
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
