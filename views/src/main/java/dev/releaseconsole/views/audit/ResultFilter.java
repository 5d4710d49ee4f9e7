package dev.releaseconsole.views.audit;

import dev.releaseconsole.services.actions.Outcome;

/** The audit view's result filter: all rows, intents only, or one outcome. */
public enum ResultFilter {
    ALL("All results", null),
    SUCCEEDED("Succeeded", Outcome.SUCCEEDED.name()),
    FAILED("Failed", Outcome.FAILED.name()),
    DENIED("Denied", Outcome.DENIED.name()),
    BLOCKED_BY_POLICY("Blocked by policy", Outcome.BLOCKED_BY_POLICY.name()),
    REJECTED_BY_STATE("Not possible (state)", Outcome.REJECTED_BY_STATE.name()),
    UNCONFIRMED("Unconfirmed", Outcome.UNCONFIRMED.name()),
    ALREADY_DONE("Already done", Outcome.ALREADY_DONE.name()),
    INTENT("Intents (pending)", "PENDING");

    private final String label;
    private final String result;

    ResultFilter(String label, String result) {
        this.label = label;
        this.result = result;
    }

    public String label() {
        return label;
    }

    /** The audit log's result value to match, or null for all. */
    public String result() {
        return result;
    }

    @Override
    public String toString() {
        return label;
    }
}
