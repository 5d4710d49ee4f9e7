package dev.releaseconsole.services.flags.registry;

import dev.releaseconsole.services.model.FlagRegistration;
import dev.releaseconsole.services.model.FlagRegistry;
import dev.releaseconsole.services.store.LiveState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** The registry follows its file: edits, replacements, a broken version (last good kept), a deleted file. */
class FlagRegistryWatcherTest {
    @TempDir
    Path dir;
    private final LiveState state = new LiveState();
    private FlagRegistryWatcher watcher;

    @AfterEach
    void close() {
        if (watcher != null) {
            watcher.close();
        }
    }

    private FlagRegistryWatcher watch(Path file) {
        watcher = new FlagRegistryWatcher(file, state, Clock.fixed(Instant.parse("2026-11-22T09:00:00Z"),
                ZoneOffset.UTC), Duration.ofMillis(200));
        return watcher;
    }

    private FlagRegistry waitFor(String what, Predicate<FlagRegistry> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.test(state.flagRegistry())) {
                return state.flagRegistry();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("within 10 s: " + what + "; the registry is " + state.flagRegistry());
    }

    @Test
    void reloadsWhenTheFileIsEditedOrReplacedAndKeepsTheLastGoodVersionOnAnError() throws Exception {
        Path file = dir.resolve("registry.yaml");
        Files.writeString(file, "flags:\n  - {key: a, owner: team-a}\n");
        FlagRegistryWatcher w = watch(file);
        AtomicInteger reloads = new AtomicInteger();
        w.addReloadListener(reloads::incrementAndGet);
        FlagRegistry first = w.loadNow();
        assertThat(first.entries()).extracting(FlagRegistration::key).containsExactly("a");
        assertThat(first.source()).isEqualTo(file.toAbsolutePath().toString());
        w.start();

        Files.writeString(file, "flags:\n  - {key: a, owner: team-a}\n  - {key: b}\n");
        waitFor("the edit is loaded", r -> r.entries().size() == 2);

        Files.writeString(file, "flags:\n  - {key: a, ownr: team-a}\n");
        FlagRegistry broken = waitFor("the broken version is reported", r -> r.problem() != null);
        assertThat(broken.problem()).contains("line 2: unknown key 'ownr'")
                .contains("still using the version loaded at");
        assertThat(broken.entries()).as("the last good entries stay").hasSize(2);

        // editors and git replace the file rather than write into it
        Path replacement = dir.resolve("registry.yaml.tmp");
        Files.writeString(replacement, "flags:\n  - {key: c}\n");
        Files.move(replacement, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        FlagRegistry fixed = waitFor("the replaced file is loaded", r -> r.problem() == null
                && r.entries().size() == 1 && r.entries().get(0).key().equals("c"));
        assertThat(fixed.entries()).hasSize(1);
        assertThat(reloads.get()).as("one listener call per published change: load, edit, error, fix").isEqualTo(4);

        Files.delete(file);
        assertThat(waitFor("the deleted file is reported", r -> r.problem() != null).problem())
                .contains("does not exist");
        assertThat(state.flagRegistry().entries()).extracting(FlagRegistration::key).containsExactly("c");
    }

    @Test
    void aMissingOrBrokenFileAtStartIsAProblemNotACrash() throws Exception {
        Path file = dir.resolve("nope.yaml");
        FlagRegistry missing = watch(file).loadNow();
        assertThat(missing.configured()).isTrue();
        assertThat(missing.entries()).isEmpty();
        assertThat(missing.problem()).contains("does not exist; create it, or fix flags.registry");

        Files.writeString(file, "flags: [\n");
        watcher.start();
        assertThat(waitFor("the broken file is reported", r -> r.problem() != null
                && r.problem().contains("not valid YAML")).entries()).isEmpty();
        Files.writeString(file, "flags:\n  - {key: a}\n");
        waitFor("the fixed file is loaded", r -> r.problem() == null && r.entries().size() == 1);
    }
}
