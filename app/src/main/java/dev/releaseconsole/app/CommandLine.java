package dev.releaseconsole.app;

import dev.releaseconsole.services.actions.ActionException;
import dev.releaseconsole.services.actions.ActionResult;
import dev.releaseconsole.services.actions.KillSwitchPlan;
import dev.releaseconsole.services.actions.KillSwitchStep;
import dev.releaseconsole.services.actions.ReleaseActions;
import dev.releaseconsole.services.actions.TargetOutcome;
import dev.releaseconsole.services.flags.debt.FlagDebt;
import dev.releaseconsole.services.flags.debt.FlagDebtCalculator;
import dev.releaseconsole.services.model.ClusterStatus;
import dev.releaseconsole.services.model.ConnectionState;
import dev.releaseconsole.services.model.Flag;
import dev.releaseconsole.services.model.FlagChangeEvent;
import dev.releaseconsole.services.model.FlagEnvironmentState;
import dev.releaseconsole.services.model.FlagProviderStatus;
import dev.releaseconsole.services.model.FlagRef;
import dev.releaseconsole.services.model.FlagRegistry;
import dev.releaseconsole.services.model.FlagTarget;
import dev.releaseconsole.services.model.FlagType;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.model.WorkloadKind;
import dev.releaseconsole.services.store.LiveState;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The console without a window, for a terminal with no display: {@code kill-switch}, {@code flags list} and
 * {@code flags debt}. Same configuration, sources, action facade and audit log as the window; JavaFX is never
 * started. Exit codes: 0 every target confirmed safe, 1 some target not confirmed (or the confirmation not given:
 * nothing done), 2 a usage or configuration error.
 */
final class CommandLine {
    static final int OK = 0;
    static final int NOT_SAFE = 1;
    static final int USAGE_ERROR = 2;

    static final String USAGE = """
            Usage:
              release-console kill-switch --flag KEY [--provider ID] [--env ENV[,ENV]] [options]
              release-console kill-switch --rollout CLUSTER/NAMESPACE/NAME [--kind Rollout|Canary] [--env ENV] [options]
              release-console flags list [--provider ID] [options]
              release-console flags debt [options]

            kill-switch turns the flag off in every environment (or those named with --env) of every provider that
            has it (or the one named with --provider) and aborts every rollout linked to it; for a rollout, it aborts
            the rollout and turns off every flag linked to it. Each target is read back; the results and the time to
            confirmed-off are printed. The same audit log as the window records intent and outcome.
              --reason TEXT        why, for the audit log (e.g. "INC-1234 checkout errors")
              --yes                do not ask; production also needs --confirm NAME
              --confirm NAME       the flag's key or the rollout's name, as typed in the window for production
              --wait SECONDS       how long to wait for clusters and flag providers to connect (default 20)

            Options as for the window: --config=PATH --demo --seed=N --audit-db=PATH --context=A,B --read-only

            Exit codes: 0 every target confirmed safe; 1 some target not confirmed, or not confirmed by you (nothing
            done); 2 usage or configuration error.
            """;

    private static final Set<String> VALUE_OPTIONS = Set.of("--flag", "--provider", "--rollout", "--kind", "--env",
            "--reason", "--confirm", "--wait", "--config", "--seed", "--audit-db", "--context");
    private static final Set<String> SWITCHES = Set.of("--yes", "--demo", "--read-only", "--help", "-h");
    private static final Set<String> WINDOW_OPTIONS = Set.of("--config", "--seed", "--audit-db", "--context",
            "--demo", "--read-only");

    private final PrintStream out;
    private final PrintStream err;
    private final BufferedReader in;
    private final Map<String, String> env;

    private CommandLine(InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
        this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        this.out = out;
        this.err = err;
        this.env = env;
    }

    /** Whether {@code args} ask for a command rather than the window. */
    static boolean handles(String[] args) {
        return args.length > 0 && (args[0].equals("kill-switch") || args[0].equals("flags"));
    }

    /** Runs one command; returns its exit code. */
    static int run(List<String> args, InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
        return new CommandLine(in, out, err, env).run(args);
    }

    /** Parsed options: each value option's values in order, and the switches given. */
    private record Args(String command, Map<String, List<String>> values, Set<String> switches) {
        String one(String key) {
            List<String> v = values.get(key);
            return v == null ? null : v.get(v.size() - 1);
        }

        boolean has(String key) {
            return switches.contains(key);
        }
    }

    private int run(List<String> raw) {
        Args args;
        try {
            args = parse(raw);
        } catch (IllegalArgumentException e) {
            err.println("release-console: " + e.getMessage());
            err.println();
            err.print(USAGE);
            return USAGE_ERROR;
        }
        if (args.has("--help") || args.has("-h")) {
            out.print(USAGE);
            return OK;
        }
        AppOptions options;
        ConsoleRuntime.Plan plan;
        try {
            options = AppOptions.parse(windowOptions(args));
            Path auditDb = options.auditDb().orElse(AppPaths.defaultAuditDb(env));
            plan = ConsoleApp.plan(options, auditDb, null, env).withoutRunningDemo();
        } catch (IllegalArgumentException e) {
            err.println("release-console: " + e.getMessage());
            return USAGE_ERROR;
        } catch (RuntimeException e) {
            err.println("release-console: cannot read the configuration: " + e.getMessage());
            return USAGE_ERROR;
        }
        Duration wait;
        try {
            wait = Duration.ofSeconds(args.one("--wait") == null ? 20 : Long.parseLong(args.one("--wait")));
        } catch (NumberFormatException e) {
            err.println("release-console: --wait needs a whole number of seconds, got '" + args.one("--wait") + "'");
            return USAGE_ERROR;
        }
        try (ConsoleRuntime runtime = ConsoleRuntime.start(plan)) {
            awaitSources(runtime.services().state(), wait);
            return switch (args.command()) {
                case "kill-switch" -> killSwitch(args, runtime);
                case "flags list" -> listFlags(args, runtime.services().state());
                default -> flagDebt(runtime);
            };
        } catch (RuntimeException e) {
            err.println("release-console: " + e.getMessage());
            return USAGE_ERROR;
        }
    }

    private static Args parse(List<String> raw) {
        if (raw.isEmpty()) {
            throw new IllegalArgumentException("no command");
        }
        String command;
        int i;
        if (raw.get(0).equals("kill-switch")) {
            command = "kill-switch";
            i = 1;
        } else if (raw.get(0).equals("flags") && raw.size() > 1 && (raw.get(1).equals("list")
                || raw.get(1).equals("debt"))) {
            command = "flags " + raw.get(1);
            i = 2;
        } else if (raw.get(0).equals("flags")) {
            throw new IllegalArgumentException("flags needs list or debt, e.g. release-console flags list");
        } else {
            throw new IllegalArgumentException("unknown command '" + raw.get(0) + "'");
        }
        Map<String, List<String>> values = new HashMap<>();
        Set<String> switches = new LinkedHashSet<>();
        for (; i < raw.size(); i++) {
            String a = raw.get(i);
            String key = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            if (SWITCHES.contains(key) && !a.contains("=")) {
                switches.add(key);
            } else if (VALUE_OPTIONS.contains(key)) {
                String value;
                if (a.contains("=")) {
                    value = a.substring(a.indexOf('=') + 1);
                } else if (i + 1 < raw.size() && !raw.get(i + 1).startsWith("--")) {
                    value = raw.get(++i);
                } else {
                    throw new IllegalArgumentException(key + " needs a value");
                }
                if (value.isBlank()) {
                    throw new IllegalArgumentException(key + " needs a value");
                }
                values.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
            } else {
                throw new IllegalArgumentException("unknown option '" + a + "' for " + command);
            }
        }
        if (switches.contains("--help") || switches.contains("-h")) {
            return new Args(command, values, switches);
        }
        if (command.equals("kill-switch")) {
            boolean flag = values.containsKey("--flag");
            boolean rollout = values.containsKey("--rollout");
            if (flag == rollout) {
                throw new IllegalArgumentException("kill-switch needs exactly one of --flag KEY and --rollout"
                        + " CLUSTER/NAMESPACE/NAME");
            }
            if (rollout && values.containsKey("--provider")) {
                throw new IllegalArgumentException("--provider goes with --flag; a rollout's linked flags are found"
                        + " in every provider");
            }
            if (flag && values.containsKey("--kind")) {
                throw new IllegalArgumentException("--kind goes with --rollout");
            }
            if (values.containsKey("--confirm") && !switches.contains("--yes")) {
                throw new IllegalArgumentException("--confirm goes with --yes (without --yes you are asked to type"
                        + " the name)");
            }
        } else {
            for (String k : List.of("--flag", "--rollout", "--kind", "--env", "--reason", "--confirm")) {
                if (values.containsKey(k)) {
                    throw new IllegalArgumentException(k + " goes with kill-switch, not " + command);
                }
            }
            if (switches.contains("--yes")) {
                throw new IllegalArgumentException("--yes goes with kill-switch");
            }
            if (command.equals("flags debt") && values.containsKey("--provider")) {
                throw new IllegalArgumentException("flags debt covers every provider; --provider goes with flags"
                        + " list");
            }
        }
        return new Args(command, values, switches);
    }

    /** The options the window takes too, as AppOptions reads them ("--key=value"). */
    private static List<String> windowOptions(Args args) {
        List<String> out = new ArrayList<>();
        for (String k : WINDOW_OPTIONS) {
            if (args.has(k)) {
                out.add(k);
            } else if (args.one(k) != null) {
                out.add(k + "=" + args.one(k));
            }
        }
        return out;
    }

    /** Waits until no cluster and no flag provider is still connecting, or until {@code max}; says what it waits for. */
    private void awaitSources(LiveState state, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        boolean said = false;
        while (true) {
            List<String> pending = new ArrayList<>();
            state.clusters().all().stream().filter(c -> c.state() == ConnectionState.CONNECTING)
                    .forEach(c -> pending.add("cluster " + c.cluster().id()));
            state.flagProviders().all().stream().filter(p -> p.state() == ConnectionState.CONNECTING)
                    .forEach(p -> pending.add("flag provider " + p.id()));
            if (pending.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                err.println("release-console: still connecting after " + max.toSeconds() + " s: "
                        + String.join(", ", pending) + "; going on with what has answered");
                return;
            }
            if (!said) {
                err.println("Waiting for " + String.join(", ", pending) + "…");
                said = true;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    // ---- kill-switch -------------------------------------------------------------------------------------------

    private int killSwitch(Args args, ConsoleRuntime runtime) {
        ReleaseActions actions = runtime.services().actions();
        LiveState state = runtime.services().state();
        KillSwitchPlan plan;
        try {
            plan = args.one("--flag") != null ? planForFlag(args, state, actions)
                    : planForRollout(args, state, actions);
        } catch (Refusal r) {
            err.println("release-console: " + r.getMessage());
            return r.exitCode;
        }
        Set<String> envs = environments(args);
        if (!envs.isEmpty()) {
            Set<String> known = plan.flags().stream().map(FlagTarget::environment)
                    .collect(Collectors.toCollection(TreeSet::new));
            Set<String> unknown = new TreeSet<>(envs);
            unknown.removeAll(known);
            if (!unknown.isEmpty()) {
                err.println("release-console: no flag in this kill switch has environment " + String.join(", ",
                        unknown) + "; they have " + (known.isEmpty() ? "none" : String.join(", ", known)));
                return USAGE_ERROR;
            }
            plan = actions.narrow(plan, envs);
        }
        printPlan(plan, actions.steps(plan));
        if (plan.size() == 0) {
            out.println("Nothing to do.");
            return OK;
        }
        if (!confirmed(args, plan)) {
            return args.has("--yes") ? USAGE_ERROR : NOT_SAFE;
        }
        String reason = args.one("--reason") == null ? "kill switch from the command line" : args.one("--reason");
        long started = System.nanoTime();
        ActionResult result = actions.killSwitch(plan, reason);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        printResults(result, elapsed);
        return result.allSafe() ? OK : NOT_SAFE;
    }

    /** A reason not to act, with the exit code it ends with. */
    private static final class Refusal extends Exception {
        final int exitCode;

        Refusal(int exitCode, String message) {
            super(message);
            this.exitCode = exitCode;
        }
    }

    private KillSwitchPlan planForFlag(Args args, LiveState state, ReleaseActions actions) throws Refusal {
        String key = args.one("--flag");
        String provider = args.one("--provider");
        if (provider != null && state.flagProviders().get(provider).isEmpty()) {
            throw new Refusal(USAGE_ERROR, "no flag provider has the id " + provider + "; configured: "
                    + providerIds(state));
        }
        List<Flag> flags = state.flags().all().stream().filter(f -> f.ref().key().equals(key))
                .filter(f -> provider == null || f.ref().provider().equals(provider))
                .sorted(Comparator.comparing(Flag::ref)).toList();
        if (flags.isEmpty()) {
            List<String> down = state.flagProviders().all().stream()
                    .filter(p -> provider == null || p.id().equals(provider))
                    .filter(p -> p.state() != ConnectionState.CONNECTED)
                    .map(p -> p.id() + " (" + p.state().name().toLowerCase(Locale.ROOT) + ": " + p.message() + ")")
                    .sorted().toList();
            if (!down.isEmpty()) {
                throw new Refusal(NOT_SAFE, "no connected provider reports flag " + key + ", and "
                        + String.join(", ", down) + (down.size() == 1 ? " is" : " are") + " not connected: it may"
                        + " be there. Nothing was done; fix the connection and run again.");
            }
            throw new Refusal(USAGE_ERROR, "no provider" + (provider == null ? "" : " " + provider)
                    + " reports a flag " + key + ". Kill-switch flags: " + killSwitchFlags(state));
        }
        List<KillSwitchPlan> plans = new ArrayList<>();
        for (Flag f : flags) {
            plans.add(actions.planKillSwitch(f.ref()));
        }
        if (plans.size() == 1) {
            return plans.get(0);
        }
        List<FlagTarget> targets = new ArrayList<>();
        Set<RolloutRef> rollouts = new LinkedHashSet<>();
        boolean production = false;
        for (KillSwitchPlan p : plans) {
            targets.addAll(p.flags());
            rollouts.addAll(p.rollouts());
            production |= p.touchesProduction();
        }
        return new KillSwitchPlan("flag " + key + " in providers " + flags.stream().map(f -> f.ref().provider())
                .collect(Collectors.joining(", ")), key, targets, List.copyOf(rollouts), production);
    }

    private KillSwitchPlan planForRollout(Args args, LiveState state, ReleaseActions actions) throws Refusal {
        String[] parts = args.one("--rollout").split("/", -1);
        if (parts.length != 3 || java.util.Arrays.stream(parts).anyMatch(String::isBlank)) {
            throw new Refusal(USAGE_ERROR, "--rollout is CLUSTER/NAMESPACE/NAME, e.g. prod-eu/checkout/checkout-api;"
                    + " got '" + args.one("--rollout") + "'");
        }
        WorkloadKind kind = null;
        if (args.one("--kind") != null) {
            kind = java.util.Arrays.stream(WorkloadKind.values()).filter(k -> k.kind().equalsIgnoreCase(
                    args.one("--kind"))).findFirst().orElseThrow(() -> new Refusal(USAGE_ERROR, "--kind is Rollout"
                    + " (Argo Rollouts) or Canary (Flagger), not '" + args.one("--kind") + "'"));
        }
        String cluster = parts[0];
        java.util.Optional<ClusterStatus> status = state.clusters().get(cluster);
        if (status.isEmpty()) {
            throw new Refusal(USAGE_ERROR, "cluster " + cluster + " is not watched; watched: " + state.clusters().all()
                    .stream().map(c -> c.cluster().id()).sorted().collect(Collectors.joining(", "))
                    + ". Add it with --context or kubernetes.contexts.");
        }
        List<RolloutRef> found = new ArrayList<>();
        for (WorkloadKind k : WorkloadKind.values()) {
            RolloutRef ref = new RolloutRef(cluster, parts[1], parts[2], k);
            if ((kind == null || kind == k) && state.rollouts().get(ref).isPresent()) {
                found.add(ref);
            }
        }
        if (found.isEmpty()) {
            if (status.get().state() != ConnectionState.CONNECTED) {
                throw new Refusal(NOT_SAFE, "cluster " + cluster + " is " + status.get().state().name()
                        .toLowerCase(Locale.ROOT) + " (" + status.get().message() + "), so rollout " + parts[1] + "/"
                        + parts[2] + " cannot be seen. Nothing was done.");
            }
            throw new Refusal(USAGE_ERROR, "cluster " + cluster + " reports no " + (kind == null ? "rollout"
                    : kind.kind()) + " " + parts[1] + "/" + parts[2]);
        }
        if (found.size() > 1) {
            throw new Refusal(USAGE_ERROR, "cluster " + cluster + " has both an Argo Rollout and a Flagger Canary "
                    + parts[1] + "/" + parts[2] + ": add --kind Rollout or --kind Canary");
        }
        return actions.planKillSwitch(found.get(0));
    }

    private static Set<String> environments(Args args) {
        Set<String> out = new LinkedHashSet<>();
        for (String v : args.values().getOrDefault("--env", List.of())) {
            for (String e : v.split(",")) {
                if (!e.isBlank()) {
                    out.add(e.strip());
                }
            }
        }
        return out;
    }

    private void printPlan(KillSwitchPlan plan, List<KillSwitchStep> steps) {
        out.println("Kill switch for " + plan.incident());
        out.println("Plan: " + plan.flags().size() + " flag environment(s) off, " + plan.rollouts().size()
                + " rollout(s) aborted, all at once:");
        for (KillSwitchStep s : steps) {
            out.println("  " + (s.production() ? "[production] " : "             ") + s.text());
        }
    }

    /** Production: the typed name (or --yes --confirm NAME); otherwise y (or --yes). */
    private boolean confirmed(Args args, KillSwitchPlan plan) {
        String name = plan.confirmationName();
        if (args.has("--yes")) {
            if (!plan.touchesProduction()) {
                return true;
            }
            String typed = args.one("--confirm");
            if (typed == null) {
                err.println("release-console: production is affected: with --yes, also give --confirm " + name
                        + ". Nothing was done.");
                return false;
            }
            if (!typed.strip().equals(name)) {
                err.println("release-console: --confirm " + typed + " does not match " + name + ". Nothing was done.");
                return false;
            }
            return true;
        }
        if (plan.touchesProduction()) {
            out.println("Production is affected.");
            out.print("Type " + name + " to confirm (anything else cancels): ");
        } else {
            out.print("Proceed? [y/N] ");
        }
        out.flush();
        String line;
        try {
            line = in.readLine();
        } catch (IOException e) {
            line = null;
        }
        out.println();
        boolean ok = line != null && (plan.touchesProduction() ? line.strip().equals(name)
                : line.strip().equalsIgnoreCase("y") || line.strip().equalsIgnoreCase("yes"));
        if (!ok) {
            out.println("Not confirmed. Nothing was done.");
        }
        return ok;
    }

    private void printResults(ActionResult result, Duration elapsed) {
        out.println("Results:");
        int width = result.outcomes().stream().mapToInt(o -> o.outcome().name().length()).max().orElse(10);
        for (TargetOutcome o : result.outcomes()) {
            out.println("  " + pad(o.outcome().name(), width) + "  " + o.target().describe() + ": " + o.message());
        }
        long bad = result.outcomes().stream().filter(o -> !o.outcome().isSafe()).count();
        if (bad == 0) {
            out.println("All " + result.outcomes().size() + " target(s) confirmed off in " + elapsed.toMillis()
                    + " ms.");
        } else {
            out.println(bad + " of " + result.outcomes().size() + " target(s) NOT confirmed after " + elapsed.toMillis()
                    + " ms. Run the same command again to retry them; targets already safe are not touched again.");
        }
    }

    // ---- flags list / flags debt -------------------------------------------------------------------------------

    private int listFlags(Args args, LiveState state) {
        String provider = args.one("--provider");
        if (provider != null && state.flagProviders().get(provider).isEmpty()) {
            err.println("release-console: no flag provider has the id " + provider + "; configured: "
                    + providerIds(state));
            return USAGE_ERROR;
        }
        printSources(state);
        List<Flag> flags = state.flags().all().stream().filter(f -> provider == null
                || f.ref().provider().equals(provider)).sorted(Comparator.comparing(Flag::ref)).toList();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"PROVIDER", "KEY", "TYPE", "OWNER", "ENVIRONMENTS", "LINKED ROLLOUTS"});
        for (Flag f : flags) {
            boolean registryKill = state.flagRegistry().lookup(f.ref()).map(e -> e.killSwitch()).orElse(false);
            rows.add(new String[]{f.ref().provider(), f.ref().key(), f.type().label()
                    + (registryKill && f.type() != FlagType.KILL_SWITCH ? " (kill switch)" : ""),
                    f.owner() == null ? "-" : f.owner(),
                    f.environments().stream().map(CommandLine::environment).collect(Collectors.joining(" ")),
                    f.linkedRollouts().isEmpty() ? "-" : f.linkedRollouts().stream().map(RolloutRef::toString)
                            .collect(Collectors.joining(", "))});
        }
        printTable(rows);
        out.println(flags.size() + " flag(s).");
        return OK;
    }

    private static String environment(FlagEnvironmentState e) {
        return e.environment() + "=" + (e.enabled() ? "on" : "off")
                + (e.enabled() && e.rolloutPercent() != null ? "(" + e.rolloutPercent() + "%)" : "");
    }

    private int flagDebt(ConsoleRuntime runtime) {
        LiveState state = runtime.services().state();
        printSources(state);
        Map<FlagRef, List<FlagChangeEvent>> history = new HashMap<>();
        for (FlagRef ref : FlagDebtCalculator.needingHistory(state)) {
            try {
                history.put(ref, runtime.services().actions().flagEvents(ref, FlagDebtCalculator.HISTORY_EVENTS));
            } catch (ActionException e) {
                err.println("release-console: no change history for " + ref + " (" + e.getMessage() + "): its time"
                        + " at 100% is not judged");
            }
        }
        java.time.Clock clock = runtime.services().clusterClocks().values().stream().findFirst()
                .orElse(java.time.Clock.systemUTC());
        List<FlagDebt> debt = FlagDebtCalculator.calculate(state, history, clock.instant());
        for (FlagDebt d : debt) {
            out.println(d.kind().label().toUpperCase(Locale.ROOT) + ": " + d.key() + " (" + (d.provider() == null
                    ? "any provider" : d.provider()) + (d.owner() == null ? "" : ", " + d.owner()) + ")");
            out.println("  why:  " + d.why());
            out.println("  do:   " + d.whatToDo());
        }
        out.println(debt.isEmpty() ? "No flag debt." : debt.size() + " piece(s) of flag debt.");
        return OK;
    }

    private void printSources(LiveState state) {
        for (FlagProviderStatus p : state.flagProviders().all().stream().sorted(Comparator.comparing(
                FlagProviderStatus::id)).toList()) {
            out.println("Provider " + p.id() + " (" + p.kind() + "): " + p.state().name().toLowerCase(Locale.ROOT)
                    + (p.message() == null || p.message().isBlank() ? "" : " — " + p.message()));
        }
        FlagRegistry r = state.flagRegistry();
        out.println(r.configured() ? "Registry " + r.source() + ": " + r.entries().size() + " entries"
                + (r.problem() == null ? "" : " — " + r.problem()) : "No flag registry configured (flags.registry).");
    }

    private void printTable(List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                widths[i] = Math.max(widths[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                sb.append(i == r.length - 1 ? r[i] : pad(r[i], widths[i]) + "  ");
            }
            out.println(sb.toString().stripTrailing());
        }
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }

    private static String providerIds(LiveState state) {
        return state.flagProviders().all().stream().map(FlagProviderStatus::id).sorted()
                .collect(Collectors.joining(", "));
    }

    private static String killSwitchFlags(LiveState state) {
        FlagRegistry r = state.flagRegistry();
        String list = state.flags().all().stream().filter(f -> f.type() == FlagType.KILL_SWITCH
                        || r.lookup(f.ref()).map(e -> e.killSwitch()).orElse(false))
                .map(f -> f.ref().key() + " (" + f.ref().provider() + ")").sorted().collect(Collectors.joining(", "));
        return list.isEmpty() ? "none" : list;
    }
}
