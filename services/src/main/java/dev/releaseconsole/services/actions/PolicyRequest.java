package dev.releaseconsole.services.actions;

import dev.releaseconsole.services.model.ActionTarget;
import dev.releaseconsole.services.model.Environment;

import java.time.Instant;

/** What a policy gate sees: who, what, on which target, in which environment, when. */
public record PolicyRequest(String actor, ActionType action, ActionTarget target, Environment environment,
                            Instant now) {
}
