package dev.releaseconsole.app;

import dev.releaseconsole.services.actions.ActionType;
import dev.releaseconsole.services.actions.ChangeListeners;
import dev.releaseconsole.services.actions.PermissionChecker;
import dev.releaseconsole.services.actions.Verdict;
import dev.releaseconsole.services.kube.KubeCluster;
import dev.releaseconsole.services.kube.access.KubeAccessReview;
import dev.releaseconsole.services.kube.actions.LoadtesterRef;
import dev.releaseconsole.services.model.ActionTarget;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.store.LiveState;
import io.fabric8.kubernetes.client.KubernetesClient;
import javafx.application.Platform;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A cluster's permission checker that follows its connection: the access review is bound to the cluster's current
 * client and rebuilt (cache dropped) when a reconnect brings a new one. Until the cluster is connected, actions are
 * refused with the cluster's own status message.
 */
final class ClusterPermissions implements PermissionChecker, AutoCloseable {
    private final KubeCluster cluster;
    private final LiveState state;
    private final boolean readOnly;
    private final LoadtesterRef loadtester;
    private KubernetesClient boundTo;
    private KubeAccessReview review;
    private final ChangeListeners listeners = new ChangeListeners();

    ClusterPermissions(KubeCluster cluster, LiveState state, boolean readOnly, LoadtesterRef loadtester) {
        this.cluster = cluster;
        this.loadtester = loadtester;
        this.state = state;
        this.readOnly = readOnly;
    }

    private synchronized Optional<KubeAccessReview> review() {
        Optional<KubernetesClient> client = cluster.client();
        if (client.isEmpty()) {
            return Optional.empty();
        }
        if (client.get() != boundTo) {
            if (review != null) {
                review.close();
            }
            review = KubeAccessReview.builder(cluster.cluster().id(), client.get())
                    .readOnly(readOnly)
                    .loadtester(loadtester)
                    .rolloutState(state.rollouts()::get)
                    // The facade's worker threads may wait for an answer; the FX thread never does.
                    .blockingAllowed(() -> !Platform.isFxApplicationThread(), Duration.ofSeconds(5))
                    .build();
            boundTo = client.get();
            review.addListener(listeners::fire);
            review.prefetch(namespacesWithRollouts());
        }
        return Optional.of(review);
    }

    private Set<String> namespacesWithRollouts() {
        return state.rollouts().all().stream().map(r -> r.ref())
                .filter(ref -> ref.cluster().equals(cluster.cluster().id()))
                .map(RolloutRef::namespace).collect(Collectors.toSet());
    }

    @Override
    public Verdict mayPerform(ActionType action, ActionTarget target) {
        if (readOnly) {
            return Verdict.refused(KubeAccessReview.READ_ONLY);
        }
        return review().map(r -> r.mayPerform(action, target)).orElseGet(() ->
                Verdict.refused("cluster " + cluster.cluster().id() + " is not connected: "
                        + cluster.status().message()));
    }

    @Override
    public String whoAmI(ActionTarget target) {
        return review().map(r -> r.whoAmI(target)).orElse("unknown user@" + cluster.cluster().id());
    }

    @Override
    public void addChangeListener(Runnable listener) {
        listeners.add(listener);
    }

    @Override
    public void removeChangeListener(Runnable listener) {
        listeners.remove(listener);
    }

    @Override
    public synchronized void close() {
        if (review != null) {
            review.close();
        }
    }
}
