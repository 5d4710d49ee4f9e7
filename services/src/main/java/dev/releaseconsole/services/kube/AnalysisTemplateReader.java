package dev.releaseconsole.services.kube;

import dev.releaseconsole.services.governance.Secrets;
import dev.releaseconsole.services.metrics.AnalysisTemplateSource;
import dev.releaseconsole.services.metrics.MetricsException;
import dev.releaseconsole.services.metrics.MetricsException.Kind;
import dev.releaseconsole.services.model.AnalysisTemplateInfo;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.model.TemplateMetric;
import dev.releaseconsole.services.model.WorkloadKind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Reads, through fabric8 on the rollout's cluster, the analysis templates a rollout refers to and their metrics'
 * queries: for an Argo Rollout, the templates of its analysis steps, background analysis and blue-green pre/post
 * promotion analysis ({@code templateName}, {@code clusterScope}); for a Flagger Canary, the MetricTemplates its
 * {@code spec.analysis.metrics[].templateRef} name, and its inline and built-in metrics. A template that is missing
 * (404) or that the user may not read (403) is listed with that problem; the others are still read.
 */
public final class AnalysisTemplateReader implements AnalysisTemplateSource {
    static final ResourceDefinitionContext ANALYSIS_TEMPLATES = rdc("argoproj.io", "v1alpha1", "analysistemplates",
            "AnalysisTemplate", true);
    static final ResourceDefinitionContext CLUSTER_ANALYSIS_TEMPLATES = rdc("argoproj.io", "v1alpha1",
            "clusteranalysistemplates", "ClusterAnalysisTemplate", false);
    static final ResourceDefinitionContext METRIC_TEMPLATES = rdc("flagger.app", "v1beta1", "metrictemplates",
            "MetricTemplate", true);

    private final String cluster;
    private final Supplier<Optional<KubernetesClient>> client;

    /** Reads with the cluster's current client ({@link KubeCluster#client()}; empty while it is not connected). */
    public AnalysisTemplateReader(String cluster, Supplier<Optional<KubernetesClient>> client) {
        this.cluster = cluster;
        this.client = client;
    }

    public static AnalysisTemplateReader of(KubeCluster c) {
        return new AnalysisTemplateReader(c.cluster().id(), c::client);
    }

    private static ResourceDefinitionContext rdc(String group, String version, String plural, String kind,
                                                 boolean namespaced) {
        return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withPlural(plural)
                .withKind(kind).withNamespaced(namespaced).build();
    }

    @Override
    public List<AnalysisTemplateInfo> templates(RolloutRef rollout) throws MetricsException {
        KubernetesClient c = client.get().orElseThrow(() -> new MetricsException(Kind.UNAVAILABLE,
                "not connected to cluster " + cluster + " yet", null, null, "the templates are read once it is",
                null));
        boolean flagger = rollout.kind() == WorkloadKind.FLAGGER_CANARY;
        GenericKubernetesResource owner;
        try {
            owner = c.genericKubernetesResources(flagger ? KubeObjects.CANARIES : KubeObjects.ROLLOUTS)
                    .inNamespace(rollout.namespace()).withName(rollout.name()).get();
        } catch (KubernetesClientException e) {
            throw new MetricsException(e.getCode() == 401 || e.getCode() == 403 ? Kind.AUTH : Kind.UNAVAILABLE,
                    "could not read " + rollout.describe(), null, problem(e, "get",
                    flagger ? "canaries" : "rollouts", rollout.namespace()), null, e);
        }
        if (owner == null) {
            throw new MetricsException(Kind.CONFIG, rollout.describe() + " no longer exists", null, null, null, null);
        }
        Node spec = Node.root(KubeObjects.props(owner).get("spec"), "spec", new Node.Problems());
        return flagger ? flagger(c, rollout.namespace(), spec) : argo(c, rollout.namespace(), spec);
    }

    // ------------------------------------------------------------------ Argo

    private List<AnalysisTemplateInfo> argo(KubernetesClient c, String namespace, Node spec) {
        // (clusterScope, name) -> where it is used, in order of first use
        Map<List<Object>, List<String>> refs = new LinkedHashMap<>();
        List<Node> steps = spec.get("strategy", "canary", "steps").list();
        for (int i = 0; i < steps.size(); i++) {
            collect(refs, steps.get(i).get("analysis"), "step " + (i + 1));
        }
        collect(refs, spec.get("strategy", "canary", "analysis"), "background");
        collect(refs, spec.get("strategy", "blueGreen", "prePromotionAnalysis"), "pre-promotion");
        collect(refs, spec.get("strategy", "blueGreen", "postPromotionAnalysis"), "post-promotion");
        List<AnalysisTemplateInfo> out = new ArrayList<>();
        for (Map.Entry<List<Object>, List<String>> e : refs.entrySet()) {
            boolean clusterScope = (Boolean) e.getKey().get(0);
            String name = (String) e.getKey().get(1);
            String usedBy = String.join(", ", e.getValue());
            String kind = clusterScope ? "ClusterAnalysisTemplate" : "AnalysisTemplate";
            try {
                GenericKubernetesResource t = clusterScope
                        ? c.genericKubernetesResources(CLUSTER_ANALYSIS_TEMPLATES).withName(name).get()
                        : c.genericKubernetesResources(ANALYSIS_TEMPLATES).inNamespace(namespace).withName(name).get();
                if (t == null) {
                    out.add(new AnalysisTemplateInfo(kind, name, usedBy, List.of(), List.of(), "not found: "
                            + (clusterScope ? "ClusterAnalysisTemplate " + name : "AnalysisTemplate " + namespace + "/"
                            + name) + " does not exist on cluster " + cluster));
                    continue;
                }
                Node ts = Node.root(KubeObjects.props(t).get("spec"), "spec", new Node.Problems());
                out.add(new AnalysisTemplateInfo(kind, name, usedBy, args(ts), argoMetrics(ts), null));
            } catch (KubernetesClientException ex) {
                out.add(new AnalysisTemplateInfo(kind, name, usedBy, List.of(), List.of(), problem(ex, "get",
                        clusterScope ? "clusteranalysistemplates" : "analysistemplates",
                        clusterScope ? null : namespace)));
            }
        }
        return out;
    }

    private static void collect(Map<List<Object>, List<String>> refs, Node analysis, String usedBy) {
        for (Node t : analysis.get("templates").list()) {
            String name = t.get("templateName").text();
            if (name == null || name.isBlank()) {
                continue;
            }
            boolean clusterScope = t.get("clusterScope").bool(false);
            List<String> uses = refs.computeIfAbsent(List.of(clusterScope, name), k -> new ArrayList<>());
            if (!uses.contains(usedBy)) {
                uses.add(usedBy);
            }
        }
    }

    private static List<String> args(Node spec) {
        List<String> out = new ArrayList<>();
        for (Node a : spec.get("args").list()) {
            String name = a.get("name").text();
            if (name == null) {
                continue;
            }
            String value = a.get("value").textOrNumber();
            boolean fromSecret = a.get("valueFrom", "secretKeyRef").present();
            out.add(fromSecret ? name + " (from a secret)" : value == null ? name : name + "=" + value);
        }
        return out;
    }

    private static List<TemplateMetric> argoMetrics(Node spec) {
        List<TemplateMetric> out = new ArrayList<>();
        for (Node m : spec.get("metrics").list()) {
            Node provider = m.get("provider");
            String type = "";
            String address = "";
            String query = "";
            if (provider.raw() instanceof Map<?, ?> map && !map.isEmpty()) {
                type = String.valueOf(map.keySet().iterator().next());
                Node p = provider.get(type);
                switch (type) {
                    case "prometheus", "graphite", "influxdb", "skywalking" -> {
                        address = orEmpty(p.get("address").text());
                        query = orEmpty(p.get("query").text());
                    }
                    case "datadog", "newRelic", "wavefront" -> query = orEmpty(p.get("query").text());
                    case "web" -> {
                        address = orEmpty(p.get("url").text());
                        query = orEmpty(p.get("jsonPath").text());
                    }
                    case "job" -> query = "(runs a Kubernetes Job)";
                    case "cloudWatch" -> query = "(CloudWatch metricDataQueries)";
                    case "kayenta" -> query = "(Kayenta canary config " + orEmpty(p.get("canaryConfigName").text())
                            + ")";
                    default -> query = "";
                }
            }
            out.add(new TemplateMetric(m.get("name").text(), type, address, Secrets.redact(query),
                    m.get("successCondition").text(), m.get("failureCondition").text(), m.get("interval").text(),
                    m.get("count").textOrNumber(), m.get("failureLimit").textOrNumber()));
        }
        return out;
    }

    // ------------------------------------------------------------------ Flagger

    private List<AnalysisTemplateInfo> flagger(KubernetesClient c, String namespace, Node spec) {
        List<AnalysisTemplateInfo> out = new ArrayList<>();
        List<TemplateMetric> inline = new ArrayList<>();
        String interval = spec.get("analysis", "interval").text();
        for (Node m : spec.get("analysis", "metrics").list()) {
            String name = m.get("name").text();
            String range = thresholdRange(m.get("thresholdRange"));
            String every = orElse(m.get("interval").text(), interval);
            Node ref = m.get("templateRef");
            if (ref.present()) {
                String tname = ref.get("name").text();
                String tns = orElse(ref.get("namespace").text(), namespace);
                try {
                    GenericKubernetesResource t = c.genericKubernetesResources(METRIC_TEMPLATES).inNamespace(tns)
                            .withName(tname).get();
                    if (t == null) {
                        out.add(new AnalysisTemplateInfo("MetricTemplate", tname, "metric " + name, List.of(),
                                List.of(), "not found: MetricTemplate " + tns + "/" + tname + " does not exist on "
                                + "cluster " + cluster));
                        continue;
                    }
                    Node ts = Node.root(KubeObjects.props(t).get("spec"), "spec", new Node.Problems());
                    TemplateMetric tm = new TemplateMetric(name, ts.get("provider", "type").text(),
                            ts.get("provider", "address").text(), Secrets.redact(ts.get("query").text()), range, "",
                            every, "", "");
                    out.add(new AnalysisTemplateInfo("MetricTemplate", tname, "metric " + name, List.of(),
                            List.of(tm), null));
                } catch (KubernetesClientException ex) {
                    out.add(new AnalysisTemplateInfo("MetricTemplate", tname, "metric " + name, List.of(), List.of(),
                            problem(ex, "get", "metrictemplates", tns)));
                }
            } else {
                String query = m.get("query").text();
                inline.add(new TemplateMetric(name, query == null ? "built-in" : "prometheus", "",
                        query == null ? "(Flagger's built-in " + name + ")" : Secrets.redact(query), range, "", every,
                        "", ""));
            }
        }
        if (!inline.isEmpty()) {
            out.add(0, new AnalysisTemplateInfo("Canary analysis", "spec.analysis.metrics", "every interval",
                    List.of(), inline, null));
        }
        return out;
    }

    private static String thresholdRange(Node r) {
        String min = r.get("min").textOrNumber();
        String max = r.get("max").textOrNumber();
        if (min == null && max == null) {
            return "";
        }
        if (min != null && max != null) {
            return min + " <= result <= " + max;
        }
        return min != null ? "result >= " + min : "result <= " + max;
    }

    /** "forbidden: you may not get analysistemplates in namespace shop (API server: ...)" and friends. */
    private String problem(KubernetesClientException e, String verb, String resource, String namespace) {
        String where = (namespace == null ? "" : " in namespace " + namespace) + " on cluster " + cluster;
        String server = e.getStatus() != null && e.getStatus().getMessage() != null
                ? " (API server: " + e.getStatus().getMessage() + ")" : "";
        int code = e.getCode();
        String text;
        if (code == 403) {
            text = "forbidden: you may not " + verb + " " + resource + where + server;
        } else if (code == 401) {
            text = "unauthorized: the cluster did not accept your credentials" + server;
        } else if (code == 404) {
            text = "not found: " + resource + where + server;
        } else if (code <= 0) {
            text = "could not reach the API server: " + ConnectionProblems.shortMessage(e);
        } else {
            text = code + " from the API server" + server;
        }
        return Secrets.redact(text);
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String orElse(String s, String other) {
        return s == null || s.isBlank() ? other : s;
    }
}
