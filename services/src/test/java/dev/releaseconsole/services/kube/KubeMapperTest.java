package dev.releaseconsole.services.kube;

import dev.releaseconsole.services.model.AnalysisPhase;
import dev.releaseconsole.services.model.AnalysisRun;
import dev.releaseconsole.services.model.MetricResult;
import dev.releaseconsole.services.model.PauseCondition;
import dev.releaseconsole.services.model.Revision;
import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.model.Step;
import dev.releaseconsole.services.model.StepKind;
import dev.releaseconsole.services.model.Strategy;
import dev.releaseconsole.services.model.WorkloadKind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The Argo and Flagger mappers against realistic CRs, computed as the Argo plugin computes them. */
class KubeMapperTest {

    private static Rollout argo(String fixture, String name) {
        List<GenericKubernetesResource> all = KubeFixtures.load(fixture);
        return ArgoRolloutMapper.map("prod-eu", KubeFixtures.named(all, "Rollout", name),
                KubeFixtures.ofKind(all, "ReplicaSet"), KubeFixtures.ofKind(all, "AnalysisRun"));
    }

    @Test
    void pausedCanaryWithTrafficRouting() {
        Rollout r = argo("canary-paused.yaml", "checkout");

        assertThat(r.ref().cluster()).isEqualTo("prod-eu");
        assertThat(r.ref().namespace()).isEqualTo("shop");
        assertThat(r.ref().kind()).isEqualTo(WorkloadKind.ARGO_ROLLOUT);
        assertThat(r.strategy()).isEqualTo(Strategy.CANARY);
        assertThat(r.steps()).containsExactly(Step.setWeight(20), Step.pauseIndefinitely(), Step.setWeight(40),
                Step.pause(Duration.ofMinutes(10)), Step.analysis("success-rate"), Step.setWeight(80),
                Step.pause(Duration.ofSeconds(30)));
        assertThat(r.stepLabel()).isEqualTo("1/7");
        assertThat(r.desiredWeight()).isEqualTo(20);
        assertThat(r.actualWeight()).isEqualTo(20);
        assertThat(r.phase()).isEqualTo(Rollout.PAUSED);
        assertThat(r.displayPhase()).isEqualTo(Rollout.PAUSED);
        assertThat(r.displayMessage()).isEqualTo("CanaryPauseStep");
        assertThat(r.controllerPause()).isTrue();
        assertThat(r.pauseConditions()).containsExactly(new PauseCondition(PauseCondition.CANARY_PAUSE_STEP,
                Instant.parse("2025-05-02T10:15:00Z")));
        assertThat(r.stepStartedAt()).isEqualTo(Instant.parse("2025-05-02T10:15:00Z"));
        assertThat(r.generation()).isEqualTo(7);
        assertThat(r.observedGeneration()).isEqualTo(7);
        assertThat(r.currentPodHash()).isEqualTo("7c9d8f6b4");
        assertThat(r.stableRS()).isEqualTo("59f6d7c8b");
        assertThat(r.updateInProgress()).isTrue();
        assertThat(r.desiredReplicas()).isEqualTo(5);
        assertThat(r.readyReplicas()).isEqualTo(6);
        assertThat(r.updatedReplicas()).isEqualTo(1);
        assertThat(r.createdAt()).isEqualTo(Instant.parse("2025-05-02T09:00:00Z"));
        assertThat(r.revisions()).extracting(Revision::number, Revision::role, Revision::replicas,
                Revision::readyReplicas).containsExactly(
                org.assertj.core.groups.Tuple.tuple(5, "canary", 1, 1),
                org.assertj.core.groups.Tuple.tuple(4, "stable", 5, 5),
                org.assertj.core.groups.Tuple.tuple(3, "old", 0, 0));
        assertThat(r.revisions().get(1).images()).containsExactly("registry.example.com/shop/checkout:2.3.1",
                "envoyproxy/envoy:v1.30.1");
        assertThat(r.managedBy()).isEqualTo("Argo CD application shop-prod");
        assertThat(r.readProblems()).isEmpty();
        assertThat(r.attentionReason()).contains("paused at step 1/7: waiting for promotion");
    }

    @Test
    void canaryMidAnalysisWithMeasurements() {
        Rollout r = argo("canary-analysis.yaml", "payments");

        assertThat(r.stepLabel()).isEqualTo("2/5");
        assertThat(r.currentStep()).contains(Step.analysis("error-rate, latency-p99"));
        // no traffic routing: the canary ReplicaSet's share of the available pods, 1 of 4
        assertThat(r.desiredWeight()).isEqualTo(25);
        assertThat(r.actualWeight()).isEqualTo(25);
        assertThat(r.displayPhase()).isEqualTo(Rollout.PROGRESSING);
        assertThat(r.managedBy()).isEqualTo("Flux HelmRelease shop/payments");

        assertThat(r.analysisRuns()).extracting(AnalysisRun::name)
                .containsExactly("payments-6d5f7c9b8-3-2", "payments-7f8c6d5b4-2-2");
        AnalysisRun run = r.analysisRuns().get(0);
        assertThat(run.phase()).isEqualTo(AnalysisPhase.Running);
        assertThat(run.type()).isEqualTo("Step");
        assertThat(run.stepIndex()).isEqualTo(2);
        assertThat(run.revision()).isEqualTo(3);
        assertThat(run.startedAt()).isEqualTo(Instant.parse("2025-05-02T11:02:00Z"));
        assertThat(run.completedAt()).isNull();
        MetricResult errors = run.metricResults().get(0);
        assertThat(errors.name()).isEqualTo("error-rate");
        assertThat(errors.successCondition()).isEqualTo("result[0] < 0.01");
        assertThat(errors.count()).isEqualTo(3);
        assertThat(errors.successful()).isEqualTo(2);
        assertThat(errors.failed()).isEqualTo(1);
        assertThat(errors.measurements()).extracting(m -> m.value())
                .containsExactly("[0.004]", "[0.006]", "[0.013]");
        assertThat(errors.measurements().get(2).phase()).isEqualTo(AnalysisPhase.Failed);
        assertThat(errors.measurements().get(2).finishedAt()).isEqualTo(Instant.parse("2025-05-02T11:04:01Z"));
        assertThat(run.metricResults().get(1).successCondition()).isEqualTo("result[0] <= 0.5");
        assertThat(r.stepStartedAt()).isEqualTo(Instant.parse("2025-05-02T11:02:00Z"));
        assertThat(r.attentionReason()).contains("analysis failing: error-rate failed 1 of 3 measurements");
        assertThat(r.readProblems()).isEmpty();
    }

    @Test
    void abortedCanaryIsDegradedWithTheControllersMessage() {
        Rollout r = argo("canary-aborted.yaml", "search");

        assertThat(r.abort()).isTrue();
        assertThat(r.abortedAt()).isEqualTo(Instant.parse("2025-05-02T12:07:31Z"));
        assertThat(r.phase()).isEqualTo(Rollout.DEGRADED);
        assertThat(r.displayPhase()).isEqualTo(Rollout.DEGRADED);
        assertThat(r.message()).startsWith("RolloutAborted: Rollout aborted update to revision 9");
        assertThat(r.statusLabel()).isEqualTo("Aborted");
        assertThat(r.desiredWeight()).isZero(); // GetCurrentSetWeight is 0 while aborted
        assertThat(r.actualWeight()).isZero();
        assertThat(r.stepLabel()).isEqualTo("0/4");
        assertThat(r.latestAnalysis()).map(AnalysisRun::phase).contains(AnalysisPhase.Failed);
        assertThat(r.analysisRuns().get(0).message())
                .isEqualTo("Metric \"error-rate\" assessed Failed due to failed (2) > failureLimit (1)");
        assertThat(r.attentionReason()).hasValueSatisfying(a -> assertThat(a).startsWith("aborted: RolloutAborted"));
    }

    @Test
    void blueGreenWaitingForPromotion() {
        Rollout r = argo("bluegreen-preview.yaml", "catalog");

        assertThat(r.strategy()).isEqualTo(Strategy.BLUE_GREEN);
        assertThat(r.steps()).isEmpty();
        assertThat(r.currentStepIndex()).isNull();
        assertThat(r.activeSelector()).isEqualTo("8d7c6b5a4");
        assertThat(r.previewSelector()).isEqualTo("5b4c3d2e1");
        assertThat(r.desiredWeight()).isZero();
        assertThat(r.actualWeight()).isZero();
        assertThat(r.revisions()).extracting(Revision::number, Revision::role).containsExactly(
                org.assertj.core.groups.Tuple.tuple(12, "preview"),
                org.assertj.core.groups.Tuple.tuple(11, "active"));
        assertThat(r.displayPhase()).isEqualTo(Rollout.PAUSED);
        assertThat(r.managedBy()).isEqualTo("Argo CD application shop-staging");
        assertThat(r.attentionReason()).contains("preview is up: waiting for promotion");
    }

    @Test
    void flaggerCanaryProgressing() {
        GenericKubernetesResource c = KubeFixtures.load("flagger-progressing.yaml").get(0);
        Rollout r = FlaggerCanaryMapper.map("stage", c);

        assertThat(r.ref().kind()).isEqualTo(WorkloadKind.FLAGGER_CANARY);
        assertThat(r.strategy()).isEqualTo(Strategy.FLAGGER_CANARY);
        assertThat(r.phase()).isEqualTo("Progressing");
        assertThat(r.displayMessage()).isEqualTo("New revision detected, progressing canary analysis.");
        assertThat(r.desiredWeight()).isEqualTo(30);
        assertThat(r.actualWeight()).isEqualTo(30);
        assertThat(r.failedChecks()).isEqualTo(1);
        assertThat(r.failedChecksThreshold()).isEqualTo(5);
        assertThat(r.iterations()).isZero();
        assertThat(r.suspended()).isFalse();
        assertThat(r.updateInProgress()).isTrue();
        assertThat(r.managedBy()).isEqualTo("Flux Kustomization flux-system/apps");
        assertThat(r.readProblems()).isEmpty();
    }

    @Test
    void wrongTypesLeaveFieldsEmptyAndSayWhy() {
        Rollout r = argo("malformed.yaml", "broken-types");

        assertThat(r.currentStepIndex()).isNull();
        assertThat(r.abort()).isFalse();
        assertThat(r.pauseConditions()).isEmpty();
        assertThat(r.desiredReplicas()).isEqualTo(1);
        assertThat(r.steps()).extracting(Step::kind).containsExactly(StepKind.SET_WEIGHT, StepKind.PAUSE,
                StepKind.SET_WEIGHT, StepKind.UNKNOWN);
        assertThat(r.readProblems()).contains(
                "status.currentStepIndex is 'abc', not a number",
                "spec.replicas is 'three', not a number",
                "status.abort is 'true', not true or false",
                "status.pauseConditions is 'yes-please', not a list",
                "status.canary.weights.canary.weight is 'lots', not a number",
                "spec.strategy.canary.steps[1].pause.duration is 'forever', not a duration (e.g. 30s, 10m, 1h); "
                        + "shown as a pause until promoted");
        assertThat(r.readProblems()).noneMatch(p -> p.contains("fancyNewFeature") || p.contains("futureField"));
        assertThat(r.attentionReason()).hasValueSatisfying(a -> assertThat(a).startsWith("could not read: "));
    }

    @Test
    void missingStatusIsProgressingAsTheArgoPluginCalculatesIt() {
        Rollout r = argo("malformed.yaml", "no-status");

        // GetRolloutPhase falls back to CalculateRolloutPhase when the controller wrote no phase
        assertThat(r.phase()).isEqualTo(Rollout.PROGRESSING);
        assertThat(r.message()).isEqualTo("more replicas need to be updated");
        assertThat(r.displayPhase()).isEqualTo(Rollout.PROGRESSING);
        assertThat(r.observedGeneration()).isEqualTo(r.generation());
        assertThat(r.currentStepIndex()).isNull();
        assertThat(r.stepLabel()).isEmpty();
        assertThat(r.desiredWeight()).isEqualTo(50); // GetCurrentCanaryStep treats a missing index as 0
        assertThat(r.actualWeight()).isZero(); // nothing available yet
        assertThat(r.readProblems()).isEmpty();
    }

    @Test
    void nonsenseShapesAreProblemsNotExceptions() {
        Rollout r = argo("malformed.yaml", "weird-shape");

        assertThat(r.ref().name()).isEqualTo("weird-shape");
        assertThat(r.readProblems()).contains("spec is 'oops', not a mapping", "status is a list, not a mapping");
        Rollout c = FlaggerCanaryMapper.map("stage", KubeFixtures.named(KubeFixtures.load("malformed.yaml"),
                "Canary", "flagger-bad"));
        assertThat(c.actualWeight()).isZero();
        assertThat(c.readProblems()).containsExactly("status.canaryWeight is 'thirty', not a number");
    }

    @Test
    void unobservedGenerationAndUnpausingOverrideThePhaseAsGetRolloutPhaseDoes() {
        GenericKubernetesResource ro = KubeFixtures.named(KubeFixtures.load("canary-paused.yaml"), "Rollout",
                "checkout");
        ro.getMetadata().setGeneration(8L);
        Rollout newer = ArgoRolloutMapper.map("c", ro, List.of(), List.of());
        assertThat(newer.displayPhase()).isEqualTo(Rollout.PROGRESSING);
        assertThat(newer.displayMessage()).isEqualTo("waiting for rollout spec update to be observed");

        ro.getMetadata().setGeneration(7L);
        @SuppressWarnings("unchecked")
        Map<String, Object> status = (Map<String, Object>) ro.getAdditionalProperties().get("status");
        status.remove("pauseConditions");
        Rollout unpausing = ArgoRolloutMapper.map("c", ro, List.of(), List.of());
        assertThat(unpausing.displayPhase()).isEqualTo(Rollout.PROGRESSING);
        assertThat(unpausing.displayMessage()).isEqualTo("waiting for rollout to unpause");

        status.put("observedGeneration", "5b7c9d8f"); // a pre-v0.10 hash counts as observed
        ro.getMetadata().setGeneration(9L);
        assertThat(ArgoRolloutMapper.map("c", ro, List.of(), List.of()).observedGeneration()).isEqualTo(9);
    }

    @Test
    void fullyPromotedCanaryIsAtMaxWeight() {
        GenericKubernetesResource ro = KubeFixtures.named(KubeFixtures.load("canary-paused.yaml"), "Rollout",
                "checkout");
        @SuppressWarnings("unchecked")
        Map<String, Object> status = (Map<String, Object>) ro.getAdditionalProperties().get("status");
        status.put("currentStepIndex", 7);
        status.put("stableRS", "7c9d8f6b4");
        status.remove("pauseConditions");
        status.put("controllerPause", false);
        status.put("phase", "Healthy");
        Rollout r = ArgoRolloutMapper.map("c", ro, List.of(), List.of());
        assertThat(r.stepLabel()).isEqualTo("7/7");
        assertThat(r.desiredWeight()).isEqualTo(100);
        assertThat(r.actualWeight()).isEqualTo(100);
        assertThat(r.updateInProgress()).isFalse();
    }

    @Test
    void goDurations() {
        assertThat(GoDuration.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(GoDuration.parse("1.5h")).isEqualTo(Duration.ofMinutes(90));
        assertThat(GoDuration.parse("45s")).isEqualTo(Duration.ofSeconds(45));
        assertThat(GoDuration.parse("300ms")).isEqualTo(Duration.ofMillis(300));
        assertThat(GoDuration.parse("forever")).isNull();
        assertThat(GoDuration.parse("10")).isNull();
        assertThat(GoDuration.format(Duration.ofMinutes(2))).isEqualTo("2m0s");
    }
}
