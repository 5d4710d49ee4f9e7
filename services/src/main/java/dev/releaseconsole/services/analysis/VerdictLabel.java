package dev.releaseconsole.services.analysis;

/** The overall verdict on a canary: from the score and its bars, or why there is no score. */
public enum VerdictLabel {
    PASS("Pass"),
    MARGINAL("Marginal"),
    FAIL("Fail"),
    NO_DATA("No data"),
    ERROR("Error");

    private final String text;

    VerdictLabel(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }
}
