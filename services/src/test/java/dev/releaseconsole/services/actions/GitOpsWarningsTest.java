package dev.releaseconsole.services.actions;

import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.model.Strategy;
import dev.releaseconsole.services.model.WorkloadKind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GitOpsWarningsTest {
    private static final RolloutRef API = new RolloutRef("prod-eu", "shop", "checkout-api", WorkloadKind.ARGO_ROLLOUT);
    private static final String WARNING =
            "checkout-api is managed by Argo CD application shop-prod: it may revert this change to the spec";

    private static Rollout managed(boolean paused) {
        return Rollout.builder(API, Strategy.CANARY).managedBy("Argo CD application shop-prod").specPaused(paused)
                .build();
    }

    @Test
    void specWritesOfAManagedRolloutAreWarned() {
        assertThat(GitOpsWarnings.forAction(ActionType.RESTART, managed(false))).contains(WARNING);
        assertThat(GitOpsWarnings.forAction(ActionType.PAUSE, managed(false))).contains(WARNING);
        assertThat(GitOpsWarnings.forAction(ActionType.RESUME, managed(true))).contains(WARNING);
    }

    @Test
    void statusOnlyActionsAreNotWarned() {
        assertThat(GitOpsWarnings.forAction(ActionType.ABORT, managed(false))).isEmpty();
        assertThat(GitOpsWarnings.forAction(ActionType.RETRY, managed(false))).isEmpty();
        assertThat(GitOpsWarnings.forAction(ActionType.PROMOTE, managed(false))).isEmpty();
        assertThat(GitOpsWarnings.forAction(ActionType.PROMOTE_FULL, managed(false))).isEmpty();
    }

    @Test
    void promoteOfAPausedRolloutUnpausesTheSpecAndIsWarned() {
        assertThat(GitOpsWarnings.forAction(ActionType.PROMOTE, managed(true))).contains(WARNING);
        assertThat(GitOpsWarnings.forAction(ActionType.PROMOTE_FULL, managed(true))).contains(WARNING);
    }

    @Test
    void undoSaysToRevertInGit() {
        assertThat(GitOpsWarnings.forUndo(managed(false)).orElseThrow()).startsWith(WARNING)
                .endsWith("revert the change in Git instead");
    }

    @Test
    void unmanagedRolloutsAreNeverWarned() {
        Rollout plain = Rollout.builder(API, Strategy.CANARY).build();
        assertThat(GitOpsWarnings.forAction(ActionType.RESTART, plain)).isEmpty();
        assertThat(GitOpsWarnings.forUndo(plain)).isEmpty();
    }

    @Test
    void flaggerSpecLeversAreWarnedAndGatesAreNot() {
        Rollout canary = Rollout.builder(new RolloutRef("prod-eu", "test", "podinfo", WorkloadKind.FLAGGER_CANARY),
                Strategy.FLAGGER_CANARY).managedBy("Flux Kustomization flux-system/apps").build();
        assertThat(GitOpsWarnings.forAction(ActionType.PAUSE, canary)).contains(
                "podinfo is managed by Flux Kustomization flux-system/apps: it may revert this change to the spec");
        assertThat(GitOpsWarnings.forAction(ActionType.PROMOTE_FULL, canary)).isPresent();
        assertThat(GitOpsWarnings.forAction(ActionType.PROMOTE, canary)).isEmpty();
        assertThat(GitOpsWarnings.forAction(ActionType.ABORT, canary)).isEmpty();
    }
}
