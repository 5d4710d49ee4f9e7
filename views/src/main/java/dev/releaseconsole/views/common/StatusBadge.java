package dev.releaseconsole.views.common;

import dev.releaseconsole.services.actions.Outcome;
import dev.releaseconsole.services.flags.debt.DebtKind;
import dev.releaseconsole.services.analysis.CanaryVerdict;
import dev.releaseconsole.services.analysis.MetricLabel;
import dev.releaseconsole.services.analysis.MetricVerdict;
import dev.releaseconsole.services.model.AnalysisPhase;
import dev.releaseconsole.services.model.ConnectionState;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.feather.Feather;

import java.util.Locale;

/**
 * An icon, a word and a tone for a status: the pure part (no controls), so view models and tests can use it.
 * {@link Icons} turns it into nodes.
 */
public record StatusBadge(Ikon icon, String text, Tone tone) {

    /** For a rollout's {@code statusLabel()}: Healthy, Progressing, Paused, Degraded, Aborted, Suspended... */
    public static StatusBadge forRolloutStatus(String status) {
        String s = status == null ? "Unknown" : status;
        switch (s.toLowerCase(Locale.ROOT)) {
            case "healthy":
            case "succeeded":
            case "initialized": // Flagger: primary is serving, its Promoted condition is True
                return new StatusBadge(Feather.CHECK_CIRCLE, s, Tone.OK);
            case "progressing":
            case "initializing":
            case "promoting":
            case "finalising":
                return new StatusBadge(Feather.LOADER, s, Tone.PROGRESS);
            case "paused":
            case "waiting":
            case "waitingpromotion":
            case "suspended":
                return new StatusBadge(Feather.PAUSE_CIRCLE, s, Tone.WARN);
            case "aborted": // its own shape, so it reads apart from Degraded without colour
                return new StatusBadge(Feather.X_CIRCLE, s, Tone.BAD);
            case "degraded":
            case "failed":
                return new StatusBadge(Feather.X_OCTAGON, s, Tone.BAD);
            default:
                return new StatusBadge(Feather.HELP_CIRCLE, s, Tone.MUTED);
        }
    }

    public static StatusBadge forAnalysis(AnalysisPhase phase) {
        if (phase == null) {
            return new StatusBadge(Feather.MINUS, "none", Tone.MUTED);
        }
        return switch (phase) {
            case Successful -> new StatusBadge(Feather.CHECK_CIRCLE, "Successful", Tone.OK);
            case Running -> new StatusBadge(Feather.LOADER, "Running", Tone.PROGRESS);
            case Pending -> new StatusBadge(Feather.CLOCK, "Pending", Tone.MUTED);
            case Inconclusive -> new StatusBadge(Feather.HELP_CIRCLE, "Inconclusive", Tone.WARN);
            case Failed -> new StatusBadge(Feather.X_OCTAGON, "Failed", Tone.BAD);
            case Error -> new StatusBadge(Feather.ALERT_OCTAGON, "Error", Tone.BAD);
        };
    }

    /** The live canary verdict: "Pass · 100", "Marginal · 75", "Fail · 0", "No data", "Error"; "none" without one. */
    public static StatusBadge forVerdict(CanaryVerdict verdict) {
        if (verdict == null) {
            return new StatusBadge(Feather.MINUS, "none", Tone.MUTED);
        }
        String text = verdict.badgeText();
        return switch (verdict.label()) {
            case PASS -> new StatusBadge(Feather.CHECK_CIRCLE, text, Tone.OK);
            case MARGINAL -> new StatusBadge(Feather.ALERT_TRIANGLE, text, Tone.WARN);
            case FAIL -> new StatusBadge(Feather.X_OCTAGON, text, Tone.BAD);
            case NO_DATA -> new StatusBadge(Feather.CLOCK, text, Tone.MUTED);
            case ERROR -> new StatusBadge(Feather.ALERT_OCTAGON, text, Tone.BAD);
        };
    }

    /** One metric's finding: an arrow for High and Low; a report-only metric is muted whatever it found. */
    public static StatusBadge forMetric(MetricVerdict metric) {
        MetricLabel label = metric.label();
        String text = metric.policy().reportOnly() ? label.text() + " (report only)" : label.text();
        Tone bad = metric.policy().reportOnly() ? Tone.MUTED : Tone.BAD;
        return switch (label) {
            case PASS -> new StatusBadge(Feather.CHECK, text, metric.policy().reportOnly() ? Tone.MUTED : Tone.OK);
            case HIGH -> new StatusBadge(Feather.ARROW_UP_CIRCLE, text, bad);
            case LOW -> new StatusBadge(Feather.ARROW_DOWN_CIRCLE, text, bad);
            case NODATA -> new StatusBadge(Feather.CLOCK, text, Tone.MUTED);
            case NODATA_FAIL -> new StatusBadge(Feather.X_OCTAGON, text, bad);
            case ERROR -> new StatusBadge(Feather.ALERT_OCTAGON, text, Tone.BAD);
        };
    }

    public static StatusBadge forOutcome(Outcome outcome) {
        return switch (outcome) {
            case SUCCEEDED -> new StatusBadge(Feather.CHECK_CIRCLE, "Succeeded", Tone.OK);
            case ALREADY_DONE -> new StatusBadge(Feather.CHECK, "Already done", Tone.OK);
            case UNCONFIRMED -> new StatusBadge(Feather.HELP_CIRCLE, "Unconfirmed", Tone.WARN);
            case REJECTED_BY_STATE -> new StatusBadge(Feather.SLASH, "Not possible now", Tone.WARN);
            case DENIED -> new StatusBadge(Feather.LOCK, "Denied", Tone.BAD);
            case BLOCKED_BY_POLICY -> new StatusBadge(Feather.SHIELD_OFF, "Blocked by policy", Tone.BAD);
            case FAILED -> new StatusBadge(Feather.X_CIRCLE, "Failed", Tone.BAD);
        };
    }

    /** For an audit row's result column: an Outcome name, or PENDING for an intent. */
    public static StatusBadge forAuditResult(String result) {
        if (result == null || result.isBlank()) {
            return new StatusBadge(Feather.MINUS, "—", Tone.MUTED);
        }
        if ("PENDING".equals(result)) {
            return new StatusBadge(Feather.CLOCK, "Intent", Tone.MUTED);
        }
        try {
            return forOutcome(Outcome.valueOf(result));
        } catch (IllegalArgumentException e) {
            return new StatusBadge(Feather.INFO, result, Tone.MUTED);
        }
    }

    /** For a row of the flag-debt view: how bad, and a shape per reason. */
    public static StatusBadge forDebt(DebtKind kind) {
        return switch (kind) {
            case EXPIRED -> new StatusBadge(Feather.CALENDAR, kind.label(), Tone.BAD);
            case PAST_LIFETIME -> new StatusBadge(Feather.CLOCK, kind.label(), Tone.WARN);
            case FULLY_ON -> new StatusBadge(Feather.PERCENT, kind.label(), Tone.WARN);
            case NO_OWNER -> new StatusBadge(Feather.USER_X, kind.label(), Tone.WARN);
            case NOT_IN_REGISTRY -> new StatusBadge(Feather.FILE_MINUS, kind.label(), Tone.WARN);
            case NOT_IN_PROVIDER -> new StatusBadge(Feather.CLOUD_OFF, kind.label(), Tone.WARN);
            case LINK_AMBIGUOUS -> new StatusBadge(Feather.GIT_MERGE, kind.label(), Tone.WARN);
            case LINK_NOT_REPORTED -> new StatusBadge(Feather.LINK, kind.label(), Tone.BAD);
        };
    }

    public static StatusBadge forConnection(ConnectionState state) {
        if (state == null) {
            return new StatusBadge(Feather.HELP_CIRCLE, "Unknown", Tone.MUTED);
        }
        return switch (state) {
            case CONNECTED -> new StatusBadge(Feather.WIFI, "Connected", Tone.OK);
            case CONNECTING -> new StatusBadge(Feather.LOADER, "Connecting", Tone.PROGRESS);
            case UNAUTHORIZED -> new StatusBadge(Feather.LOCK, "Unauthorized", Tone.BAD);
            case FORBIDDEN -> new StatusBadge(Feather.LOCK, "Forbidden", Tone.BAD);
            case UNREACHABLE -> new StatusBadge(Feather.WIFI_OFF, "Unreachable", Tone.BAD);
            case DISCONNECTED -> new StatusBadge(Feather.WIFI_OFF, "Disconnected", Tone.WARN);
        };
    }
}
