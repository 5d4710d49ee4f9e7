package dev.releaseconsole.services.flags.registry;

import dev.releaseconsole.services.model.RolloutLink;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.model.WorkloadKind;
import dev.releaseconsole.services.store.LiveState;

import java.util.List;

/**
 * Turns a registry's rollout link into the rollouts it means, by what the clusters report. A link with a kind is
 * exactly that rollout. Without a kind it is the Argo Rollout or the Flagger Canary of that name, whichever is
 * reported; both when both are (the plan shows both and the debt view asks for a kind); an Argo Rollout while
 * neither is reported yet (the next flag sync resolves it again once the cluster has listed its rollouts).
 */
public final class RolloutLinks {
    /** How a link resolved, for the debt view. */
    public enum Resolution { EXACT, FOUND, AMBIGUOUS, NOT_REPORTED }

    public record Resolved(List<RolloutRef> refs, Resolution resolution) {
    }

    private RolloutLinks() {
    }

    public static Resolved resolve(RolloutLink link, LiveState state) {
        if (link.kind() != null) {
            RolloutRef ref = link.as(link.kind());
            return new Resolved(List.of(ref), state.rollouts().get(ref).isPresent() ? Resolution.EXACT
                    : Resolution.NOT_REPORTED);
        }
        RolloutRef argo = link.as(WorkloadKind.ARGO_ROLLOUT);
        RolloutRef flagger = link.as(WorkloadKind.FLAGGER_CANARY);
        boolean hasArgo = state.rollouts().get(argo).isPresent();
        boolean hasFlagger = state.rollouts().get(flagger).isPresent();
        if (hasArgo && hasFlagger) {
            return new Resolved(List.of(argo, flagger), Resolution.AMBIGUOUS);
        }
        if (hasFlagger) {
            return new Resolved(List.of(flagger), Resolution.FOUND);
        }
        return new Resolved(List.of(argo), hasArgo ? Resolution.FOUND : Resolution.NOT_REPORTED);
    }
}
