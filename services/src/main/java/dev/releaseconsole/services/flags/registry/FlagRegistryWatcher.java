package dev.releaseconsole.services.flags.registry;

import dev.releaseconsole.services.model.FlagRegistry;
import dev.releaseconsole.services.store.LiveState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the live state's flag registry in step with its file, on its own daemon thread. It listens to the directory
 * (editors and {@code git checkout} replace files, Kubernetes swaps ConfigMap mounts through symlinks) and also
 * compares the file's content every poll interval, for file systems that send no events. A file that stops parsing
 * leaves the last good entries in place with the problem beside them; a fixed file clears it. After each publish the
 * reload listeners run (the flag sources re-publish through the join).
 */
public final class FlagRegistryWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FlagRegistryWatcher.class);
    /** Editors write in several steps; wait this long after an event before reading. */
    private static final long SETTLE_MILLIS = 100;

    private final Path file;
    private final LiveState state;
    private final Clock clock;
    private final Duration pollInterval;
    private final List<Runnable> reloadListeners = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();
    private String lastText;
    private boolean lastMissing;
    private volatile boolean closed;
    private Thread thread;
    private WatchService watcher;

    public FlagRegistryWatcher(Path file, LiveState state, Clock clock, Duration pollInterval) {
        this.file = file.toAbsolutePath().normalize();
        this.state = state;
        this.clock = clock;
        this.pollInterval = pollInterval;
    }

    /** Called after every change published (the first load, a new version, a new problem), on that thread. */
    public void addReloadListener(Runnable listener) {
        reloadListeners.add(listener);
    }

    /** Reads the file now, on the caller's thread, and publishes what it found; returns that registry. */
    public FlagRegistry loadNow() {
        synchronized (lock) {
            reloadIfChanged(true);
            return state.flagRegistry();
        }
    }

    /** Starts watching in the background (after {@link #loadNow()}, or it loads first). */
    public synchronized void start() {
        if (thread != null) {
            return;
        }
        try {
            watcher = FileSystems.getDefault().newWatchService();
            Path dir = file.getParent();
            if (dir != null && Files.isDirectory(dir)) {
                dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                        StandardWatchEventKinds.ENTRY_DELETE);
            }
        } catch (IOException | UnsupportedOperationException e) {
            LOG.info("flag registry {}: no change events from this file system ({}); polling every {}", file,
                    e.getMessage(), pollInterval);
            watcher = null;
        }
        thread = new Thread(this::run, "flag-registry-watch");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (!closed) {
            try {
                WatchKey key = watcher == null ? null : watcher.poll(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
                if (watcher == null) {
                    Thread.sleep(pollInterval.toMillis());
                }
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                    Thread.sleep(SETTLE_MILLIS);
                }
                synchronized (lock) {
                    if (!closed) {
                        reloadIfChanged(false);
                    }
                }
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            } catch (RuntimeException e) {
                // never let one bad read end the watch
                LOG.warn("flag registry {}: {}", file, e.toString());
            }
        }
    }

    private void reloadIfChanged(boolean first) {
        String text;
        try {
            long size = Files.size(file);
            if (size > FlagRegistryParser.MAX_CHARS * 4L) {
                publishProblem("the file is " + size + " bytes, larger than any registry should be; is "
                        + file + " the right file?", first);
                return;
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            if (!lastMissing || first) {
                lastMissing = true;
                lastText = null;
                publishProblem("the file " + file + " does not exist; create it, or fix flags.registry in the"
                        + " configuration", first);
            }
            return;
        } catch (IOException e) {
            publishProblem("cannot read " + file + ": " + e.getMessage(), first);
            return;
        }
        lastMissing = false;
        if (!first && text.equals(lastText)) {
            return;
        }
        lastText = text;
        try {
            FlagRegistry loaded = FlagRegistryParser.parse(text, file.toString(), clock.instant());
            state.publishFlagRegistry(loaded);
            LOG.info("flag registry {}: {} entries loaded", file, loaded.entries().size());
        } catch (RegistryException e) {
            publishProblem(e.getMessage(), first);
            return;
        }
        notifyListeners();
    }

    private void publishProblem(String problem, boolean first) {
        FlagRegistry current = state.flagRegistry();
        boolean ours = file.toString().equals(current.source());
        String kept = ours && current.loadedAt() != null
                ? problem + " (still using the version loaded at " + current.loadedAt() + ")" : problem;
        if (ours && kept.equals(current.problem())) {
            return;
        }
        LOG.warn("flag registry: {}", kept);
        state.publishFlagRegistry(ours && current.loadedAt() != null ? current.withProblem(kept)
                : new FlagRegistry(file.toString(), List.of(), null, null, kept));
        if (!first) {
            notifyListeners();
        }
    }

    private void notifyListeners() {
        for (Runnable l : reloadListeners) {
            try {
                l.run();
            } catch (RuntimeException e) {
                LOG.warn("flag registry reload listener failed: {}", e.toString());
            }
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() {
        closed = true;
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            t.interrupt();
        }
        if (watcher != null) {
            try {
                watcher.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
