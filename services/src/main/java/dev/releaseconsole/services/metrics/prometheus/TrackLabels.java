package dev.releaseconsole.services.metrics.prometheus;

import java.util.Objects;

/**
 * How canary and baseline series are told apart in one query's answer: by the value of one label. {@code canary}
 * and {@code baseline} are regular expressions that must match the whole label value (as PromQL's {@code =~} does;
 * a missing label is the empty string), and may hold placeholders such as {@code {{canaryHash}}}, whose values are
 * inserted regex-quoted. Examples: label {@code rollouts_pod_template_hash} with {@code {{canaryHash}}} and
 * {@code {{stableHash}}}; NGINX ingress's {@code canary} label with {@code .+} and the empty string.
 */
public record TrackLabels(String label, String canary, String baseline) {
    public TrackLabels {
        Objects.requireNonNull(label, "label");
        if (!label.matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
            throw new IllegalArgumentException("'" + label + "' is not a Prometheus label name (letters, digits and _;"
                    + " Kubernetes pod labels such as rollouts-pod-template-hash arrive as rollouts_pod_template_hash)");
        }
        canary = canary == null ? "" : canary;
        baseline = baseline == null ? "" : baseline;
    }
}
