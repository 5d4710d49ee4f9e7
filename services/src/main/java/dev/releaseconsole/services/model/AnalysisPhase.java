package dev.releaseconsole.services.model;

/** AnalysisRun, metric result and measurement phases exactly as Argo Rollouts names them. */
public enum AnalysisPhase {
    Pending, Running, Successful, Failed, Error, Inconclusive;

    public boolean isCompleted() {
        return this == Successful || this == Failed || this == Error || this == Inconclusive;
    }

    /** Parses a phase string from a CR; unknown values become null so callers can report them. */
    public static AnalysisPhase parse(String s) {
        if (s == null) {
            return null;
        }
        for (AnalysisPhase p : values()) {
            if (p.name().equals(s)) {
                return p;
            }
        }
        return null;
    }
}
