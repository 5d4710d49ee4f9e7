package dev.releaseconsole.services.demo;

import dev.releaseconsole.services.ConsoleServices;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Drives a {@link DemoWorld} on a daemon thread at {@code speed} simulated seconds per wall-clock second. */
public final class DemoRunner implements ConsoleServices.SimulationControl, AutoCloseable {
    public static final int MIN_SPEED = 1;
    public static final int MAX_SPEED = 20;
    private static final Logger LOG = LoggerFactory.getLogger(DemoRunner.class);

    private final DemoWorld world;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "demo-world");
        t.setDaemon(true);
        return t;
    });
    private int speed = MIN_SPEED;
    private ScheduledFuture<?> ticking;

    public DemoRunner(DemoWorld world) {
        this.world = world;
    }

    /** Starts ticking; calling it again while running does nothing. */
    public synchronized void start() {
        if (scheduler.isShutdown()) {
            throw new IllegalStateException("the demo runner was closed");
        }
        if (ticking == null) {
            schedule();
        }
    }

    @Override
    public synchronized int speed() {
        return speed;
    }

    @Override
    public synchronized void setSpeed(int newSpeed) {
        if (newSpeed < MIN_SPEED || newSpeed > MAX_SPEED) {
            throw new IllegalArgumentException("speed must be between " + MIN_SPEED + "x and " + MAX_SPEED
                    + "x, not " + newSpeed + "x");
        }
        speed = newSpeed;
        if (ticking != null) {
            ticking.cancel(false);
            schedule();
        }
    }

    @Override
    public long seed() {
        return world.seed();
    }

    /** Stops ticking and waits briefly for a tick in progress, so the world is still once this returns. */
    @Override
    public synchronized void close() {
        scheduler.shutdownNow();
        ticking = null;
        try {
            if (!scheduler.awaitTermination(2, TimeUnit.SECONDS)) {
                LOG.warn("a demo world tick did not finish within 2 s of closing");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void schedule() {
        long periodMicros = 1_000_000L / speed;
        ticking = scheduler.scheduleAtFixedRate(this::tickSafely, periodMicros, periodMicros, TimeUnit.MICROSECONDS);
    }

    /** A failing tick is logged and the next one runs: one bad second must not freeze the demo. */
    private void tickSafely() {
        try {
            world.tick();
        } catch (RuntimeException e) {
            LOG.error("demo world tick failed", e);
        }
    }
}
