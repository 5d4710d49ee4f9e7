package dev.releaseconsole.services.kube.actions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releaseconsole.services.actions.ActionException;
import dev.releaseconsole.services.actions.ActionInput;
import dev.releaseconsole.services.actions.ActionException.Reason;
import dev.releaseconsole.services.actions.ActionType;
import dev.releaseconsole.services.governance.Secrets;
import dev.releaseconsole.services.kube.actions.KubeErrors.RequestInfo;
import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.model.WorkloadKind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.RequestConfig;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Sends exactly the requests {@code kubectl argo rollouts} v1.9 sends for each action (see
 * shared/reference/argo-rollouts.md "Actions"), and Flagger's levers for a Canary. One instance serves every cluster;
 * the caller passes the cluster's client. Calls block: run them off the UI thread.
 *
 * <p>Writes go on the wire as exactly one request each ({@link KubeWrite}: no GET before a PATCH, headers kept).
 * Retries are this class's decision, not the HTTP client's: requests go through a view of the client with
 * fabric8's automatic retry (of 429, 5xx and I/O errors, for every verb) turned off, so a non-idempotent request is
 * never re-sent behind our back. A 409 is retried once on fresh state only for requests that set absolute values;
 * promote's status patches depend on the state they were decided on, so after a 409 the rollout is read again and
 * the decision is re-sent only if that state is unchanged. A 429 is retried once after its Retry-After for
 * idempotent requests.
 */
public final class KubeRolloutActions {
    static final ResourceDefinitionContext ROLLOUTS = crd("argoproj.io", "v1alpha1", "rollouts", "Rollout");
    static final ResourceDefinitionContext ANALYSIS_RUNS =
            crd("argoproj.io", "v1alpha1", "analysisruns", "AnalysisRun");
    static final ResourceDefinitionContext CANARIES = crd("flagger.app", "v1beta1", "canaries", "Canary");
    static final ResourceDefinitionContext REPLICA_SETS = crd("apps", "v1", "replicasets", "ReplicaSet");
    static final ResourceDefinitionContext DEPLOYMENTS = crd("apps", "v1", "deployments", "Deployment");
    static final ResourceDefinitionContext DAEMON_SETS = crd("apps", "v1", "daemonsets", "DaemonSet");

    static final String PAUSE = "{\"spec\":{\"paused\":true}}";
    static final String UNPAUSE = PromotePlan.UNPAUSE;
    static final String ABORT = "{\"status\":{\"abort\":true}}";
    static final String RETRY = "{\"status\":{\"abort\":false}}";
    static final String RESTART = "{\"spec\":{\"restartAt\":\"%s\"}}";
    /** Metadata only: a new resourceVersion makes the controller's watch deliver the rollout as it is now. */
    static final String NUDGE = "{\"metadata\":{\"annotations\":{\"release-console.dev/nudged-at\":\"%s\"}}}";
    static final String TERMINATE = "{\"spec\":{\"terminate\":true}}";
    static final String SUSPEND = "{\"spec\":{\"suspend\":true}}";
    static final String UNSUSPEND = "{\"spec\":{\"suspend\":false}}";
    static final String SKIP_ANALYSIS = "{\"spec\":{\"skipAnalysis\":true}}";
    static final String RESTARTED_AT =
            "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"kubectl.kubernetes.io/restartedAt\":\"%s\"}}}}}";

    static final String REVISION_ANNOTATION = "rollout.argoproj.io/revision";
    static final String POD_TEMPLATE_HASH = "rollouts-pod-template-hash";

    /** Waits before a retry; replaced in tests. */
    interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(10);
    private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

    private final LoadtesterRef loadtester;
    private final Clock clock;
    private final Sleeper sleeper;

    /** Argo Rollouts and Flagger's spec levers; Flagger's gates refuse until a loadtester is configured. */
    public KubeRolloutActions() {
        this(null);
    }

    /** {@code loadtester} may be null: then Flagger promote/abort (gates) are refused with a message saying so. */
    public KubeRolloutActions(LoadtesterRef loadtester) {
        this(loadtester, Clock.systemUTC());
    }

    /** {@code clock} stamps restartAt (and a Flagger retry's restartedAt annotation). */
    public KubeRolloutActions(LoadtesterRef loadtester, Clock clock) {
        this(loadtester, clock, d -> Thread.sleep(d.toMillis()));
    }

    KubeRolloutActions(LoadtesterRef loadtester, Clock clock, Sleeper sleeper) {
        this.loadtester = loadtester;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    /**
     * Sends the requests for {@code action} on {@code current} (only its ref is trusted; promote and promote-full
     * read the object fresh and decide on it, as kubectl does). Returns what was sent, one request per "; ", for
     * the audit log, or "nothing sent: why" when nothing was needed.
     */
    public String perform(KubernetesClient client, ActionType action, Rollout current) throws ActionException {
        return perform(client, action, current, ActionInput.NONE);
    }

    /** As {@link #perform(KubernetesClient, ActionType, Rollout)}, with the revision or run undo and terminate need. */
    public String perform(KubernetesClient client, ActionType action, Rollout current, ActionInput input)
            throws ActionException {
        RolloutRef ref = current.ref();
        if (action == ActionType.UNDO) {
            if (input.revision() == null) {
                throw new ActionException(Reason.INVALID, "undo needs the revision to go back to");
            }
            return undo(client, ref, input.revision());
        }
        if (action == ActionType.TERMINATE_ANALYSIS) {
            if (input.analysisRun() == null) {
                throw new ActionException(Reason.INVALID, "terminate needs the analysis run's name");
            }
            return terminateAnalysis(client, ref.namespace(), input.analysisRun());
        }
        KubernetesClient c = withoutAutomaticRetries(client);
        if (ref.kind() == WorkloadKind.FLAGGER_CANARY) {
            return performFlagger(c, action, ref);
        }
        Target t = new Target(ROLLOUTS, ref.namespace(), ref.name(), ref.cluster());
        switch (action) {
            case PAUSE:
                return send(c, new Request(t, null, PatchType.JSON_MERGE, PAUSE, true));
            case RESUME:
                return send(c, new Request(t, null, PatchType.JSON_MERGE, UNPAUSE, true));
            case ABORT:
                return send(c, new Request(t, "status", PatchType.JSON_MERGE, ABORT, true));
            case RETRY:
                return send(c, new Request(t, "status", PatchType.JSON_MERGE, RETRY, true));
            case RESTART:
                return send(c, new Request(t, null, PatchType.JSON_MERGE, String.format(RESTART, now()), true));
            case NUDGE:
                return send(c, new Request(t, null, PatchType.JSON_MERGE, String.format(NUDGE, now()), true));
            case PROMOTE:
                return promote(c, t, false);
            case PROMOTE_FULL:
                return promote(c, t, true);
            default:
                throw new ActionException(Reason.INVALID, action.label() + " does not apply to a rollout");
        }
    }

    /**
     * {@code kubectl argo rollouts undo --to-revision N}: replaces /spec/template (JSON patch) with the template of
     * the Rollout's ReplicaSet whose {@value #REVISION_ANNOTATION} is {@code revision}, without its
     * {@value #POD_TEMPLATE_HASH} label; 0 means the previous revision. A Rollout with a workloadRef to a
     * Deployment gets the patch on that Deployment, as kubectl does. Sends nothing when the template already
     * matches. The returned description names the revision rather than the template (which may hold env values).
     */
    public String undo(KubernetesClient client, RolloutRef ref, long revision) throws ActionException {
        if (ref.kind() != WorkloadKind.ARGO_ROLLOUT) {
            throw new ActionException(Reason.INVALID, "undo applies to Argo Rollouts; Flagger rolls back on its own");
        }
        if (revision < 0) {
            throw new ActionException(Reason.INVALID, "revision must be 0 (previous) or a positive number");
        }
        KubernetesClient c = withoutAutomaticRetries(client);
        Target t = new Target(ROLLOUTS, ref.namespace(), ref.name(), ref.cluster());
        JsonNode ro = getRequired(c, t);
        String uid = ro.path("metadata").path("uid").asText("");
        List<JsonNode> owned = new ArrayList<>();
        RequestInfo listInfo = new RequestInfo("list", "replicasets", ref.namespace(), ref.name(), ref.cluster());
        try {
            LabelSelector selector = JSON.treeToValue(ro.path("spec").path("selector"), LabelSelector.class);
            for (GenericKubernetesResource rs : c.genericKubernetesResources(REPLICA_SETS).inNamespace(ref.namespace())
                    .withLabelSelector(selector).list().getItems()) {
                if (controlledBy(rs, uid)) {
                    owned.add(JSON.valueToTree(rs));
                }
            }
        } catch (KubernetesClientException e) {
            throw KubeErrors.toActionException(e, listInfo);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            throw new ActionException(Reason.INVALID, "the rollout's spec.selector could not be read: "
                    + e.getMessage(), e);
        }
        JsonNode rs = pickRevision(owned, revision, ref);
        String rsName = rs.path("metadata").path("name").asText();
        String revLabel = rs.path("metadata").path("annotations").path(REVISION_ANNOTATION).asText();
        ObjectNode template = rs.path("spec").path("template").deepCopy();
        JsonNode labels = template.path("metadata").path("labels");
        if (labels.isObject()) {
            ((ObjectNode) labels).remove(POD_TEMPLATE_HASH);
        }
        JsonNode roTemplate = ro.path("spec").path("template").deepCopy();
        if (roTemplate.path("metadata").path("labels").isObject()) {
            ((ObjectNode) roTemplate.path("metadata").path("labels")).remove(POD_TEMPLATE_HASH);
        }
        if (!roTemplate.isMissingNode() && derivative(roTemplate, template)) {
            return "nothing sent: the current template already matches revision " + revLabel;
        }
        ArrayNode patch = JSON.createArrayNode();
        patch.addObject().put("op", "replace").put("path", "/spec/template").set("value", template);
        String body = patch.toString();
        JsonNode workloadRef = ro.path("spec").path("workloadRef");
        Target patched = t;
        if (workloadRef.isObject()) {
            String kind = workloadRef.path("kind").asText("");
            if (!"Deployment".equals(kind)) {
                throw new ActionException(Reason.INVALID, "undo of a Rollout whose workloadRef is a " + kind
                        + " is not supported here; use kubectl argo rollouts undo");
            }
            patched = new Target(DEPLOYMENTS, ref.namespace(), workloadRef.path("name").asText(), ref.cluster());
        }
        Request req = new Request(patched, null, PatchType.JSON, body, true);
        sendQuietly(c, req);
        return "PATCH " + patched.ctx().getPlural() + "/" + patched.name()
                + " (JSON patch) replace /spec/template with the template of revision " + revLabel
                + " (ReplicaSet " + rsName + ", without its " + POD_TEMPLATE_HASH + " label)";
    }

    /** {@code kubectl argo rollouts terminate analysisrun NAME}: {@code {"spec":{"terminate":true}}}. */
    public String terminateAnalysis(KubernetesClient client, String namespace, String runName)
            throws ActionException {
        Target t = new Target(ANALYSIS_RUNS, namespace, runName, null);
        return send(withoutAutomaticRetries(client), new Request(t, null, PatchType.JSON_MERGE, TERMINATE, true));
    }

    // ---------------------------------------------------------------------------------------------------- Flagger

    private String performFlagger(KubernetesClient c, ActionType action, RolloutRef ref) throws ActionException {
        Target t = new Target(CANARIES, ref.namespace(), ref.name(), ref.cluster());
        switch (action) {
            case PAUSE:
                return send(c, new Request(t, null, PatchType.JSON_MERGE, SUSPEND, true));
            case RESUME:
                return send(c, new Request(t, null, PatchType.JSON_MERGE, UNSUSPEND, true));
            case PROMOTE_FULL:
                return send(c, new Request(t, null, PatchType.JSON_MERGE, SKIP_ANALYSIS, true));
            case PROMOTE:
                return gate(c, ref, "/gate/open");
            case ABORT:
                return gate(c, ref, "/rollback/open");
            case RETRY:
                return retryFlagger(c, t);
            case RESTART:
                throw new ActionException(Reason.INVALID,
                        "Flagger restarts through its target Deployment, not the Canary; restart that Deployment");
            default:
                throw new ActionException(Reason.INVALID, action.label() + " does not apply to a rollout");
        }
    }

    private String gate(KubernetesClient c, RolloutRef ref, String endpoint) throws ActionException {
        if (loadtester == null) {
            throw new ActionException(Reason.INVALID, "Flagger gates need the flagger-loadtester: configure its "
                    + "namespace, service and port for cluster " + ref.cluster() + " (and point the canary's "
                    + "confirm-promotion/rollback webhooks at it) to promote or roll back from the console");
        }
        ObjectNode payload = JSON.createObjectNode().put("name", ref.name()).put("namespace", ref.namespace());
        String path = loadtester.proxyPath(endpoint);
        String body = payload.toString();
        RequestInfo info = new RequestInfo("create", "services/proxy", loadtester.namespace(), loadtester.service(),
                ref.cluster());
        String described = "POST " + path + " " + body;
        try {
            KubeWrite.send(c, "POST", path, KubeWrite.JSON, body);
            return described;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 429) {
                waitRetryAfter(e, info);
                try {
                    KubeWrite.send(c, "POST", path, KubeWrite.JSON, body);
                    return described;
                } catch (KubernetesClientException e2) {
                    throw gateError(e2, info);
                }
            }
            throw gateError(e, info);
        }
    }

    private ActionException gateError(KubernetesClientException e, RequestInfo info) {
        ActionException a = KubeErrors.toActionException(e, info);
        if (e.getCode() == 404 || e.getCode() == 503) {
            return new ActionException(a.reason(), a.getMessage() + "; is the flagger-loadtester at " + loadtester
                    + " running?", e);
        }
        return a;
    }

    /** Flagger retries a failed release when the target's pod template changes: kubectl rollout restart's way. */
    private String retryFlagger(KubernetesClient c, Target canary) throws ActionException {
        JsonNode cd = getRequired(c, canary);
        JsonNode targetRef = cd.path("spec").path("targetRef");
        String kind = targetRef.path("kind").asText("");
        String name = targetRef.path("name").asText("");
        ResourceDefinitionContext ctx;
        if ("Deployment".equals(kind)) {
            ctx = DEPLOYMENTS;
        } else if ("DaemonSet".equals(kind)) {
            ctx = DAEMON_SETS;
        } else {
            throw new ActionException(Reason.INVALID, "retry needs the canary's target to be a Deployment or "
                    + "DaemonSet; it is " + (kind.isEmpty() ? "not set" : "a " + kind));
        }
        Target target = new Target(ctx, canary.namespace(), name, canary.cluster());
        return send(c, new Request(target, null, PatchType.JSON_MERGE, String.format(RESTARTED_AT, now()), true));
    }

    // ---------------------------------------------------------------------------------------------------- promote

    private String promote(KubernetesClient c, Target t, boolean full) throws ActionException {
        JsonNode ro = getRequired(c, t);
        PromotePlan plan = full ? PromotePlan.promoteFull(ro) : PromotePlan.promote(ro);
        if (plan.nothing()) {
            return "nothing sent: " + plan.why();
        }
        List<String> sent = new ArrayList<>();
        if (plan.statusBody() != null) {
            Request status = new Request(t, "status", PatchType.JSON_MERGE, plan.statusBody(),
                    plan.statusIdempotent());
            if (status.idempotent()) {
                sent.add(send(c, status));
            } else {
                PromotePlan decided = sendDecision(c, t, ro, plan, full);
                sent.add(new Request(t, "status", PatchType.JSON_MERGE, decided.statusBody(), false).describe());
                plan = decided;
            }
        }
        if (plan.specBody() != null) {
            Request spec = new Request(t, null, PatchType.JSON_MERGE, plan.specBody(), true);
            try {
                sent.add(send(c, spec));
            } catch (ActionException e) {
                if (sent.isEmpty()) {
                    throw e;
                }
                throw new ActionException(e.reason(), "only part of the promote went through: " + sent.get(0)
                        + " was applied, but " + spec.describe() + " failed: " + e.getMessage(), e);
            }
        }
        return String.join("; ", sent);
    }

    /**
     * Sends a state-dependent promote status patch. On 409 the rollout is read again: if the state the decision
     * rested on is unchanged, the decision (made again on the fresh object) is sent once more; if the rollout moved
     * on, nothing is re-sent, so a step is never skipped twice.
     */
    private PromotePlan sendDecision(KubernetesClient c, Target t, JsonNode ro, PromotePlan plan, boolean full)
            throws ActionException {
        Request status = new Request(t, "status", PatchType.JSON_MERGE, plan.statusBody(), false);
        try {
            patch(c, status);
            return plan;
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw KubeErrors.toActionException(e, status.info());
            }
        }
        JsonNode fresh = getRequired(c, t);
        if (!PromotePlan.fingerprint(fresh).equals(PromotePlan.fingerprint(ro))) {
            throw new ActionException(Reason.CONFLICT, "409 Conflict on " + status.describe() + ", and the rollout "
                    + "changed meanwhile (" + PromotePlan.fingerprint(fresh) + "): nothing was re-sent, so no step is "
                    + "skipped twice. Look at the rollout and promote again if it still waits.");
        }
        PromotePlan again = full ? PromotePlan.promoteFull(fresh) : PromotePlan.promote(fresh);
        if (again.statusBody() == null) {
            throw new ActionException(Reason.CONFLICT, "409 Conflict on " + status.describe()
                    + "; on fresh state there is no status patch to send: " + again.why());
        }
        Request retry = new Request(t, "status", PatchType.JSON_MERGE, again.statusBody(), false);
        try {
            patch(c, retry);
            return again;
        } catch (KubernetesClientException e) {
            throw KubeErrors.toActionException(e, retry.info());
        }
    }

    // ---------------------------------------------------------------------------------------------------- sending

    /** Sends an idempotent request with its one allowed retry; returns its description. */
    private String send(KubernetesClient c, Request req) throws ActionException {
        sendQuietly(c, req);
        return req.describe();
    }

    private void sendQuietly(KubernetesClient c, Request req) throws ActionException {
        try {
            patch(c, req);
            return;
        } catch (KubernetesClientException e) {
            if (!req.idempotent() || (e.getCode() != 409 && e.getCode() != 429)) {
                throw KubeErrors.toActionException(e, req.info());
            }
            if (e.getCode() == 429) {
                waitRetryAfter(e, req.info());
            } else {
                // fresh state: the object must still be there; if the patch is already in effect, we are done.
                JsonNode fresh = getRequired(c, req.target());
                if (req.type() == PatchType.JSON_MERGE && alreadyApplied(fresh, req.body())) {
                    return;
                }
            }
        }
        try {
            patch(c, req);
        } catch (KubernetesClientException e) {
            throw KubeErrors.toActionException(e, req.info());
        }
    }

    private void waitRetryAfter(KubernetesClientException e, RequestInfo info) throws ActionException {
        Duration wait = KubeErrors.retryAfter(e).orElse(DEFAULT_RETRY_AFTER);
        if (wait.compareTo(MAX_RETRY_AFTER) > 0) {
            throw KubeErrors.toActionException(e, info);
        }
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new ActionException(Reason.TIMEOUT, "interrupted while waiting to retry " + info.what(), ie);
        }
    }

    /** One PATCH on the wire, nothing before it (see {@link KubeWrite}). */
    private static void patch(KubernetesClient c, Request req) {
        KubeWrite.send(c, "PATCH", req.path(), req.type() == PatchType.JSON ? KubeWrite.JSON_PATCH
                : KubeWrite.MERGE_PATCH, req.body());
    }

    private static JsonNode getRequired(KubernetesClient c, Target t) throws ActionException {
        GenericKubernetesResource res;
        try {
            res = c.genericKubernetesResources(t.ctx()).inNamespace(t.namespace()).withName(t.name()).get();
        } catch (KubernetesClientException e) {
            throw KubeErrors.toActionException(e, new RequestInfo("get", t.ctx().getPlural(), t.namespace(),
                    t.name(), t.cluster()));
        }
        if (res == null) {
            throw new ActionException(Reason.NOT_FOUND, Secrets.redact(t.ctx().getKind() + " " + t.namespace() + "/"
                    + t.name() + " does not exist" + (t.cluster() == null ? "" : " on cluster " + t.cluster())));
        }
        return JSON.valueToTree(res);
    }

    /** True when every value the merge patch sets is already what the object holds (null = absent). */
    static boolean alreadyApplied(JsonNode object, String mergePatch) {
        try {
            return covers(object, JSON.readTree(mergePatch));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return false;
        }
    }

    private static boolean covers(JsonNode object, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.equals(object);
        }
        Iterator<Map.Entry<String, JsonNode>> it = patch.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode have = object == null ? null : object.get(f.getKey());
            if (f.getValue().isNull()) {
                if (have != null && !have.isNull()) {
                    return false;
                }
            } else if (f.getValue().isObject()) {
                if (have == null || !have.isObject() || !covers(have, f.getValue())) {
                    return false;
                }
            } else if (have == null || !have.equals(f.getValue())) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------------------------------------------- undo

    private static boolean controlledBy(GenericKubernetesResource rs, String uid) {
        List<OwnerReference> owners = rs.getMetadata() == null ? null : rs.getMetadata().getOwnerReferences();
        if (owners == null) {
            return false;
        }
        return owners.stream().anyMatch(o -> Boolean.TRUE.equals(o.getController()) && uid.equals(o.getUid()));
    }

    private static JsonNode pickRevision(List<JsonNode> owned, long toRevision, RolloutRef ref)
            throws ActionException {
        JsonNode latest = null;
        long latestRev = -1;
        JsonNode previous = null;
        long previousRev = -1;
        for (JsonNode rs : owned) {
            long v;
            String a = rs.path("metadata").path("annotations").path(REVISION_ANNOTATION).asText(null);
            try {
                v = a == null ? 0 : Long.parseLong(a);
            } catch (NumberFormatException e) {
                continue;
            }
            if (toRevision == 0) {
                if (latestRev < v) {
                    previousRev = latestRev;
                    previous = latest;
                    latestRev = v;
                    latest = rs;
                } else if (previousRev < v) {
                    previousRev = v;
                    previous = rs;
                }
            } else if (toRevision == v) {
                return rs;
            }
        }
        if (toRevision > 0) {
            throw new ActionException(Reason.INVALID, "unable to find revision " + toRevision + " in the history of "
                    + ref);
        }
        if (previous == null) {
            throw new ActionException(Reason.INVALID, "no previous revision found for " + ref);
        }
        return previous;
    }

    /**
     * apimachinery's Semantic.DeepDerivative: fields unset in {@code a} (null, empty strings, empty maps/arrays)
     * are ignored, so a template without server defaults matches the ReplicaSet's defaulted copy.
     */
    static boolean derivative(JsonNode a, JsonNode b) {
        if (a == null || a.isNull() || a.isMissingNode()) {
            return true;
        }
        if (a.isObject()) {
            if (a.isEmpty()) {
                return true;
            }
            if (b == null || !b.isObject()) {
                return false;
            }
            Iterator<Map.Entry<String, JsonNode>> it = a.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> f = it.next();
                if (!derivative(f.getValue(), b.get(f.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (a.isArray()) {
            if (a.isEmpty()) {
                return true;
            }
            if (b == null || !b.isArray() || a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!derivative(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a.isTextual() && a.asText().isEmpty()) {
            return true;
        }
        return a.equals(b);
    }

    // ---------------------------------------------------------------------------------------------------- helpers

    private String now() {
        return DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS));
    }

    /**
     * A view of {@code client} whose HTTP layer does not retry on its own (fabric8 retries 429, 5xx and I/O errors
     * for every verb by default). It shares the client's connections and must not be closed.
     */
    static KubernetesClient withoutAutomaticRetries(KubernetesClient client) {
        RequestConfig rc = new RequestConfigBuilder(client.getConfiguration().getRequestConfig())
                .withRequestRetryBackoffLimit(0).build();
        return client.newClient(rc).adapt(KubernetesClient.class);
    }

    private static ResourceDefinitionContext crd(String group, String version, String plural, String kind) {
        return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withPlural(plural)
                .withKind(kind).withNamespaced(true).build();
    }

    private record Target(ResourceDefinitionContext ctx, String namespace, String name, String cluster) {
    }

    private record Request(Target target, String subresource, PatchType type, String body, boolean idempotent) {
        String resource() {
            return target.ctx().getPlural() + (subresource == null ? "" : "/" + subresource);
        }

        RequestInfo info() {
            return new RequestInfo("patch", resource(), target.namespace(), target.name(), target.cluster());
        }

        /** /apis/GROUP/VERSION/namespaces/NS/PLURAL/NAME[/SUBRESOURCE] (/api/v1/... for the core group). */
        String path() {
            ResourceDefinitionContext ctx = target.ctx();
            String group = ctx.getGroup() == null || ctx.getGroup().isEmpty() ? "/api/" + ctx.getVersion()
                    : "/apis/" + ctx.getGroup() + "/" + ctx.getVersion();
            return group + "/namespaces/" + target.namespace() + "/" + ctx.getPlural() + "/" + target.name()
                    + (subresource == null ? "" : "/" + subresource);
        }

        /** "PATCH rollouts/status {...}"; objects other than the rollout or canary itself are named. */
        String describe() {
            boolean self = target.ctx() == ROLLOUTS || target.ctx() == CANARIES;
            return "PATCH " + resource() + (self ? "" : " " + target.namespace() + "/" + target.name()) + " " + body;
        }
    }
}
