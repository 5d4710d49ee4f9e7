package dev.releaseconsole.services.demo;

import dev.releaseconsole.services.actions.ActionException;
import dev.releaseconsole.services.actions.ActionInput;
import dev.releaseconsole.services.actions.ActionType;
import dev.releaseconsole.services.model.Revision;
import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.model.Strategy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.SplittableRandom;

/**
 * A Flagger Canary (pkg/controller/scheduler.go): every interval the canary's metrics are checked against fixed
 * thresholds (request-success-rate >= 99%, request-duration <= 500 ms); a passing check advances the weight by
 * stepWeight up to maxWeight, then Promoting, Finalising and Succeeded follow, one interval each. Failed checks
 * reaching the threshold roll back (phase Failed). Flagger compares with thresholds, not with the baseline.
 */
final class FlaggerCanary extends SimulatedRollout {
    static final String PROGRESSING = "Progressing";
    static final String PROMOTING = "Promoting";
    static final String FINALISING = "Finalising";
    static final String SUCCEEDED = "Succeeded";
    static final String FAILED = "Failed";

    private static final Duration INTERVAL = Duration.ofMinutes(1);
    private static final int STEP_WEIGHT = 10;
    private static final int MAX_WEIGHT = 50;
    private static final int THRESHOLD = 5;
    private static final double MAX_ERROR_PERCENT = 1.0;
    private static final double MAX_DURATION_MILLIS = 500;

    private String phase = SUCCEEDED;
    private int canaryWeight;
    private int failedChecks;
    private boolean suspended;
    /** spec.skipAnalysis, applied to the release under way; the demo clears it once that release is promoted. */
    private boolean skipAnalysis;
    private boolean rollbackRequested;
    private Instant lastCheckAt;

    FlaggerCanary(Workload workload, SplittableRandom random, Release primary) {
        super(workload, random, primary);
    }

    /** For the initial scene: analysing {@code next} at {@code weight}, last advanced at {@code lastCheck}. */
    void sceneProgressing(Release next, Instant updateStarted, int weight, Instant lastCheck) {
        beginUpdate(next, updateStarted);
        canaryWeight = weight;
        lastCheckAt = lastCheck;
    }

    @Override
    protected void dropUpdate(Instant now) {
        throw new IllegalStateException("Flagger rolls back on its own; a Canary is never undone");
    }

    @Override
    protected void advance(Instant now) {
        if (rollbackRequested && !FAILED.equals(phase)) {
            rollBack(now, "Rolling back " + target() + " manual rollback");
            return;
        }
        if (suspended || !updating() || FAILED.equals(phase) || now.isBefore(lastCheckAt.plus(INTERVAL))) {
            return;
        }
        lastCheckAt = now;
        switch (phase) {
            case PROGRESSING -> analyse(now);
            case PROMOTING -> {
                phase = FINALISING;
                canaryWeight = 0;
                event(now, FINALISING, "Routing all traffic to primary");
            }
            case FINALISING -> {
                phase = SUCCEEDED;
                skipAnalysis = false;
                event(now, SUCCEEDED, "Promotion completed! Scaling down " + target());
                promoteCurrentToStable(now);
            }
            default -> throw new IllegalStateException("unexpected Flagger phase " + phase);
        }
    }

    private void analyse(Instant now) {
        if (skipAnalysis) {
            startPromotion(now, "Skipping analysis for " + target() + ": copying template spec to primary");
            return;
        }
        if (canaryWeight > 0 && !checksPass(now)) {
            failedChecks++;
            if (failedChecks >= THRESHOLD) {
                rollBack(now, "Rolling back " + target() + " failed checks threshold reached " + failedChecks);
            } else {
                event(now, "CheckFailed", "Halt " + target() + " advancement: failed checks " + failedChecks);
            }
        } else if (canaryWeight < MAX_WEIGHT) {
            canaryWeight = Math.min(MAX_WEIGHT, canaryWeight + STEP_WEIGHT);
            event(now, "WeightAdvanced", "Advance " + target() + " canary weight " + canaryWeight);
        } else {
            startPromotion(now, "Copying " + target() + " template spec to " + ref().name() + "-primary."
                    + ref().namespace());
        }
    }

    private boolean checksPass(Instant now) {
        OptionalDouble errors = traffic.canaryMean(TrafficModel.ERROR_RATIO, now, INTERVAL);
        OptionalDouble latency = traffic.canaryMean(TrafficModel.P95_LATENCY, now, INTERVAL);
        return errors.orElse(0) <= MAX_ERROR_PERCENT && latency.orElse(0) <= MAX_DURATION_MILLIS;
    }

    private void startPromotion(Instant now, String message) {
        phase = PROMOTING;
        event(now, PROMOTING, message);
    }

    private void rollBack(Instant now, String message) {
        rollbackRequested = false;
        phase = FAILED;
        canaryWeight = 0;
        event(now, "RolledBack", message);
    }

    @Override
    String perform(ActionType action, ActionInput input, Instant now) throws ActionException {
        switch (action) {
            case PAUSE, RESUME -> {
                suspended = action == ActionType.PAUSE;
                event(now, suspended ? "Suspended" : "Resumed", "spec.suspend set to " + suspended);
                return "PATCH canaries {\"spec\":{\"suspend\":" + suspended + "}}";
            }
            case PROMOTE_FULL -> {
                skipAnalysis = true;
                lastCheckAt = now.minus(INTERVAL);
                advance(now);
                return "PATCH canaries {\"spec\":{\"skipAnalysis\":true}}";
            }
            case ABORT -> {
                rollbackRequested = true;
                advance(now);
                return "POST flagger-loadtester /rollback/open {\"name\":\"" + ref().name() + "\",\"namespace\":\""
                        + ref().namespace() + "\"}";
            }
            case RETRY -> {
                // Flagger retries a failed release when the target's pod template changes
                startRelease(now, current.rebuilt(random));
                return "PATCH deployments/" + ref().name() + " {\"spec\":{\"template\":{\"metadata\":"
                        + "{\"annotations\":{\"releaseconsole.dev/retry-at\":\"" + now + "\"}}}}}";
            }
            default -> throw new ActionException(ActionException.Reason.INVALID,
                    action.label() + " is not something a Flagger canary supports here");
        }
    }

    @Override
    protected void onReleaseStarted(Instant now) {
        phase = PROGRESSING;
        canaryWeight = 0;
        failedChecks = 0;
        lastCheckAt = now;
        event(now, PROGRESSING, "New revision detected! Scaling up " + target());
    }

    @Override
    protected boolean mayStartRelease() {
        return !suspended;
    }

    @Override
    protected int canaryTrafficWeight() {
        return updating() ? canaryWeight : 0;
    }

    @Override
    protected Strategy strategy() {
        return Strategy.FLAGGER_CANARY;
    }

    @Override
    Rollout snapshot() {
        boolean canaryUp = updating() && !FAILED.equals(phase);
        List<Revision> revisions = new ArrayList<>();
        if (updating()) {
            revisions.add(revision(current, "canary", canaryUp ? replicas() : 0, canaryUp ? replicas() : 0));
        }
        revisions.add(revision(stable, "stable", replicas(), replicas()));
        revisions.addAll(retiredRevisions());
        return baseSnapshot()
                .desiredWeight(canaryWeight)
                .actualWeight(canaryWeight)
                .phase(phase, conditionMessage())
                .readyReplicas(replicas() + (canaryUp ? replicas() : 0))
                .updatedReplicas(canaryUp ? replicas() : 0)
                .revisions(revisions)
                .failedChecks(failedChecks)
                .failedChecksThreshold(THRESHOLD)
                .iterations(0)
                .suspended(suspended)
                .build();
    }

    /** The message of Flagger's Promoted condition for the phase. */
    private String conditionMessage() {
        return switch (phase) {
            case PROGRESSING -> "New revision detected, progressing canary analysis.";
            case PROMOTING, FINALISING -> "Canary analysis completed, starting primary rolling update.";
            case SUCCEEDED -> "Canary analysis completed successfully, promotion finished.";
            default -> "Canary analysis failed, Deployment scaled to zero.";
        };
    }

    private String target() {
        return ref().name() + "." + ref().namespace();
    }
}
