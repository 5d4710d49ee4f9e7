package dev.releaseconsole.views.detail;

import dev.releaseconsole.services.ConsoleServices;
import dev.releaseconsole.services.analysis.CanaryVerdict;
import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.views.common.TaskRunner;
import dev.releaseconsole.views.fx.FxThrottle;
import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextInputControl;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.util.Duration;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.net.URL;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * The detail of one rollout: header (name, where, strategy, status, message, why it needs attention, weights,
 * replicas, revisions), the live canary verdict, the action bar, and tabs for canary-vs-baseline charts, the steps
 * timeline, analysis runs and revisions. Embed it and call {@link #show} on selection, {@link #clear} on deselection.
 *
 * <p>Threads: store listeners (rollouts, verdicts) only offer into an {@link FxThrottle} (one FX batch per 150 ms);
 * metrics are fetched
 * and decimated by a background poller (1 s) whose batches reach the FX thread through an {@link FxThrottle} too
 * (the newest wins); availability of actions and the actions themselves run through the injected
 * {@link TaskRunner}. The FX thread only applies prepared data, plus a one-second ticker that recomputes "time in
 * step" and "time left" from the held rollout and the cluster clock.
 */
public final class RolloutDetailView extends BorderPane {
    private static final String STYLESHEET = "/dev/releaseconsole/styles/detail.css";
    private static final String CHARTS = "charts";

    private final ConsoleServices services;
    private final RolloutDetailViewModel vm = new RolloutDetailViewModel();
    private final VerdictViewModel verdictVm = new VerdictViewModel();
    private final FxThrottle<RolloutRef, Optional<CanaryVerdict>> verdictThrottle;
    private final ActionBar actionBar;
    private final ChartsPane charts;
    private final AnalysisPane analysis;
    private final TemplatesPane templates;
    private final TabPane tabs = new TabPane();
    private final Label placeholder = new Label("Select a rollout to see its steps, analysis and charts.");
    private final FxThrottle<RolloutRef, Optional<Rollout>> throttle;
    private final MetricsPoller poller;
    private final FxThrottle<String, ChartFrame.Batch> chartsThrottle;
    private final Timeline ticker;
    private volatile RolloutRef current;

    /** The detail for these services; availability checks and actions run with {@code runner}. */
    public RolloutDetailView(ConsoleServices services, TaskRunner runner) {
        this.services = services;
        setId("rolloutDetail");
        getStyleClass().add("rollout-detail");
        URL css = RolloutDetailView.class.getResource(STYLESHEET);
        if (css != null) {
            getStylesheets().add(css.toExternalForm());
        }

        actionBar = new ActionBar(services, runner);
        DetailHeader header = new DetailHeader(vm);
        VerdictPane verdict = new VerdictPane(verdictVm);
        VBox top = new VBox(6, header, verdict, actionBar);
        top.getStyleClass().add("detail-top");
        top.visibleProperty().bind(vm.presentProperty());
        top.managedProperty().bind(top.visibleProperty());
        setTop(top);

        charts = new ChartsPane(this::rangeChanged);
        analysis = new AnalysisPane(vm, actionBar);
        Tab chartsTab = tab("Charts", Feather.TRENDING_UP, charts, "chartsTab");
        Tab stepsTab = tab("Steps", Feather.LIST, new StepsPane(vm), "stepsTab");
        Tab analysisTab = tab("Analysis", Feather.BAR_CHART_2, analysis, "analysisTab");
        Tab revisionsTab = tab("Revisions", Feather.PACKAGE, new RevisionsPane(vm, actionBar), "revisionsTab");
        templates = new TemplatesPane(services.templates(), runner);
        Tab queriesTab = tab("Queries", Feather.CODE, templates, "queriesTab");
        queriesTab.selectedProperty().addListener((o, was, now) -> templates.setShowing(now));
        tabs.getTabs().addAll(chartsTab, stepsTab, analysisTab, revisionsTab, queriesTab);
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        tabs.setId("detailTabs");
        tabs.getStyleClass().add("detail-tabs");
        tabs.visibleProperty().bind(vm.presentProperty());
        placeholder.getStyleClass().add("detail-placeholder");
        placeholder.setGraphic(new FontIcon(Feather.MOUSE_POINTER));
        placeholder.visibleProperty().bind(vm.presentProperty().not());
        setCenter(new StackPane(tabs, placeholder));

        throttle = new FxThrottle<>(150, this::applyUpdates);
        services.state().rollouts().addListener((upserted, removed) -> {
            RolloutRef cur = current;
            if (cur == null) {
                return;
            }
            for (Rollout r : upserted) {
                if (r.ref().equals(cur)) {
                    throttle.offer(cur, Optional.of(r));
                }
            }
            for (RolloutRef k : removed) {
                if (k.equals(cur)) {
                    throttle.offer(cur, Optional.empty());
                }
            }
        });

        verdictThrottle = new FxThrottle<>(150, this::applyVerdicts);
        services.state().verdicts().addListener((upserted, removed) -> {
            RolloutRef cur = current;
            if (cur == null) {
                return;
            }
            for (CanaryVerdict v : upserted) {
                if (v.rollout().equals(cur)) {
                    verdictThrottle.offer(cur, Optional.of(v));
                }
            }
            if (removed.contains(cur)) {
                verdictThrottle.offer(cur, Optional.empty());
            }
        });

        chartsThrottle = new FxThrottle<>(150, batch -> applyCharts(batch.get(CHARTS)));
        poller = new MetricsPoller(services.metrics(), services.state(),
                cluster -> services.clockFor(cluster), this::chartsReady);
        charts.setOnColumns(poller::setColumns);

        ticker = new Timeline(new KeyFrame(Duration.seconds(1), e -> tick()));
        ticker.setCycleCount(Animation.INDEFINITE);

        // short space (about 37 lines of type: 520 px at 14 px, more in presenter mode): the header gets compact
        javafx.beans.InvalidationListener compact = o -> {
            boolean small = getHeight() < 37 * header.baseFont().getValue().getSize();
            header.setCompact(small);
            verdict.setCompact(small);
        };
        heightProperty().addListener(compact);
        header.baseFont().addListener(compact);
        addEventHandler(KeyEvent.KEY_PRESSED, this::onKey);
        addEventFilter(MouseEvent.MOUSE_PRESSED, e -> {
            // Keep keyboard focus inside the detail after a click on a chart or label, so its shortcuts apply.
            if (getScene() != null && !isInside(getScene().getFocusOwner())) {
                requestFocus();
            }
        });
    }

    /** Shows {@code ref}: its last reported state at once, then live updates; stops polling the previous one. */
    public void show(RolloutRef ref) {
        if (ref == null) {
            clear();
            return;
        }
        boolean same = ref.equals(current);
        current = ref;
        if (!same) {
            vm.clear();
            analysis.reset();
            charts.reset("Loading metrics…");
            poller.start(ref);
            templates.setRollout(ref);
        }
        Optional<Rollout> r = services.state().rollouts().get(ref);
        if (r.isPresent()) {
            vm.setRollout(r.get(), now());
        } else {
            vm.setRollout(Rollout.builder(ref, dev.releaseconsole.services.model.Strategy.CANARY)
                    .phase("Unknown", "not reported by its cluster yet").build(), now());
            vm.markGone();
        }
        verdictVm.setVerdict(services.state().verdicts().get(ref).orElse(null));
        actionBar.setRollout(ref);
        ticker.play();
    }

    /** Shows nothing; stops polling and ticking. */
    public void clear() {
        current = null;
        poller.stop();
        ticker.stop();
        vm.clear();
        verdictVm.clear();
        analysis.reset();
        charts.reset("No rollout selected");
        templates.setRollout(null);
        actionBar.setRollout(null);
    }

    /** The view is gone for good (the window closed): stops polling and its thread; in-flight queries are cancelled. */
    public void dispose() {
        clear();
        poller.close();
    }

    private Tab tab(String title, Feather icon, Node content, String id) {
        Tab t = new Tab(title, content);
        t.setId(id);
        t.setGraphic(new FontIcon(icon));
        return t;
    }

    private void applyUpdates(Map<RolloutRef, Optional<Rollout>> batch) {
        RolloutRef cur = current;
        if (cur == null) {
            return;
        }
        Optional<Rollout> r = batch.get(cur);
        if (r == null) {
            return;
        }
        if (r.isPresent()) {
            vm.setRollout(r.get(), now());
        } else {
            vm.markGone();
        }
        actionBar.refreshAvailability();
    }

    private void applyVerdicts(Map<RolloutRef, Optional<CanaryVerdict>> batch) {
        RolloutRef cur = current;
        Optional<CanaryVerdict> v = cur == null ? null : batch.get(cur);
        if (v != null) {
            verdictVm.setVerdict(v.orElse(null));
        }
    }

    /** Called on the poller thread: the throttle keeps only the newest batch for the next FX update. */
    private void chartsReady(ChartFrame.Batch batch) {
        chartsThrottle.offer(CHARTS, batch);
    }

    /** FX thread: applies a batch unless it belongs to a rollout no longer shown. */
    private void applyCharts(ChartFrame.Batch b) {
        if (b != null && b.session() == poller.sessionId()) {
            charts.apply(b);
            vm.setEvents(b.events(), now());
        }
    }

    private void rangeChanged(ChartRange r) {
        poller.setRange(r);
    }

    private void tick() {
        if (current != null) {
            vm.tick(now());
        }
    }

    private java.time.Instant now() {
        RolloutRef ref = current;
        Clock c = ref == null ? Clock.systemUTC() : services.clockFor(ref.cluster());
        return c.instant();
    }

    private void onKey(KeyEvent e) {
        if (e.getTarget() instanceof TextInputControl || e.isConsumed()) {
            return; // never steal letters from a text field
        }
        if (actionBar.handleShortcut(e)) {
            e.consume();
        }
    }

    private boolean isInside(Node n) {
        while (n != null) {
            if (n == this) {
                return true;
            }
            n = n.getParent();
        }
        return false;
    }

    // Package-private hooks for tests in this package.
    RolloutDetailViewModel viewModel() {
        return vm;
    }

    VerdictViewModel verdictViewModel() {
        return verdictVm;
    }

    ActionBar actionBar() {
        return actionBar;
    }

    MetricsPoller poller() {
        return poller;
    }

    ChartsPane chartsPane() {
        return charts;
    }

    TemplatesPane templatesPane() {
        return templates;
    }
}
