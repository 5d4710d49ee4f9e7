package dev.releaseconsole.views.detail;

import dev.releaseconsole.services.model.AnalysisPhase;
import dev.releaseconsole.services.model.Rollout;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.feather.Feather;

/**
 * How a status is shown: an icon, a CSS class and the word beside it. Colour is never the only carrier: every kind
 * has its own icon shape and the status word is always shown.
 */
public enum StatusKind {
    HEALTHY(Feather.CHECK_CIRCLE, "status-healthy"),
    PROGRESSING(Feather.ACTIVITY, "status-progressing"),
    PAUSED(Feather.PAUSE_CIRCLE, "status-paused"),
    DEGRADED(Feather.X_OCTAGON, "status-degraded"),
    ABORTED(Feather.X_CIRCLE, "status-aborted"),
    PENDING(Feather.CIRCLE, "status-pending"),
    INCONCLUSIVE(Feather.HELP_CIRCLE, "status-inconclusive"),
    UNKNOWN(Feather.HELP_CIRCLE, "status-unknown");

    private final Ikon icon;
    private final String styleClass;

    StatusKind(Ikon icon, String styleClass) {
        this.icon = icon;
        this.styleClass = styleClass;
    }

    public Ikon icon() {
        return icon;
    }

    public String styleClass() {
        return styleClass;
    }

    /** The kind of a rollout's {@link Rollout#statusLabel()}, Argo and Flagger phases alike. */
    public static StatusKind of(Rollout r) {
        if (r == null) {
            return UNKNOWN;
        }
        return ofLabel(r.statusLabel());
    }

    static StatusKind ofLabel(String label) {
        if (label == null) {
            return UNKNOWN;
        }
        switch (label) {
            case "Healthy":
            case "Succeeded":
            case "Initialized":
                return HEALTHY;
            case "Progressing":
            case "Promoting":
            case "Finalising":
            case "Initializing":
                return PROGRESSING;
            case "Paused":
            case "Suspended":
            case "Waiting":
            case "WaitingPromotion":
                return PAUSED;
            case "Degraded":
            case "Failed":
                return DEGRADED;
            case "Aborted":
            case "Terminating":
            case "Terminated":
                return ABORTED;
            default:
                return UNKNOWN;
        }
    }

    /** The kind of an analysis run, metric or measurement phase. */
    public static StatusKind of(AnalysisPhase p) {
        if (p == null) {
            return UNKNOWN;
        }
        switch (p) {
            case Successful:
                return HEALTHY;
            case Running:
                return PROGRESSING;
            case Pending:
                return PENDING;
            case Failed:
                return DEGRADED;
            case Error:
                return ABORTED;
            case Inconclusive:
                return INCONCLUSIVE;
            default:
                return UNKNOWN;
        }
    }
}
