package dev.releaseconsole.services.actions;

import dev.releaseconsole.services.model.Rollout;

import java.util.Optional;

/**
 * What to add to a confirmation when a GitOps tool owns the rollout ({@link Rollout#managedBy()} is set) and the
 * action writes to a spec: "checkout-api is managed by Argo CD application shop-prod: it may revert this change to
 * the spec".
 *
 * <p>The rule: warn for every action that writes a spec field, never for status-only actions.
 * <ul>
 * <li>Status writes (abort, retry, promote's and promote-full's status patches, Flagger's loadtester gates) are never
 * synced from Git: Argo CD does not diff the status of custom resources and Flux applies no status.</li>
 * <li>Spec writes (pause and resume: spec.paused / spec.suspend; restart: spec.restartAt; promote and promote-full
 * when spec.paused holds, since they also unpause; Flagger promote-full: spec.skipAnalysis; Flagger retry: the
 * target's pod template; undo: spec.template) are reverted only when Git sets that field and a sync or self-heal
 * runs. Git usually does not set paused or restartAt (Argo CD's own Rollout actions write them), but some teams
 * commit {@code paused: true} to gate releases, and Replace/force syncs rewrite the whole object. The console cannot
 * see Git, so it says "may": a pause silently undone by the next sync during an incident costs more than a warning
 * that turns out unnecessary.</li>
 * <li>Undo is the strong case: it puts back an older template than Git's, so the app goes OutOfSync and self-heal
 * rolls forward again; the warning says to revert in Git instead.</li>
 * </ul>
 */
public final class GitOpsWarnings {
    private GitOpsWarnings() {
    }

    /** The warning for {@code action} on {@code r}, or empty when no GitOps tool owns it or only status changes. */
    public static Optional<String> forAction(ActionType action, Rollout r) {
        if (action == ActionType.UNDO) {
            return forUndo(r);
        }
        if (r.managedBy() == null || r.managedBy().isBlank() || !writesSpec(action, r)) {
            return Optional.empty();
        }
        return Optional.of(base(r));
    }

    /** The warning for an undo (a rollback of spec.template) on {@code r}, or empty when no GitOps tool owns it. */
    public static Optional<String> forUndo(Rollout r) {
        if (r.managedBy() == null || r.managedBy().isBlank()) {
            return Optional.empty();
        }
        return Optional.of(base(r) + ". Undo puts back an older template than the one in Git, so a sync or self-heal "
                + "rolls it forward again: revert the change in Git instead");
    }

    /** Whether the requests for {@code action} on {@code r} write to a spec (see the class comment). */
    public static boolean writesSpec(ActionType action, Rollout r) {
        if (r.isFlagger()) {
            switch (action) {
                case PAUSE:
                case RESUME:
                case PROMOTE_FULL:
                case RETRY:
                    return true;
                default:
                    return false;
            }
        }
        switch (action) {
            case PAUSE:
            case RESUME:
            case RESTART:
                return true;
            case PROMOTE:
            case PROMOTE_FULL:
                return r.specPaused();
            default:
                return false;
        }
    }

    private static String base(Rollout r) {
        return r.ref().name() + " is managed by " + r.managedBy() + ": it may revert this change to the spec";
    }
}
