package dev.releaseconsole.views.rollouts;

import dev.releaseconsole.services.analysis.CanaryVerdict;
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
        vm = new RolloutTableViewModel(cluster -> TestWorld.T0);
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
        // blue-green shifts no weight: say whether a preview is up rather than a misleading "0%"
        Rollout preview = Rollout.builder(TestWorld.argo("prod-eu", "checkout", "web"),
                dev.releaseconsole.services.model.Strategy.BLUE_GREEN).currentPodHash("7c2a").stableRS("5f6d").build();
        assertThat(RolloutRow.weightText(preview)).isEqualTo("preview up");
        assertThat(RolloutRow.weightText(preview.toBuilder().stableRS("7c2a").build())).isEqualTo("active");
        assertThat(row.age()).isEqualTo("42m");
        assertThat(RolloutRow.ageText(row.rollout(), TestWorld.T0.plus(Duration.ofHours(3)))).isEqualTo("3h42m");
        assertThat(row.step()).isEqualTo("2/8");
        assertThat(row.strategy()).isEqualTo("Canary");
        assertThat(row.statusBadge().text()).isEqualTo("Progressing");
        assertThat(row.analysisBadge().text()).isEqualTo("Running");
    }

    // ---- the row order freezes under the pointer ----

    @Test
    void whileThePointerIsOverTheTableRowsUpdateButDoNotMove() {
        List<String> before = visible();
        RolloutRow checkout = vm.row(CHECKOUT).orElseThrow();
        vm.setPointerOver(true);
        assertThat(vm.frozenProperty().get()).isTrue();

        vm.apply(Map.of(CHECKOUT, Optional.of(canary(CHECKOUT, 2, 25, 50, Rollout.DEGRADED, "error rate"))));

        assertThat(checkout.status()).as("contents update live").isEqualTo("Degraded");
        assertThat(vm.attentionProperty().get()).isEqualTo(2);
        assertThat(visible()).as("the order waits").isEqualTo(before);

        vm.setPointerOver(false);
        assertThat(vm.frozenProperty().get()).isFalse();
        assertThat(visible()).containsExactly("prod-eu/checkout-api", "staging/search-api", "prod-eu/cart",
                "staging/checkout-api", "prod-eu/payments-api");
    }

    @Test
    void restingThePointerAppliesWhatWaitsAndMovingItFreezesAgain() {
        vm.setPointerOver(true);
        vm.apply(Map.of(CHECKOUT, Optional.of(canary(CHECKOUT, 2, 25, 50, Rollout.DEGRADED, "error rate"))));
        assertThat(visible().get(0)).isEqualTo("staging/search-api");

        vm.pointerIdle();
        assertThat(vm.frozenProperty().get()).isFalse();
        assertThat(visible().get(0)).isEqualTo("prod-eu/checkout-api");

        vm.pointerMoved();
        assertThat(vm.frozenProperty().get()).isTrue();
        vm.apply(Map.of(CHECKOUT, Optional.of(canary(CHECKOUT, 2, 25, 50, Rollout.PROGRESSING, ""))));
        assertThat(visible().get(0)).isEqualTo("prod-eu/checkout-api");
    }

    @Test
    void aButtonHeldDownKeepsTheOrderEvenWhenThePointerLeavesOrRests() {
        vm.setPointerOver(true);
        vm.setButtonDown(true);
        vm.apply(Map.of(CHECKOUT, Optional.of(canary(CHECKOUT, 2, 25, 50, Rollout.DEGRADED, "error rate"))));
        vm.pointerIdle();
        vm.setPointerOver(false);
        assertThat(vm.frozenProperty().get()).isTrue();
        assertThat(visible().get(0)).isEqualTo("staging/search-api");
        vm.setButtonDown(false);
        assertThat(vm.frozenProperty().get()).isFalse();
        assertThat(visible().get(0)).isEqualTo("prod-eu/checkout-api");
    }

    @Test
    void whatTheUserAsksForAppliesAtOnceWhileFrozen() {
        vm.setPointerOver(true);
        vm.searchTextProperty().set("checkout");
        assertThat(visible()).containsExactly("prod-eu/cart", "prod-eu/checkout-api", "staging/checkout-api");
        vm.columnOrderProperty().set(Comparator.comparing(RolloutRow::cluster).reversed());
        assertThat(visible()).containsExactly("staging/checkout-api", "prod-eu/cart", "prod-eu/checkout-api");
        vm.attentionOnlyProperty().set(true);
        assertThat(visible()).isEmpty();
        assertThat(vm.frozenProperty().get()).isTrue();
    }

    @Test
    void whileFrozenNewRolloutsWaitAndGoneOnesLeaveAtOnce() {
        RolloutRef fresh = TestWorld.argo("prod-eu", "checkout", "basket");
        vm.setPointerOver(true);
        vm.apply(Map.of(fresh, Optional.of(canary(fresh, 1, 10, 10, Rollout.PROGRESSING, "")),
                CART, Optional.empty()));
        assertThat(vm.totalProperty().get()).isEqualTo(5);
        assertThat(visible()).containsExactly("staging/search-api", "prod-eu/checkout-api", "staging/checkout-api",
                "prod-eu/payments-api");
        vm.setPointerOver(false);
        assertThat(visible()).containsExactly("staging/search-api", "prod-eu/basket", "prod-eu/checkout-api",
                "staging/checkout-api", "prod-eu/payments-api");
    }

    @Test
    void aFailingCanaryVerdictShowsInItsRowAndNeedsAttention() {
        CanaryVerdict fail = TestWorld.failingVerdict(CHECKOUT);
        RolloutRow checkout = vm.row(CHECKOUT).orElseThrow();
        assertThat(checkout.verdictBadge().text()).isEqualTo("none");
        assertThat(checkout.needsAttention()).isFalse();

        vm.applyVerdicts(Map.of(CHECKOUT, Optional.of(fail)));

        assertThat(checkout.verdictBadge().text()).isEqualTo("Fail \u00b7 0");
        assertThat(checkout.needsAttention()).isTrue();
        assertThat(checkout.why()).isEqualTo("canary verdict Fail: error ratio High (critical), p95 latency High");
        assertThat(vm.attentionProperty().get()).isEqualTo(2);
        assertThat(visible().subList(0, 2)).as("attention first")
                .containsExactly("prod-eu/checkout-api", "staging/search-api");
        vm.searchTextProperty().set("p95");
        assertThat(visible()).containsExactly("prod-eu/checkout-api");
        vm.searchTextProperty().set("");

        vm.applyVerdicts(Map.of(CHECKOUT, Optional.empty(), TestWorld.argo("x", "y", "unknown"), Optional.of(fail)));

        assertThat(checkout.verdict()).isNull();
        assertThat(checkout.needsAttention()).isFalse();
        assertThat(vm.attentionProperty().get()).isEqualTo(1);
    }
}
