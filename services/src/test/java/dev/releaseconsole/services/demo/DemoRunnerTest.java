package dev.releaseconsole.services.demo;

import dev.releaseconsole.services.actions.ActionException;
import dev.releaseconsole.services.actions.ActionType;
import dev.releaseconsole.services.model.RolloutEvent;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.releaseconsole.services.demo.DemoFixture.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DemoRunnerTest {

    @Test
    void speedIsOneByDefaultAndLimitedToOneToTwenty() {
        try (DemoRunner runner = new DemoRunner(new DemoFixture().world)) {
            assertThat(runner.speed()).isEqualTo(1);
            assertThat(runner.seed()).isEqualTo(SEED);
            runner.setSpeed(20);
            assertThat(runner.speed()).isEqualTo(20);
            assertThatThrownBy(() -> runner.setSpeed(0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> runner.setSpeed(21)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("between 1x and 20x");
            assertThat(runner.speed()).isEqualTo(20);
        }
    }

    @Test
    void ticksAtTheChosenSpeedUntilClosed() throws Exception {
        DemoWorld world = new DemoFixture().world;
        DemoRunner runner = new DemoRunner(world);
        runner.setSpeed(20);
        runner.start();
        Thread.sleep(600);
        runner.close();
        Duration elapsed = Duration.between(START, world.clock().instant());
        assertThat(elapsed).as("about 12 ticks at 20x in 0.6 s").isBetween(Duration.ofSeconds(3), Duration.ofSeconds(16));

        Thread.sleep(200);
        assertThat(world.clock().instant()).as("no ticks after close").isEqualTo(START.plus(elapsed));
        assertThatThrownBy(runner::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void actionsAndReadsFromOtherThreadsInterleaveSafelyWithTicks() throws Exception {
        DemoFixture f = new DemoFixture();
        ExecutorService users = Executors.newFixedThreadPool(3);
        try (DemoRunner runner = new DemoRunner(f.world)) {
            runner.setSpeed(20);
            runner.start();
            List<Future<?>> work = new ArrayList<>();
            for (int u = 0; u < 3; u++) {
                work.add(users.submit(() -> {
                    for (int i = 0; i < 200; i++) {
                        try {
                            f.perform(i % 2 == 0 ? ActionType.PAUSE : ActionType.RESUME, RECOMMENDATIONS);
                        } catch (ActionException refusedBecauseAnotherUserWasFaster) {
                            assertThat(refusedBecauseAnotherUserWasFaster.reason())
                                    .isEqualTo(ActionException.Reason.INVALID);
                        }
                        Instant now = f.world.clock().instant();
                        f.world.metrics().range(CHECKOUT_API, "error-ratio", now.minusSeconds(60), now);
                    }
                    return null;
                }));
            }
            for (Future<?> w : work) {
                w.get();
            }
        } finally {
            users.shutdownNow();
        }

        assertThat(f.state.events(RECOMMENDATIONS)).extracting(RolloutEvent::time).isSorted();
        assertThat(f.state.rollouts().get(RECOMMENDATIONS)).contains(
                f.world.backend("staging-us").read(RECOMMENDATIONS).orElseThrow());
    }
}
