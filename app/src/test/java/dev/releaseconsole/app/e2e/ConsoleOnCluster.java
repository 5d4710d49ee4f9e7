package dev.releaseconsole.app.e2e;

import dev.releaseconsole.app.ConsoleRuntime;
import dev.releaseconsole.services.ConsoleServices;
import dev.releaseconsole.services.actions.ActionType;
import dev.releaseconsole.services.actions.Outcome;
import dev.releaseconsole.services.actions.TargetOutcome;
import dev.releaseconsole.services.model.ConnectionState;
import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.model.WorkloadKind;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's engine as the app wires it ({@link ConsoleRuntime}: KubeClusters, the access review, the action
 * facade, the audit log) watching one context of the local cluster, plus waits on what it reports. Every wait
 * polls the console's {@code LiveState} against a deadline and fails with the last state it saw.
 */
final class ConsoleOnCluster implements AutoCloseable {
    /** Long enough for the controller, the scheduler and kwok on a busy two-core machine. */
    static final Duration CONTROLLER_DEADLINE = Duration.ofSeconds(90);
    /**
     * How long the controller may look behind a change the API server holds before the wait nudges it, as a user
     * would: Argo Rollouts v1.9 can miss a change that lands during its own reconcile (argoproj/argo-rollouts#4694)
     * and then waits for the next event on that rollout, which may never come.
     */
    static final Duration STALL = Duration.ofSeconds(15);

    private final String context;
    private final ConsoleRuntime runtime;

    private ConsoleOnCluster(String context, ConsoleRuntime runtime) {
        this.context = context;
        this.runtime = runtime;
    }

    static ConsoleOnCluster start(LocalCluster.Running cluster, String context, Path auditDb) {
        ConsoleRuntime runtime = ConsoleRuntime.start(new ConsoleRuntime.Plan(false, 42, 1, Instant.now(), false,
                cluster.contexts(), List.of(context), false, Map.of(), Map.of(), null, auditDb));
        ConsoleOnCluster console = new ConsoleOnCluster(context, runtime);
        console.awaitConnected();
        return console;
    }

    ConsoleServices services() {
        return runtime.services();
    }

    RolloutRef ref(String name) {
        return new RolloutRef(context, LocalCluster.NAMESPACE, name, WorkloadKind.ARGO_ROLLOUT);
    }

    Optional<Rollout> rollout(String name) {
        return services().state().rollouts().get(ref(name));
    }

    /** Runs an action through the facade and expects the outcome; returns it for further checks. */
    TargetOutcome act(ActionType action, String name, Outcome expected) {
        TargetOutcome outcome = services().actions().execute(action, ref(name), "end-to-end test").outcomes().get(0);
        assertThat(outcome.outcome()).as("%s on %s: %s", action, name, outcome.message()).isEqualTo(expected);
        return outcome;
    }

    /** Waits until the console reports the rollout in a state matching {@code condition}, and returns it. */
    Rollout await(String name, String what, Predicate<Rollout> condition) {
        return await(name, what, condition, CONTROLLER_DEADLINE);
    }

    Rollout await(String name, String what, Predicate<Rollout> condition, Duration deadline) {
        return await(ref(name), what, condition, deadline);
    }

    Rollout await(RolloutRef ref, String what, Predicate<Rollout> condition, Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        Optional<Rollout> last = Optional.empty();
        long behindSince = 0;
        List<String> nudges = new java.util.ArrayList<>();
        while (System.nanoTime() < end) {
            last = services().state().rollouts().get(ref);
            if (last.isPresent() && condition.test(last.get())) {
                return last.get();
            }
            if (last.isPresent() && last.get().controllerBehind().isPresent()) {
                long now = System.nanoTime();
                behindSince = behindSince == 0 ? now : behindSince;
                if (now - behindSince > STALL.toNanos()) {
                    TargetOutcome nudge = services().actions().execute(ActionType.NUDGE, ref,
                            "end-to-end test: " + last.get().controllerBehind().get()).outcomes().get(0);
                    nudges.add(nudge.outcome() + ": " + nudge.message());
                    System.err.println("[e2e] " + ref.describe() + ": the controller stayed behind for "
                            + STALL.toSeconds() + " s (" + last.get().controllerBehind().get() + "); nudged it: "
                            + nudge.outcome());
                    behindSince = 0;
                }
            } else {
                behindSince = 0;
            }
            pause(100);
        }
        throw new AssertionError("waited " + deadline.toSeconds() + " s for " + ref.describe() + " to be " + what
                + "; the console last showed: " + last.map(ConsoleOnCluster::describe).orElse("no such rollout")
                + (nudges.isEmpty() ? "" : "; nudges sent: " + nudges));
    }

    static String describe(Rollout r) {
        return r.displayPhase() + " (" + r.displayMessage() + "), step " + r.stepLabel() + ", weight "
                + r.actualWeight() + "% of desired " + r.desiredWeight() + "%, abort=" + r.abort() + ", specPaused="
                + r.specPaused() + ", controllerPause=" + r.controllerPause() + ", pauseConditions=" + r.pauseConditions() + ", replicas ready/updated/desired "
                + r.readyReplicas() + "/" + r.updatedReplicas() + "/" + r.desiredReplicas() + ", stable "
                + r.stableRS() + ", current " + r.currentPodHash() + ", analysis runs " + r.analysisRuns().size();
    }

    /** Healthy on the revision it runs, as the controller reports it after a first deploy or a finished update. */
    static boolean settledHealthy(Rollout r) {
        return "Healthy".equals(r.displayPhase()) && !r.updateInProgress() && r.readyReplicas() == r.desiredReplicas();
    }

    private void awaitConnected() {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < end) {
            if (services().state().clusters().get(context).map(s -> s.state() == ConnectionState.CONNECTED)
                    .orElse(false)) {
                return;
            }
            pause(100);
        }
        throw new AssertionError("the console did not connect to " + context + ": "
                + services().state().clusters().get(context).map(Object::toString).orElse("no status"));
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public void close() {
        runtime.close();
    }
}
