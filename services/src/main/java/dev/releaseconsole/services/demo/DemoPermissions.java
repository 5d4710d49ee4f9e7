package dev.releaseconsole.services.demo;

import dev.releaseconsole.services.actions.ActionType;
import dev.releaseconsole.services.actions.PermissionChecker;
import dev.releaseconsole.services.actions.Verdict;
import dev.releaseconsole.services.model.ActionTarget;
import dev.releaseconsole.services.model.NamespaceRef;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.model.WorkloadKind;

import java.util.Set;

/**
 * The demo user's access, as a SelfSubjectAccessReview would answer it: view everywhere, act everywhere except in
 * read-only namespaces, where every rollout action is refused naming the verb and resource it needs
 * (reference: argo-rollouts.md "RBAC needed per action"). Flags are always allowed.
 */
final class DemoPermissions implements PermissionChecker {
    static final String USER = "demo-user (simulated)";

    private final Set<NamespaceRef> readOnly;

    DemoPermissions(Set<NamespaceRef> readOnly) {
        this.readOnly = Set.copyOf(readOnly);
    }

    @Override
    public Verdict mayPerform(ActionType action, ActionTarget target) {
        if (target instanceof RolloutRef ref && action.isRolloutAction() && readOnly.contains(ref.namespaceRef())) {
            return Verdict.refused("you may not " + requiredAccess(action, ref.kind()) + " in namespace "
                    + ref.namespace() + " on cluster " + ref.cluster());
        }
        return Verdict.allowed();
    }

    @Override
    public String whoAmI(ActionTarget target) {
        return USER;
    }

    /** The verb and resource the real request needs. */
    private static String requiredAccess(ActionType action, WorkloadKind kind) {
        if (kind == WorkloadKind.FLAGGER_CANARY) {
            return switch (action) {
                case ABORT, PROMOTE -> "create services/proxy";
                case RETRY, RESTART -> "patch deployments";
                default -> "patch canaries";
            };
        }
        return switch (action) {
            case PAUSE, RESUME, RESTART, UNDO, NUDGE -> "patch rollouts";
            case TERMINATE_ANALYSIS -> "patch analysisruns";
            default -> "patch rollouts/status";
        };
    }
}
