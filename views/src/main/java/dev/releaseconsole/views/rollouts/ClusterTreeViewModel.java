package dev.releaseconsole.views.rollouts;

import dev.releaseconsole.services.model.ClusterRef;
import dev.releaseconsole.services.model.ClusterStatus;
import dev.releaseconsole.services.model.Rollout;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleObjectProperty;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The cluster/namespace tree with counts. Rebuilt from the current rollouts and cluster statuses after each batch;
 * the view reconciles its tree items in place so the selection stays.
 */
public final class ClusterTreeViewModel {
    private final ObjectProperty<TreeEntry> root = new SimpleObjectProperty<>(this, "root",
            build(List.of(), List.of()));
    private final Map<String, ClusterStatus> statuses = new HashMap<>();

    public ReadOnlyObjectProperty<TreeEntry> rootProperty() {
        return root;
    }

    public TreeEntry root() {
        return root.get();
    }

    public void updateStatuses(Collection<ClusterStatus> fresh) {
        fresh.forEach(s -> statuses.put(s.cluster().id(), s));
    }

    public void removeStatus(String clusterId) {
        statuses.remove(clusterId);
    }

    public Map<String, ClusterStatus> statuses() {
        return Map.copyOf(statuses);
    }

    public void rebuild(Collection<Rollout> rollouts) {
        rebuild(rollouts, Rollout::needsAttention);
    }

    /** Rebuilds with the table's own idea of what needs attention (it also counts failing canary verdicts). */
    public void rebuild(Collection<Rollout> rollouts, java.util.function.Predicate<Rollout> needsAttention) {
        root.set(build(rollouts, statuses.values(), needsAttention));
    }

    /** Pure: the tree for these rollouts and cluster statuses (clusters known only by status show with 0). */
    public static TreeEntry build(Collection<Rollout> rollouts, Collection<ClusterStatus> clusterStatuses) {
        return build(rollouts, clusterStatuses, Rollout::needsAttention);
    }

    static TreeEntry build(Collection<Rollout> rollouts, Collection<ClusterStatus> clusterStatuses,
                           java.util.function.Predicate<Rollout> needsAttention) {
        Map<String, ClusterStatus> byId = new HashMap<>();
        clusterStatuses.forEach(s -> byId.put(s.cluster().id(), s));
        Map<String, Map<String, int[]>> counts = new TreeMap<>();
        byId.keySet().forEach(id -> counts.computeIfAbsent(id, k -> new TreeMap<>()));
        int total = 0;
        int attention = 0;
        for (Rollout r : rollouts) {
            int[] c = counts.computeIfAbsent(r.ref().cluster(), k -> new TreeMap<>())
                    .computeIfAbsent(r.ref().namespace(), k -> new int[2]);
            c[0]++;
            total++;
            if (needsAttention.test(r)) {
                c[1]++;
                attention++;
            }
        }
        List<TreeEntry> clusters = new ArrayList<>();
        for (Map.Entry<String, Map<String, int[]>> ce : counts.entrySet()) {
            String id = ce.getKey();
            List<TreeEntry> namespaces = new ArrayList<>();
            int ct = 0;
            int ca = 0;
            for (Map.Entry<String, int[]> ne : ce.getValue().entrySet()) {
                namespaces.add(new TreeEntry(Scope.namespace(id, ne.getKey()), ne.getKey(), ne.getValue()[0],
                        ne.getValue()[1], null, List.of()));
                ct += ne.getValue()[0];
                ca += ne.getValue()[1];
            }
            ClusterStatus status = byId.get(id);
            clusters.add(new TreeEntry(Scope.cluster(id), clusterName(id, status), ct, ca, status, namespaces));
        }
        return new TreeEntry(Scope.ALL, "All clusters", total, attention, null, clusters);
    }

    /** "prod-eu (demo)" for a simulated cluster, its display name otherwise. */
    public static String clusterName(String id, ClusterStatus status) {
        if (status == null) {
            return id;
        }
        ClusterRef c = status.cluster();
        return c.displayName() + (c.simulated() ? " (demo)" : "");
    }
}
