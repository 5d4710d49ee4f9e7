package dev.releaseconsole.services.actions;

import dev.releaseconsole.services.governance.AuditEntry;
import dev.releaseconsole.services.governance.AuditException;
import dev.releaseconsole.services.governance.AuditLog;
import dev.releaseconsole.services.governance.Secrets;
import dev.releaseconsole.services.model.ActionTarget;
import dev.releaseconsole.services.model.Environment;
import dev.releaseconsole.services.model.Flag;
import dev.releaseconsole.services.model.FlagEnvironmentState;
import dev.releaseconsole.services.model.FlagRef;
import dev.releaseconsole.services.model.FlagTarget;
import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.store.LiveState;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * The one road by which anything changes a cluster or a flag provider. For every target, in this order:
 * the target's fresh state allows it, the user may do it, policy allows it, the intent is committed to the audit
 * log, the request is sent, the state is read back from the source, the outcome is written. Calls block: run them
 * off the UI thread. Sources (watches, pollers, the demo world) own {@link LiveState}; the facade only reads it, and
 * reads back from the source itself to confirm an action, so it never overwrites a newer report with an older one.
 */
public final class ReleaseActions {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ReleaseActions.class);

    private final LiveState state;
    private final Map<String, RolloutBackend> clusters;
    private final Map<String, FlagProvider> flagProviders;
    private final PermissionChecker permissions;
    private final PolicyEngine policy;
    private final AuditLog audit;
    private final Clock wallClock;
    /** How often a read-back that waits for the controller ({@link ActionType#controllerConfirmWithin()}) looks. */
    private static final long CONTROLLER_POLL_MILLIS = 250;
    private final ExecutorService pool;

    public ReleaseActions(LiveState state, Map<String, RolloutBackend> clusters,
                          Map<String, FlagProvider> flagProviders, PermissionChecker permissions,
                          PolicyEngine policy, AuditLog audit, Clock wallClock, ExecutorService pool) {
        this.state = state;
        this.clusters = Map.copyOf(clusters);
        this.flagProviders = Map.copyOf(flagProviders);
        this.permissions = permissions;
        this.policy = policy;
        this.audit = audit;
        this.wallClock = wallClock;
        this.pool = pool;
    }

    /**
     * Whether the action may be taken now, judged on the last reported state (cheap, for enabling buttons). The
     * action itself re-checks on fresh state.
     */
    public Verdict availability(ActionType action, ActionTarget target) {
        Verdict byState;
        if (target instanceof RolloutRef ref) {
            byState = state.rollouts().get(ref).map(r -> RolloutStateRules.check(action, r))
                    .orElse(Verdict.refused("the rollout is no longer reported by its cluster"));
        } else {
            FlagTarget ft = (FlagTarget) target;
            byState = state.flags().get(ft.flag()).map(f -> checkFlag(action, f, ft.environment(), ActionInput.NONE))
                    .orElse(Verdict.refused("the flag is no longer reported by its provider"));
        }
        if (!byState.isAllowed()) {
            return byState;
        }
        Verdict mayI = permissions.mayPerform(action, target);
        if (!mayI.isAllowed()) {
            return mayI;
        }
        Verdict byPolicy = policy.evaluate(policyRequest(action, target));
        return byPolicy.isAllowed() ? byState : byPolicy;
    }

    /**
     * Runs {@code listener} (on a background thread) when {@link #availability} answers may have changed without the
     * targets changing: a permission answer arrived, a cluster reconnected.
     */
    public void addAvailabilityListener(Runnable listener) {
        permissions.addChangeListener(listener);
    }

    public void removeAvailabilityListener(Runnable listener) {
        permissions.removeChangeListener(listener);
    }

    /** Production targets are confirmed by typing their name. */
    public boolean requiresTypedConfirmation(ActionTarget target) {
        return environmentOf(target) == Environment.PRODUCTION;
    }

    /** The name a user types to confirm an action on {@code target}. */
    public static String confirmationName(ActionTarget target) {
        return target instanceof RolloutRef ref ? ref.name() : ((FlagTarget) target).flag().key();
    }

    public ActionResult execute(ActionType action, ActionTarget target, String reason) {
        return execute(action, target, ActionInput.NONE, reason);
    }

    /** For actions that need an argument: undo (revision), terminate analysis (run), flag rollout (percent). */
    public ActionResult execute(ActionType action, ActionTarget target, ActionInput input, String reason) {
        if (action == ActionType.KILL_SWITCH) {
            throw new IllegalArgumentException("plan the kill switch with planKillSwitch, then call killSwitch");
        }
        long start = System.nanoTime();
        TargetOutcome outcome = runOne(action, target, input, reason, null);
        return new ActionResult(action, List.of(outcome), Duration.ofNanos(System.nanoTime() - start));
    }

    /** For a flag: off in every environment, and every rollout linked to it aborted. */
    public KillSwitchPlan planKillSwitch(FlagRef flagRef) {
        Flag flag = state.flags().get(flagRef)
                .orElseThrow(() -> new IllegalArgumentException("unknown flag " + flagRef));
        List<FlagTarget> flags = new ArrayList<>();
        flag.environments().forEach(e -> flags.add(new FlagTarget(flagRef, e.environment())));
        return plan("flag " + flagRef, flagRef.key(), flags, flag.linkedRollouts());
    }

    /** For a rollout: it is aborted, and every flag linked to it is turned off in every environment. */
    public KillSwitchPlan planKillSwitch(RolloutRef rollout) {
        List<FlagTarget> flags = new ArrayList<>();
        Set<RolloutRef> rollouts = new LinkedHashSet<>();
        rollouts.add(rollout);
        state.flags().all().stream().filter(f -> f.linkedRollouts().contains(rollout)).sorted(
                java.util.Comparator.comparing(Flag::ref)).forEach(f ->
                f.environments().forEach(e -> flags.add(new FlagTarget(f.ref(), e.environment()))));
        return plan("rollout " + rollout, rollout.name(), flags, List.copyOf(rollouts));
    }

    /**
     * The plan narrowed to some flag environments (the command line's {@code --env}): only those flag targets, and
     * only the rollouts in clusters of the same tiers (a kill switch for staging does not abort production).
     */
    public KillSwitchPlan narrow(KillSwitchPlan plan, Set<String> environments) {
        List<FlagTarget> flags = plan.flags().stream().filter(f -> environments.contains(f.environment())).toList();
        Set<Environment> tiers = new java.util.HashSet<>();
        flags.forEach(f -> tiers.add(environmentOf(f)));
        List<RolloutRef> rollouts = plan.rollouts().stream().filter(r -> tiers.contains(environmentOf(r))).toList();
        return plan(plan.incident() + " in " + String.join(", ", new java.util.TreeSet<>(environments)),
                plan.confirmationName(), flags, rollouts);
    }

    /** The plan in words, one step per target: flags first, then rollouts, from the last reported state. */
    public List<KillSwitchStep> steps(KillSwitchPlan plan) {
        List<KillSwitchStep> out = new ArrayList<>();
        for (FlagTarget f : plan.flags()) {
            Optional<FlagEnvironmentState> env = state.flags().get(f.flag()).flatMap(fl -> fl.environment(
                    f.environment()));
            boolean on = env.map(FlagEnvironmentState::enabled).orElse(true);
            out.add(new KillSwitchStep(f, "Turn off flag " + f.flag().key() + " in " + f.environment()
                    + env.map(e -> " (" + e.tier().label() + ")").orElse("")
                    + (flagProviders.size() > 1 ? " at " + f.flag().provider() : "") + (on ? "" : " — already off"),
                    environmentOf(f) == Environment.PRODUCTION, !on));
        }
        for (RolloutRef r : plan.rollouts()) {
            Optional<Rollout> rollout = state.rollouts().get(r);
            boolean aborted = rollout.map(x -> RolloutStateRules.check(ActionType.ABORT, x).kind()
                    == Verdict.Kind.ALREADY_DONE).orElse(false);
            out.add(new KillSwitchStep(r, "Abort " + (r.kind() == dev.releaseconsole.services.model.WorkloadKind
                    .FLAGGER_CANARY ? "canary " : "rollout ") + r + " (now "
                    + rollout.map(Rollout::statusLabel).orElse("not reported") + ")"
                    + (aborted ? " — already aborted" : ""), environmentOf(r) == Environment.PRODUCTION, aborted));
        }
        return out;
    }

    /** The provider's own change events for a flag, newest first (empty when it keeps none); reads, never writes. */
    public List<dev.releaseconsole.services.model.FlagChangeEvent> flagEvents(FlagRef ref, int limit)
            throws ActionException {
        FlagProvider provider = flagProviders.get(ref.provider());
        if (provider == null) {
            throw new ActionException(ActionException.Reason.NOT_FOUND, "flag provider " + ref.provider()
                    + " is not configured");
        }
        return provider.events(ref, limit);
    }

    private KillSwitchPlan plan(String incident, String name, List<FlagTarget> flags, List<RolloutRef> rollouts) {
        boolean production = flags.stream().anyMatch(f -> environmentOf(f) == Environment.PRODUCTION)
                || rollouts.stream().anyMatch(r -> environmentOf(r) == Environment.PRODUCTION);
        return new KillSwitchPlan(incident, name, flags, rollouts, production);
    }

    /**
     * Turns off every planned flag and aborts every planned rollout in parallel. Idempotent: targets already safe
     * are reported ALREADY_DONE without a request. Never reports a target safe without reading it back.
     */
    public ActionResult killSwitch(KillSwitchPlan plan, String reason) {
        long start = System.nanoTime();
        ActionTarget first = !plan.flags().isEmpty() ? plan.flags().get(0) : plan.rollouts().get(0);
        String actor = permissions.whoAmI(first);
        AuditEntry intent;
        try {
            intent = audit.recordIntent(actor, ActionType.KILL_SWITCH.name(), plan.incident(),
                    "plan: " + plan.flags().size() + " flag environment(s) off, " + plan.rollouts().size()
                            + " rollout(s) aborted" + reasonSuffix(reason), null);
        } catch (AuditException e) {
            List<TargetOutcome> none = new ArrayList<>();
            plan.flags().forEach(f -> none.add(new TargetOutcome(f, ActionType.FLAG_OFF, Outcome.FAILED,
                    "not done: the audit log could not record the intent (" + e.getMessage() + ")", "unchanged", -1)));
            plan.rollouts().forEach(r -> none.add(new TargetOutcome(r, ActionType.ABORT, Outcome.FAILED,
                    "not done: the audit log could not record the intent (" + e.getMessage() + ")", "unchanged", -1)));
            return new ActionResult(ActionType.KILL_SWITCH, none, Duration.ofNanos(System.nanoTime() - start));
        }
        List<CompletableFuture<TargetOutcome>> futures = new ArrayList<>();
        for (FlagTarget f : plan.flags()) {
            futures.add(CompletableFuture.supplyAsync(() -> runOne(ActionType.FLAG_OFF, f, ActionInput.NONE, reason, intent.id()), pool));
        }
        for (RolloutRef r : plan.rollouts()) {
            futures.add(CompletableFuture.supplyAsync(() -> runOne(ActionType.ABORT, r, ActionInput.NONE, reason, intent.id()), pool));
        }
        List<TargetOutcome> outcomes = futures.stream().map(CompletableFuture::join).toList();
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        ActionResult result = new ActionResult(ActionType.KILL_SWITCH, outcomes, elapsed);
        long unsafe = outcomes.stream().filter(o -> !o.outcome().isSafe()).count();
        recordOutcome(intent.id(), actor, ActionType.KILL_SWITCH.name(), plan.incident(),
                unsafe == 0 ? Outcome.SUCCEEDED.name() : Outcome.FAILED.name(),
                (unsafe == 0 ? "all " + outcomes.size() + " target(s) confirmed safe"
                        : unsafe + " of " + outcomes.size() + " target(s) NOT confirmed safe: press again to retry them")
                        + " in " + elapsed.toMillis() + " ms");
        return result;
    }

    private TargetOutcome runOne(ActionType action, ActionTarget target, ActionInput input, String reason,
                                 Long parentId) {
        String actor = permissions.whoAmI(target);
        if (action.needsInput() && input.equals(ActionInput.NONE)) {
            return refuse(action, target, actor, Outcome.REJECTED_BY_STATE, action.label()
                    + " needs " + (action == ActionType.UNDO ? "a revision" : action == ActionType.TERMINATE_ANALYSIS
                    ? "an analysis run" : "a percentage"), parentId);
        }
        return target instanceof RolloutRef ref ? runRollout(action, ref, input, actor, reason, parentId)
                : runFlag(action, (FlagTarget) target, input, actor, reason, parentId);
    }

    private TargetOutcome runRollout(ActionType action, RolloutRef ref, ActionInput input, String actor,
                                     String reason, Long parentId) {
        RolloutBackend backend = clusters.get(ref.cluster());
        if (backend == null) {
            return refuse(action, ref, actor, Outcome.FAILED, "cluster " + ref.cluster() + " is not connected",
                    parentId);
        }
        Rollout before;
        try {
            before = backend.read(ref).orElse(null);
        } catch (ActionException e) {
            return refuse(action, ref, actor, classify(e), "could not read the rollout before acting: "
                    + e.getMessage(), parentId);
        }
        if (before == null) {
            return refuse(action, ref, actor, Outcome.FAILED, "the rollout no longer exists", parentId);
        }
        Optional<TargetOutcome> gated = gates(action, ref, actor, RolloutStateRules.check(action, before, input),
                parentId, describe(before));
        if (gated.isPresent()) {
            return gated.get();
        }
        AuditEntry intent;
        try {
            intent = audit.recordIntent(actor, action.name(), ref.describe() + input.describe(),
                    "state before: " + describe(before) + reasonSuffix(reason), parentId);
        } catch (AuditException e) {
            return new TargetOutcome(ref, action, Outcome.FAILED,
                    "not done: the audit log could not record the intent (" + e.getMessage() + ")",
                    describe(before), -1);
        }
        String sent;
        try {
            sent = backend.perform(action, before, input);
        } catch (ActionException e) {
            Outcome o = classify(e);
            String msg = Secrets.redact(e.getMessage());
            long outId = recordOutcome(intent.id(), actor, action.name(), ref.describe(), o.name(), msg);
            return new TargetOutcome(ref, action, o, explain(o, msg), describe(before), outId);
        }
        Rollout after = readBack(backend, ref);
        boolean confirmed = after != null && RolloutStateRules.confirms(action, input, before, after);
        long waitUntil = System.nanoTime() + action.controllerConfirmWithin().toNanos();
        while (!confirmed && System.nanoTime() < waitUntil && !Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(CONTROLLER_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            after = readBack(backend, ref);
            confirmed = after != null && RolloutStateRules.confirms(action, input, before, after);
        }
        Outcome o = confirmed ? Outcome.SUCCEEDED : Outcome.UNCONFIRMED;
        String stateAfter = after == null ? "could not be read back" : describe(after);
        long outId = recordOutcome(intent.id(), actor, action.name(), ref.describe(), o.name(),
                "sent: " + sent + "; state after: " + stateAfter);
        return new TargetOutcome(ref, action, o, confirmed ? action.label() + " done; the controller reports "
                + stateAfter : "sent, but the source does not yet show it took effect; state now: " + stateAfter,
                stateAfter, outId);
    }

    private TargetOutcome runFlag(ActionType action, FlagTarget ft, ActionInput input, String actor, String reason,
                                  Long parentId) {
        FlagProvider provider = flagProviders.get(ft.flag().provider());
        if (provider == null) {
            return refuse(action, ft, actor, Outcome.FAILED, "flag provider " + ft.flag().provider()
                    + " is not configured", parentId);
        }
        if (!action.isFlagAction()) {
            return refuse(action, ft, actor, Outcome.REJECTED_BY_STATE, action.label() + " does not apply to a flag",
                    parentId);
        }
        boolean wantOn = action == ActionType.FLAG_ON;
        Flag before;
        try {
            before = provider.read(ft.flag()).orElse(null);
        } catch (ActionException e) {
            return refuse(action, ft, actor, classify(e), "could not read the flag before acting: "
                    + Secrets.redact(e.getMessage()), parentId);
        }
        if (before == null) {
            return refuse(action, ft, actor, Outcome.FAILED, "the provider no longer has this flag", parentId);
        }
        Optional<TargetOutcome> gated = gates(action, ft, actor, checkFlag(action, before, ft.environment(), input),
                parentId, describe(before, ft.environment()));
        if (gated.isPresent()) {
            return gated.get();
        }
        AuditEntry intent;
        try {
            intent = audit.recordIntent(actor, action.name(), ft.describe() + input.describe(),
                    "state before: " + describe(before, ft.environment()) + reasonSuffix(reason), parentId);
        } catch (AuditException e) {
            return new TargetOutcome(ft, action, Outcome.FAILED,
                    "not done: the audit log could not record the intent (" + e.getMessage() + ")",
                    describe(before, ft.environment()), -1);
        }
        String sent;
        try {
            sent = action == ActionType.FLAG_SET_ROLLOUT
                    ? provider.setRolloutPercent(ft.flag(), ft.environment(), input.percent())
                    : provider.setEnabled(ft.flag(), ft.environment(), wantOn);
        } catch (ActionException e) {
            Outcome o = classify(e);
            String msg = Secrets.redact(e.getMessage());
            long outId = recordOutcome(intent.id(), actor, action.name(), ft.describe(), o.name(), msg);
            return new TargetOutcome(ft, action, o, explain(o, msg), describe(before, ft.environment()), outId);
        }
        Flag after;
        try {
            after = provider.read(ft.flag()).orElse(null);
        } catch (ActionException e) {
            after = null;
        }
        boolean confirmed = after != null && after.environment(ft.environment())
                .map(e -> action == ActionType.FLAG_SET_ROLLOUT ? input.percent().equals(e.rolloutPercent())
                        : e.enabled() == wantOn).orElse(false);
        Outcome o = confirmed ? Outcome.SUCCEEDED : Outcome.UNCONFIRMED;
        String stateAfter = after == null ? "could not be read back" : describe(after, ft.environment());
        long outId = recordOutcome(intent.id(), actor, action.name(), ft.describe(), o.name(),
                "sent: " + sent + "; state after: " + stateAfter);
        return new TargetOutcome(ft, action, o, confirmed ? "the provider reports " + stateAfter
                : "sent, but the provider does not confirm it; state now: " + stateAfter, stateAfter, outId);
    }

    /** State, permission and policy gates; a refusal is audited and returned, a pass returns empty. */
    private Optional<TargetOutcome> gates(ActionType action, ActionTarget target, String actor, Verdict byState,
                                          Long parentId, String stateNow) {
        if (byState.kind() == Verdict.Kind.ALREADY_DONE) {
            long id = recordOutcome(parentId, actor, action.name(), target.describe(), Outcome.ALREADY_DONE.name(),
                    "nothing sent: " + byState.reason());
            return Optional.of(new TargetOutcome(target, action, Outcome.ALREADY_DONE, byState.reason(), stateNow,
                    id));
        }
        if (byState.isRefused()) {
            return Optional.of(refuse(action, target, actor, Outcome.REJECTED_BY_STATE, byState.reason(), parentId));
        }
        Verdict mayI = permissions.mayPerform(action, target);
        if (!mayI.isAllowed()) {
            return Optional.of(refuse(action, target, actor, Outcome.DENIED, mayI.reason(), parentId));
        }
        Verdict byPolicy = policy.evaluate(policyRequest(action, target));
        if (!byPolicy.isAllowed()) {
            return Optional.of(refuse(action, target, actor, Outcome.BLOCKED_BY_POLICY, byPolicy.reason(), parentId));
        }
        return Optional.empty();
    }

    private TargetOutcome refuse(ActionType action, ActionTarget target, String actor, Outcome outcome, String why,
                                 Long parentId) {
        long id = recordOutcome(parentId, actor, action.name(), target.describe(), outcome.name(),
                "nothing sent: " + why);
        return new TargetOutcome(target, action, outcome, explain(outcome, why), "unchanged", id);
    }

    /** The target as its source reports it now; null when it cannot be read (the outcome then says so). */
    private static Rollout readBack(RolloutBackend backend, RolloutRef ref) {
        try {
            return backend.read(ref).orElse(null);
        } catch (ActionException e) {
            return null;
        }
    }

    /**
     * Writes an outcome; if the audit log fails now, the act has already happened, so the result still reaches the
     * user (the intent row shows the action was attempted) and the failure is logged. Returns -1 then.
     */
    private long recordOutcome(Long intentId, String actor, String action, String target, String result,
                               String detail) {
        try {
            return audit.recordOutcome(intentId, actor, action, target, result, detail).id();
        } catch (AuditException e) {
            LOG.error("audit log could not record the outcome {} of {} on {}: {}", result, action, target,
                    e.getMessage());
            return -1;
        }
    }

    private static String explain(Outcome o, String why) {
        return switch (o) {
            case DENIED -> "You may not do this: " + why
                    + ". Ask a cluster admin for the permission, or use an account that has it.";
            case BLOCKED_BY_POLICY -> "Blocked by policy: " + why;
            case REJECTED_BY_STATE -> "Not possible now: " + why;
            case FAILED -> "Failed: " + why + ". Nothing was confirmed; check the connection and try again.";
            default -> why;
        };
    }

    private static Outcome classify(ActionException e) {
        return e.reason() == ActionException.Reason.DENIED ? Outcome.DENIED : Outcome.FAILED;
    }

    private Verdict checkFlag(ActionType action, Flag flag, String environment, ActionInput input) {
        Optional<FlagEnvironmentState> env = flag.environment(environment);
        if (env.isEmpty()) {
            return Verdict.refused("the flag has no environment " + environment);
        }
        return switch (action) {
            case FLAG_OFF -> env.get().enabled() ? Verdict.allowed()
                    : Verdict.alreadyDone("already off in " + environment);
            case FLAG_ON -> env.get().enabled() ? Verdict.alreadyDone("already on in " + environment)
                    : Verdict.allowed();
            case FLAG_SET_ROLLOUT -> env.get().rolloutPercent() == null
                    ? Verdict.refused("the flag has no gradual rollout in " + environment)
                    : input.percent() != null && input.percent().equals(env.get().rolloutPercent())
                    ? Verdict.alreadyDone("already at " + input.percent() + "% in " + environment)
                    : Verdict.allowed();
            default -> Verdict.refused(action.label() + " does not apply to a flag");
        };
    }

    private PolicyRequest policyRequest(ActionType action, ActionTarget target) {
        return new PolicyRequest(permissions.whoAmI(target), action, target, environmentOf(target),
                wallClock.instant());
    }

    private Environment environmentOf(ActionTarget target) {
        if (target instanceof RolloutRef ref) {
            return Optional.ofNullable(clusters.get(ref.cluster()))
                    .map(b -> b.cluster().environment()).orElse(Environment.PRODUCTION);
        }
        FlagTarget ft = (FlagTarget) target;
        return state.flags().get(ft.flag()).flatMap(f -> f.environment(ft.environment()))
                .map(FlagEnvironmentState::tier).orElse(Environment.PRODUCTION);
    }

    private static String reasonSuffix(String reason) {
        return reason == null || reason.isBlank() ? "" : "; reason: " + reason;
    }

    static String describe(Rollout r) {
        StringBuilder sb = new StringBuilder(r.statusLabel());
        if (!r.stepLabel().isEmpty()) {
            sb.append(", step ").append(r.stepLabel());
        }
        sb.append(", weight ").append(r.actualWeight()).append('%');
        if (r.specPaused()) {
            sb.append(", paused by user");
        }
        if (!r.pauseConditions().isEmpty()) {
            sb.append(", pause ").append(r.pauseConditions().get(0).reason());
        }
        if (!r.displayMessage().isBlank()) {
            sb.append(" (").append(r.displayMessage()).append(')');
        }
        return sb.toString();
    }

    private static String describe(Flag f, String environment) {
        return f.environment(environment).map(e -> (e.enabled() ? "on" : "off") + " in " + environment
                + (e.rolloutPercent() == null ? "" : " at " + e.rolloutPercent() + "%")).orElse("no " + environment);
    }
}
