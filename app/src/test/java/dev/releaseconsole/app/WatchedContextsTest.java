package dev.releaseconsole.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Which contexts the console watches: a pick in the window, --context, the remembered pick, the config file. */
class WatchedContextsTest {
    @TempDir
    Path dir;

    private static final AppConfig CONFIG = AppConfig.parse("kubernetes:\n  contexts: [from-config]\n", "test");

    @Test
    void aRememberedEmptyPickMeansTheDemoWorldWhileNoFileMeansTheConfigDecides() throws Exception {
        Path file = dir.resolve("state/watched-contexts");
        assertThat(WatchedContexts.load(file)).isEmpty();

        WatchedContexts.save(file, List.of());
        assertThat(WatchedContexts.load(file)).contains(List.of());

        WatchedContexts.save(file, List.of("prod-eu", "staging-us"));
        assertThat(WatchedContexts.load(file)).contains(List.of("prod-eu", "staging-us"));
        assertThat(Files.readString(file)).startsWith("# kubeconfig contexts picked");
    }

    @Test
    void precedenceIsThisWindowThenCommandLineThenLastPickThenConfig() {
        AppOptions none = AppOptions.parse(List.of());
        AppOptions flag = AppOptions.parse(List.of("--context=from-flag"));
        Optional<List<String>> remembered = Optional.of(List.of("from-last-pick"));

        assertThat(ConsoleApp.chooseContexts(flag, CONFIG, remembered, List.of("from-window")).contexts())
                .containsExactly("from-window");
        assertThat(ConsoleApp.chooseContexts(flag, CONFIG, remembered, null).contexts())
                .containsExactly("from-flag");
        assertThat(ConsoleApp.chooseContexts(none, CONFIG, remembered, null))
                .isEqualTo(new ConsoleApp.ChosenContexts(List.of("from-last-pick"),
                        "your last pick in the Clusters dialog"));
        assertThat(ConsoleApp.chooseContexts(none, CONFIG, Optional.empty(), null).contexts())
                .containsExactly("from-config");
    }
}
