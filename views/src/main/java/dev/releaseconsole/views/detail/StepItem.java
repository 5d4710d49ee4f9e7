package dev.releaseconsole.views.detail;

/**
 * One canary step as the timeline shows it. {@code index} is the step's index, the number the console shows
 * everywhere (Argo's convention: "step 1/7" is the step with index 1); {@code text} as the Argo dashboard words it.
 */
public record StepItem(int index, String text, State state) {
    public enum State { DONE, CURRENT, PENDING }

    /** "1 · setWeight 5%" */
    public String numbered() {
        return index + " · " + text;
    }
}
