package dev.releaseconsole.services.demo;

import dev.releaseconsole.services.actions.ActionType;
import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.model.WorkloadKind;
import dev.releaseconsole.services.store.LiveState;

import java.time.Instant;

/** A demo world with a fixed seed and start, and the refs the tests talk about. */
final class DemoFixture {
    static final long SEED = 42;
    static final Instant START = Instant.parse("2025-03-01T10:00:00Z");

    static final RolloutRef CHECKOUT_API = argo("prod-eu", "checkout", "checkout-api");
    static final RolloutRef CART_SERVICE = argo("prod-eu", "checkout", "cart-service");
    static final RolloutRef CHECKOUT_WEB = argo("prod-eu", "checkout", "checkout-web");
    static final RolloutRef PAYMENTS_GATEWAY = argo("prod-eu", "payments", "payments-gateway");
    static final RolloutRef LEDGER_SERVICE = argo("prod-eu", "payments", "ledger-service");
    static final RolloutRef FRAUD_SCORER = flagger("prod-eu", "payments", "fraud-scorer");
    static final RolloutRef SEARCH_INDEXER = argo("prod-eu", "search", "search-indexer");
    static final RolloutRef SEARCH_API = argo("prod-eu", "search", "search-api");
    static final RolloutRef SEARCH_RANKER = flagger("prod-eu", "search", "search-ranker");
    static final RolloutRef STOREFRONT_WEB = argo("staging-us", "storefront", "storefront-web");
    static final RolloutRef CATALOG_API = argo("staging-us", "storefront", "catalog-api");
    static final RolloutRef RECOMMENDATIONS = argo("staging-us", "storefront", "recommendations");

    final LiveState state = new LiveState();
    final DemoWorld world;

    DemoFixture() {
        this(SEED);
    }

    DemoFixture(long seed) {
        world = new DemoWorld(seed, START, state);
    }

    /** The rollout as the live state last received it. */
    Rollout rollout(RolloutRef ref) {
        return state.rollouts().get(ref).orElseThrow(() -> new AssertionError("not published: " + ref));
    }

    /** Sends {@code action} through the rollout's cluster backend, as the action facade would. */
    String perform(ActionType action, RolloutRef ref) throws Exception {
        return world.backend(ref.cluster()).perform(action, rollout(ref));
    }

    private static RolloutRef argo(String cluster, String namespace, String name) {
        return new RolloutRef(cluster, namespace, name, WorkloadKind.ARGO_ROLLOUT);
    }

    private static RolloutRef flagger(String cluster, String namespace, String name) {
        return new RolloutRef(cluster, namespace, name, WorkloadKind.FLAGGER_CANARY);
    }
}
