package dev.releaseconsole.services.kube.access;

import dev.releaseconsole.services.actions.ActionType;
import dev.releaseconsole.services.kube.actions.LoadtesterRef;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.model.WorkloadKind;

import java.util.List;

/**
 * The RBAC each action needs, matching the requests {@code KubeRolloutActions} sends (shared reference
 * argo-rollouts.md "RBAC needed per action", flagger.md "Levers").
 *
 * <pre>
 * Argo Rollout   promote, promote-full, abort, retry  patch rollouts/status (argoproj.io)
 *                  promote, promote-full when spec.paused: also patch rollouts
 *                pause, resume, restart               patch rollouts (argoproj.io)
 *                undo                                 get rollouts, list replicasets (apps), patch rollouts
 *                terminate analysis                   patch analysisruns (argoproj.io)
 * Flagger Canary pause, resume, promote-full          patch canaries (flagger.app)
 *                promote, abort (loadtester gates)    create services/proxy in the loadtester's namespace
 *                retry (pod template annotation)      patch deployments (apps)
 * </pre>
 * Reading (get/list/watch) is the read side's concern; promote's fresh GET needs "get rollouts", which any user who
 * sees the rollout has.
 */
public final class RbacRequirements {
    public static final String ARGO = "argoproj.io";
    public static final String FLAGGER = "flagger.app";

    private RbacRequirements() {
    }

    /** What an action needs, or why it cannot be done on such a target at all ({@code unavailable} non-null). */
    public record Requirement(List<ResourcePermission> permissions, String unavailable) {
        public Requirement {
            permissions = List.copyOf(permissions);
        }

        static Requirement of(ResourcePermission... p) {
            return new Requirement(List.of(p), null);
        }

        static Requirement unavailable(String why) {
            return new Requirement(List.of(), why);
        }
    }

    public static Requirement forAction(ActionType action, RolloutRef ref, boolean specPaused,
                                        LoadtesterRef loadtester) {
        String ns = ref.namespace();
        if (ref.kind() == WorkloadKind.FLAGGER_CANARY) {
            switch (action) {
                case PAUSE:
                case RESUME:
                case PROMOTE_FULL:
                    return Requirement.of(patch(ns, FLAGGER, "canaries", null));
                case PROMOTE:
                case ABORT:
                    if (loadtester == null) {
                        return Requirement.unavailable("Flagger gates need the flagger-loadtester: configure its "
                                + "namespace, service and port for cluster " + ref.cluster());
                    }
                    return Requirement.of(new ResourcePermission(loadtester.namespace(), "", "services", "proxy",
                            "create"));
                case RETRY:
                    return Requirement.of(patch(ns, "apps", "deployments", null));
                case RESTART:
                    return Requirement.unavailable("Flagger restarts through its target Deployment, not the Canary");
                default:
                    return Requirement.unavailable(action.label() + " is not a Kubernetes action");
            }
        }
        switch (action) {
            case PROMOTE:
            case PROMOTE_FULL:
                return specPaused
                        ? Requirement.of(patch(ns, ARGO, "rollouts", "status"), patch(ns, ARGO, "rollouts", null))
                        : Requirement.of(patch(ns, ARGO, "rollouts", "status"));
            case ABORT:
            case RETRY:
                return Requirement.of(patch(ns, ARGO, "rollouts", "status"));
            case PAUSE:
            case RESUME:
            case RESTART:
            case NUDGE:
                return Requirement.of(patch(ns, ARGO, "rollouts", null));
            default:
                return Requirement.unavailable(action.label() + " is not a Kubernetes action");
        }
    }

    public static Requirement forUndo(String namespace) {
        return Requirement.of(new ResourcePermission(namespace, ARGO, "rollouts", null, "get"),
                new ResourcePermission(namespace, "apps", "replicasets", null, "list"),
                patch(namespace, ARGO, "rollouts", null));
    }

    public static Requirement forTerminateAnalysis(String namespace) {
        return Requirement.of(patch(namespace, ARGO, "analysisruns", null));
    }

    /** Everything a namespace's rollout and canary actions may need, to warm a cache in one go. */
    static List<ResourcePermission> allFor(String namespace) {
        return List.of(patch(namespace, ARGO, "rollouts", "status"), patch(namespace, ARGO, "rollouts", null),
                patch(namespace, FLAGGER, "canaries", null), patch(namespace, "apps", "deployments", null));
    }

    private static ResourcePermission patch(String ns, String group, String resource, String sub) {
        return new ResourcePermission(ns, group, resource, sub, "patch");
    }
}
