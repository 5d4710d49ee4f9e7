package dev.releaseconsole.services.actions;

import dev.releaseconsole.services.governance.AuditEntry;
import dev.releaseconsole.services.governance.AuditQuery;
import dev.releaseconsole.services.governance.AuditStage;
import dev.releaseconsole.services.governance.SqliteAuditLog;
import dev.releaseconsole.services.model.ClusterRef;
import dev.releaseconsole.services.model.Environment;
import dev.releaseconsole.services.model.Flag;
import dev.releaseconsole.services.model.FlagEnvironmentState;
import dev.releaseconsole.services.model.FlagRef;
import dev.releaseconsole.services.model.FlagTarget;
import dev.releaseconsole.services.model.FlagType;
import dev.releaseconsole.services.model.PauseCondition;
import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.model.Step;
import dev.releaseconsole.services.model.Strategy;
import dev.releaseconsole.services.model.WorkloadKind;
import dev.releaseconsole.services.store.LiveState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The facade's order of gates and its audit trail, against an in-memory backend that applies Argo's status
 * semantics for abort/retry/pause and can be told to fail the way a real API server does.
 */
class ReleaseActionsTest {
    private static final ClusterRef PROD = new ClusterRef("prod", "prod", Environment.PRODUCTION, true);
    private static final RolloutRef API = new RolloutRef("prod", "shop", "api", WorkloadKind.ARGO_ROLLOUT);
    private static final FlagRef FLAG = new FlagRef("mem", "new-checkout");

    @TempDir
    Path dir;

    private final LiveState state = new LiveState();
    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private SqliteAuditLog audit;
    private RecordingBackend backend;
    private RecordingFlags flags;
    private Verdict permission = Verdict.allowed();
    private Verdict policyVerdict = Verdict.allowed();
    private ReleaseActions actions;

    @BeforeEach
    void setUp() {
        audit = SqliteAuditLog.open(dir.resolve("audit.db"), Clock.systemUTC());
        backend = new RecordingBackend();
        flags = new RecordingFlags();
        backend.put(canaryAtStep(1));
        flags.put(flag(true, true));
        state.rollouts().upsert(canaryAtStep(1));
        state.flags().upsert(flag(true, true));
        PermissionChecker perms = new PermissionChecker() {
            @Override
            public Verdict mayPerform(ActionType action, dev.releaseconsole.services.model.ActionTarget target) {
                return permission;
            }

            @Override
            public String whoAmI(dev.releaseconsole.services.model.ActionTarget target) {
                return "alice";
            }
        };
        actions = new ReleaseActions(state, Map.of("prod", backend), Map.of("mem", flags), perms,
                request -> policyVerdict, audit, Clock.systemUTC(), pool);
    }

    @AfterEach
    void tearDown() {
        pool.shutdownNow();
        audit.close();
    }

    @Test
    void abortWritesTheIntentBeforeActingAndTheConfirmedOutcomeAfter() {
        ActionResult result = actions.execute(ActionType.ABORT, API, "error ratio 3x baseline");

        TargetOutcome outcome = result.outcomes().get(0);
        assertThat(outcome.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(outcome.stateAfter()).startsWith("Aborted");
        assertThat(backend.intentSeenWhenActing).as("intent committed before the request").isTrue();
        List<AuditEntry> entries = audit.query(AuditQuery.latest(10));
        assertThat(entries).extracting(AuditEntry::stage).containsExactly(AuditStage.OUTCOME, AuditStage.INTENT);
        AuditEntry out = entries.get(0);
        assertThat(out.actor()).isEqualTo("alice");
        assertThat(out.result()).isEqualTo("SUCCEEDED");
        assertThat(out.relatesTo()).isEqualTo(entries.get(1).id());
        assertThat(out.detail()).contains("{\"status\":{\"abort\":true}}").contains("state after: Aborted");
        assertThat(entries.get(1).detail()).contains("reason: error ratio 3x baseline");
    }

    @Test
    void twoAbortsSendOneRequest() {
        actions.execute(ActionType.ABORT, API, null);
        ActionResult second = actions.execute(ActionType.ABORT, API, null);

        assertThat(second.outcomes().get(0).outcome()).isEqualTo(Outcome.ALREADY_DONE);
        assertThat(backend.sent).hasSize(1);
    }

    @Test
    void aDeniedUserSendsNothingAndTheRefusalIsAudited() {
        permission = Verdict.refused("you may not patch rollouts/status in namespace shop on cluster prod");

        TargetOutcome outcome = actions.execute(ActionType.ABORT, API, null).outcomes().get(0);

        assertThat(outcome.outcome()).isEqualTo(Outcome.DENIED);
        assertThat(outcome.message()).contains("you may not patch rollouts/status");
        assertThat(backend.sent).isEmpty();
        assertThat(audit.query(AuditQuery.latest(1)).get(0).result()).isEqualTo("DENIED");
    }

    @Test
    void aForbiddenResponseFromTheSourceIsReportedAsDenied() {
        backend.failNext = new ActionException(ActionException.Reason.DENIED, "403 Forbidden: rollouts/status");

        TargetOutcome outcome = actions.execute(ActionType.ABORT, API, null).outcomes().get(0);

        assertThat(outcome.outcome()).isEqualTo(Outcome.DENIED);
        List<AuditEntry> entries = audit.query(AuditQuery.latest(2));
        assertThat(entries.get(0).result()).isEqualTo("DENIED");
        assertThat(entries.get(1).stage()).isEqualTo(AuditStage.INTENT);
    }

    @Test
    void aFailedRequestIsNeverReportedAsDoneAndTheAuditSaysSo() {
        backend.failNext = new ActionException(ActionException.Reason.UNAVAILABLE,
                "503 Service Unavailable from https://api.prod:6443 with Authorization: Bearer sekrit");

        TargetOutcome outcome = actions.execute(ActionType.ABORT, API, null).outcomes().get(0);

        assertThat(outcome.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(outcome.message()).contains("503").doesNotContain("sekrit");
        AuditEntry last = audit.query(AuditQuery.latest(1)).get(0);
        assertThat(last.result()).isEqualTo("FAILED");
        assertThat(last.detail()).doesNotContain("sekrit");
        assertThat(backend.read(API).orElseThrow().abort()).isFalse();
    }

    @Test
    void aRequestTheSourceDoesNotReflectIsUnconfirmed() {
        backend.ignoreWrites = true;

        TargetOutcome outcome = actions.execute(ActionType.ABORT, API, null).outcomes().get(0);

        assertThat(outcome.outcome()).isEqualTo(Outcome.UNCONFIRMED);
        assertThat(outcome.outcome().isSafe()).isFalse();
    }

    @Test
    void policyBlocksBeforeAnythingIsSent() {
        policyVerdict = Verdict.refused("production freeze until 2026-11-30");

        TargetOutcome outcome = actions.execute(ActionType.ABORT, API, null).outcomes().get(0);

        assertThat(outcome.outcome()).isEqualTo(Outcome.BLOCKED_BY_POLICY);
        assertThat(outcome.message()).contains("freeze");
        assertThat(backend.sent).isEmpty();
    }

    @Test
    void stateIsCheckedOnFreshStateNotTheCachedRow() {
        // The cache still says "progressing" but the source has already aborted.
        backend.put(canaryAtStep(1).toBuilder().abort(true).phase(Rollout.DEGRADED, "RolloutAborted").build());

        TargetOutcome outcome = actions.execute(ActionType.PROMOTE, API, null).outcomes().get(0);

        assertThat(outcome.outcome()).isEqualTo(Outcome.REJECTED_BY_STATE);
        assertThat(outcome.message()).contains("retry");
    }

    @Test
    void availabilityExplainsWhyAButtonIsOff() {
        assertThat(actions.availability(ActionType.RETRY, API).reason())
                .isEqualTo("only an aborted rollout can be retried");
        permission = Verdict.refused("you may not patch rollouts/status in namespace shop on cluster prod");
        assertThat(actions.availability(ActionType.ABORT, API).reason()).contains("you may not");
        assertThat(actions.requiresTypedConfirmation(API)).isTrue();
    }

    @Test
    void killSwitchTurnsOffEveryEnvironmentAndAbortsTheRolloutAndIsIdempotent() {
        KillSwitchPlan plan = actions.planKillSwitch(FLAG);
        assertThat(plan.flags()).extracting(FlagTarget::environment).containsExactlyInAnyOrder("production", "staging");
        assertThat(plan.rollouts()).containsExactly(API);
        assertThat(plan.touchesProduction()).isTrue();

        ActionResult first = actions.killSwitch(plan, "incident 42");
        assertThat(first.allSafe()).isTrue();
        assertThat(first.outcomes()).extracting(TargetOutcome::outcome).containsOnly(Outcome.SUCCEEDED);
        assertThat(flags.read(FLAG).orElseThrow().enabledAnywhere()).isFalse();
        int requests = backend.sent.size() + flags.writes;

        ActionResult again = actions.killSwitch(actions.planKillSwitch(FLAG), "incident 42");
        assertThat(again.outcomes()).extracting(TargetOutcome::outcome).containsOnly(Outcome.ALREADY_DONE);
        assertThat(backend.sent.size() + flags.writes).as("no duplicate effects").isEqualTo(requests);

        AuditEntry composite = audit.query(new AuditQuery(null, "KILL_SWITCH", null, 10)).get(0);
        assertThat(composite.result()).isEqualTo("SUCCEEDED");
        assertThat(composite.detail()).contains("all 3 target(s) confirmed safe");
    }

    @Test
    void killSwitchAfterAPartialFailureConvergesAndNeverClaimsTheFailedTarget() {
        flags.failWrites = true;
        ActionResult first = actions.killSwitch(actions.planKillSwitch(FLAG), null);
        assertThat(first.allSafe()).isFalse();
        assertThat(first.outcomes()).filteredOn(o -> o.target() instanceof FlagTarget)
                .extracting(TargetOutcome::outcome).containsOnly(Outcome.FAILED);
        assertThat(first.outcomes()).filteredOn(o -> o.target() instanceof RolloutRef)
                .extracting(TargetOutcome::outcome).containsOnly(Outcome.SUCCEEDED);
        assertThat(audit.query(new AuditQuery(null, "KILL_SWITCH", null, 10)).get(0).result()).isEqualTo("FAILED");

        flags.failWrites = false;
        ActionResult retry = actions.killSwitch(actions.planKillSwitch(FLAG), null);
        assertThat(retry.allSafe()).isTrue();
        assertThat(retry.outcomes()).filteredOn(o -> o.target() instanceof RolloutRef)
                .extracting(TargetOutcome::outcome).containsOnly(Outcome.ALREADY_DONE);
        assertThat(backend.sent).hasSize(1);
    }

    private static Rollout canaryAtStep(int step) {
        return Rollout.builder(API, Strategy.CANARY)
                .createdAt(Instant.parse("2026-11-22T09:00:00Z"))
                .steps(List.of(Step.setWeight(5), Step.pauseIndefinitely(), Step.setWeight(50)))
                .currentStepIndex(step).desiredWeight(5).actualWeight(5)
                .phase(Rollout.PAUSED, "CanaryPauseStep").controllerPause(true)
                .pauseConditions(List.of(new PauseCondition(PauseCondition.CANARY_PAUSE_STEP,
                        Instant.parse("2026-11-22T09:05:00Z"))))
                .currentPodHash("new").stableRS("old").build();
    }

    private static Flag flag(boolean prodOn, boolean stagingOn) {
        return new Flag(FLAG, FlagType.RELEASE, "", "team-shop",
                List.of(new FlagEnvironmentState("production", Environment.PRODUCTION, prodOn, 25, ""),
                        new FlagEnvironmentState("staging", Environment.STAGING, stagingOn, 100, "")),
                List.of(API));
    }

    /** Applies the status patches as the API server would and records each request. */
    private final class RecordingBackend implements RolloutBackend {
        final Map<RolloutRef, Rollout> objects = new ConcurrentHashMap<>();
        final List<String> sent = new ArrayList<>();
        ActionException failNext;
        boolean ignoreWrites;
        boolean intentSeenWhenActing;

        void put(Rollout r) {
            objects.put(r.ref(), r);
        }

        @Override
        public ClusterRef cluster() {
            return PROD;
        }

        @Override
        public Clock clock() {
            return Clock.systemUTC();
        }

        @Override
        public Optional<Rollout> read(RolloutRef ref) {
            return Optional.ofNullable(objects.get(ref));
        }

        @Override
        public synchronized String perform(ActionType action, Rollout current, ActionInput input) throws ActionException {
            intentSeenWhenActing = audit.query(AuditQuery.latest(1)).stream()
                    .anyMatch(e -> e.stage() == AuditStage.INTENT && e.action().equals(action.name()));
            if (failNext != null) {
                ActionException e = failNext;
                failNext = null;
                throw e;
            }
            String body = switch (action) {
                case ABORT -> "{\"status\":{\"abort\":true}}";
                case RETRY -> "{\"status\":{\"abort\":false}}";
                case PAUSE -> "{\"spec\":{\"paused\":true}}";
                default -> "{}";
            };
            sent.add(body);
            if (!ignoreWrites) {
                Rollout.Builder b = current.toBuilder();
                if (action == ActionType.ABORT) {
                    b.abort(true).phase(Rollout.DEGRADED, "RolloutAborted: Rollout aborted update to revision 2")
                            .actualWeight(0).currentStepIndex(0).pauseConditions(List.of()).controllerPause(false);
                } else if (action == ActionType.RETRY) {
                    b.abort(false).phase(Rollout.PROGRESSING, "");
                } else if (action == ActionType.PAUSE) {
                    b.specPaused(true);
                }
                put(b.build());
            }
            return "PATCH rollouts/status " + body;
        }
    }

    private static final class RecordingFlags implements FlagProvider {
        final Map<FlagRef, Flag> flags = new ConcurrentHashMap<>();
        volatile boolean failWrites;
        volatile int writes;

        void put(Flag f) {
            flags.put(f.ref(), f);
        }

        @Override
        public String id() {
            return "mem";
        }

        @Override
        public String kind() {
            return "in-memory";
        }

        @Override
        public String setRolloutPercent(FlagRef ref, String environment, int percent) throws ActionException {
            throw new ActionException(ActionException.Reason.INVALID, "not used by these tests");
        }

        @Override
        public List<Flag> list() {
            return List.copyOf(flags.values());
        }

        @Override
        public Optional<Flag> read(FlagRef ref) {
            return Optional.ofNullable(flags.get(ref));
        }

        @Override
        public synchronized String setEnabled(FlagRef ref, String environment, boolean enabled) throws ActionException {
            if (failWrites) {
                throw new ActionException(ActionException.Reason.UNAVAILABLE, "provider unreachable: connect timed out");
            }
            writes++;
            Flag f = flags.get(ref);
            List<FlagEnvironmentState> envs = f.environments().stream().map(e -> e.environment().equals(environment)
                    ? new FlagEnvironmentState(e.environment(), e.tier(), enabled, e.rolloutPercent(), e.targeting())
                    : e).toList();
            put(new Flag(f.ref(), f.type(), f.description(), f.owner(), envs, f.linkedRollouts()));
            return "POST " + environment + (enabled ? "/on" : "/off");
        }
    }
}
