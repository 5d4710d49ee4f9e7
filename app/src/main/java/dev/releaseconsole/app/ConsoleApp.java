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

/**
 * The window. It is up at once with a "starting" pane; the audit log and the demo world start on a background
 * thread, and the main view replaces the pane when they are ready. Nothing slow runs on the FX thread.
 */
public final class ConsoleApp extends Application {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleApp.class);

    /** Set by {@link Main} before launch; JavaFX instantiates this class itself. */
    static volatile AppOptions options = AppOptions.parse(java.util.List.of());

    private volatile ConsoleRuntime runtime;

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

        Path auditDb = opts.auditDb().orElse(AppPaths.defaultAuditDb(System.getenv()));
        Thread starter = new Thread(() -> {
            try {
                ConsoleRuntime rt = ConsoleRuntime.start(plan(opts, auditDb));
                runtime = rt;
                Platform.runLater(() -> showConsole(stage, scene, rt, theme, opts.presenter()));
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

    /** Options win over the config file; the demo runs when asked for or when no cluster is configured. */
    static ConsoleRuntime.Plan plan(AppOptions opts, Path auditDb) {
        AppConfig config = AppConfig.load(opts.config().orElse(AppPaths.configDir(System.getenv()).resolve("config.yaml")));
        List<String> contexts = opts.contexts().isEmpty() ? config.kubernetes().contexts() : opts.contexts();
        boolean demo = config.demoEnabled(opts.demo(), contexts);
        KubeContexts kubeconfig = contexts.isEmpty() ? null : KubeContexts.load();
        return new ConsoleRuntime.Plan(demo, opts.seed(), opts.speed(), Instant.now(), true, kubeconfig, contexts,
                opts.readOnly() || config.kubernetes().readOnly(), config.kubernetes().environments(),
                config.kubernetes().namespaces(), loadtester(config.kubernetes().flaggerLoadtester()), auditDb,
                config.analysis().judgeConfig());
    }

    private static LoadtesterRef loadtester(AppConfig.Loadtester l) {
        return l == null ? null : new LoadtesterRef(l.namespace(), l.service(), l.port());
    }

    private void showConsole(Stage stage, Scene scene, ConsoleRuntime rt, Theme theme, boolean presenter) {
        MainView main = new MainView(rt.services());
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
        ConsoleRuntime rt = runtime;
        if (rt != null) {
            rt.close();
        }
    }

    private static long sinceJvmStart() {
        return System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
    }
}
