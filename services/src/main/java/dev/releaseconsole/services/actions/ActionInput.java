package dev.releaseconsole.services.actions;

/**
 * The argument an action needs beyond its target: the revision to undo to, the analysis run to terminate, or a
 * flag's new rollout percentage. Most actions need none ({@link #NONE}).
 */
public record ActionInput(Long revision, String analysisRun, Integer percent) {
    public static final ActionInput NONE = new ActionInput(null, null, null);

    public ActionInput {
        if (percent != null && (percent < 0 || percent > 100)) {
            throw new IllegalArgumentException("a rollout percentage is between 0 and 100, not " + percent);
        }
        if (revision != null && revision < 1) {
            throw new IllegalArgumentException("revisions start at 1, not " + revision);
        }
    }

    public static ActionInput revision(long revision) {
        return new ActionInput(revision, null, null);
    }

    public static ActionInput analysisRun(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("an analysis run name is needed");
        }
        return new ActionInput(null, name, null);
    }

    public static ActionInput percent(int percent) {
        return new ActionInput(null, null, percent);
    }

    /** For the audit log: "", " to revision 3", " on run checkout-api-7f9-3", " to 25%". */
    public String describe() {
        if (revision != null) {
            return " to revision " + revision;
        }
        if (analysisRun != null) {
            return " on analysis run " + analysisRun;
        }
        if (percent != null) {
            return " to " + percent + "%";
        }
        return "";
    }
}
