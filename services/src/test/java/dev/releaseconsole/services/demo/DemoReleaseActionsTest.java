package dev.releaseconsole.services.demo;

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
}
