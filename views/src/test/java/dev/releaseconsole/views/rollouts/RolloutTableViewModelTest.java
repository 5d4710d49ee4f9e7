package dev.releaseconsole.views.rollouts;

import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.views.testing.TestWorld;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.releaseconsole.views.testing.TestWorld.CART;
import static dev.releaseconsole.views.testing.TestWorld.CHECKOUT;
import static dev.releaseconsole.views.testing.TestWorld.PAYMENTS;
import static dev.releaseconsole.views.testing.TestWorld.SEARCH;
import static dev.releaseconsole.views.testing.TestWorld.STAGING_CHECKOUT;
import static dev.releaseconsole.views.testing.TestWorld.canary;
import static org.assertj.core.api.Assertions.assertThat;

/** The rollout table's logic, without a screen. */
class RolloutTableViewModelTest {
    private RolloutTableViewModel vm;

    @BeforeEach
    void setUp() {
        vm = new RolloutTableViewModel(cluster -> TestWorld.NOW);
        vm.loadAll(List.of(
                canary(CHECKOUT, 2, 25, 50, Rollout.PROGRESSING, ""),
                canary(CART, 8, 100, 100, Rollout.HEALTHY, ""),
                canary(PAYMENTS, 8, 100, 100, Rollout.HEALTHY, ""),
                canary(STAGING_CHECKOUT, 8, 100, 100, Rollout.HEALTHY, ""),
                canary(SEARCH, 3, 40, 40, Rollout.DEGRADED, "analysis failed")));
    }

    private List<String> visible() {
        return vm.visibleRows().stream().map(r -> r.cluster() + "/" + r.name()).toList();
    }

    @Test
    void sortsAttentionFirstThenByName() {
        assertThat(visible()).containsExactly("staging/search-api", "prod-eu/cart", "prod-eu/checkout-api",
                "staging/checkout-api", "prod-eu/payments-api");
        assertThat(vm.totalProperty().get()).isEqualTo(5);
        assertThat(vm.attentionProperty().get()).isEqualTo(1);
    }

    @Test
    void userColumnOrderWinsThenDefault() {
        vm.columnOrderProperty().set(Comparator.comparing(RolloutRow::cluster));
        assertThat(visible()).containsExactly("prod-eu/cart", "prod-eu/checkout-api", "prod-eu/payments-api",
                "staging/search-api", "staging/checkout-api");
        vm.columnOrderProperty().set(null);
        assertThat(visible().get(0)).isEqualTo("staging/search-api");
    }

    @Test
    void searchMatchesNameNamespaceClusterAndStatusWords() {
        vm.searchTextProperty().set("payments");
        assertThat(visible()).containsExactly("prod-eu/payments-api");
        vm.searchTextProperty().set("STAGING");
        assertThat(visible()).containsExactly("staging/search-api", "staging/checkout-api");
        vm.searchTextProperty().set("checkout prod-eu");
        assertThat(visible()).containsExactly("prod-eu/cart", "prod-eu/checkout-api");
        vm.searchTextProperty().set("degraded");
        assertThat(visible()).containsExactly("staging/search-api");
        vm.searchTextProperty().set("  ");
        assertThat(visible()).hasSize(5);
    }

    @Test
    void attentionFilterAndScope() {
        vm.attentionOnlyProperty().set(true);
        assertThat(visible()).containsExactly("staging/search-api");
        vm.attentionOnlyProperty().set(false);
        vm.scopeProperty().set(Scope.cluster("prod-eu"));
        assertThat(visible()).containsExactly("prod-eu/cart", "prod-eu/checkout-api", "prod-eu/payments-api");
        vm.scopeProperty().set(Scope.namespace("prod-eu", "checkout"));
        assertThat(visible()).containsExactly("prod-eu/cart", "prod-eu/checkout-api");
        vm.scopeProperty().set(Scope.ALL);
        assertThat(visible()).hasSize(5);
    }

    @Test
    void updatesRowsInPlaceAndReSortsAndRefilters() {
        RolloutRow before = vm.row(CHECKOUT).orElseThrow();
        vm.attentionOnlyProperty().set(true);
        Rollout degraded = canary(CHECKOUT, 2, 25, 50, Rollout.DEGRADED, "error rate");
        vm.apply(Map.of(CHECKOUT, Optional.of(degraded)));
        assertThat(vm.row(CHECKOUT)).containsSame(before);
        assertThat(before.status()).isEqualTo("Degraded");
        assertThat(before.why()).isEqualTo("Degraded: error rate");
        assertThat(visible()).containsExactly("prod-eu/checkout-api", "staging/search-api");
        assertThat(vm.attentionProperty().get()).isEqualTo(2);
    }

    @Test
    void removesRows() {
        vm.apply(Map.of(CART, Optional.empty(), new RolloutRef("x", "y", "z",
                dev.releaseconsole.services.model.WorkloadKind.ARGO_ROLLOUT), Optional.empty()));
        assertThat(vm.row(CART)).isEmpty();
        assertThat(vm.totalProperty().get()).isEqualTo(4);
    }

    @Test
    void formatsWeightAndAgeFromTheClusterClock() {
        RolloutRow row = vm.row(CHECKOUT).orElseThrow();
        assertThat(row.weight()).isEqualTo("25% → 50%");
        assertThat(vm.row(CART).orElseThrow().weight()).isEqualTo("100%");
        assertThat(row.age()).isEqualTo("42m");
        assertThat(RolloutRow.ageText(row.rollout(), TestWorld.NOW.plus(Duration.ofHours(3)))).isEqualTo("3h42m");
        assertThat(row.step()).isEqualTo("2/8");
        assertThat(row.strategy()).isEqualTo("Canary");
        assertThat(row.statusBadge().text()).isEqualTo("Progressing");
        assertThat(row.analysisBadge().text()).isEqualTo("Running");
    }
}
