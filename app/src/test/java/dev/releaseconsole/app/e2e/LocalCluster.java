package dev.releaseconsole.app.e2e;

import dev.releaseconsole.services.kube.KubeContexts;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real local control plane of {@code tools/local-cluster/local-cluster.sh} (etcd, kube-apiserver,
 * kube-controller-manager, kube-scheduler, kwok and the Argo Rollouts controller), started once per test run by the
 * first test class that asks for it and stopped when the run ends. The binaries are built on first use and cached
 * (CI builds them before the tests); a missing tool makes the first test fail with the script's message saying what
 * to install. Should the JVM die without stopping it, the script's watchdog stops the cluster.
 *
 * <p>Tests receive a {@link Running} parameter. Each test uses rollouts of its own name, in {@link #NAMESPACE}.
 */
public final class LocalCluster implements BeforeAllCallback, ParameterResolver {
    /** Where the tests' own rollouts live; the script's sample application is in {@code rc-demo}. */
    public static final String NAMESPACE = "e2e";
    public static final String ADMIN_CONTEXT = "rc-local";
    public static final String VIEWER_CONTEXT = "rc-local-viewer";

    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(120);
    private static final Duration UP_TIMEOUT = Duration.ofMinutes(6);

    @Override
    public void beforeAll(ExtensionContext context) {
        running(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Running.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return running(context);
    }

    private static Running running(ExtensionContext context) {
        // The root store outlives every test class and closes its values when the whole run ends. A failed start
        // is kept too, so the next classes fail at once with its message instead of trying again for minutes.
        Object started = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(Running.class, k -> {
                    try {
                        return start();
                    } catch (RuntimeException e) {
                        return e;
                    }
                });
        if (started instanceof RuntimeException failure) {
            throw new IllegalStateException("the local cluster did not start earlier in this run: "
                    + failure.getMessage(), failure);
        }
        return (Running) started;
    }

    private static Running start() {
        Path root = repositoryRoot();
        Path script = root.resolve("tools/local-cluster/local-cluster.sh");
        Path state = root.resolve("app/target/local-cluster");
        Path log = root.resolve("app/target/local-cluster.log");
        try {
            Files.createDirectories(log.getParent());
            Files.deleteIfExists(log);
            // A cluster left behind by an earlier, killed run: stop it first (does nothing when there is none).
            run(List.of("bash", script.toString(), "down", "--state-dir", state.toString()), log, Duration.ofMinutes(1));
            run(List.of("bash", script.toString(), "build"), log, BUILD_TIMEOUT);
            run(List.of("bash", script.toString(), "up", "--state-dir", state.toString(),
                    "--watch-pid", Long.toString(ProcessHandle.current().pid())), log, UP_TIMEOUT);
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + script + ": " + e.getMessage(), e);
        }
        return new Running(script, state, log);
    }

    private static void run(List<String> command, Path log, Duration timeout) throws IOException {
        Files.writeString(log, "$ " + String.join(" ", command) + "\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        try {
            if (!p.waitFor(timeout.toMinutes(), TimeUnit.MINUTES)) {
                p.descendants().forEach(ProcessHandle::destroy);
                p.destroy();
                throw new IllegalStateException("timed out after " + timeout.toMinutes() + " min: "
                        + String.join(" ", command) + "\n" + tail(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroy();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("the local cluster could not start (exit " + p.exitValue() + " from "
                    + String.join(" ", command) + "; full output in " + log + "):\n" + tail(log));
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(could not read " + log + ": " + e.getMessage() + ")";
        }
    }

    private static Path repositoryRoot() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("tools/local-cluster/local-cluster.sh"))) {
                return d;
            }
        }
        throw new IllegalStateException("tools/local-cluster/local-cluster.sh not found above " + dir);
    }

    /** A started cluster: its kubeconfig, and an admin client for the tests' own setup (deploys, not actions). */
    public static final class Running implements ExtensionContext.Store.CloseableResource {
        private final Path script;
        private final Path state;
        private final Path log;
        private final KubernetesClient admin;

        Running(Path script, Path state, Path log) {
            this.script = script;
            this.state = state;
            this.log = log;
            KubeContexts contexts = KubeContexts.load(List.of(kubeconfig()));
            try {
                this.admin = new KubernetesClientBuilder().withConfig(contexts.clientConfig(ADMIN_CONTEXT)).build();
            } catch (Exception e) {
                throw new IllegalStateException("the cluster's kubeconfig " + kubeconfig() + " is unusable: "
                        + e.getMessage(), e);
            }
            admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata()
                    .build()).serverSideApply();
        }

        public Path kubeconfig() {
            return state.resolve("kubeconfig");
        }

        public KubeContexts contexts() {
            return KubeContexts.load(List.of(kubeconfig()));
        }

        /** The cluster admin's client, for what a CI pipeline or GitOps would do: create and deploy rollouts. */
        public KubernetesClient admin() {
            return admin;
        }

        /** Creates the objects of a YAML document stream in {@link #NAMESPACE}. */
        public List<GenericKubernetesResource> create(String yaml) {
            List<GenericKubernetesResource> created = new ArrayList<>();
            for (String doc : yaml.split("(?m)^---\\s*$")) {
                if (doc.isBlank()) {
                    continue;
                }
                GenericKubernetesResource r = Serialization.unmarshal(doc, GenericKubernetesResource.class);
                created.add(admin.genericKubernetesResources(r.getApiVersion(), r.getKind()).inNamespace(NAMESPACE)
                        .resource(r).create());
            }
            return created;
        }

        /** A new revision, as a deploy pipeline makes one: the rollout's container image changes. */
        public void deploy(String rollout, String image) {
            admin.genericKubernetesResources("argoproj.io/v1alpha1", "Rollout").inNamespace(NAMESPACE)
                    .withName(rollout).patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"template\":{\"spec\":"
                            + "{\"containers\":[{\"name\":\"app\",\"image\":\"" + image + "\"}]}}}}");
        }

        /** The Rollout object as the API server has it now. */
        public GenericKubernetesResource rollout(String name) {
            return admin.genericKubernetesResources("argoproj.io/v1alpha1", "Rollout").inNamespace(NAMESPACE)
                    .withName(name).get();
        }

        @Override
        public void close() throws IOException {
            admin.close();
            // The components' logs stay in target/local-cluster/logs for whoever reads a failed run.
            run(List.of("bash", script.toString(), "down", "--state-dir", state.toString(), "--keep-logs"), log,
                    Duration.ofMinutes(2));
        }
    }
}
