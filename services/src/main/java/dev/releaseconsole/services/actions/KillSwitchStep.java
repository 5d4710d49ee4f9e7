package dev.releaseconsole.services.actions;

import dev.releaseconsole.services.model.ActionTarget;

/**
 * One line of a kill-switch plan as shown before confirming, in the window and on the command line: what will
 * happen to one target, whether it is in production, and whether it is already in the safe state (then nothing is
 * sent to it).
 */
public record KillSwitchStep(ActionTarget target, String text, boolean production, boolean alreadySafe) {
}
