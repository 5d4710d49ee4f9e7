package dev.releaseconsole.services.flags.unleash.bench;

import dev.releaseconsole.services.actions.ActionResult;
import dev.releaseconsole.services.actions.ActionType;
import dev.releaseconsole.services.actions.KillSwitchPlan;
import dev.releaseconsole.services.actions.PermissionChecker;
import dev.releaseconsole.services.actions.PolicyEngine;
import dev.releaseconsole.services.actions.ReleaseActions;
import dev.releaseconsole.services.actions.Verdict;
import dev.releaseconsole.services.flags.FlagSync;
import dev.releaseconsole.services.flags.unleash.UnleashProvider;
import dev.releaseconsole.services.flags.unleash.UnleashSettings;
import dev.releaseconsole.services.governance.SecretSource;
import dev.releaseconsole.services.governance.SqliteAuditLog;
import dev.releaseconsole.services.model.ActionTarget;
import dev.releaseconsole.services.model.FlagRef;
import dev.releaseconsole.services.model.FlagTarget;
import dev.releaseconsole.services.store.LiveState;
import dev.releaseconsole.services.testing.UnleashAdmin;
import dev.releaseconsole.services.testing.UnleashServer;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Not a test: kill-switch latency against a real Unleash, from the {@code killSwitch} call to every target confirmed
 * off (audit intent, fresh read, write, read-back, audit outcome, all through the facade with a real SQLite audit
 * log), beside a plain OkHttp {@code POST .../environments/production/off} to the same Unleash in the same run.
 * Three series, interleaved run by run so load on the machine hits them alike: the kill switch for a flag on in two
 * environments (its real plan), the kill switch for one environment (the same work as the plain call), and the plain
 * call. Flags are turned back on between runs, outside the timing.
 *
 * <p>Run with {@code mvn -pl services -Pbench test-compile exec:exec
 * -Dbench.main=dev.releaseconsole.services.flags.unleash.bench.UnleashKillSwitchBench
 * -Dbench.jvmArgs="-Xmx512m -Dbench.runs=60 -Dbench.warmup=10"}.
 */
public final class UnleashKillSwitchBench {
    private UnleashKillSwitchBench() {
    }

    public static void main(String[] args) {
        try {
            run();
            System.exit(0);
        } catch (Throwable t) {
            t.printStackTrace(System.out);
            System.exit(1); // OkHttp's threads are not daemons: never leave the JVM hanging
        }
    }

    private static void run() throws Exception {
        int runs = Integer.getInteger("bench.runs", 60);
        int warmup = Integer.getInteger("bench.warmup", 10);
        System.out.printf(Locale.ROOT, "Unleash kill-switch bench: %d measured runs after %d warm-up runs, %d CPUs%n",
                runs, warmup, Runtime.getRuntime().availableProcessors());
        long t0 = System.nanoTime();
        try (UnleashServer server = UnleashServer.start()) {
            System.out.printf(Locale.ROOT, "Unleash %s up in %.1f s (PostgreSQL %.1f s, Unleash with migrations "
                            + "%.1f s)%n", UnleashServer.VERSION, (System.nanoTime() - t0) / 1e9,
                    server.postgresStartTime().toMillis() / 1e3, server.firstStartTime().toMillis() / 1e3);
            UnleashAdmin admin = server.admin();
            String flag = "bench-checkout";
            admin.createFlag(flag, "kill-switch", "benchmark flag");
            admin.addGradualRollout(flag, "production", 50, new int[0]);
            admin.addGradualRollout(flag, "development", 100, new int[0]);

            Path dir = Files.createTempDirectory("rc-bench-audit");
            LiveState state = new LiveState();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            OkHttpClient plain = new OkHttpClient();
            try (UnleashProvider provider = new UnleashProvider(UnleashSettings.of("unleash-main", server.baseUrl(),
                    SecretSource.env("UNLEASH_TOKEN", n -> server.adminToken())));
                 SqliteAuditLog audit = SqliteAuditLog.open(dir.resolve("audit.db"), Clock.systemUTC());
                 FlagSync sync = new FlagSync(state, List.of(provider))) {
                admin.setEnabled(flag, "production", true);
                admin.setEnabled(flag, "development", true);
                sync.start();
                FlagRef ref = new FlagRef("unleash-main", flag);
                while (state.flags().get(ref).isEmpty()) {
                    Thread.sleep(20);
                }
                ReleaseActions actions = new ReleaseActions(state, Map.of(), Map.of("unleash-main", provider),
                        allowAll(), PolicyEngine.PERMISSIVE, audit, Clock.systemUTC(), pool);
                KillSwitchPlan both = actions.planKillSwitch(ref);
                KillSwitchPlan production = new KillSwitchPlan("flag " + ref, flag,
                        List.of(new FlagTarget(ref, "production")), List.of(), true);
                Request off = new Request.Builder().url(server.baseUrl() + "/api/admin/projects/default/features/"
                        + flag + "/environments/production/off").header("Authorization", server.adminToken())
                        .post(RequestBody.create(new byte[0], MediaType.get("application/json"))).build();

                long[] killBoth = new long[runs];
                long[] killOne = new long[runs];
                long[] plainPost = new long[runs];
                for (int i = -warmup; i < runs; i++) {
                    admin.setEnabled(flag, "production", true);
                    admin.setEnabled(flag, "development", true);
                    long a = System.nanoTime();
                    ActionResult r = actions.killSwitch(both, "bench");
                    long killBothNanos = System.nanoTime() - a;
                    require(r);

                    admin.setEnabled(flag, "production", true);
                    long b = System.nanoTime();
                    ActionResult r1 = actions.killSwitch(production, "bench");
                    long killOneNanos = System.nanoTime() - b;
                    require(r1);

                    admin.setEnabled(flag, "production", true);
                    long c = System.nanoTime();
                    try (Response response = plain.newCall(off).execute()) {
                        response.body().bytes();
                        if (response.code() != 200) {
                            throw new IllegalStateException("plain POST answered " + response.code());
                        }
                    }
                    long plainNanos = System.nanoTime() - c;
                    if (i >= 0) {
                        killBoth[i] = killBothNanos;
                        killOne[i] = killOneNanos;
                        plainPost[i] = plainNanos;
                    }
                }
                report("kill switch, flag on in 2 environments (planKillSwitch)", killBoth);
                report("kill switch, 1 environment (production)", killOne);
                report("plain OkHttp POST .../production/off", plainPost);
                System.out.printf(Locale.ROOT, "ratio kill switch (1 env) / plain POST: p50 %.1fx, p99 %.1fx%n",
                        pct(killOne, 50) / pct(plainPost, 50), pct(killOne, 99) / pct(plainPost, 99));
                System.out.printf(Locale.ROOT, "ratio kill switch (2 envs) / plain POST: p50 %.1fx, p99 %.1fx%n",
                        pct(killBoth, 50) / pct(plainPost, 50), pct(killBoth, 99) / pct(plainPost, 99));
                System.out.printf(Locale.ROOT, "Unleash recorded %d feature-environment-disabled events for %s "
                        + "in production (expected %d: three per run, none duplicated)%n",
                        admin.countEvents(flag, "feature-environment-disabled", "production"), flag,
                        3 * (runs + warmup));
            } finally {
                pool.shutdownNow();
                plain.dispatcher().executorService().shutdown();
                plain.connectionPool().evictAll();
            }
        }
    }

    private static void require(ActionResult r) {
        if (!r.allSafe()) {
            throw new IllegalStateException("the kill switch did not confirm every target: " + r.outcomes());
        }
        if (r.outcomes().stream().anyMatch(o -> o.outcome() != dev.releaseconsole.services.actions.Outcome.SUCCEEDED)) {
            throw new IllegalStateException("expected every target turned off by this run: " + r.outcomes());
        }
    }

    private static PermissionChecker allowAll() {
        return new PermissionChecker() {
            @Override
            public Verdict mayPerform(ActionType action, ActionTarget target) {
                return Verdict.allowed();
            }

            @Override
            public String whoAmI(ActionTarget target) {
                return "bench";
            }
        };
    }

    private static void report(String what, long[] nanos) {
        System.out.printf(Locale.ROOT, "%-58s p50 %6.1f ms  p90 %6.1f ms  p99 %6.1f ms  max %6.1f ms  (n=%d)%n",
                what, pct(nanos, 50), pct(nanos, 90), pct(nanos, 99), max(nanos), nanos.length);
    }

    /** Nearest-rank percentile in milliseconds. */
    static double pct(long[] nanos, int p) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
    }

    private static double max(long[] nanos) {
        return Arrays.stream(nanos).max().orElse(0) / 1e6;
    }

}
