package dev.releaseconsole.services.demo;

import dev.releaseconsole.services.model.PauseCondition;
import dev.releaseconsole.services.model.Revision;
import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.model.Strategy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * An Argo blue-green rollout with autoPromotionEnabled=false (rollout/bluegreen.go): a new revision comes up behind
 * the preview service, the controller pauses with BlueGreenPause, and a promote switches the active service to it.
 * The preview takes no user traffic, so it has no canary samples.
 */
final class ArgoBlueGreen extends ArgoRollout {
    private static final int PODS_READY_PER_SECOND = 2;

    private int previewReady;

    ArgoBlueGreen(Workload workload, SplittableRandom random, Release active) {
        super(workload, random, active);
    }

    /** For the initial scene: the preview of {@code next} is up and waiting for promotion since {@code since}. */
    void sceneWaitingForPromotion(Release next, Instant updateStarted, Instant since) {
        beginUpdate(next, updateStarted);
        previewReady = replicas();
        addPauseCondition(PauseCondition.BLUE_GREEN_PAUSE, since);
    }

    @Override
    protected void advance(Instant now) {
        int target = updating() && !abort ? replicas() : 0;
        previewReady = previewReady >= target ? target : Math.min(target, previewReady + PODS_READY_PER_SECOND);
        restartOnePod();
        reconcile(now);
    }

    @Override
    protected void onReleaseStarted(Instant now) {
        previewReady = 0;
    }

    @Override
    protected void reconcileStrategy(Instant now) {
        if (!updating()) {
            return;
        }
        if (promoteFull) {
            switchActive(now);
            return;
        }
        if (specPaused || previewReady < replicas()) {
            return;
        }
        if (!hasPauseCondition(PauseCondition.BLUE_GREEN_PAUSE)) {
            if (controllerPause) {
                // controllerPause without its condition: a human promoted
                controllerPause = false;
                switchActive(now);
            } else {
                addPauseCondition(PauseCondition.BLUE_GREEN_PAUSE, now);
            }
        }
    }

    @Override
    protected List<String> promote(Instant now) {
        List<String> sent = new ArrayList<>();
        if (!pauseConditions.isEmpty()) {
            pauseConditions.clear();
            sent.add(PATCH_STATUS + "{\"status\":{\"pauseConditions\":null}}");
        }
        if (specPaused) {
            sent.add(unpause());
        }
        return sent;
    }

    @Override
    protected void onAbort(Instant now) {
        previewReady = 0;
    }

    @Override
    protected void dropUpdate(Instant now) {
        previewReady = 0;
    }

    @Override
    protected void onRetry(Instant now) {
        // the preview ReplicaSet scales up again on the next ticks
    }

    @Override
    protected int canaryTrafficWeight() {
        return 0;
    }

    @Override
    protected int updatedReplicas() {
        return updating() && abort ? 0 : replicas();
    }

    @Override
    protected int availableUpdatedReplicas() {
        return updating() ? previewReady : replicas() - podsRestarting();
    }

    @Override
    protected String pendingMessage() {
        return updating() ? "active service cutover pending" : null;
    }

    @Override
    protected Strategy strategy() {
        return Strategy.BLUE_GREEN;
    }

    @Override
    Rollout snapshot() {
        List<Revision> revisions = new ArrayList<>();
        if (updating()) {
            revisions.add(revision(current, "preview", abort ? 0 : replicas(), previewReady));
        }
        revisions.add(revision(stable, "active", replicas(), replicas() - podsRestarting()));
        revisions.addAll(retiredRevisions());
        int weight = updating() ? 0 : 100;
        return argoSnapshot()
                .desiredWeight(weight)
                .actualWeight(weight)
                .readyReplicas(replicas() - podsRestarting() + (updating() ? previewReady : 0))
                .revisions(revisions)
                .activeSelector(stable.podHash())
                .previewSelector(current.podHash())
                .build();
    }

    private void switchActive(Instant now) {
        promoteFull = false;
        previewReady = 0;
        event(now, "RolloutCompleted", "Rollout completed update to revision " + current.revision() + " ("
                + current.podHash() + "): Rollout is healthy");
        promoteCurrentToStable(now);
    }
}
