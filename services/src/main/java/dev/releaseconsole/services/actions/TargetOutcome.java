package dev.releaseconsole.services.actions;

import dev.releaseconsole.services.model.ActionTarget;

/**
 * The result for one target: how it ended, a message saying what happened and what to do, the state the source
 * reports afterwards (in words), and the audit entry id of the outcome.
 */
public record TargetOutcome(ActionTarget target, ActionType action, Outcome outcome, String message,
                            String stateAfter, long auditId) {
}
