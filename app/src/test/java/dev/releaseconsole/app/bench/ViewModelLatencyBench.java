package dev.releaseconsole.app.bench;

import dev.releaseconsole.services.ConsoleServices;
import dev.releaseconsole.services.actions.PermissionChecker;
import dev.releaseconsole.services.actions.PolicyEngine;
import dev.releaseconsole.services.actions.ReleaseActions;
import dev.releaseconsole.services.actions.Verdict;
import dev.releaseconsole.services.governance.SqliteAuditLog;
import dev.releaseconsole.services.kube.bench.KubeWatchBench;
import dev.releaseconsole.services.metrics.MetricsException;
import dev.releaseconsole.services.metrics.MetricsSource;
import dev.releaseconsole.services.model.ActionTarget;
import dev.releaseconsole.services.model.MetricDefinition;
import dev.releaseconsole.services.model.MetricSeries;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.store.LiveState;
import dev.releaseconsole.views.MainViewModel;
import dev.releaseconsole.views.common.TaskRunner;
import dev.releaseconsole.views.rollouts.RolloutRow;
import javafx.application.Platform;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Not a test: {@link KubeWatchBench} (N clusters x M rollouts on fabric8 mock servers in a child JVM, a steady stream
 * of status patches) with the app's real view model on a (headless) FX thread downstream of LiveState. It reports,
 * beside the LiveState figure, the latency from a patch being sent to the main window's {@link MainViewModel} row
 * holding it: the whole path a user's screen depends on (watch, mapping, LiveState, the per-pulse coalescing
 * throttle, the table model's update on the FX thread).
 *
 * <p>Run with {@code mvn -B -q install -DskipTests && mvn -pl app -Pbench test-compile exec:exec}; settings as for
 * KubeWatchBench through {@code -Dbench.jvmArgs="... -Dbench.clusters=20 -Dbench.rollouts=100"}.
 */
public final class ViewModelLatencyBench {
    private ViewModelLatencyBench() {
    }

    public static void main(String[] args) {
        try {
            CompletableFuture<Void> fx = new CompletableFuture<>();
            Platform.startup(() -> fx.complete(null));
            fx.get(30, TimeUnit.SECONDS);
            KubeWatchBench.run(new MainViewModelSide());
            System.exit(0);
        } catch (Throwable t) {
            t.printStackTrace(System.out);
            System.exit(1);
        }
    }

    /** The main window's view model, subscribed to LiveState as the app subscribes it. */
    static final class MainViewModelSide implements KubeWatchBench.Downstream {
        private SqliteAuditLog audit;
        private MainViewModel vm;

        @Override
        public String name() {
            return "MainViewModel row (FX thread)";
        }

        @Override
        public void attach(LiveState state, KubeWatchBench.Recorder recorder) throws Exception {
            Path dir = Files.createTempDirectory("rc-bench");
            audit = SqliteAuditLog.open(dir.resolve("audit.db"), Clock.systemUTC());
            ReleaseActions actions = new ReleaseActions(state, Map.of(), Map.of(), READ_ONLY, PolicyEngine.PERMISSIVE,
                    audit, Clock.systemUTC(), Executors.newSingleThreadExecutor());
            ConsoleServices services = new ConsoleServices(state, actions, audit, NO_METRICS, Map.of(),
                    Optional.empty());
            CompletableFuture<Integer> rows = new CompletableFuture<>();
            Platform.runLater(() -> {
                vm = new MainViewModel(services, TaskRunner.BACKGROUND, Clock.systemUTC());
                vm.start();
                for (RolloutRow row : vm.table().allRows()) {
                    row.rolloutProperty().addListener((o, was, now) -> recorder.seen(now, Instant.now()));
                }
                rows.complete(vm.table().allRows().size());
            });
            System.out.printf("view model: %d rows on the FX thread%n", rows.get(60, TimeUnit.SECONDS));
        }

        @Override
        public void close() {
            Platform.runLater(() -> vm.close());
            audit.close();
        }
    }

    private static final PermissionChecker READ_ONLY = new PermissionChecker() {
        @Override
        public Verdict mayPerform(dev.releaseconsole.services.actions.ActionType action, ActionTarget target) {
            return Verdict.refused("benchmark");
        }

        @Override
        public String whoAmI(ActionTarget target) {
            return "bench";
        }
    };

    private static final MetricsSource NO_METRICS = new MetricsSource() {
        @Override
        public List<MetricDefinition> metrics(RolloutRef rollout) {
            return List.of();
        }

        @Override
        public List<MetricSeries> range(RolloutRef rollout, String metricId, Instant from, Instant to)
                throws MetricsException {
            return List.of();
        }
    };
}
