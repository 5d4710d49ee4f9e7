package dev.releaseconsole.services.metrics.prometheus;

import dev.releaseconsole.services.model.Direction;
import dev.releaseconsole.services.model.MetricDefinition;

/**
 * One metric compared between canary and baseline: a PromQL query with placeholders that answers with one series
 * per track, grouped by the track label (see {@link TrackLabels}), so one query serves both tracks.
 *
 * <p>Placeholders ({@code {{name}}}, spaces inside the braces allowed): {@code namespace}, {@code rollout},
 * {@code service}, {@code ingress}, {@code canaryHash}, {@code stableHash} (Argo's pod-template hashes),
 * {@code canaryWorkload}, {@code stableWorkload} (Flagger: {@code name} and {@code name-primary}), {@code window} (the
 * rate window, e.g. {@code 1m}), {@code trackLabel}, and {@code canary}, {@code baseline} (the track label's patterns,
 * for a {@code =~} matcher). See {@link Placeholders}.
 *
 * <p>In a cluster's configuration, an entry whose id matches a preset metric changes only the fields it sets; the
 * nullable fields are how it says "keep the preset's".
 */
public record MetricTemplate(String id, String name, String unit, String query, Direction direction,
                             Double threshold, Boolean critical, TrackLabels tracks) {

    public MetricTemplate {
        if (id == null || !id.matches("[a-z0-9][a-z0-9._-]*")) {
            throw new IllegalArgumentException("a metric id is lower case letters, digits, '.', '_' and '-', got '"
                    + id + "'");
        }
        if (threshold != null && !Double.isFinite(threshold)) {
            throw new IllegalArgumentException("metric " + id + ": threshold must be a finite number");
        }
    }

    /** True when every field a metric needs is set (an override may leave some to the preset). */
    public boolean complete() {
        return name != null && !name.isBlank() && query != null && !query.isBlank() && direction != null;
    }

    /** This entry's fields over {@code base}'s: what an override of a preset metric means. */
    public MetricTemplate over(MetricTemplate base) {
        return new MetricTemplate(id, name != null ? name : base.name, unit != null ? unit : base.unit,
                query != null ? query : base.query, direction != null ? direction : base.direction,
                threshold != null ? threshold : base.threshold, critical != null ? critical : base.critical,
                tracks != null ? tracks : base.tracks);
    }

    public MetricTemplate withTracks(TrackLabels t) {
        return new MetricTemplate(id, name, unit, query, direction, threshold, critical, t);
    }

    public MetricDefinition definition() {
        return new MetricDefinition(id, name, unit == null ? "" : unit, direction, threshold,
                critical != null && critical);
    }
}
