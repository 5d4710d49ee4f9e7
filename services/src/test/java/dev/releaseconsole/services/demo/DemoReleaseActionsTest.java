package dev.releaseconsole.services.demo;

import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.model.Revision;
import dev.releaseconsole.services.model.FlagTarget;
import dev.releaseconsole.services.model.AnalysisRun;
import dev.releaseconsole.services.model.AnalysisPhase;
import dev.releaseconsole.services.actions.ActionInput;
import dev.releaseconsole.services.actions.ActionResult;
import dev.releaseconsole.services.actions.ActionType;
import dev.releaseconsole.services.actions.KillSwitchStep;
import dev.releaseconsole.services.actions.Outcome;
import dev.releaseconsole.services.actions.PolicyEngine;
import dev.releaseconsole.services.actions.ReleaseActions;
import dev.releaseconsole.services.actions.TargetOutcome;
import dev.releaseconsole.services.governance.AuditEntry;
import dev.releaseconsole.services.governance.AuditQuery;
import dev.releaseconsole.services.governance.AuditStage;
import dev.releaseconsole.services.governance.SqliteAuditLog;
import dev.releaseconsole.services.model.FlagRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static dev.releaseconsole.services.demo.DemoFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The demo world behind the real action facade and a real SQLite audit log. */
class DemoReleaseActionsTest {
    @TempDir
    Path dir;

    private final DemoFixture f = new DemoFixture();
    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private SqliteAuditLog audit;
    private ReleaseActions actions;

    @BeforeEach
    void wire() {
        audit = SqliteAuditLog.open(dir.resolve("audit.db"), f.world.clock());
        actions = new ReleaseActions(f.state, f.world.backends(), Map.of("demo", f.world.flags()),
                f.world.permissions(), PolicyEngine.PERMISSIVE, audit, Clock.systemUTC(), pool);
    }

    @AfterEach
    void close() {
        audit.close();
        pool.shutdownNow();
    }

    @Test
    void abortingCheckoutApiSucceedsAndIsAuditedIntentThenOutcome() {
        ActionResult result = actions.execute(ActionType.ABORT, CHECKOUT_API, "canary error ratio 5x baseline");

        TargetOutcome outcome = result.outcomes().get(0);
        assertThat(outcome.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(outcome.stateAfter()).startsWith("Aborted");
        assertThat(f.rollout(CHECKOUT_API).abort()).isTrue();

        List<AuditEntry> entries = audit.query(AuditQuery.latest(10)).stream()
                .sorted(Comparator.comparingLong(AuditEntry::id)).toList();
        assertThat(entries).extracting(AuditEntry::stage).containsExactly(AuditStage.INTENT, AuditStage.OUTCOME);
        assertThat(entries.get(0).actor()).isEqualTo("demo-user (simulated)");
        assertThat(entries.get(1).relatesTo()).isEqualTo(entries.get(0).id());
        assertThat(entries.get(1).detail()).contains("PATCH rollouts/status {\"status\":{\"abort\":true}}");
    }

    @Test
    void paymentsIsDeniedBeforeAnythingIsSent() {
        assertThat(actions.availability(ActionType.RESUME, PAYMENTS_GATEWAY).reason())
                .isEqualTo("you may not patch rollouts in namespace payments on cluster prod-eu");

        ActionResult result = actions.execute(ActionType.RESUME, PAYMENTS_GATEWAY, null);

        assertThat(result.outcomes().get(0).outcome()).isEqualTo(Outcome.DENIED);
        assertThat(f.rollout(PAYMENTS_GATEWAY).specPaused()).isTrue();
    }

    @Test
    void theKillSwitchForCheckoutApiTurnsItsFlagsOffAndAbortsIt() {
        var plan = actions.planKillSwitch(CHECKOUT_API);
        assertThat(plan.flags()).extracting(t -> t.flag().key()).contains("new-checkout-flow", "checkout-fast-path");

        ActionResult result = actions.killSwitch(plan, "checkout errors");

        assertThat(result.allSafe()).isTrue();
        assertThat(f.rollout(CHECKOUT_API).abort()).isTrue();
        assertThat(f.state.flags().get(new FlagRef("demo", "checkout-fast-path")).orElseThrow().enabledAnywhere())
                .isFalse();
    }

    @Test
    void theKillSwitchPlanInWordsAndNarrowedToOneEnvironment() throws Exception {
        var plan = actions.planKillSwitch(new FlagRef("demo", "checkout-fast-path"));
        assertThat(actions.steps(plan)).extracting(KillSwitchStep::text).containsExactly(
                "Turn off flag checkout-fast-path in production (production)",
                "Turn off flag checkout-fast-path in staging (staging)",
                "Abort rollout prod-eu/checkout/checkout-api (now Paused)");
        assertThat(actions.steps(plan)).extracting(KillSwitchStep::production).containsExactly(true, false, true);

        var staging = actions.narrow(plan, java.util.Set.of("staging"));
        assertThat(staging.flags()).extracting(t -> t.environment()).containsExactly("staging");
        assertThat(staging.rollouts()).as("checkout-api runs in production: a staging kill switch leaves it").isEmpty();
        assertThat(staging.touchesProduction()).isFalse();
        assertThat(staging.incident()).isEqualTo("flag demo:checkout-fast-path in staging");
        var production = actions.narrow(plan, java.util.Set.of("production"));
        assertThat(production.rollouts()).containsExactly(CHECKOUT_API);
        assertThat(production.touchesProduction()).isTrue();

        actions.killSwitch(plan, "test");
        assertThat(actions.steps(actions.planKillSwitch(new FlagRef("demo", "checkout-fast-path"))))
                .extracting(KillSwitchStep::alreadySafe).containsExactly(true, true, true);
        assertThat(actions.flagEvents(new FlagRef("demo", "checkout-fast-path"), 2))
                .extracting(e -> e.type()).containsExactly("feature-environment-disabled",
                        "feature-environment-disabled");
    }

    // Actions that carry an argument: undo to a revision, terminate an analysis run, a flag's rollout percentage.

    @Test
    void undoToTheStableRevisionDropsTheRegressingCanary() {
        Rollout before = f.rollout(CHECKOUT_API);
        Revision stable = before.revisions().stream().filter(r -> r.role().equals("stable")).findFirst()
                .orElseThrow();
        assertThat(before.currentPodHash()).isNotEqualTo(stable.podTemplateHash());

        TargetOutcome out = actions.execute(ActionType.UNDO, CHECKOUT_API,
                ActionInput.revision(stable.number()), "back to the last good build").outcomes().get(0);

        assertThat(out.outcome()).isEqualTo(Outcome.SUCCEEDED);
        Rollout after = f.rollout(CHECKOUT_API);
        assertThat(after.currentPodHash()).isEqualTo(stable.podTemplateHash());
        assertThat(after.updateInProgress()).isFalse();
        assertThat(after.revisions()).noneMatch(r -> r.role().equals("canary"));
        assertThat(lastIntent().target()).endsWith("to revision " + stable.number());
    }

    @Test
    void undoToTheCurrentRevisionIsAlreadyDoneAndSendsNothing() {
        Rollout before = f.rollout(CHECKOUT_API);
        Revision current = before.revisions().stream()
                .filter(r -> r.podTemplateHash().equals(before.currentPodHash())).findFirst().orElseThrow();

        TargetOutcome out = actions.execute(ActionType.UNDO, CHECKOUT_API, ActionInput.revision(current.number()),
                null).outcomes().get(0);

        assertThat(out.outcome()).isEqualTo(Outcome.ALREADY_DONE);
        assertThat(f.rollout(CHECKOUT_API).generation()).isEqualTo(before.generation());
    }

    @Test
    void undoWithoutARevisionIsRefused() {
        TargetOutcome out = actions.execute(ActionType.UNDO, CHECKOUT_API, "no revision").outcomes().get(0);

        assertThat(out.outcome()).isEqualTo(Outcome.REJECTED_BY_STATE);
        assertThat(out.message()).contains("needs a revision");
    }

    @Test
    void terminatingTheRunningAnalysisEndsItSuccessfully() {
        // checkout-api's step pause ends about 4 simulated minutes in; then its step analysis runs
        for (int i = 0; i < 36 && runningAnalysis().isEmpty(); i++) {
            f.world.advance(java.time.Duration.ofSeconds(10));
        }
        AnalysisRun running = runningAnalysis().orElseThrow(() -> new AssertionError("no analysis started"));

        ActionResult result = actions.execute(ActionType.TERMINATE_ANALYSIS, CHECKOUT_API,
                ActionInput.analysisRun(running.name()), "known noisy metric");

        assertThat(result.outcomes().get(0).outcome()).isEqualTo(Outcome.SUCCEEDED);
        AnalysisRun after = f.rollout(CHECKOUT_API).analysisRuns().stream()
                .filter(a -> a.name().equals(running.name())).findFirst().orElseThrow();
        assertThat(after.phase()).isEqualTo(AnalysisPhase.Successful);
        assertThat(after.message()).isEqualTo("Run Terminated");

        TargetOutcome again = actions.execute(ActionType.TERMINATE_ANALYSIS, CHECKOUT_API,
                ActionInput.analysisRun(running.name()), null).outcomes().get(0);
        assertThat(again.outcome()).isEqualTo(Outcome.ALREADY_DONE);
    }

    @Test
    void changingAFlagsRolloutPercentageIsReadBackAndAudited() {
        FlagTarget prod = new FlagTarget(new FlagRef("demo", "new-checkout-flow"), "production");

        TargetOutcome out = actions.execute(ActionType.FLAG_SET_ROLLOUT, prod, ActionInput.percent(50), "widen")
                .outcomes().get(0);

        assertThat(out.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(out.stateAfter()).isEqualTo("on in production at 50%");
        assertThat(lastIntent().target()).isEqualTo("flag demo/new-checkout-flow in production to 50%");

        TargetOutcome again = actions.execute(ActionType.FLAG_SET_ROLLOUT, prod, ActionInput.percent(50), null)
                .outcomes().get(0);
        assertThat(again.outcome()).isEqualTo(Outcome.ALREADY_DONE);
    }

    @Test
    void aFlagWithoutAGradualRolloutRefusesAPercentage() {
        FlagTarget killSwitch = new FlagTarget(new FlagRef("demo", "checkout-fast-path"), "production");

        TargetOutcome out = actions.execute(ActionType.FLAG_SET_ROLLOUT, killSwitch, ActionInput.percent(10), null)
                .outcomes().get(0);

        assertThat(out.outcome()).isEqualTo(Outcome.REJECTED_BY_STATE);
        assertThat(out.message()).contains("no gradual rollout in production");
    }

    private java.util.Optional<AnalysisRun> runningAnalysis() {
        return f.rollout(CHECKOUT_API).analysisRuns().stream().filter(a -> a.phase() == AnalysisPhase.Running)
                .findFirst();
    }

    private AuditEntry lastIntent() {
        return audit.query(AuditQuery.latest(20)).stream()
                .filter(e -> e.stage() == dev.releaseconsole.services.governance.AuditStage.INTENT)
                .max(java.util.Comparator.comparingLong(AuditEntry::id)).orElseThrow();
    }
}
