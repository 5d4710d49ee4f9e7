package dev.releaseconsole.app;

import dev.releaseconsole.services.kube.KubeContexts;
import dev.releaseconsole.services.kube.actions.LoadtesterRef;
import dev.releaseconsole.views.MainView;
import dev.releaseconsole.views.common.Theme;
import dev.releaseconsole.views.common.Themes;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The window. It is up at once with a "starting" pane; the audit log and the demo world start on a background
 * thread, and the main view replaces the pane when they are ready. Nothing slow runs on the FX thread.
 */
public final class ConsoleApp extends Application {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleApp.class);

    /** Set by {@link Main} before launch; JavaFX instantiates this class itself. */
    static volatile AppOptions options = AppOptions.parse(java.util.List.of());

    private volatile ConsoleRuntime runtime;
    /** Contexts picked in the Clusters dialog during this session; null until the user picks. */
    private volatile List<String> sessionPick;
    private MainView main;

    @Override
    public void start(Stage stage) {
        AppOptions opts = options;
        Label waiting = new Label("Starting Release Console…\nOpening the audit log and connecting.");
        waiting.setId("startupMessage");
        VBox startup = new VBox(16, new ProgressIndicator(), waiting);
        startup.setAlignment(Pos.CENTER);
        startup.setPadding(new Insets(32));
        Scene scene = new Scene(startup, 1440, 900);
        Theme theme = opts.dark() ? Theme.DARK : Theme.LIGHT;
        Themes.apply(scene, theme, opts.presenter());
        stage.setTitle("Release Console");
        stage.setMinWidth(900);
        stage.setMinHeight(600);
        stage.setScene(scene);
        stage.show();
        LOG.info("startup: window shown {} ms after JVM start", sinceJvmStart());

        startRuntime(stage, scene, startup, waiting, theme, opts.presenter());
    }

    /** Starts the sources on a background thread and shows the console when they are ready. */
    private void startRuntime(Stage stage, Scene scene, VBox startup, Label waiting, Theme theme, boolean presenter) {
        AppOptions opts = options;
        Path auditDb = opts.auditDb().orElse(AppPaths.defaultAuditDb(System.getenv()));
        List<String> picked = sessionPick;
        Thread starter = new Thread(() -> {
            try {
                ConsoleRuntime.Plan plan = plan(opts, auditDb, picked);
                String source = chooseContexts(opts, AppConfig.EMPTY, WatchedContexts.load(WatchedContexts.file(
                        System.getenv())), picked).source();
                ConsoleRuntime rt = ConsoleRuntime.start(plan);
                runtime = rt;
                Platform.runLater(() -> showConsole(stage, scene, rt, theme, presenter, plan, source));
            } catch (RuntimeException e) {
                LOG.error("startup failed: {}", e.getMessage());
                Platform.runLater(() -> {
                    waiting.setText("Release Console could not start:\n" + e.getMessage());
                    startup.getChildren().remove(0);
                });
            }
        }, "startup");
        starter.setDaemon(true);
        starter.start();
    }

    /**
     * The Clusters dialog's choice: remembered for next time, then the running sources are closed and started again
     * on exactly these contexts (the demo world alone when none). The audit log stays the same file.
     */
    private void switchContexts(Stage stage, Scene scene, List<String> contexts) {
        sessionPick = List.copyOf(contexts);
        Theme theme = main == null ? Theme.DARK : main.viewModel().themeProperty().get();
        boolean presenter = main != null && main.viewModel().presenterProperty().get();
        if (main != null) {
            main.dispose();
            main = null;
        }
        Label waiting = new Label("Switching to " + (contexts.isEmpty() ? "the demo world"
                : String.join(", ", contexts)) + "…");
        waiting.setId("startupMessage");
        VBox pane = new VBox(16, new ProgressIndicator(), waiting);
        pane.setAlignment(Pos.CENTER);
        pane.setPadding(new Insets(32));
        scene.setRoot(pane);
        Themes.apply(scene, theme, presenter);
        ConsoleRuntime old = runtime;
        runtime = null;
        Thread closer = new Thread(() -> {
            try {
                WatchedContexts.save(WatchedContexts.file(System.getenv()), contexts);
            } catch (java.io.IOException e) {
                LOG.warn("could not remember the picked contexts: {}", e.getMessage());
            }
            if (old != null) {
                old.close();
            }
            Platform.runLater(() -> startRuntime(stage, scene, pane, waiting, theme, presenter));
        }, "switch-contexts");
        closer.setDaemon(true);
        closer.start();
    }

    /** Which contexts to watch and who chose them, strongest first. */
    record ChosenContexts(List<String> contexts, String source) {
    }

    static ChosenContexts chooseContexts(AppOptions opts, AppConfig config, Optional<List<String>> remembered,
                                         List<String> sessionPick) {
        if (sessionPick != null) {
            return new ChosenContexts(sessionPick, "your pick in this window");
        }
        if (!opts.contexts().isEmpty()) {
            return new ChosenContexts(opts.contexts(), "--context on the command line");
        }
        if (remembered.isPresent()) {
            return new ChosenContexts(remembered.get(), "your last pick in the Clusters dialog");
        }
        return new ChosenContexts(config.kubernetes().contexts(), "the config file (kubernetes.contexts)");
    }

    static ConsoleRuntime.Plan plan(AppOptions opts, Path auditDb) {
        return plan(opts, auditDb, null);
    }

    /**
     * A pick in this window, then --context, then the last pick (remembered), then the config file; the demo runs
     * when asked for or when no cluster is chosen.
     */
    static ConsoleRuntime.Plan plan(AppOptions opts, Path auditDb, List<String> sessionPick) {
        return plan(opts, auditDb, sessionPick, System.getenv());
    }

    /** The plan for this environment ({@code env}: where the config file, the home directory and the last pick are). */
    static ConsoleRuntime.Plan plan(AppOptions opts, Path auditDb, List<String> sessionPick, Map<String, String> env) {
        Path configFile = opts.config().orElse(AppPaths.configDir(env).resolve("config.yaml"));
        AppConfig config = AppConfig.load(configFile);
        List<String> contexts = chooseContexts(opts, config,
                WatchedContexts.load(WatchedContexts.file(env)), sessionPick).contexts();
        boolean demo = config.demoEnabled(opts.demo(), contexts);
        KubeContexts kubeconfig = contexts.isEmpty() ? null : KubeContexts.load();
        FlagsConfig flags = config.flags();
        Path configDir = configFile.toAbsolutePath().getParent();
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        ConsoleRuntime.FlagsPlan flagsPlan = new ConsoleRuntime.FlagsPlan(flags.registryPath(configDir, home),
                flags.syncIntervalValue(), ConsoleRuntime.FlagsPlan.NONE.registryPoll(), flags.providers(), configDir,
                home);
        return new ConsoleRuntime.Plan(demo, opts.seed(), opts.speed(), Instant.now(), true, kubeconfig, contexts,
                opts.readOnly() || config.kubernetes().readOnly(), config.kubernetes().environments(),
                config.kubernetes().namespaces(), loadtester(config.kubernetes().flaggerLoadtester()), auditDb,
                config.prometheus(configDir), flagsPlan, config.analysis().judgeConfig());
    }

    private static LoadtesterRef loadtester(AppConfig.Loadtester l) {
        return l == null ? null : new LoadtesterRef(l.namespace(), l.service(), l.port());
    }

    private void showConsole(Stage stage, Scene scene, ConsoleRuntime rt, Theme theme, boolean presenter,
                             ConsoleRuntime.Plan plan, String source) {
        main = new MainView(rt.services());
        main.viewModel().themeProperty().set(theme);
        main.viewModel().presenterProperty().set(presenter);
        main.setContextSelection(new KubeconfigSelection(KubeContexts::load, plan.contexts(), source,
                contexts -> switchContexts(stage, scene, contexts)));
        scene.setRoot(main);
        Themes.apply(scene, theme, presenter);
        stage.setTitle(rt.services().simulation().isPresent() ? "Release Console — demo world (simulated)"
                : "Release Console");
        Runnable[] once = new Runnable[1];
        once[0] = () -> {
            scene.removePostLayoutPulseListener(once[0]);
            LOG.info("startup: rollouts on screen {} ms after JVM start ({} rollouts, audit log {})",
                    sinceJvmStart(), rt.services().state().rollouts().size(),
                    options.auditDb().orElse(AppPaths.defaultAuditDb(System.getenv())));
        };
        scene.addPostLayoutPulseListener(once[0]);
    }

    @Override
    public void stop() {
        if (main != null) {
            main.dispose(); // stops the charts' polling and cancels queries in flight
        }
        ConsoleRuntime rt = runtime;
        if (rt != null) {
            rt.close();
        }
    }

    private static long sinceJvmStart() {
        return System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
    }
}
