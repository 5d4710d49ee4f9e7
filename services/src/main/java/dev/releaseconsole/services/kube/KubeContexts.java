package dev.releaseconsole.services.kube;

import com.fasterxml.jackson.databind.JsonMappingException;
import dev.releaseconsole.services.governance.Secrets;
import io.fabric8.kubernetes.api.model.AuthInfo;
import io.fabric8.kubernetes.api.model.NamedAuthInfo;
import io.fabric8.kubernetes.api.model.NamedCluster;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The kubeconfig contexts a user has, read the way kubectl reads them: the files named by {@code KUBECONFIG} (a
 * path-separator list; fabric8's {@link Config#getKubeconfigFilenames()} also honours the {@code kubeconfig} system
 * property), else {@code ~/.kube/config}. Files that do not exist are skipped, as kubectl does; for a context,
 * cluster or user defined in several files the first file wins, and so does the first {@code current-context}.
 *
 * <p>A file that cannot be parsed does not stop the others: it is left out and described in {@link #problems()},
 * naming the file, what is wrong (line and column for YAML errors) and what to do. A context whose cluster or user is
 * missing is still listed, with {@link KubeContext#problem()} saying why it cannot connect.
 *
 * <p>{@link #clientConfig(String)} builds a fabric8 {@link Config} for one context with fabric8's own kubeconfig
 * merge ({@link KubeConfigUtils#merge}, the code {@link Config#autoConfigure(String)} runs for a multi-file
 * KUBECONFIG), so client certificates, tokens, exec credential plugins and OIDC auth-providers behave exactly as in
 * fabric8. An exec plugin runs during that call: call it off the UI thread.
 */
public final class KubeContexts {

    /** One context as listed by {@code kubectl config get-contexts}, plus where it came from. */
    public record KubeContext(String name, String cluster, String user, String namespace, String server, Path file,
                              String auth, String problem) {
        /** The namespace kubectl would use: the context's, else "default". */
        public String namespaceOrDefault() {
            return namespace == null || namespace.isBlank() ? "default" : namespace;
        }

        /** True when the context names a cluster with a server; credentials are only checked by connecting. */
        public boolean usable() {
            return problem == null;
        }
    }

    /** A kubeconfig file (or the set of files) that could not be used, with a message for the user. */
    public record Problem(Path file, String message) {
    }

    private final List<Path> files;
    private final List<Path> loadedFiles;
    private final List<io.fabric8.kubernetes.api.model.Config> parsed;
    private final List<KubeContext> contexts;
    private final String currentContext;
    private final List<Problem> problems;

    private KubeContexts(List<Path> files, List<Path> loadedFiles, List<io.fabric8.kubernetes.api.model.Config> parsed,
                         List<KubeContext> contexts, String currentContext, List<Problem> problems) {
        this.files = List.copyOf(files);
        this.loadedFiles = List.copyOf(loadedFiles);
        this.parsed = List.copyOf(parsed);
        this.contexts = List.copyOf(contexts);
        this.currentContext = currentContext;
        this.problems = List.copyOf(problems);
    }

    /** The files kubectl would read: KUBECONFIG (or the {@code kubeconfig} system property), else ~/.kube/config. */
    public static List<Path> defaultFiles() {
        return Config.getKubeconfigFilenames().stream()
                .filter(s -> s != null && !s.isBlank())
                .map(Path::of)
                .toList();
    }

    /** Reads the kubeconfig files kubectl would read. Never throws; see {@link #problems()}. */
    public static KubeContexts load() {
        return load(defaultFiles());
    }

    /** Reads {@code files} in order, merging them with kubectl's precedence. Never throws; see {@link #problems()}. */
    public static KubeContexts load(List<Path> files) {
        List<Path> unique = new ArrayList<>(new LinkedHashSet<>(files.stream()
                .map(p -> p.toAbsolutePath().normalize()).toList()));
        List<Problem> problems = new ArrayList<>();
        List<Path> loaded = new ArrayList<>();
        List<io.fabric8.kubernetes.api.model.Config> parsed = new ArrayList<>();
        for (Path file : unique) {
            if (!Files.exists(file)) {
                continue; // kubectl skips files of KUBECONFIG that do not exist
            }
            try {
                parsed.add(parse(file));
                loaded.add(file);
            } catch (KubeconfigException e) {
                problems.add(new Problem(file, e.getMessage()));
            }
        }
        if (loaded.isEmpty() && problems.isEmpty()) {
            problems.add(new Problem(unique.isEmpty() ? null : unique.get(0), "No kubeconfig file found (looked at "
                    + unique.stream().map(Path::toString).collect(Collectors.joining(", "))
                    + "). Set KUBECONFIG or create ~/.kube/config, e.g. with your cloud provider's "
                    + "\"get-credentials\" command, then reconnect."));
        }
        return build(unique, loaded, parsed, problems);
    }

    private static KubeContexts build(List<Path> files, List<Path> loadedFiles,
                                      List<io.fabric8.kubernetes.api.model.Config> parsed, List<Problem> problems) {
        Map<String, NamedCluster> clusters = new LinkedHashMap<>();
        Map<String, NamedAuthInfo> users = new LinkedHashMap<>();
        Map<String, NamedContext> contextsByName = new LinkedHashMap<>();
        Map<String, Path> contextFile = new LinkedHashMap<>();
        String current = null;
        for (int i = 0; i < parsed.size(); i++) {
            io.fabric8.kubernetes.api.model.Config kc = parsed.get(i);
            Path file = loadedFiles.get(i);
            if (current == null && kc.getCurrentContext() != null && !kc.getCurrentContext().isBlank()) {
                current = kc.getCurrentContext();
            }
            for (NamedCluster c : nonNull(kc.getClusters())) {
                if (c.getName() != null && c.getCluster() != null) {
                    clusters.putIfAbsent(c.getName(), c);
                }
            }
            for (NamedAuthInfo u : nonNull(kc.getUsers())) {
                if (u.getName() != null && u.getUser() != null) {
                    users.putIfAbsent(u.getName(), u);
                }
            }
            for (NamedContext c : nonNull(kc.getContexts())) {
                if (c.getName() == null || c.getName().isBlank()) {
                    problems.add(new Problem(file, file + ": a context has no name; kubectl ignores it too. "
                            + "Give it a name under contexts[].name."));
                    continue;
                }
                if (c.getContext() == null) {
                    problems.add(new Problem(file, file + ": context '" + c.getName()
                            + "' has no 'context:' section (cluster, user, namespace); it is skipped. "
                            + "Add one or remove the context."));
                    continue;
                }
                if (contextsByName.putIfAbsent(c.getName(), c) == null) {
                    contextFile.put(c.getName(), file);
                }
            }
        }
        List<KubeContext> out = new ArrayList<>();
        for (NamedContext nc : contextsByName.values()) {
            io.fabric8.kubernetes.api.model.Context ctx = nc.getContext();
            Path file = contextFile.get(nc.getName());
            String problem = null;
            String server = null;
            NamedCluster cluster = ctx.getCluster() == null ? null : clusters.get(ctx.getCluster());
            if (ctx.getCluster() == null || ctx.getCluster().isBlank()) {
                problem = "Context '" + nc.getName() + "' in " + file + " names no cluster. Set contexts[].context"
                        + ".cluster to one of: " + String.join(", ", clusters.keySet()) + ".";
            } else if (cluster == null) {
                problem = "Context '" + nc.getName() + "' in " + file + " refers to cluster '" + ctx.getCluster()
                        + "', which no kubeconfig file defines (read: " + join(loadedFiles) + "). Add the cluster "
                        + "or include the file that defines it in KUBECONFIG.";
            } else {
                server = cluster.getCluster().getServer();
                if (server == null || server.isBlank()) {
                    problem = "Cluster '" + ctx.getCluster() + "' (context '" + nc.getName() + "') has no server "
                            + "address. Set clusters[].cluster.server, e.g. https://api.example.com:6443.";
                }
            }
            String auth = "none";
            if (ctx.getUser() != null && !ctx.getUser().isBlank()) {
                NamedAuthInfo user = users.get(ctx.getUser());
                if (user == null) {
                    if (problem == null) {
                        problem = "Context '" + nc.getName() + "' in " + file + " refers to user '" + ctx.getUser()
                                + "', which no kubeconfig file defines (read: " + join(loadedFiles) + "). Add the user "
                                + "or include the file that defines it in KUBECONFIG.";
                    }
                } else {
                    auth = describeAuth(user.getUser());
                }
            }
            out.add(new KubeContext(nc.getName(), ctx.getCluster(), ctx.getUser(), ctx.getNamespace(),
                    server, file, auth, problem == null ? null : Secrets.redact(problem)));
        }
        return new KubeContexts(files, loadedFiles, parsed, out, current, problems);
    }

    /** How a user authenticates, in words, without any secret: "exec plugin aws", "client certificate", ... */
    static String describeAuth(AuthInfo a) {
        if (a == null) {
            return "none";
        }
        if (a.getExec() != null && a.getExec().getCommand() != null) {
            return "exec plugin " + Path.of(a.getExec().getCommand()).getFileName();
        }
        if (a.getAuthProvider() != null) {
            return "auth-provider " + a.getAuthProvider().getName();
        }
        if (a.getToken() != null || a.getTokenFile() != null) {
            return "token";
        }
        if (a.getClientCertificate() != null || a.getClientCertificateData() != null) {
            return "client certificate";
        }
        if (a.getUsername() != null) {
            return "basic auth";
        }
        return "none";
    }

    private static io.fabric8.kubernetes.api.model.Config parse(Path file) throws KubeconfigException {
        String text;
        try {
            text = Files.readString(file);
        } catch (AccessDeniedException e) {
            throw new KubeconfigException("kubeconfig " + file + " cannot be read: permission denied. Fix its "
                    + "permissions (e.g. chmod 600 " + file + ") or remove it from KUBECONFIG.", e);
        } catch (NoSuchFileException e) {
            throw new KubeconfigException("kubeconfig " + file + " disappeared while it was being read.", e);
        } catch (IOException e) {
            throw new KubeconfigException("kubeconfig " + file + " cannot be read (" + e.getClass().getSimpleName()
                    + "). Check the file, or remove it from KUBECONFIG.", e);
        } catch (RuntimeException e) { // MalformedInputException is an IOException; this covers the rest
            throw new KubeconfigException("kubeconfig " + file + " cannot be read. Check the file.", e);
        }
        if (text.isBlank()) {
            return new io.fabric8.kubernetes.api.model.Config(); // kubectl treats an empty file as an empty config
        }
        try {
            io.fabric8.kubernetes.api.model.Config kc = KubeConfigUtils.parseConfig(file.toFile());
            if (kc == null) {
                return new io.fabric8.kubernetes.api.model.Config();
            }
            if (kc.getKind() != null && !"Config".equals(kc.getKind())) {
                throw new KubeconfigException("kubeconfig " + file + " is a '" + kc.getKind() + "', not a kubeconfig "
                        + "(kind: Config). Remove it from KUBECONFIG or point KUBECONFIG at your kubeconfig.");
            }
            return kc;
        } catch (KubeconfigException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new KubeconfigException(explain(file, e), e);
        }
    }

    /** Turns a parse failure into "file: what, where, what to do" without quoting the file's content. */
    static String explain(Path file, Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYamlEngineException) {
                MarkedYamlEngineException y = (MarkedYamlEngineException) t;
                StringBuilder sb = new StringBuilder("kubeconfig ").append(file).append(" is not valid YAML");
                Optional<Mark> mark = y.getProblemMark().or(y::getContextMark);
                mark.ifPresent(m -> sb.append(" at line ").append(m.getLine() + 1).append(", column ")
                        .append(m.getColumn() + 1));
                sb.append(": ");
                if (y.getContext() != null) {
                    sb.append(y.getContext()).append(", ");
                }
                sb.append(y.getProblem() == null ? "syntax error" : y.getProblem());
                sb.append(". Fix the indentation or quoting there (kubectl cannot read this file either), or remove "
                        + "the file from KUBECONFIG.");
                return Secrets.redact(sb.toString());
            }
            if (t instanceof JsonMappingException) {
                JsonMappingException j = (JsonMappingException) t;
                String path = path(j.getPath());
                if (path.isEmpty()) {
                    return "kubeconfig " + file + " is not a kubeconfig: expected a mapping with apiVersion: v1, "
                            + "kind: Config, clusters, contexts and users. Point KUBECONFIG at your kubeconfig.";
                }
                return "kubeconfig " + file + ": '" + path + "' has the wrong shape (expected " + expected(j)
                        + "). Compare it with `kubectl config view` output and fix the file, or remove it from "
                        + "KUBECONFIG.";
            }
        }
        return "kubeconfig " + file + " cannot be parsed (" + e.getClass().getSimpleName() + "). Check that it is a "
                + "kubeconfig (kubectl --kubeconfig " + file + " config view), or remove it from KUBECONFIG.";
    }

    private static String path(List<JsonMappingException.Reference> refs) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : refs) {
            if (r.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String expected(JsonMappingException j) {
        if (j instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException) {
            Class<?> target = ((com.fasterxml.jackson.databind.exc.MismatchedInputException) j).getTargetType();
            if (target != null) {
                if (java.util.Collection.class.isAssignableFrom(target)) {
                    return "a list";
                }
                if (target == String.class) {
                    return "text";
                }
                if (target == Boolean.class || target == boolean.class) {
                    return "true or false";
                }
                if (Number.class.isAssignableFrom(target) || target.isPrimitive()) {
                    return "a number";
                }
                return "a mapping (" + target.getSimpleName().toLowerCase(Locale.ROOT) + ")";
            }
        }
        return "another type";
    }

    private static <T> List<T> nonNull(List<T> list) {
        return list == null ? List.of() : list.stream().filter(Objects::nonNull).toList();
    }

    private static String join(List<Path> paths) {
        return paths.stream().map(Path::toString).collect(Collectors.joining(", "));
    }

    /** The files that were asked for, in order (including ones that do not exist). */
    public List<Path> files() {
        return files;
    }

    /** The files that were read and merged, in precedence order. */
    public List<Path> loadedFiles() {
        return loadedFiles;
    }

    /** Every context, first-file-wins, in the order the files list them. */
    public List<KubeContext> contexts() {
        return contexts;
    }

    public List<String> contextNames() {
        return contexts.stream().map(KubeContext::name).toList();
    }

    public Optional<KubeContext> context(String name) {
        return contexts.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** The current-context of the first file that sets one, as kubectl picks it. */
    public Optional<String> currentContext() {
        return Optional.ofNullable(currentContext);
    }

    /** Files that could not be used, and why; empty when everything was read. */
    public List<Problem> problems() {
        return problems;
    }

    /**
     * A fabric8 client configuration for {@code contextName}, built by fabric8's kubeconfig merge over the files in
     * precedence order. Runs the context's exec credential plugin, if it has one. Proxy settings come from the
     * environment (HTTPS_PROXY, NO_PROXY...) when the cluster has no proxy-url, as with kubectl; other fabric8
     * environment overrides (KUBERNETES_MASTER, KUBERNETES_NAMESPACE) are not applied, since they would point every
     * context at one server.
     */
    public synchronized Config clientConfig(String contextName) throws KubeconfigException {
        KubeContext ctx = context(contextName).orElseThrow(() -> new KubeconfigException("Context '" + contextName
                + "' is not in kubeconfig (read: " + join(loadedFiles) + "). Known contexts: "
                + (contexts.isEmpty() ? "none" : String.join(", ", contextNames()))
                + ". Check the name, or add the file that defines it to KUBECONFIG."));
        if (ctx.problem() != null) {
            throw new KubeconfigException(ctx.problem());
        }
        Config config = Config.empty();
        try {
            KubeConfigUtils.merge(config, contextName,
                    parsed.toArray(new io.fabric8.kubernetes.api.model.Config[0]));
        } catch (RuntimeException e) {
            throw new KubeconfigException("Could not set up credentials for context '" + contextName + "' (auth: "
                    + ctx.auth() + ", file " + ctx.file() + "): " + firstLine(e) + ". Check that `kubectl --context "
                    + contextName + " get namespaces` works.", e);
        }
        if (config.getCurrentContext() == null || !contextName.equals(config.getCurrentContext().getName())) {
            throw new KubeconfigException("fabric8 did not select context '" + contextName + "' from " + join(
                    loadedFiles) + ". Check the context's cluster and user entries.");
        }
        applyProxyFromEnvironment(config);
        return config;
    }

    private static void applyProxyFromEnvironment(Config config) {
        if (config.getHttpProxy() != null || config.getHttpsProxy() != null) {
            return;
        }
        Config env = Config.empty();
        Config.configFromSysPropsOrEnvVars(env);
        config.setHttpProxy(env.getHttpProxy());
        config.setHttpsProxy(env.getHttpsProxy());
        config.setNoProxy(env.getNoProxy());
        config.setProxyUsername(env.getProxyUsername());
        config.setProxyPassword(env.getProxyPassword());
    }

    private static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return Secrets.redact(nl < 0 ? m : m.substring(0, nl));
    }

    /** All problems as lines for a banner, or "" when there are none. */
    public String describeProblems() {
        return problems.stream().map(Problem::message).collect(Collectors.joining("\n"));
    }

    @Override
    public String toString() {
        return "KubeContexts" + Collections.unmodifiableList(contextNames()) + " from " + join(loadedFiles);
    }
}
