package dev.releaseconsole.services.model;

/**
 * One metric of an analysis template as written in its spec, for display: the provider ("prometheus", "datadog",
 * "web", "job", ...), where it asks ({@code address}: Prometheus address or web URL, may be empty) and what
 * ({@code query}), and the controller's rules (conditions, interval, count, failure limit). Values are the template's
 * own text, argument placeholders such as {@code {{args.service-name}}} included. Empty strings where unset.
 */
public record TemplateMetric(String name, String provider, String address, String query, String successCondition,
                             String failureCondition, String interval, String count, String failureLimit) {
    public TemplateMetric {
        name = name == null ? "" : name;
        provider = provider == null ? "" : provider;
        address = address == null ? "" : address;
        query = query == null ? "" : query;
        successCondition = successCondition == null ? "" : successCondition;
        failureCondition = failureCondition == null ? "" : failureCondition;
        interval = interval == null ? "" : interval;
        count = count == null ? "" : count;
        failureLimit = failureLimit == null ? "" : failureLimit;
    }
}
