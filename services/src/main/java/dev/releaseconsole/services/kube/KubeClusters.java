package dev.releaseconsole.services.kube;

import dev.releaseconsole.services.actions.RolloutBackend;
import dev.releaseconsole.services.store.LiveState;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** The clusters the console watches, one per kubeconfig context, started and stopped together. */
public final class KubeClusters implements AutoCloseable {
    private final Map<String, KubeCluster> clusters;

    private KubeClusters(Map<String, KubeCluster> clusters) {
        this.clusters = clusters;
    }

    /**
     * One {@link KubeCluster} per name in {@code contexts} (duplicates ignored). A name that is not in the
     * kubeconfig still gets a cluster, which reports DISCONNECTED with a message naming the known contexts.
     * Nothing connects until {@link #startAll()}.
     */
    public static KubeClusters create(KubeContexts kubeconfig, Collection<String> contexts, LiveState state,
                                      RolloutActuator actuator, Function<String, KubeCluster.Settings> settings) {
        Map<String, KubeCluster> out = new LinkedHashMap<>();
        for (String name : contexts) {
            out.computeIfAbsent(name, n -> KubeCluster.forContext(kubeconfig, n, state, actuator,
                    settings == null ? KubeCluster.Settings.defaults() : settings.apply(n)));
        }
        return new KubeClusters(out);
    }

    /** Starts every cluster in the background; returns at once. */
    public void startAll() {
        clusters.values().forEach(KubeCluster::start);
    }

    public List<KubeCluster> clusters() {
        return List.copyOf(clusters.values());
    }

    public Optional<KubeCluster> get(String contextName) {
        return Optional.ofNullable(clusters.get(contextName));
    }

    /** The clusters as the action facade's backends, keyed by cluster id (the context name). */
    public Map<String, RolloutBackend> backends() {
        return Map.copyOf(clusters);
    }

    @Override
    public void close() {
        List<RuntimeException> failures = new ArrayList<>();
        for (KubeCluster c : clusters.values()) {
            try {
                c.close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        if (!failures.isEmpty()) {
            RuntimeException first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }
}
