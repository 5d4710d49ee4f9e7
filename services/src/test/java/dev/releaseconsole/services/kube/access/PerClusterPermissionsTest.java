package dev.releaseconsole.services.kube.access;

import dev.releaseconsole.services.actions.ActionType;
import dev.releaseconsole.services.actions.PermissionChecker;
import dev.releaseconsole.services.actions.Verdict;
import dev.releaseconsole.services.model.ActionTarget;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.model.WorkloadKind;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class PerClusterPermissionsTest {
    private static final RolloutRef IN_PROD = new RolloutRef("prod", "shop", "api", WorkloadKind.ARGO_ROLLOUT);

    /** A checker whose answer the test sets, telling its listeners as an access review does. */
    static final class Settable implements PermissionChecker {
        final List<Runnable> listeners = new ArrayList<>();
        Verdict verdict = Verdict.refused("checking permissions…");

        void answer(Verdict v) {
            verdict = v;
            listeners.forEach(Runnable::run);
        }

        @Override
        public Verdict mayPerform(ActionType action, ActionTarget target) {
            return verdict;
        }

        @Override
        public String whoAmI(ActionTarget target) {
            return "alice";
        }

        @Override
        public void addChangeListener(Runnable listener) {
            listeners.add(listener);
        }

        @Override
        public void removeChangeListener(Runnable listener) {
            listeners.remove(listener);
        }
    }

    @Test
    void anAnswerFromAClusterReachesTheFacadesListeners() {
        Settable prod = new Settable();
        PerClusterPermissions all = new PerClusterPermissions(Map.of("prod", prod), new Settable());
        AtomicInteger changes = new AtomicInteger();
        all.addChangeListener(changes::incrementAndGet);

        prod.answer(Verdict.allowed());

        assertThat(changes).hasValue(1);
        assertThat(all.mayPerform(ActionType.ABORT, IN_PROD).isAllowed()).isTrue();
    }

    @Test
    void aReconnectedClustersNewCheckerIsFollowedAndTheOldOneForgotten() {
        Settable before = new Settable();
        PerClusterPermissions all = new PerClusterPermissions(Map.of("prod", before), new Settable());
        AtomicInteger changes = new AtomicInteger();
        all.addChangeListener(changes::incrementAndGet);

        Settable after = new Settable();
        all.put("prod", after);
        assertThat(changes).as("a new checker is itself a change").hasValue(1);
        assertThat(before.listeners).isEmpty();

        before.answer(Verdict.allowed());
        assertThat(changes).as("the replaced checker no longer counts").hasValue(1);
        after.answer(Verdict.refused("you may not patch rollouts/status in namespace shop on cluster prod"));
        assertThat(changes).hasValue(2);
        assertThat(all.mayPerform(ActionType.ABORT, IN_PROD).reason()).contains("may not patch rollouts/status");

        all.remove("prod");
        assertThat(changes).hasValue(3);
        assertThat(all.mayPerform(ActionType.ABORT, IN_PROD).reason()).isEqualTo("cluster prod is not connected");
    }
}
