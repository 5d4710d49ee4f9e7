package dev.releaseconsole.services.actions;

import dev.releaseconsole.services.model.ActionTarget;

/** Answers "may this user do this?" before a click: the demo world here, SelfSubjectAccessReview for Kubernetes. */
public interface PermissionChecker {
    Verdict mayPerform(ActionType action, ActionTarget target);

    /** Who the user is, as the source knows them; goes into every audit entry. */
    String whoAmI(ActionTarget target);

    /**
     * Runs {@code listener} (on a background thread) whenever answers may have changed: an access review arrived,
     * a cluster reconnected. Checkers whose answers never change need not implement it.
     */
    default void addChangeListener(Runnable listener) {
    }

    default void removeChangeListener(Runnable listener) {
    }
}
