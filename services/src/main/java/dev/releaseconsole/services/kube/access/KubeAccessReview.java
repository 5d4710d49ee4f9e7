package dev.releaseconsole.services.kube.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.releaseconsole.services.actions.ActionType;
import dev.releaseconsole.services.actions.PermissionChecker;
import dev.releaseconsole.services.actions.Verdict;
import dev.releaseconsole.services.kube.access.RbacRequirements.Requirement;
import dev.releaseconsole.services.kube.actions.KubeErrors;
import dev.releaseconsole.services.kube.actions.LoadtesterRef;
import dev.releaseconsole.services.model.ActionTarget;
import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.model.RolloutRef;
import io.fabric8.kubernetes.api.model.authentication.SelfSubjectReview;
import io.fabric8.kubernetes.api.model.authentication.SelfSubjectReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.RequestConfigBuilder;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * "May I?" for one cluster, asked of its API server with SelfSubjectAccessReview before a click, so a button can
 * say "you may not patch rollouts/status in namespace payments on cluster prod-eu" instead of failing after it.
 *
 * <p>{@link #mayPerform} never blocks (unless the caller opted in with {@link Builder#blockingAllowed} for threads
 * that may wait, e.g. the facade's pool): it answers from the cache, or starts the review in the background and
 * answers "checking permissions…" (refused); when the answer arrives the listeners run (on a background thread) so
 * the UI re-evaluates its buttons. Answers are cached per (namespace, group, resource, subresource, verb) for a TTL;
 * an expired answer is still used while it is refreshed. A review that fails (network, 5xx) refuses with "could not
 * check permissions: reason" and is retried after a short TTL. {@link #invalidate()} forgets everything (reconnect,
 * new credentials). The API server stays the final judge: a 403 on the real request is reported as DENIED.
 */
public final class KubeAccessReview implements PermissionChecker, AutoCloseable {
    public static final String CHECKING = "checking permissions\u2026";
    public static final String READ_ONLY = "read-only mode: actions are off";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String cluster;
    private final KubernetesClient client;
    private final Executor background;
    private final ExecutorService ownedPool;
    private final Clock clock;
    private final Duration ttl;
    private final Duration failureTtl;
    private final LoadtesterRef loadtester;
    private final String kubeconfigUser;
    private final Function<RolloutRef, Optional<Rollout>> rolloutState;
    private final BooleanSupplier blockingAllowed;
    private final Duration blockTimeout;

    private final Map<ResourcePermission, Answer> cache = new ConcurrentHashMap<>();
    private final Map<ResourcePermission, CompletableFuture<Answer>> inFlight = new ConcurrentHashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong generation = new AtomicLong();
    private final AtomicInteger reviewsSent = new AtomicInteger();
    private volatile boolean readOnly;
    private volatile Identity identity;
    private volatile CompletableFuture<Identity> identityInFlight;

    /** A cached review: allowed or not, or the failure that kept us from knowing. */
    private record Answer(boolean allowed, String failure, Instant at) {
    }

    /** The user's name as the API server knows it, or null when only the kubeconfig user is known. */
    private record Identity(String username, Instant at) {
    }

    private KubeAccessReview(Builder b) {
        this.cluster = b.cluster;
        this.client = withoutAutomaticRetries(b.client);
        if (b.background == null) {
            AtomicInteger n = new AtomicInteger();
            this.ownedPool = Executors.newFixedThreadPool(2, r -> {
                Thread t = new Thread(r, "access-review-" + b.cluster + "-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            this.background = ownedPool;
        } else {
            this.ownedPool = null;
            this.background = b.background;
        }
        this.clock = b.clock;
        this.ttl = b.ttl;
        this.failureTtl = b.failureTtl;
        this.loadtester = b.loadtester;
        this.kubeconfigUser = b.kubeconfigUser != null ? b.kubeconfigUser : kubeconfigUserOf(b.client);
        this.rolloutState = b.rolloutState;
        this.blockingAllowed = b.blockingAllowed;
        this.blockTimeout = b.blockTimeout;
        this.readOnly = b.readOnly;
    }

    /** {@code cluster} is the console's cluster id, the one in {@link RolloutRef#cluster()} and in messages. */
    public static Builder builder(String cluster, KubernetesClient client) {
        return new Builder(cluster, client);
    }

    // ------------------------------------------------------------------------------------------ PermissionChecker

    @Override
    public Verdict mayPerform(ActionType action, ActionTarget target) {
        if (readOnly) {
            return Verdict.refused(READ_ONLY);
        }
        if (!(target instanceof RolloutRef ref)) {
            return Verdict.refused(action.label() + " is not a Kubernetes action");
        }
        if (!cluster.equals(ref.cluster())) {
            return Verdict.refused(ref + " belongs to cluster " + ref.cluster() + ", not " + cluster);
        }
        if (action == ActionType.UNDO) {
            return mayUndo(ref);
        }
        if (action == ActionType.TERMINATE_ANALYSIS) {
            return mayTerminateAnalysis(ref.namespace());
        }
        boolean specPaused = rolloutState.apply(ref).map(Rollout::specPaused).orElse(false);
        return check(RbacRequirements.forAction(action, ref, specPaused, loadtester));
    }

    /** {@code kubectl argo rollouts undo}: get rollouts, list replicasets, patch rollouts. */
    public Verdict mayUndo(RolloutRef ref) {
        return readOnly ? Verdict.refused(READ_ONLY) : check(RbacRequirements.forUndo(ref.namespace()));
    }

    /** Terminating an AnalysisRun: patch analysisruns. */
    public Verdict mayTerminateAnalysis(String namespace) {
        return readOnly ? Verdict.refused(READ_ONLY) : check(RbacRequirements.forTerminateAnalysis(namespace));
    }

    /**
     * "alice@prod-eu": the user name from a SelfSubjectReview (cached), or the kubeconfig user until that answers
     * or where the cluster does not serve it.
     */
    @Override
    public String whoAmI(ActionTarget target) {
        return whoAmI();
    }

    public String whoAmI() {
        Identity id = identity;
        if (id == null || expired(id.at(), id.username() == null ? failureTtl : ttl)) {
            CompletableFuture<Identity> f = fetchIdentity();
            if (id == null && blockingAllowed.getAsBoolean()) {
                try {
                    id = f.get(blockTimeout.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ExecutionException | TimeoutException e) {
                    // fall back below
                }
            }
        }
        String name = id != null && id.username() != null ? id.username() : kubeconfigUser;
        return name + "@" + cluster;
    }

    // ------------------------------------------------------------------------------------------ cache control

    /** Warms the cache for every action in these namespaces (and the identity), in the background. */
    public void prefetch(Collection<String> namespaces) {
        List<ResourcePermission> wanted = new ArrayList<>();
        for (String ns : namespaces) {
            wanted.addAll(RbacRequirements.allFor(ns));
        }
        if (loadtester != null) {
            wanted.add(new ResourcePermission(loadtester.namespace(), "", "services", "proxy", "create"));
        }
        for (ResourcePermission p : wanted) {
            Answer a = cache.get(p);
            if (a == null || stale(a)) {
                fetch(p);
            }
        }
        if (identity == null) {
            fetchIdentity();
        }
    }

    /** Forgets every answer and the identity, e.g. after a reconnect or new credentials. */
    public void invalidate() {
        generation.incrementAndGet();
        cache.clear();
        inFlight.clear();
        identity = null;
        identityInFlight = null;
        fireChanged();
    }

    public boolean isReadOnly() {
        return readOnly;
    }

    public void setReadOnly(boolean readOnly) {
        this.readOnly = readOnly;
        fireChanged();
    }

    /** Runs after answers arrive (on a background thread): re-evaluate buttons on the UI thread from here. */
    public void addListener(Runnable listener) {
        listeners.add(listener);
    }

    public void removeListener(Runnable listener) {
        listeners.remove(listener);
    }

    @Override
    public void addChangeListener(Runnable listener) {
        addListener(listener);
    }

    @Override
    public void removeChangeListener(Runnable listener) {
        removeListener(listener);
    }

    /** How many reviews were sent to the API server (for diagnostics and tests). */
    public int reviewsSent() {
        return reviewsSent.get();
    }

    @Override
    public void close() {
        if (ownedPool != null) {
            ownedPool.shutdownNow();
        }
    }

    // ------------------------------------------------------------------------------------------ evaluation

    private Verdict check(Requirement req) {
        if (req.unavailable() != null) {
            return Verdict.refused(req.unavailable());
        }
        Verdict v = evaluate(req.permissions());
        if (CHECKING.equals(v.reason()) && blockingAllowed.getAsBoolean()) {
            List<CompletableFuture<Answer>> pending = new ArrayList<>();
            for (ResourcePermission p : req.permissions()) {
                if (!cache.containsKey(p)) {
                    pending.add(fetch(p));
                }
            }
            try {
                CompletableFuture.allOf(pending.toArray(new CompletableFuture[0]))
                        .get(blockTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                return Verdict.refused("could not check permissions: the API server did not answer within "
                        + blockTimeout.toSeconds() + "s");
            }
            v = evaluate(req.permissions());
        }
        return v;
    }

    private Verdict evaluate(List<ResourcePermission> needed) {
        List<ResourcePermission> denied = new ArrayList<>();
        String failure = null;
        boolean pending = false;
        for (ResourcePermission p : needed) {
            Answer a = cache.get(p);
            if (a == null) {
                CompletableFuture<Answer> f = fetch(p);
                if (!f.isDone()) {
                    pending = true;
                    continue;
                }
                a = f.join(); // a direct executor answered at once
            }
            if (stale(a)) {
                fetch(p); // keep using the old answer until the new one arrives
            }
            if (a.failure() != null) {
                failure = failure == null ? a.failure() : failure;
            } else if (!a.allowed()) {
                denied.add(p);
            }
        }
        if (!denied.isEmpty()) {
            return Verdict.refused(deniedReason(denied));
        }
        if (failure != null) {
            return Verdict.refused("could not check permissions: " + failure);
        }
        return pending ? Verdict.refused(CHECKING) : Verdict.allowed();
    }

    /** "you may not patch rollouts/status and patch rollouts in namespace payments on cluster prod-eu". */
    private String deniedReason(List<ResourcePermission> denied) {
        Map<String, List<ResourcePermission>> byNamespace = new LinkedHashMap<>();
        denied.forEach(p -> byNamespace.computeIfAbsent(p.namespace(), k -> new ArrayList<>()).add(p));
        return "you may not " + byNamespace.entrySet().stream()
                .map(e -> e.getValue().stream().map(ResourcePermission::describe).collect(Collectors.joining(" and "))
                        + " in namespace " + e.getKey())
                .collect(Collectors.joining(" or ")) + " on cluster " + cluster;
    }

    private boolean stale(Answer a) {
        return expired(a.at(), a.failure() == null ? ttl : failureTtl);
    }

    private boolean expired(Instant at, Duration life) {
        return !clock.instant().isBefore(at.plus(life));
    }

    // ------------------------------------------------------------------------------------------ reviews

    private CompletableFuture<Answer> fetch(ResourcePermission p) {
        CompletableFuture<Answer> mine = new CompletableFuture<>();
        CompletableFuture<Answer> running = inFlight.putIfAbsent(p, mine);
        if (running != null) {
            return running;
        }
        long gen = generation.get();
        try {
            background.execute(() -> {
                Answer a = review(p);
                if (generation.get() == gen) {
                    cache.put(p, a);
                }
                inFlight.remove(p, mine);
                mine.complete(a);
                fireChanged();
            });
        } catch (RejectedExecutionException e) {
            inFlight.remove(p, mine);
            mine.complete(new Answer(false, "the console is shutting down", clock.instant()));
        }
        return mine;
    }

    private Answer review(ResourcePermission p) {
        reviewsSent.incrementAndGet();
        SelfSubjectAccessReview request = new SelfSubjectAccessReviewBuilder().withNewSpec()
                .withNewResourceAttributes().withNamespace(p.namespace()).withGroup(p.group())
                .withResource(p.resource()).withSubresource(p.subresource().isEmpty() ? null : p.subresource())
                .withVerb(p.verb()).endResourceAttributes().endSpec().build();
        try {
            SelfSubjectAccessReview answer = client.authorization().v1().selfSubjectAccessReview().create(request);
            boolean allowed = answer != null && answer.getStatus() != null
                    && Boolean.TRUE.equals(answer.getStatus().getAllowed());
            return new Answer(allowed, null, clock.instant());
        } catch (KubernetesClientException e) {
            return new Answer(false, KubeErrors.describe(e), clock.instant());
        } catch (RuntimeException e) {
            return new Answer(false, KubeErrors.describe(e), clock.instant());
        }
    }

    private synchronized CompletableFuture<Identity> fetchIdentity() {
        CompletableFuture<Identity> running = identityInFlight;
        if (running != null && !running.isDone()) {
            return running;
        }
        CompletableFuture<Identity> mine = new CompletableFuture<>();
        identityInFlight = mine;
        long gen = generation.get();
        try {
            background.execute(() -> {
                Identity id = new Identity(selfSubjectReview(), clock.instant());
                if (generation.get() == gen) {
                    identity = id;
                }
                mine.complete(id);
                fireChanged();
            });
        } catch (RejectedExecutionException e) {
            mine.complete(new Identity(null, clock.instant()));
        }
        return mine;
    }

    /** status.userInfo.username of a SelfSubjectReview (v1 since Kubernetes 1.28, v1beta1 in 1.27), or null. */
    private String selfSubjectReview() {
        try {
            SelfSubjectReview r = client.authentication().v1().selfSubjectReviews()
                    .create(new SelfSubjectReviewBuilder().build());
            if (r != null && r.getStatus() != null && r.getStatus().getUserInfo() != null) {
                return blankToNull(r.getStatus().getUserInfo().getUsername());
            }
            return null;
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                return null;
            }
        } catch (RuntimeException e) {
            return null;
        }
        try {
            String body = client.raw("/apis/authentication.k8s.io/v1beta1/selfsubjectreviews", "POST",
                    "{\"apiVersion\":\"authentication.k8s.io/v1beta1\",\"kind\":\"SelfSubjectReview\"}");
            JsonNode n = body == null ? null : JSON.readTree(body);
            return n == null ? null : blankToNull(n.path("status").path("userInfo").path("username").asText(null));
        } catch (RuntimeException | com.fasterxml.jackson.core.JsonProcessingException e) {
            return null;
        }
    }

    private void fireChanged() {
        for (Runnable l : listeners) {
            try {
                l.run();
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(KubeAccessReview.class).warn("permission listener failed", e);
            }
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** The kubeconfig context's user entry, else the configured user name, else "unknown". */
    private static String kubeconfigUserOf(KubernetesClient client) {
        Config c = client.getConfiguration();
        if (c.getCurrentContext() != null && c.getCurrentContext().getContext() != null
                && c.getCurrentContext().getContext().getUser() != null) {
            return c.getCurrentContext().getContext().getUser();
        }
        return c.getUsername() != null ? c.getUsername() : "unknown";
    }

    /** Reviews fail fast and are retried by the cache's failure TTL, not by fabric8's backoff. */
    private static KubernetesClient withoutAutomaticRetries(KubernetesClient client) {
        return client.newClient(new RequestConfigBuilder(client.getConfiguration().getRequestConfig())
                .withRequestRetryBackoffLimit(0).build()).adapt(KubernetesClient.class);
    }

    public static final class Builder {
        private final String cluster;
        private final KubernetesClient client;
        private Executor background;
        private Clock clock = Clock.systemUTC();
        private Duration ttl = Duration.ofMinutes(5);
        private Duration failureTtl = Duration.ofSeconds(15);
        private LoadtesterRef loadtester;
        private String kubeconfigUser;
        private Function<RolloutRef, Optional<Rollout>> rolloutState = r -> Optional.empty();
        private BooleanSupplier blockingAllowed = () -> false;
        private Duration blockTimeout = Duration.ofSeconds(5);
        private boolean readOnly;

        private Builder(String cluster, KubernetesClient client) {
            this.cluster = Objects.requireNonNull(cluster, "cluster");
            this.client = Objects.requireNonNull(client, "client");
        }

        /** Where reviews run; by default two daemon threads owned (and closed) by the checker. */
        public Builder background(Executor executor) {
            this.background = executor;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** How long an answer is fresh (default 5 min); a failed review is retried after {@code failureTtl}. */
        public Builder ttl(Duration ttl, Duration failureTtl) {
            this.ttl = ttl;
            this.failureTtl = failureTtl;
            return this;
        }

        /** The flagger-loadtester for Flagger gates; without one, Flagger promote/abort are refused. */
        public Builder loadtester(LoadtesterRef loadtester) {
            this.loadtester = loadtester;
            return this;
        }

        /** The kubeconfig user to name until (or where) SelfSubjectReview answers; default from the client. */
        public Builder kubeconfigUser(String user) {
            this.kubeconfigUser = user;
            return this;
        }

        /**
         * The last reported state of a rollout (e.g. {@code LiveState.rollouts()::get}): promote needs patch rollouts
         * too when spec.paused holds. Without it, only the status patch is checked.
         */
        public Builder rolloutState(Function<RolloutRef, Optional<Rollout>> lookup) {
            this.rolloutState = lookup;
            return this;
        }

        /**
         * When {@code allowed} says the calling thread may wait (e.g. {@code () -> !Platform.isFxApplicationThread()}),
         * a cold cache is filled synchronously, up to {@code timeout}, instead of answering "checking permissions…".
         */
        public Builder blockingAllowed(BooleanSupplier allowed, Duration timeout) {
            this.blockingAllowed = allowed;
            this.blockTimeout = timeout;
            return this;
        }

        public Builder readOnly(boolean readOnly) {
            this.readOnly = readOnly;
            return this;
        }

        public KubeAccessReview build() {
            return new KubeAccessReview(this);
        }
    }
}
