package dev.releaseconsole.views.detail;

import dev.releaseconsole.services.actions.ActionType;
import dev.releaseconsole.services.actions.PermissionChecker;
import dev.releaseconsole.services.actions.Verdict;
import dev.releaseconsole.services.model.ActionTarget;
import dev.releaseconsole.views.common.TaskRunner;
import dev.releaseconsole.views.testing.DemoServices;
import dev.releaseconsole.views.testing.FxWindows;
import javafx.scene.control.Button;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static dev.releaseconsole.views.testing.DemoServices.SEARCH_INDEXER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A cluster's access review answers after the buttons were first computed (as SelfSubjectAccessReviews do): the
 * buttons follow the answer without the rollout changing or the user reselecting it.
 */
@ExtendWith(ApplicationExtension.class)
class LatePermissionAnswersFxTest {
    @TempDir
    static Path dir;
    private DemoServices demo;
    private LateAnswers late;
    private RolloutDetailView view;

    /** Says "checking permissions…" until {@link #answer()}, then defers to the demo's own checker. */
    static final class LateAnswers implements PermissionChecker {
        private final PermissionChecker real;
        private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
        private volatile boolean answered;

        LateAnswers(PermissionChecker real) {
            this.real = real;
        }

        void answer() {
            answered = true;
            new Thread(() -> listeners.forEach(Runnable::run), "access-review-answer").start();
        }

        @Override
        public Verdict mayPerform(ActionType action, ActionTarget target) {
            return answered ? real.mayPerform(action, target) : Verdict.refused("checking permissions…");
        }

        @Override
        public String whoAmI(ActionTarget target) {
            return real.whoAmI(target);
        }

        @Override
        public void addChangeListener(Runnable listener) {
            listeners.add(listener);
        }
    }

    @Start
    void start(Stage stage) {
        demo = new DemoServices(dir, DemoServices.SEED, real -> late = new LateAnswers(real));
        view = new RolloutDetailView(demo.services, TaskRunner.DIRECT);
        FxWindows.show(stage, view, 1024, 700);
    }

    @AfterEach
    void tearDown(FxRobot robot) {
        robot.interact(view::clear);
        demo.close();
    }

    @Test
    void promoteEnablesWhenTheAnswerArrives(FxRobot robot) throws Exception {
        robot.interact(() -> view.show(SEARCH_INDEXER));
        Button promote = robot.lookup("#promoteButton").queryAs(Button.class);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(promote.isDisabled()).isTrue();
        assertThat(promote.getTooltip().getText()).contains("checking permissions…");

        late.answer();

        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> !promote.isDisabled());
        assertThat(promote.getTooltip().getText()).doesNotContain("not available");
    }
}
