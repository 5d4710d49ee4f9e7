package dev.releaseconsole.views.killswitch;

import dev.releaseconsole.services.model.ActionTarget;

/** One line of a kill-switch plan as shown before confirming: what will happen to one target. */
public record PlanLine(ActionTarget target, String text, boolean production) {
}
