package dev.releaseconsole.services.kube;

import dev.releaseconsole.services.actions.ActionException;
import dev.releaseconsole.services.actions.ActionInput;
import dev.releaseconsole.services.actions.ActionType;
import dev.releaseconsole.services.model.Rollout;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Sends the requests for one rollout action through a cluster's client. {@link KubeCluster#perform} delegates here;
 * the app binds it to the actions package's {@code KubeRolloutActions::perform}, which owns the exact Argo/Flagger
 * patches. Returns a short description of what was sent, for the audit log.
 */
@FunctionalInterface
public interface RolloutActuator {
    String perform(KubernetesClient client, ActionType action, Rollout current, ActionInput input)
            throws ActionException;

    /** An actuator that refuses every action: for a read-only console, and until the real one is bound. */
    static RolloutActuator readOnly() {
        return (client, action, current, input) -> {
            throw new ActionException(ActionException.Reason.INVALID,
                    action.label() + " is not available: this console was started read-only for Kubernetes");
        };
    }
}
