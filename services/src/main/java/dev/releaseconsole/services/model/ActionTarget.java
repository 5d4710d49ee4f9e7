package dev.releaseconsole.services.model;

/** Something an action is applied to: a rollout or a flag in one environment. */
public sealed interface ActionTarget permits RolloutRef, FlagTarget {
    /** Human-readable, stable description used in audit entries and results. */
    String describe();
}
