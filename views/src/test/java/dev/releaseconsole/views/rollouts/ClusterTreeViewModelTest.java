package dev.releaseconsole.views.rollouts;

import dev.releaseconsole.services.model.ClusterStatus;
import dev.releaseconsole.services.model.ConnectionState;
import dev.releaseconsole.services.model.Rollout;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.releaseconsole.views.testing.TestWorld.CART;
import static dev.releaseconsole.views.testing.TestWorld.CHECKOUT;
import static dev.releaseconsole.views.testing.TestWorld.PAYMENTS;
import static dev.releaseconsole.views.testing.TestWorld.PROD;
import static dev.releaseconsole.views.testing.TestWorld.SEARCH;
import static dev.releaseconsole.views.testing.TestWorld.STAGING;
import static dev.releaseconsole.views.testing.TestWorld.canary;
import static org.assertj.core.api.Assertions.assertThat;

class ClusterTreeViewModelTest {
    @Test
    void countsPerClusterAndNamespaceWithAttentionAndConnection() {
        ClusterTreeViewModel vm = new ClusterTreeViewModel();
        vm.updateStatuses(List.of(new ClusterStatus(PROD, ConnectionState.CONNECTED, ""),
                new ClusterStatus(STAGING, ConnectionState.UNREACHABLE, "connection refused")));
        vm.rebuild(List.of(canary(CHECKOUT, 2, 25, 50, Rollout.DEGRADED, "boom"),
                canary(CART, 8, 100, 100, Rollout.HEALTHY, ""),
                canary(PAYMENTS, 8, 100, 100, Rollout.HEALTHY, "")));
        TreeEntry root = vm.root();
        assertThat(root.label()).isEqualTo("All clusters · 3");
        assertThat(root.attention()).isEqualTo(1);
        assertThat(root.children()).extracting(TreeEntry::label)
                .containsExactly("prod-eu (demo) · 3", "staging (demo) · 0");
        TreeEntry prod = root.children().get(0);
        assertThat(prod.connection()).isEqualTo(ConnectionState.CONNECTED);
        assertThat(prod.attention()).isEqualTo(1);
        assertThat(prod.children()).extracting(TreeEntry::label).containsExactly("checkout · 2", "payments · 1");
        assertThat(prod.children().get(0).attention()).isEqualTo(1);
        assertThat(prod.children().get(0).scope()).isEqualTo(Scope.namespace("prod-eu", "checkout"));
        assertThat(root.children().get(1).connection()).isEqualTo(ConnectionState.UNREACHABLE);
    }

    @Test
    void clusterWithoutStatusUsesItsId() {
        TreeEntry root = ClusterTreeViewModel.build(List.of(canary(SEARCH, 1, 10, 10, Rollout.HEALTHY, "")),
                List.of());
        assertThat(root.children()).extracting(TreeEntry::label).containsExactly("staging · 1");
        assertThat(root.children().get(0).connection()).isNull();
    }
}
