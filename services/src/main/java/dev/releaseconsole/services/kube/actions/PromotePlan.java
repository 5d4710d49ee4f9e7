package dev.releaseconsole.services.kube.actions;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What {@code kubectl argo rollouts promote} (v1.9, pkg/kubectl-argo-rollouts/cmd/promote/promote.go getPatches)
 * sends for a Rollout as the API server last returned it: a status patch, a main (spec) patch, both, or nothing.
 * The status patch goes first; {@code why} says which case applied.
 */
record PromotePlan(String statusBody, String specBody, boolean statusIdempotent, String why) {
    static final String UNPAUSE = "{\"spec\":{\"paused\":false}}";
    static final String CLEAR_PAUSE_CONDITIONS = "{\"status\":{\"pauseConditions\":null}}";
    static final String SKIP_STEP = "{\"status\":{\"pauseConditions\":null,\"currentStepIndex\":%d}}";
    static final String SKIP_INCONCLUSIVE =
            "{\"status\":{\"pauseConditions\":null,\"controllerPause\":false,\"currentStepIndex\":%d}}";
    static final String PROMOTE_FULL = "{\"status\":{\"promoteFull\":true}}";

    boolean nothing() {
        return statusBody == null && specBody == null;
    }

    static PromotePlan promote(JsonNode ro) {
        JsonNode spec = ro.path("spec");
        JsonNode status = ro.path("status");
        boolean paused = spec.path("paused").asBoolean(false);
        JsonNode canary = spec.path("strategy").path("canary");
        boolean isCanary = canary.isObject();
        int steps = isCanary && canary.path("steps").isArray() ? canary.path("steps").size() : 0;
        int pauseConditions = status.path("pauseConditions").isArray() ? status.path("pauseConditions").size() : 0;
        boolean controllerPause = status.path("controllerPause").asBoolean(false);
        boolean inconclusive = isCanary && "Inconclusive".equals(
                status.path("canary").path("currentStepAnalysisRunStatus").path("status").asText(null));
        String specBody = paused ? UNPAUSE : null;
        String pausedNote = paused ? "; spec.paused is set, so it is unpaused too" : "";

        if (inconclusive && pauseConditions > 0 && controllerPause) {
            // GetCurrentCanaryStep is nil without steps: then kubectl sends no status patch in this case.
            if (steps > 0) {
                int next = nextStep(status, steps);
                return new PromotePlan(String.format(SKIP_INCONCLUSIVE, next), specBody, false,
                        "the current step's analysis is Inconclusive and the controller paused: clear the pause and "
                                + "controllerPause and go on to step " + next + "/" + steps + pausedNote);
            }
            return new PromotePlan(null, specBody, false, "Inconclusive without canary steps" + pausedNote);
        }
        if (pauseConditions > 0) {
            return new PromotePlan(CLEAR_PAUSE_CONDITIONS, specBody, false,
                    "clear the pause condition" + (pauseConditions > 1 ? "s" : "") + pausedNote);
        }
        if (steps > 0) {
            int next = nextStep(status, steps);
            return new PromotePlan(String.format(SKIP_STEP, next), specBody, false,
                    "no pause condition: skip the running step, go to step " + next + "/" + steps + pausedNote);
        }
        if (paused) {
            return new PromotePlan(null, specBody, true, "unpause (spec.paused)");
        }
        return new PromotePlan(null, null, true, (isCanary ? "a canary without steps" : "a blue-green rollout")
                + " with no pause condition that is not paused: there is nothing to promote");
    }

    static PromotePlan promoteFull(JsonNode ro) {
        boolean paused = ro.path("spec").path("paused").asBoolean(false);
        String current = ro.path("status").path("currentPodHash").asText("");
        String stable = ro.path("status").path("stableRS").asText("");
        String statusBody = current.equals(stable) ? null : PROMOTE_FULL;
        String specBody = paused ? UNPAUSE : null;
        String why = statusBody == null ? (paused ? "the current revision is already stable; unpause only"
                : "the current revision is already stable: there is nothing to promote")
                : "skip remaining steps, pauses and analysis" + (paused ? "; unpause too" : "");
        return new PromotePlan(statusBody, specBody, true, why);
    }

    /**
     * The state a promote decision rests on. If it is unchanged after a 409, the same decision is still right;
     * otherwise the rollout moved on and the decision must not be re-sent.
     */
    static String fingerprint(JsonNode ro) {
        JsonNode status = ro.path("status");
        return "paused=" + ro.path("spec").path("paused").asBoolean(false)
                + " step=" + status.path("currentStepIndex").asText("-")
                + " pauseConditions=" + status.path("pauseConditions")
                + " controllerPause=" + status.path("controllerPause").asBoolean(false)
                + " currentPodHash=" + status.path("currentPodHash").asText("")
                + " analysis=" + status.path("canary").path("currentStepAnalysisRunStatus").path("status").asText("");
    }

    /** The step after the current one, capped at the number of steps (an unset index counts as 0). */
    private static int nextStep(JsonNode status, int steps) {
        int index = status.path("currentStepIndex").isNumber() ? status.path("currentStepIndex").asInt() : 0;
        return index < steps ? index + 1 : index;
    }
}
