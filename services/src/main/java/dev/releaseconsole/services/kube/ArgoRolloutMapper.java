package dev.releaseconsole.services.kube;

import dev.releaseconsole.services.model.AnalysisPhase;
import dev.releaseconsole.services.model.AnalysisRun;
import dev.releaseconsole.services.model.Measurement;
import dev.releaseconsole.services.model.MetricResult;
import dev.releaseconsole.services.model.PauseCondition;
import dev.releaseconsole.services.model.Revision;
import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.model.Step;
import dev.releaseconsole.services.model.StepKind;
import dev.releaseconsole.services.model.Strategy;
import dev.releaseconsole.services.model.WorkloadKind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Maps an Argo {@code Rollout} (raw JSON) with its ReplicaSets and AnalysisRuns to the console's {@link Rollout},
 * computing what {@code kubectl argo rollouts get} shows (pkg/kubectl-argo-rollouts/info/rollout_info.go,
 * replicaset_info.go, analysisrun_info.go at v1.9.1):
 *
 * <ul>
 * <li>Step "i/n" from {@code status.currentStepIndex} and the canary steps.</li>
 * <li>Desired weight: GetCurrentSetWeight, i.e. 0 while aborted; the max traffic weight (100 unless
 * {@code trafficRouting.maxTrafficWeight}) once no step remains; else the setWeight of the last setWeight step at or
 * before the current step.</li>
 * <li>Actual weight: the max weight once no step remains; else 0 while {@code status.availableReplicas} is 0; with
 * traffic routing {@code status.canary.weights.canary.weight} (the set weight when weights are absent); without it
 * the canary ReplicaSet's available pods times the max weight over {@code status.availableReplicas}. Blue-green:
 * 100 once the active selector points at the current pod hash, else 0.</li>
 * <li>Phase: {@code status.phase}/{@code message}; when the controller has not written a phase (no status yet, or a
 * pre-1.0 controller) the client-side CalculateRolloutPhase, as GetRolloutPhase falls back to it. The two
 * GetRolloutPhase overrides live in {@link Rollout#displayPhase()}; {@code observedGeneration} (a string) is set
 * equal to the generation where the plugin counts it as observed (missing, not numeric, or greater).</li>
 * <li>ReplicaSets and AnalysisRuns belong to the rollout when any owner reference has its UID.</li>
 * </ul>
 *
 * A field of the wrong type is left empty and described in {@link Rollout#readProblems()}; unknown fields are ignored.
 */
public final class ArgoRolloutMapper {
    private ArgoRolloutMapper() {
    }

    /**
     * Maps {@code rollout}. {@code replicaSets} and {@code analysisRuns} may hold other objects too; only those owned
     * by the rollout (by UID) are used.
     */
    public static Rollout map(String clusterId, GenericKubernetesResource rollout,
                              Collection<GenericKubernetesResource> replicaSets,
                              Collection<GenericKubernetesResource> analysisRuns) {
        Node.Problems problems = new Node.Problems();
        Map<String, Object> props = KubeObjects.props(rollout);
        Node spec = Node.root(props.get("spec"), "spec", problems);
        Node status = Node.root(props.get("status"), "status", problems);
        if (props.get("spec") != null && !spec.isMap()) {
            problems.add("spec is " + Node.describe(props.get("spec")) + ", not a mapping");
        }
        if (props.get("status") != null && !status.isMap()) {
            problems.add("status is " + Node.describe(props.get("status")) + ", not a mapping");
        }
        RolloutRef ref = new RolloutRef(clusterId, KubeObjects.namespace(rollout), KubeObjects.name(rollout),
                WorkloadKind.ARGO_ROLLOUT);

        Node canary = spec.get("strategy", "canary");
        Node blueGreen = spec.get("strategy", "blueGreen");
        Strategy strategy;
        if (canary.present()) {
            strategy = Strategy.CANARY;
        } else if (blueGreen.present()) {
            strategy = Strategy.BLUE_GREEN;
        } else {
            strategy = Strategy.CANARY;
            if (spec.present()) {
                problems.add("spec.strategy has neither canary nor blueGreen; shown as a canary");
            }
        }
        Node trafficRouting = canary.get("trafficRouting");
        boolean routed = trafficRouting.present();
        int maxWeight = routed ? trafficRouting.get("maxTrafficWeight").integer(100) : 100;

        List<Step> steps = strategy == Strategy.CANARY
                ? canary.get("steps").list().stream().map(ArgoRolloutMapper::step).toList() : List.of();

        Integer currentStepIndex = status.get("currentStepIndex").integer();
        boolean abort = status.get("abort").bool(false);
        boolean controllerPause = status.get("controllerPause").bool(false);
        boolean promoteFull = status.get("promoteFull").bool(false);
        boolean specPaused = spec.get("paused").bool(false);
        String currentPodHash = status.get("currentPodHash").text();
        String stableRS = status.get("stableRS").text();
        int availableReplicas = status.get("availableReplicas").integer(0);
        List<PauseCondition> pauseConditions = new ArrayList<>();
        for (Node pc : status.get("pauseConditions").list()) {
            String reason = pc.get("reason").text();
            pauseConditions.add(new PauseCondition(reason == null ? "" : reason, pc.get("startTime").time()));
        }
        String activeSelector = status.get("blueGreen", "activeSelector").text();
        String previewSelector = status.get("blueGreen", "previewSelector").text();

        // generation and observedGeneration as GetRolloutPhase's isGenerationObserved sees them
        Long metaGeneration = rollout.getMetadata() == null ? null : rollout.getMetadata().getGeneration();
        String observedText = status.get("observedGeneration").textOrNumber();
        Long observed = parseLong(observedText);
        long generation = metaGeneration != null ? metaGeneration : observed != null ? observed : 0;
        long observedGeneration = observed == null || observed > generation ? generation : observed;

        // owned objects
        String uid = KubeObjects.uid(rollout);
        List<GenericKubernetesResource> ownedRS = replicaSets.stream()
                .filter(rs -> KubeObjects.ownedBy(rs, uid)).toList();
        List<GenericKubernetesResource> ownedAR = analysisRuns.stream()
                .filter(ar -> KubeObjects.ownedBy(ar, uid)).toList();

        List<RevisionRow> rows = new ArrayList<>();
        for (GenericKubernetesResource rs : ownedRS) {
            rows.add(revision(rs, strategy, currentPodHash, stableRS, activeSelector, previewSelector,
                    problems.scoped("replicaset " + KubeObjects.name(rs))));
        }
        rows.sort(Comparator.comparingInt((RevisionRow r) -> r.revision.number()).reversed()
                .thenComparing(r -> r.name));

        List<AnalysisRun> runs = analysisRuns(ownedAR, problems);

        // weights, as rollout_info.go computes them
        boolean hasWeights = status.get("canary", "weights").present();
        int routedWeight = status.get("canary", "weights", "canary", "weight").integer(0);
        int desiredWeight;
        int actualWeight;
        Integer effectiveIndex = currentStepIndex == null ? Integer.valueOf(0) : currentStepIndex;
        boolean noStepLeft = steps.isEmpty() || effectiveIndex >= steps.size() || effectiveIndex < 0;
        if (strategy == Strategy.CANARY) {
            if (abort) {
                desiredWeight = 0;
            } else if (noStepLeft) {
                desiredWeight = maxWeight;
            } else {
                desiredWeight = 0;
                for (int i = effectiveIndex; i >= 0; i--) {
                    Step s = steps.get(i);
                    if (s.kind() == StepKind.SET_WEIGHT && s.weight() != null) {
                        desiredWeight = s.weight();
                        break;
                    }
                }
            }
            if (noStepLeft) {
                actualWeight = maxWeight;
            } else if (availableReplicas > 0) {
                if (!routed) {
                    actualWeight = 0;
                    for (RevisionRow r : rows) {
                        if ("canary".equals(r.revision.role())) {
                            actualWeight = r.available * maxWeight / availableReplicas;
                        }
                    }
                } else if (hasWeights) {
                    actualWeight = routedWeight;
                } else {
                    actualWeight = desiredWeight;
                }
            } else {
                actualWeight = 0;
            }
        } else {
            boolean switched = currentPodHash != null && currentPodHash.equals(activeSelector);
            desiredWeight = switched ? 100 : 0;
            actualWeight = desiredWeight;
        }

        // phase: the controller's, or the client-side calculation when it wrote none
        String phase = status.get("phase").text();
        String message = status.get("message").text();
        if (phase == null || phase.isEmpty()) {
            String[] calculated = calculatePhase(spec, status, strategy, routed, currentPodHash, stableRS,
                    activeSelector, pauseConditions, specPaused);
            phase = calculated[0];
            message = calculated[1];
        }

        Instant stepStartedAt = stepStartedAt(steps, currentStepIndex, pauseConditions, runs, rows, currentPodHash);

        return Rollout.builder(ref, strategy)
                .createdAt(KubeObjects.created(rollout, problems))
                .generation(generation)
                .observedGeneration(observedGeneration)
                .steps(steps)
                .currentStepIndex(strategy == Strategy.CANARY ? currentStepIndex : null)
                .stepStartedAt(stepStartedAt)
                .desiredWeight(desiredWeight)
                .actualWeight(actualWeight)
                .phase(phase, message == null ? "" : message)
                .specPaused(specPaused)
                .controllerPause(controllerPause)
                .pauseConditions(pauseConditions)
                .abort(abort)
                .abortedAt(status.get("abortedAt").time())
                .promoteFull(promoteFull)
                .currentPodHash(currentPodHash)
                .stableRS(stableRS)
                .desiredReplicas(spec.get("replicas").integer(1))
                .readyReplicas(status.get("readyReplicas").integer(0))
                .updatedReplicas(status.get("updatedReplicas").integer(0))
                .revisions(rows.stream().map(r -> r.revision).toList())
                .analysisRuns(runs)
                .activeSelector(activeSelector)
                .previewSelector(previewSelector)
                .managedBy(GitOpsOwner.of(rollout.getMetadata()))
                .readProblems(problems.list())
                .build();
    }

    /** The AnalysisRuns as the plugin sorts them: newest revision first, then oldest creation, then name. */
    static List<AnalysisRun> analysisRuns(List<GenericKubernetesResource> owned, Node.Problems problems) {
        List<Object[]> keyed = new ArrayList<>();
        for (GenericKubernetesResource ar : owned) {
            Node.Problems p = problems.scoped("analysisrun " + KubeObjects.name(ar));
            keyed.add(new Object[] {analysisRun(ar, p), KubeObjects.created(ar, p)});
        }
        keyed.sort((a, b) -> {
            AnalysisRun x = (AnalysisRun) a[0];
            AnalysisRun y = (AnalysisRun) b[0];
            if (x.revision() != y.revision()) {
                return Integer.compare(y.revision(), x.revision());
            }
            Instant cx = (Instant) a[1];
            Instant cy = (Instant) b[1];
            if (!Objects.equals(cx, cy) && cx != null && cy != null) {
                return cx.compareTo(cy);
            }
            return y.name().compareTo(x.name());
        });
        return keyed.stream().map(k -> (AnalysisRun) k[0]).toList();
    }

    /** One AnalysisRun with its metric results; successCondition comes from spec.metrics[] of the same name. */
    static AnalysisRun analysisRun(GenericKubernetesResource ar, Node.Problems problems) {
        Map<String, Object> props = KubeObjects.props(ar);
        Node spec = Node.root(props.get("spec"), "spec", problems);
        Node status = Node.root(props.get("status"), "status", problems);
        Map<String, String> successConditions = new HashMap<>();
        for (Node m : spec.get("metrics").list()) {
            String name = m.get("name").text();
            if (name != null) {
                String cond = m.get("successCondition").text();
                successConditions.put(name, cond);
            }
        }
        Map<String, String> labels = KubeObjects.labels(ar);
        Integer revision = KubeObjects.intValue(KubeObjects.annotations(ar), KubeObjects.REVISION_ANNOTATION,
                "annotation", problems);
        Integer stepIndex = KubeObjects.intValue(labels, KubeObjects.STEP_INDEX_LABEL, "label", problems);
        List<MetricResult> results = new ArrayList<>();
        for (Node mr : status.get("metricResults").list()) {
            String name = mr.get("name").text();
            List<Measurement> measurements = new ArrayList<>();
            for (Node ms : mr.get("measurements").list()) {
                measurements.add(new Measurement(phase(ms.get("phase"), false), ms.get("startedAt").time(),
                        ms.get("finishedAt").time(), ms.get("value").textOrNumber(), ms.get("message").text()));
            }
            results.add(new MetricResult(name == null ? "" : name, phase(mr.get("phase"), false),
                    mr.get("message").text(), mr.get("count").integer(0), mr.get("successful").integer(0),
                    mr.get("failed").integer(0), mr.get("inconclusive").integer(0), mr.get("error").integer(0),
                    name == null ? null : successConditions.get(name), measurements));
        }
        return new AnalysisRun(KubeObjects.name(ar), phase(status.get("phase"), true), status.get("message").text(),
                labels.get(KubeObjects.ROLLOUT_TYPE_LABEL), stepIndex, revision == null ? 0 : revision,
                status.get("startedAt").time(), status.get("completedAt").time(), results);
    }

    /** An analysis phase; "" or missing is Pending for a run (the controller's start state), else empty. */
    private static AnalysisPhase phase(Node n, boolean emptyIsPending) {
        String s = n.text();
        if (s == null || s.isEmpty()) {
            return emptyIsPending ? AnalysisPhase.Pending : null;
        }
        AnalysisPhase p = AnalysisPhase.parse(s);
        if (p == null) {
            n.problem("is " + Node.quote(s) + ", not an analysis phase (Pending, Running, Successful, Failed, "
                    + "Error, Inconclusive)");
        }
        return p;
    }

    private static final class RevisionRow {
        final Revision revision;
        final String name;
        final int available;

        RevisionRow(Revision revision, String name, int available) {
            this.revision = revision;
            this.name = name;
            this.available = available;
        }
    }

    private static RevisionRow revision(GenericKubernetesResource rs, Strategy strategy, String currentPodHash,
                                        String stableRS, String activeSelector, String previewSelector,
                                        Node.Problems problems) {
        Map<String, Object> props = KubeObjects.props(rs);
        Node spec = Node.root(props.get("spec"), "spec", problems);
        Node status = Node.root(props.get("status"), "status", problems);
        String hash = KubeObjects.labels(rs).get(KubeObjects.POD_TEMPLATE_HASH);
        Integer number = KubeObjects.intValue(KubeObjects.annotations(rs), KubeObjects.REVISION_ANNOTATION,
                "annotation", problems);
        String role = "old";
        if (hash != null) {
            if (strategy == Strategy.BLUE_GREEN) {
                if (hash.equals(activeSelector)) {
                    role = "active";
                } else if (hash.equals(previewSelector)) {
                    role = "preview";
                } else if (hash.equals(stableRS)) {
                    role = "stable";
                }
            } else if (hash.equals(stableRS)) {
                role = "stable";
            } else if (hash.equals(currentPodHash)) {
                role = "canary";
            }
        }
        List<String> images = new ArrayList<>();
        for (Node c : spec.get("template", "spec", "containers").list()) {
            String image = c.get("image").text();
            if (image != null) {
                images.add(image);
            }
        }
        Revision r = new Revision(number == null ? 0 : number, hash, images, role,
                status.get("replicas").integer(0), status.get("readyReplicas").integer(0));
        return new RevisionRow(r, KubeObjects.name(rs), status.get("availableReplicas").integer(0));
    }

    /** One canary step; steps the console has no kind for (header/mirror routes, plugins) are UNKNOWN. */
    static Step step(Node s) {
        if (!s.isMap()) {
            if (s.present()) {
                s.problem("is " + Node.describe(s.raw()) + ", not a step");
            }
            return new Step(StepKind.UNKNOWN, null, null, null);
        }
        Node setWeight = s.get("setWeight");
        if (setWeight.present()) {
            Integer w = setWeight.integer();
            return w == null ? new Step(StepKind.UNKNOWN, null, null, null) : Step.setWeight(w);
        }
        Node pause = s.get("pause");
        if (pause.present()) {
            Node d = pause.get("duration");
            if (!d.present()) {
                return Step.pauseIndefinitely();
            }
            Duration duration = pauseDuration(d);
            return duration == null ? Step.pauseIndefinitely() : Step.pause(duration);
        }
        Node analysis = s.get("analysis");
        if (analysis.present()) {
            String templates = analysis.get("templates").list().stream()
                    .map(t -> t.get("templateName").text()).filter(Objects::nonNull)
                    .collect(Collectors.joining(", "));
            return Step.analysis(templates);
        }
        if (s.get("experiment").present()) {
            return new Step(StepKind.EXPERIMENT, null, null, null);
        }
        if (s.get("setCanaryScale").present()) {
            return new Step(StepKind.SET_CANARY_SCALE, null, null, null);
        }
        return new Step(StepKind.UNKNOWN, null, null, null);
    }

    /** RolloutPause.DurationSeconds: an int is seconds; a string is seconds when numeric, else a Go duration. */
    private static Duration pauseDuration(Node d) {
        Object raw = d.raw();
        if (raw instanceof Number) {
            Integer secs = d.integer();
            return secs == null ? null : Duration.ofSeconds(secs);
        }
        if (raw instanceof String) {
            String s = ((String) raw).trim();
            try {
                return Duration.ofSeconds(Integer.parseInt(s));
            } catch (NumberFormatException e) {
                Duration parsed = GoDuration.parse(s);
                if (parsed == null) {
                    d.problem("is " + Node.quote(s) + ", not a duration (e.g. 30s, 10m, 1h); shown as a pause "
                            + "until promoted");
                }
                return parsed;
            }
        }
        d.problem("is " + Node.describe(raw) + ", not a duration");
        return null;
    }

    /**
     * When the current step began, where the CR says so: a pause step's CanaryPauseStep condition, or the start of
     * the current revision's step analysis for this step index. The watch fills in the rest from what it observed.
     */
    private static Instant stepStartedAt(List<Step> steps, Integer index, List<PauseCondition> pauseConditions,
                                         List<AnalysisRun> runs, List<RevisionRow> rows, String currentPodHash) {
        if (index == null || index < 0 || index >= steps.size()) {
            return null;
        }
        Step step = steps.get(index);
        if (step.kind() == StepKind.PAUSE) {
            return pauseConditions.stream().filter(p -> PauseCondition.CANARY_PAUSE_STEP.equals(p.reason()))
                    .map(PauseCondition::startTime).filter(Objects::nonNull).findFirst().orElse(null);
        }
        if (step.kind() == StepKind.ANALYSIS) {
            int currentRevision = rows.stream().filter(r -> currentPodHash != null
                            && currentPodHash.equals(r.revision.podTemplateHash()))
                    .mapToInt(r -> r.revision.number()).findFirst().orElse(-1);
            return runs.stream()
                    .filter(r -> "Step".equals(r.type()) && index.equals(r.stepIndex()))
                    .filter(r -> currentRevision < 0 || r.revision() == currentRevision)
                    .map(AnalysisRun::startedAt).filter(Objects::nonNull)
                    .max(Comparator.naturalOrder()).orElse(null);
        }
        return null;
    }

    /**
     * CalculateRolloutPhase (utils/rollout/rolloututil.go), which GetRolloutPhase falls back to when the controller
     * has written no phase: a rollout without status is Progressing ("more replicas need to be updated"), or Paused
     * when spec.paused is set.
     */
    private static String[] calculatePhase(Node spec, Node status, Strategy strategy, boolean routed,
                                           String currentPodHash, String stableRS, String activeSelector,
                                           List<PauseCondition> pauseConditions, boolean specPaused) {
        for (Node c : status.get("conditions").list()) {
            String type = c.get("type").text();
            String reason = c.get("reason").text();
            String msg = c.get("message").text();
            if ("InvalidSpec".equals(type)) {
                return new String[] {Rollout.DEGRADED, "InvalidSpec: " + nz(msg)};
            }
            if ("RolloutAborted".equals(reason) || "ProgressDeadlineExceeded".equals(reason)) {
                return new String[] {Rollout.DEGRADED, reason + ": " + nz(msg)};
            }
        }
        if (specPaused) {
            return new String[] {Rollout.PAUSED, "manually paused"};
        }
        if (!pauseConditions.isEmpty()) {
            return new String[] {Rollout.PAUSED, pauseConditions.get(0).reason()};
        }
        Node restartAt = spec.get("restartAt");
        if (restartAt.present()) {
            Instant want = restartAt.time();
            Instant done = status.get("restartedAt").time();
            if (want != null && !want.equals(done)) {
                return new String[] {Rollout.PROGRESSING, "rollout is restarting"};
            }
        }
        int replicas = spec.get("replicas").integer(1);
        int updated = status.get("updatedReplicas").integer(0);
        int available = status.get("availableReplicas").integer(0);
        if (updated < replicas) {
            return new String[] {Rollout.PROGRESSING, "more replicas need to be updated"};
        }
        if (available < updated) {
            return new String[] {Rollout.PROGRESSING, "updated replicas are still becoming available"};
        }
        boolean fullyPromoted = Objects.equals(stableRS, currentPodHash);
        if (strategy == Strategy.BLUE_GREEN) {
            if (activeSelector == null || activeSelector.isEmpty() || !activeSelector.equals(currentPodHash)) {
                return new String[] {Rollout.PROGRESSING, "active service cutover pending"};
            }
            if (stableRS == null || stableRS.isEmpty() || !fullyPromoted) {
                boolean postAnalysis = spec.get("strategy", "blueGreen", "postPromotionAnalysis").present();
                String runStatus = status.get("blueGreen", "postPromotionAnalysisRunStatus", "status").text();
                AnalysisPhase p = AnalysisPhase.parse(runStatus);
                if (postAnalysis && (p == null || !p.isCompleted())) {
                    return new String[] {Rollout.PROGRESSING, "waiting for analysis to complete"};
                }
                return new String[] {Rollout.PROGRESSING, "waiting for post-promotion verification to complete"};
            }
        } else {
            if (!routed && status.get("replicas").integer(0) > updated) {
                return new String[] {Rollout.PROGRESSING, "old replicas are pending termination"};
            }
            if (stableRS == null || stableRS.isEmpty() || !fullyPromoted) {
                return new String[] {Rollout.PROGRESSING, "waiting for all steps to complete"};
            }
        }
        return new String[] {Rollout.HEALTHY, ""};
    }

    private static Long parseLong(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return null; // a pre-v0.10 hash: the plugin treats the generation as observed
        }
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
