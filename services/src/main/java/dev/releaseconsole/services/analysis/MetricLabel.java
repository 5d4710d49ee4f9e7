package dev.releaseconsole.services.analysis;

/**
 * How one metric of the canary compares with the baseline (Kayenta's classification). HIGH and LOW are only given
 * in the direction in which the metric is bad; a significant change the other way is a PASS.
 */
public enum MetricLabel {
    /** Not worse than the baseline beyond the tolerance. */
    PASS("Pass"),
    /** Higher than the baseline, and higher is bad. */
    HIGH("High"),
    /** Lower than the baseline, and lower is bad. */
    LOW("Low"),
    /** Not enough samples to compare (yet); left out of the score. */
    NODATA("No data"),
    /** A metric that must have data has none for the canary while the baseline has: counts as a failure. */
    NODATA_FAIL("No data (required)"),
    /** The samples could not be fetched; left out of the score. */
    ERROR("Error");

    private final String text;

    MetricLabel(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    /** Counts against the canary in the score. */
    public boolean failing() {
        return this == HIGH || this == LOW || this == NODATA_FAIL;
    }
}
