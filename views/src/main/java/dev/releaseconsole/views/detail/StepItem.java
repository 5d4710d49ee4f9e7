package dev.releaseconsole.views.detail;

/** One canary step as the timeline shows it. {@code index} is 0-based; {@code text} as the Argo dashboard words it. */
public record StepItem(int index, String text, State state) {
    public enum State { DONE, CURRENT, PENDING }

    /** "1. setWeight 5%" */
    public String numbered() {
        return (index + 1) + ". " + text;
    }
}
