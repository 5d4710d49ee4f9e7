package dev.releaseconsole.services.kube.bench;

import dev.releaseconsole.services.kube.KubeCluster;
import dev.releaseconsole.services.kube.RolloutActuator;
import dev.releaseconsole.services.model.ClusterRef;
import dev.releaseconsole.services.model.ConnectionState;
import dev.releaseconsole.services.model.Environment;
import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.store.LiveState;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Not a test: a harness that measures the watch side at scale. A child JVM ({@link MockFleet}) runs N fabric8 mock
 * API servers (CRUD) with M Argo Rollouts each and, on command, patches rollout statuses at a steady rate as
 * controllers would. This JVM is the console side only: N {@link KubeCluster}s watching into one {@link LiveState}.
 * It reports the latency from a patch being sent to LiveState holding the new value (p50/p90/p99/max; the send time
 * travels in the patch, both JVMs read the same wall clock), its own resident memory (VmRSS from
 * /proc/self/status) and heap, and its CPU time while idle afterwards. Keeping the servers in their own process
 * keeps their memory and CPU out of the console's figures.
 *
 * <p>Run with {@code mvn -pl services -Pbench test-compile exec:exec}; settings as system properties through
 * {@code -Dbench.jvmArgs="-Xmx512m -Dbench.clusters=20 -Dbench.rollouts=100 -Dbench.rate=200 -Dbench.seconds=60
 * -Dbench.idle=30 -Dbench.warmup=10"}. The warm-up stream (not measured) lets both JVMs compile their hot paths.
 */
public final class KubeWatchBench {
    static final ResourceDefinitionContext ROLLOUTS = new ResourceDefinitionContext.Builder()
            .withGroup("argoproj.io").withVersion("v1alpha1").withPlural("rollouts").withKind("Rollout")
            .withNamespaced(true).build();
    static final String MARK = "bench-";

    private KubeWatchBench() {
    }

    /**
     * A second place the same patches are measured: something fed from LiveState, e.g. the app's view model on the
     * FX thread. {@link #attach} runs once every rollout is in LiveState, before the stream.
     */
    public interface Downstream extends AutoCloseable {
        String name();

        void attach(LiveState state, Recorder recorder) throws Exception;

        @Override
        default void close() {
        }
    }

    /** Collects latencies (patch sent -> seen) while the measured stream runs; safe from any thread. */
    public static final class Recorder {
        private final long[] latencies;
        private final AtomicInteger observed = new AtomicInteger();
        private final java.util.concurrent.atomic.AtomicBoolean measuring =
                new java.util.concurrent.atomic.AtomicBoolean();

        Recorder(int capacity) {
            latencies = new long[capacity];
        }

        /** Records {@code r} if it carries a bench mark and the measured stream is running. */
        public void seen(Rollout r, Instant now) {
            String m = r.message();
            if (!measuring.get() || m == null || !m.startsWith(MARK)) {
                return;
            }
            long sentMicros = Long.parseLong(m.split("-")[2]);
            int i = observed.getAndIncrement();
            if (i < latencies.length) {
                latencies[i] = ChronoUnit.MICROS.between(Instant.EPOCH, now) - sentMicros;
            }
        }

        int observed() {
            return observed.get();
        }

        long[] sorted() {
            long[] s = Arrays.copyOf(latencies, Math.min(observed.get(), latencies.length));
            Arrays.sort(s);
            return s;
        }
    }

    public static void main(String[] args) {
        try {
            run(null);
            System.exit(0);
        } catch (Throwable t) {
            t.printStackTrace(System.out);
            System.exit(1); // OkHttp's threads are not daemons: never leave the JVM hanging
        }
    }

    /** Runs the bench; {@code downstream} (may be null) is measured beside LiveState. */
    public static void run(Downstream downstream) throws Exception {
        int clusters = Integer.getInteger("bench.clusters", 20);
        int perCluster = Integer.getInteger("bench.rollouts", 100);
        int rate = Integer.getInteger("bench.rate", 200);
        int seconds = Integer.getInteger("bench.seconds", 60);
        int idle = Integer.getInteger("bench.idle", 30);
        int warmup = Integer.getInteger("bench.warmup", 10);
        System.out.printf(Locale.ROOT, "kube watch bench: %d clusters x %d rollouts, %d status patches/s for %d s "
                        + "(after %d s of warm-up at the same rate), then %d s idle; %d CPUs, console JVM max heap %d "
                        + "MiB%n", clusters, perCluster, rate, seconds, warmup, idle,
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);

        Process fleet = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path"), MockFleet.class.getName(),
                String.valueOf(clusters), String.valueOf(perCluster))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Runtime.getRuntime().addShutdownHook(new Thread(fleet::destroyForcibly));
        BufferedReader fromFleet = new BufferedReader(new InputStreamReader(fleet.getInputStream(),
                StandardCharsets.UTF_8));
        PrintWriter toFleet = new PrintWriter(fleet.getOutputStream(), true, StandardCharsets.UTF_8);
        List<String> urls = new ArrayList<>();
        String line;
        while ((line = fromFleet.readLine()) != null && !line.startsWith("READY")) {
            if (line.startsWith("URL ")) {
                urls.add(line.substring(4));
            }
        }
        if (line == null) {
            throw new IllegalStateException("the mock server fleet did not start");
        }
        System.out.println("fleet: " + line.substring("READY".length()).trim());
        Snapshot before = Snapshot.take("console before connecting");

        LiveState state = new LiveState();
        Recorder atState = new Recorder(rate * seconds + 16);
        Recorder atDownstream = new Recorder(rate * seconds + 16);
        state.rollouts().addListener((upserted, removed) -> {
            Instant now = Instant.now();
            for (Rollout r : upserted) {
                atState.seen(r, now);
            }
        });
        List<KubeCluster> kube = new ArrayList<>();
        long t1 = System.nanoTime();
        for (int c = 0; c < clusters; c++) {
            Config config = Config.empty();
            config.setMasterUrl(urls.get(c));
            config.setNamespace("team-0");
            String id = "bench-" + c;
            KubeCluster k = new KubeCluster(new ClusterRef(id, id, Environment.DEVELOPMENT, false), () -> config,
                    null, "token", state, RolloutActuator.readOnly(), KubeCluster.Settings.defaults());
            kube.add(k);
            k.start();
        }
        long startReturned = System.nanoTime() - t1;
        waitFor(Duration.ofMinutes(2), () -> kube.stream().allMatch(k -> k.status().state()
                == ConnectionState.CONNECTED) && state.rollouts().size() == clusters * perCluster);
        System.out.printf(Locale.ROOT, "%d start() calls returned in %.1f ms; all CONNECTED with %d rollouts in "
                        + "LiveState after %.1f s%n", clusters, startReturned / 1e6, state.rollouts().size(),
                (System.nanoTime() - t1) / 1e9);
        if (downstream != null) {
            downstream.attach(state, atDownstream);
        }
        Snapshot connected = Snapshot.take("console watching, before stream");

        if (warmup > 0) {
            toFleet.println("STREAM " + rate + " " + warmup);
            while ((line = fromFleet.readLine()) != null && !line.startsWith("STREAMED")) {
                // wait for the warm-up to end
            }
            System.out.println("warm-up: " + (line == null ? "no report" : line.substring("STREAMED".length())
                    .trim()));
            Thread.sleep(2000);
        }
        atState.measuring.set(true);
        atDownstream.measuring.set(true);
        toFleet.println("STREAM " + rate + " " + seconds);
        String streamed = null;
        while ((line = fromFleet.readLine()) != null) {
            if (line.startsWith("STREAMED")) {
                streamed = line;
                break;
            }
        }
        int total = streamed == null ? 0 : Integer.parseInt(streamed.split(" ")[1]);
        waitFor(Duration.ofSeconds(15), () -> atState.observed() >= total);
        if (downstream != null) {
            // Downstream may coalesce (the view keeps the newest value per rollout per pulse): wait until it settles.
            int seen;
            do {
                seen = atDownstream.observed();
                Thread.sleep(1000);
            } while (atDownstream.observed() != seen);
        }
        System.out.println("fleet: " + (streamed == null ? "no report" : streamed.substring("STREAMED".length())
                .trim()));
        report("LiveState", atState, total);
        if (downstream != null) {
            report(downstream.name(), atDownstream, total);
        }
        Snapshot afterStream = Snapshot.take("console after the stream");

        Map<Long, Object[]> cpuBefore = threadCpu();
        long processCpuBefore = processCpuNanos();
        Thread.sleep(idle * 1000L);
        long processCpu = processCpuNanos() - processCpuBefore;
        Map<String, Long> byGroup = new TreeMap<>();
        threadCpu().forEach((id, now) -> {
            Object[] was = cpuBefore.get(id);
            long used = (long) now[1] - (was == null ? 0L : (long) was[1]);
            byGroup.merge(group((String) now[0]), used, Long::sum);
        });
        System.out.printf(Locale.ROOT, "idle %d s: console process CPU %.2f s (%.2f%% of one core)%n", idle,
                processCpu / 1e9, 100.0 * processCpu / (idle * 1e9));
        byGroup.forEach((g, used) -> System.out.printf(Locale.ROOT, "  threads %-26s %.3f s%n", g, used / 1e9));
        Snapshot afterIdle = Snapshot.take("console after idle");
        System.out.println("console JVM memory (VmRSS; heap used after a full GC; committed heap; threads):");
        for (Snapshot s : List.of(before, connected, afterStream, afterIdle)) {
            System.out.printf(Locale.ROOT, "  %-34s RSS %4d MiB  heap used %4d MiB  committed %4d MiB  threads %d%n",
                    s.label, s.rssKiB >> 10, s.heapUsed >> 20, s.heapCommitted >> 20, s.threads);
        }
        System.out.printf(Locale.ROOT, "  for %d clusters x %d rollouts: heap +%d MiB, RSS +%d MiB, threads +%d "
                        + "(after connecting, vs before)%n", clusters, perCluster,
                (connected.heapUsed - before.heapUsed) >> 20, (connected.rssKiB - before.rssKiB) >> 10,
                connected.threads - before.threads);
        System.out.printf(Locale.ROOT, "mock fleet JVM (servers + patching clients) RSS: %d MiB%n",
                readRssKiB(Path.of("/proc", String.valueOf(fleet.pid()), "status")) >> 10);

        if (downstream != null) {
            downstream.close();
        }
        kube.forEach(KubeCluster::close);
        toFleet.println("QUIT");
        if (!fleet.waitFor(20, TimeUnit.SECONDS)) {
            fleet.destroyForcibly();
        }
    }

    private static void report(String where, Recorder r, int total) {
        long[] sorted = r.sorted();
        int n = sorted.length;
        System.out.printf(Locale.ROOT, "observed in %s: %d of %d patches%n", where, n, total);
        System.out.printf(Locale.ROOT, "latency patch sent -> %s: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, "
                + "max %.1f ms%n", where, pct(sorted, 50), pct(sorted, 90), pct(sorted, 99),
                n == 0 ? 0 : sorted[n - 1] / 1e3);
    }

    /** The child JVM: mock API servers with rollouts, patching statuses on command. */
    public static final class MockFleet {
        private MockFleet() {
        }

        public static void main(String[] args) throws Exception {
            int clusters = Integer.parseInt(args[0]);
            int perCluster = Integer.parseInt(args[1]);
            long t0 = System.nanoTime();
            List<KubernetesMockServer> servers = new ArrayList<>();
            List<KubernetesClient> controllers = new ArrayList<>();
            for (int c = 0; c < clusters; c++) {
                Map<io.fabric8.mockwebserver.ServerRequest,
                        java.util.Queue<io.fabric8.mockwebserver.ServerResponse>> responses = new HashMap<>();
                KubernetesMockServer server = new KubernetesMockServer(new Context(Serialization.jsonMapper()),
                        new MockWebServer(), responses, new KubernetesMixedDispatcher(responses), false);
                server.init(InetAddress.getLoopbackAddress(), 0);
                for (String[] crd : new String[][] {{"argoproj.io", "v1alpha1", "rollouts", "Rollout", "true"},
                        {"argoproj.io", "v1alpha1", "analysisruns", "AnalysisRun", "false"},
                        {"flagger.app", "v1beta1", "canaries", "Canary", "true"}}) {
                    server.expectCustomResource(new CustomResourceDefinitionContext.Builder().withGroup(crd[0])
                            .withVersion(crd[1]).withPlural(crd[2]).withKind(crd[3]).withScope("Namespaced")
                            .withStatusSubresource(Boolean.parseBoolean(crd[4])).build());
                }
                servers.add(server);
                KubernetesClient controller = server.createClient();
                controllers.add(controller);
                for (int i = 0; i < perCluster; i++) {
                    createRollout(controller, "team-" + (i % 10), "svc-" + i);
                }
                System.out.println("URL " + server.url("/"));
            }
            System.out.printf(Locale.ROOT, "READY %d servers with %d rollouts each, populated in %.1f s%n",
                    clusters, perCluster, (System.nanoTime() - t0) / 1e9);
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("STREAM ")) {
                    String[] p = line.split(" ");
                    System.out.println("STREAMED " + stream(controllers, perCluster, Integer.parseInt(p[1]),
                            Integer.parseInt(p[2])));
                } else if (line.startsWith("QUIT")) {
                    break;
                }
            }
            System.exit(0);
        }

        /** Patches one rollout's status every 1/rate s, round-robin; returns "total failed seconds rtt...". */
        private static String stream(List<KubernetesClient> controllers, int perCluster, int rate, int seconds)
                throws InterruptedException {
            int clusters = controllers.size();
            ExecutorService patchers = Executors.newFixedThreadPool(8);
            ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
            AtomicLong seq = new AtomicLong();
            AtomicInteger failures = new AtomicInteger();
            long total = (long) rate * seconds;
            long[] rtt = new long[(int) total];
            long start = System.nanoTime();
            ticker.scheduleAtFixedRate(() -> {
                long n = seq.getAndIncrement();
                if (n >= total) {
                    return;
                }
                int cluster = (int) (n % clusters);
                int rollout = (int) ((n / clusters) % perCluster);
                patchers.execute(() -> {
                    long sentMicros = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
                    String json = "{\"status\":{\"message\":\"" + MARK + n + "-" + sentMicros
                            + "\",\"currentStepIndex\":" + (n % 3) + ",\"canary\":{\"weights\":{\"canary\":"
                            + "{\"weight\":" + (n % 3) * 20 + "},\"stable\":{\"weight\":" + (100 - (n % 3) * 20)
                            + "}}}}}";
                    long t = System.nanoTime();
                    try {
                        controllers.get(cluster).genericKubernetesResources(ROLLOUTS)
                                .inNamespace("team-" + (rollout % 10)).withName("svc-" + rollout)
                                .subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), json);
                    } catch (RuntimeException e) {
                        failures.incrementAndGet();
                    }
                    rtt[(int) n] = System.nanoTime() - t;
                });
            }, 0, 1_000_000_000L / rate, TimeUnit.NANOSECONDS);
            while (seq.get() < total) {
                Thread.sleep(50);
            }
            double took = (System.nanoTime() - start) / 1e9;
            ticker.shutdown();
            patchers.shutdown();
            patchers.awaitTermination(60, TimeUnit.SECONDS);
            long[] sorted = rtt.clone();
            Arrays.sort(sorted);
            return String.format(Locale.ROOT, "%d patches in %.1f s (%.0f/s), %d failed; PATCH round trip p50 %.1f "
                            + "ms, p99 %.1f ms, max %.1f ms", total, took, total / took, failures.get(),
                    pct(sorted, 50) / 1e3, pct(sorted, 99) / 1e3, sorted[sorted.length - 1] / 1e6);
        }

        private static void createRollout(KubernetesClient client, String namespace, String name) {
            Map<String, Object> spec = Map.of("replicas", 4, "strategy", Map.of("canary", Map.of(
                            "trafficRouting", Map.of("nginx", Map.of("stableIngress", name)),
                            "steps", List.of(Map.of("setWeight", 20), Map.of("pause", Map.of()),
                                    Map.of("setWeight", 40), Map.of("pause", Map.of("duration", "10m")),
                                    Map.of("setWeight", 80)))),
                    "template", Map.of("spec", Map.of("containers", List.of(Map.of("name", name,
                            "image", "registry.example.com/" + name + ":1.0.0")))));
            GenericKubernetesResource ro = new GenericKubernetesResourceBuilder()
                    .withApiVersion("argoproj.io/v1alpha1").withKind("Rollout")
                    .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                    .addToAdditionalProperties("spec", spec).build();
            client.genericKubernetesResources(ROLLOUTS).inNamespace(namespace).resource(ro).create();
            client.genericKubernetesResources(ROLLOUTS).inNamespace(namespace).withName(name).subresource("status")
                    .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"phase\":\"Progressing\","
                            + "\"message\":\"\",\"observedGeneration\":\"1\",\"currentStepIndex\":0,"
                            + "\"currentPodHash\":\"new\",\"stableRS\":\"old\",\"availableReplicas\":4,"
                            + "\"canary\":{\"weights\":{\"canary\":{\"weight\":0},\"stable\":{\"weight\":100}}}}}");
        }
    }

    /** Percentile of values in microseconds, in milliseconds. */
    private static double pct(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e3;
    }

    private static void waitFor(Duration max, java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("bench: condition not reached within " + max);
            }
            Thread.sleep(50);
        }
    }

    private static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean) {
            return ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime();
        }
        return -1;
    }

    /** Thread id to {name, cpu nanos} for live threads. */
    private static Map<Long, Object[]> threadCpu() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<Long, Object[]> out = new HashMap<>();
        for (long id : mx.getAllThreadIds()) {
            ThreadInfo info = mx.getThreadInfo(id);
            long cpu = mx.getThreadCpuTime(id);
            if (info != null && cpu >= 0) {
                out.put(id, new Object[] {info.getThreadName(), cpu});
            }
        }
        return out;
    }

    private static String group(String name) {
        if (name.startsWith("kube-")) {
            return "kube-* (supervisor, publish)";
        }
        if (name.startsWith("OkHttp")) {
            return "OkHttp";
        }
        return "other (JVM, fabric8 pools)";
    }

    static long readRssKiB(Path status) {
        try {
            for (String l : Files.readAllLines(status)) {
                if (l.startsWith("VmRSS:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    private record Snapshot(String label, long rssKiB, long heapUsed, long heapCommitted, int threads) {
        static Snapshot take(String label) {
            System.gc();
            Runtime rt = Runtime.getRuntime();
            return new Snapshot(label, readRssKiB(Path.of("/proc/self/status")), rt.totalMemory() - rt.freeMemory(),
                    rt.totalMemory(), ManagementFactory.getThreadMXBean().getThreadCount());
        }
    }
}
