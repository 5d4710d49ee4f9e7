package dev.releaseconsole.services.flags.unleash;

import dev.releaseconsole.services.actions.ActionResult;
import dev.releaseconsole.services.actions.ActionType;
import dev.releaseconsole.services.actions.KillSwitchPlan;
import dev.releaseconsole.services.actions.Outcome;
import dev.releaseconsole.services.actions.PermissionChecker;
import dev.releaseconsole.services.actions.PolicyEngine;
import dev.releaseconsole.services.actions.ReleaseActions;
import dev.releaseconsole.services.actions.TargetOutcome;
import dev.releaseconsole.services.actions.Verdict;
import dev.releaseconsole.services.demo.DemoWorld;
import dev.releaseconsole.services.flags.FlagSync;
import dev.releaseconsole.services.governance.AuditEntry;
import dev.releaseconsole.services.governance.AuditQuery;
import dev.releaseconsole.services.governance.AuditStage;
import dev.releaseconsole.services.governance.SecretSource;
import dev.releaseconsole.services.governance.SqliteAuditLog;
import dev.releaseconsole.services.model.ActionTarget;
import dev.releaseconsole.services.model.Flag;
import dev.releaseconsole.services.model.FlagRef;
import dev.releaseconsole.services.model.FlagTarget;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.model.WorkloadKind;
import dev.releaseconsole.services.store.LiveState;
import dev.releaseconsole.services.testing.UnleashAdmin;
import dev.releaseconsole.services.testing.UnleashServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kill switch and flag actions through the real facade, a real SQLite audit log and a real Unleash; the linked
 * rollout is the demo world's checkout-api, linked to the flag by FlagSync's join as the flag registry would.
 */
class UnleashKillSwitchTest {
    static final String PROVIDER = "unleash-main";
    static final RolloutRef CHECKOUT_API = new RolloutRef("prod-eu", "checkout", "checkout-api",
            WorkloadKind.ARGO_ROLLOUT);
    private static UnleashServer server;
    private static UnleashAdmin admin;

    @TempDir
    Path dir;

    private final LiveState state = new LiveState();
    private final DemoWorld world = new DemoWorld(42, Instant.parse("2025-03-01T10:00:00Z"), state);
    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    /** Run by the permission gate: after the facade read the flag, before it sends anything. */
    private volatile java.util.function.Consumer<ActionTarget> atPermissionCheck = target -> { };
    private SqliteAuditLog audit;
    private String flag;

    @BeforeAll
    static void startUnleash() {
        server = UnleashServer.shared();
        admin = server.admin();
    }

    @BeforeEach
    void createFlag() {
        audit = SqliteAuditLog.open(dir.resolve("audit.db"), Clock.systemUTC());
        flag = UnleashServer.uniqueName("new-checkout-flow");
        admin.createFlag(flag, "release", "The new checkout flow");
        admin.addGradualRollout(flag, "production", 25, new int[0]);
        admin.addGradualRollout(flag, "development", 100, new int[0]);
        admin.setEnabled(flag, "production", true);
        admin.setEnabled(flag, "development", true);
    }

    @AfterEach
    void close() {
        if (!server.unleashRunning()) {
            server.startUnleash();
        }
        audit.close();
        pool.shutdownNow();
    }

    @Test
    void theKillSwitchTurnsTheFlagOffEverywhereAbortsItsRolloutAndARepeatSendsNothing() throws Exception {
        try (UnleashProvider provider = provider(server.adminToken()); FlagSync sync = syncLinking(provider)) {
            ReleaseActions actions = facade(provider);
            KillSwitchPlan plan = actions.planKillSwitch(new FlagRef(PROVIDER, flag));
            assertThat(plan.flags()).extracting(FlagTarget::environment)
                    .containsExactlyInAnyOrder("production", "development");
            assertThat(plan.rollouts()).containsExactly(CHECKOUT_API);
            assertThat(plan.touchesProduction()).isTrue();

            ActionResult first = actions.killSwitch(plan, "INC-42: checkout errors");

            assertThat(first.allSafe()).as(first.outcomes().toString()).isTrue();
            assertThat(first.outcomes()).extracting(TargetOutcome::outcome).containsOnly(Outcome.SUCCEEDED);
            assertThat(admin.flag(flag).path("environments").findValuesAsText("enabled")).isEqualTo(
                    List.of("false", "false"));
            assertThat(state.rollouts().get(CHECKOUT_API).orElseThrow().abort()).isTrue();
            assertThat(disabledEvents("production")).isEqualTo(1);
            assertThat(disabledEvents("development")).isEqualTo(1);

            ActionResult again = actions.killSwitch(plan, "INC-42: pressed again");

            assertThat(again.outcomes()).extracting(TargetOutcome::outcome).containsOnly(Outcome.ALREADY_DONE);
            assertThat(disabledEvents("production")).as("no second write").isEqualTo(1);
            assertThat(disabledEvents("development")).isEqualTo(1);

            List<AuditEntry> entries = audit.query(AuditQuery.latest(100));
            assertThat(entries).filteredOn(e -> e.action().equals("KILL_SWITCH") && e.stage() == AuditStage.OUTCOME)
                    .extracting(AuditEntry::result).containsOnly("SUCCEEDED");
            List<AuditEntry> flagOffs = entries.stream().filter(e -> e.action().equals("FLAG_OFF")).toList();
            assertThat(flagOffs).filteredOn(e -> e.stage() == AuditStage.INTENT).hasSize(2)
                    .allSatisfy(e -> assertThat(e.relatesTo()).isNotNull());
            assertThat(flagOffs).filteredOn(e -> e.stage() == AuditStage.OUTCOME).extracting(AuditEntry::detail)
                    .anySatisfy(d -> assertThat(d).contains("sent: POST /api/admin/projects/default/features/" + flag
                            + "/environments/production/off; state after: off in production at 25%"));
            assertThat(flagOffs).filteredOn(e -> "ALREADY_DONE".equals(e.result())).hasSize(2);
            assertThat(audit.verify().intact()).isTrue();
            assertNoTokenIn(entries, server.adminToken());
        }
    }

    @Test
    void unleashStoppedMidActionIsAClearAuditedFailureAndPressingAgainConverges() throws Exception {
        try (UnleashProvider provider = provider(server.adminToken()); FlagSync sync = syncLinking(provider)) {
            ReleaseActions actions = facade(provider);
            KillSwitchPlan plan = actions.planKillSwitch(new FlagRef(PROVIDER, flag));
            AtomicBoolean stopped = new AtomicBoolean();
            atPermissionCheck = target -> {
                if (target instanceof FlagTarget && stopped.compareAndSet(false, true)) {
                    server.stopUnleash(); // this flag was read; its write will find Unleash gone
                }
            };

            ActionResult broken = actions.killSwitch(plan, "INC-43");

            atPermissionCheck = target -> { };
            assertThat(broken.allSafe()).isFalse();
            List<TargetOutcome> flagOutcomes = broken.outcomes().stream()
                    .filter(o -> o.target() instanceof FlagTarget).toList();
            // The flag whose gate stopped Unleash fails at its write; the other, in parallel, at its read or write.
            assertThat(flagOutcomes).hasSize(2).allSatisfy(o -> {
                assertThat(o.outcome()).isEqualTo(Outcome.FAILED);
                // How the socket dies depends on the moment Unleash stops (refused, reset, EOF mid-answer...); the
                // console says which of its two cases it was, in its own words, whatever the exception.
                assertThat(o.message()).containsAnyOf(
                        "cannot connect to Unleash at " + server.baseUrl() + ": connection refused",
                        "the connection to Unleash at " + server.baseUrl() + " failed during")
                        .contains("Nothing was confirmed");
            });
            assertThat(broken.outcomes()).filteredOn(o -> o.target().equals(CHECKOUT_API))
                    .extracting(TargetOutcome::outcome).containsExactly(Outcome.SUCCEEDED);
            List<AuditEntry> entries = audit.query(AuditQuery.latest(100));
            assertThat(entries).filteredOn(e -> e.action().equals("KILL_SWITCH") && e.stage() == AuditStage.OUTCOME)
                    .singleElement().satisfies(e -> {
                        assertThat(e.result()).isEqualTo("FAILED");
                        assertThat(e.detail()).contains("2 of 3 target(s) NOT confirmed safe");
                    });
            assertThat(entries).filteredOn(e -> e.action().equals("FLAG_OFF") && e.stage() == AuditStage.OUTCOME)
                    .extracting(AuditEntry::result).containsOnly("FAILED").isNotEmpty();

            server.startUnleash();
            assertThat(admin.flag(flag).path("environments").findValuesAsText("enabled"))
                    .as("nothing was turned off while Unleash was down").containsOnly("true");

            ActionResult again = actions.killSwitch(plan, "INC-43: again");

            assertThat(again.allSafe()).as(again.outcomes().toString()).isTrue();
            assertThat(again.outcomes()).filteredOn(o -> o.target() instanceof FlagTarget)
                    .extracting(TargetOutcome::outcome).containsOnly(Outcome.SUCCEEDED);
            assertThat(again.outcomes()).filteredOn(o -> o.target().equals(CHECKOUT_API))
                    .extracting(TargetOutcome::outcome).containsExactly(Outcome.ALREADY_DONE);
            assertThat(disabledEvents("production")).isEqualTo(1);
            assertThat(disabledEvents("development")).isEqualTo(1);
            assertThat(audit.verify().intact()).isTrue();
        }
    }

    @Test
    void aSingleToggleWithUnleashStoppedAfterTheReadIsAuditedIntentThenFailure() throws Exception {
        try (UnleashProvider provider = provider(server.adminToken()); FlagSync sync = syncLinking(provider)) {
            ReleaseActions actions = facade(provider);
            atPermissionCheck = target -> server.stopUnleash();

            ActionResult result = actions.execute(ActionType.FLAG_OFF, new FlagTarget(new FlagRef(PROVIDER, flag),
                    "production"), "INC-44");

            TargetOutcome outcome = result.outcomes().get(0);
            assertThat(outcome.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(outcome.message()).contains("cannot connect to Unleash at " + server.baseUrl(),
                    "connection refused", "Nothing was confirmed");
            List<AuditEntry> entries = audit.query(AuditQuery.latest(10));
            AuditEntry out = entries.get(0);
            AuditEntry intent = entries.get(1);
            assertThat(intent.stage()).isEqualTo(AuditStage.INTENT);
            assertThat(intent.detail()).contains("state before: on in production at 25%", "reason: INC-44");
            assertThat(out.stage()).isEqualTo(AuditStage.OUTCOME);
            assertThat(out.relatesTo()).isEqualTo(intent.id());
            assertThat(out.result()).isEqualTo("FAILED");
            assertThat(out.detail()).contains("connection refused");
        }
    }

    @Test
    void aRevokedTokenAndABackendTokenAreDeniedSayingWhyAndAuditedWithoutTheToken() throws Exception {
        FlagRef ref = new FlagRef(PROVIDER, flag);
        try (UnleashProvider good = provider(server.adminToken()); FlagSync sync = syncLinking(good)) {
            String revoked = server.takeSpareAdminToken();
            admin.revokeToken(revoked);
            server.restartUnleash();
            try (UnleashProvider provider = provider(revoked)) {
                ActionResult result = facade(provider).execute(ActionType.FLAG_OFF,
                        new FlagTarget(ref, "production"), "INC-45");
                TargetOutcome o = result.outcomes().get(0);
                assertThat(o.outcome()).isEqualTo(Outcome.DENIED);
                assertThat(o.message()).contains("401 Unauthorized", "revoked");
            }
            String backend = admin.createBackendToken(UnleashServer.uniqueName("sdk"), "production");
            try (UnleashProvider provider = provider(backend)) {
                ActionResult result = facade(provider).killSwitch(facade(provider).planKillSwitch(ref), "INC-45");
                assertThat(result.outcomes()).filteredOn(x -> x.target() instanceof FlagTarget).hasSize(2)
                        .allSatisfy(x -> {
                            assertThat(x.outcome()).isEqualTo(Outcome.DENIED);
                            assertThat(x.message()).contains("403 Forbidden", "client/backend or frontend token");
                        });
                assertThat(result.allSafe()).isFalse();
            }
            assertThat(admin.flag(flag).path("environments").findValuesAsText("enabled")).containsOnly("true");
            List<AuditEntry> entries = audit.query(AuditQuery.latest(100));
            assertThat(entries).filteredOn(e -> e.action().equals("FLAG_OFF")).extracting(AuditEntry::result)
                    .containsOnly("DENIED").hasSize(3);
            assertThat(entries).filteredOn(e -> e.action().equals("FLAG_OFF")).extracting(AuditEntry::detail)
                    .anySatisfy(d -> assertThat(d).contains("401 Unauthorized"))
                    .anySatisfy(d -> assertThat(d).contains("403 Forbidden"));
            assertNoTokenIn(entries, revoked);
            assertNoTokenIn(entries, backend);
        }
    }

    @Test
    void aPercentageChangeGoesThroughTheFacadeAndIsConfirmedByReadingBack() throws Exception {
        try (UnleashProvider provider = provider(server.adminToken()); FlagSync sync = syncLinking(provider)) {
            ActionResult result = facade(provider).execute(ActionType.FLAG_SET_ROLLOUT,
                    new FlagTarget(new FlagRef(PROVIDER, flag), "production"),
                    dev.releaseconsole.services.actions.ActionInput.percent(50), "widen");

            assertThat(result.outcomes().get(0).outcome()).isEqualTo(Outcome.SUCCEEDED);
            assertThat(result.outcomes().get(0).stateAfter()).isEqualTo("on in production at 50%");
            assertThat(admin.countEvents(flag, "feature-strategy-update", "production")).isEqualTo(1);
        }
    }

    private int disabledEvents(String environment) {
        return admin.countEvents(flag, "feature-environment-disabled", environment);
    }

    private static void assertNoTokenIn(List<AuditEntry> entries, String token) {
        String secretPart = token.substring(token.indexOf('.') + 1);
        assertThat(entries).allSatisfy(e -> assertThat(e.actor() + e.target() + e.detail())
                .doesNotContain(secretPart));
    }

    private static UnleashProvider provider(String token) {
        return new UnleashProvider(UnleashSettings.of(PROVIDER, server.baseUrl(), SecretSource.env("UNLEASH_TOKEN",
                n -> token)));
    }

    /** Publishes the provider's flags into the live state, linking the test's flag to checkout-api. */
    private FlagSync syncLinking(UnleashProvider provider) {
        FlagSync sync = new FlagSync(state, List.of(provider), new FlagSync.Settings(Duration.ofSeconds(30),
                Duration.ofSeconds(60)), f -> f.ref().key().equals(flag) ? new Flag(f.ref(), f.type(),
                f.description(), "team-checkout", f.environments(), List.of(CHECKOUT_API)) : f, Clock.systemUTC());
        sync.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (state.flags().get(new FlagRef(PROVIDER, flag)).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("FlagSync did not publish " + flag + "; status "
                        + state.flagProviders().get(PROVIDER));
            }
            sleep(20);
        }
        return sync;
    }

    private ReleaseActions facade(UnleashProvider provider) {
        PermissionChecker onCall = new PermissionChecker() {
            @Override
            public Verdict mayPerform(ActionType action, ActionTarget target) {
                atPermissionCheck.accept(target);
                return Verdict.allowed();
            }

            @Override
            public String whoAmI(ActionTarget target) {
                return "oncall@example.com";
            }
        };
        return new ReleaseActions(state, world.backends(), Map.of(PROVIDER, provider), onCall,
                PolicyEngine.PERMISSIVE, audit, Clock.systemUTC(), pool);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }
}
