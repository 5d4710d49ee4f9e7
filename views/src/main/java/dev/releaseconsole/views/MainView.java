package dev.releaseconsole.views;

import atlantafx.base.controls.CustomTextField;
import dev.releaseconsole.services.ConsoleServices;
import dev.releaseconsole.services.model.ConnectionState;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.views.audit.AuditWindow;
import dev.releaseconsole.views.clusters.ContextPickerDialog;
import dev.releaseconsole.views.clusters.ContextSelection;
import dev.releaseconsole.views.common.Fxml;
import dev.releaseconsole.views.common.Icons;
import dev.releaseconsole.views.detail.RolloutDetailView;
import dev.releaseconsole.views.flags.FlagDebtWindow;
import dev.releaseconsole.views.common.StatusBadge;
import dev.releaseconsole.views.common.TaskRunner;
import dev.releaseconsole.views.common.Theme;
import dev.releaseconsole.views.common.Themes;
import dev.releaseconsole.views.killswitch.KillSwitchDialog;
import dev.releaseconsole.views.rollouts.ClusterTree;
import dev.releaseconsole.views.rollouts.RolloutTable;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.binding.Bindings;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.ObservableValue;
import javafx.beans.value.WeakChangeListener;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ContentDisplay;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.util.Duration;
import javafx.util.StringConverter;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.util.function.Consumer;

/**
 * The main window: toolbar, cluster tree, rollout table, the rollout detail below it, and the status bar.
 * {@code new MainView(services)} is the scene's root; the view applies the theme to its scene itself (dark by
 * default) and installs the global keyboard shortcuts when it is put into a scene.
 *
 * <p>Shortcuts: Ctrl+F search, Ctrl+Shift+A attention filter, Ctrl+L audit log, Ctrl+K kill switch (the selected
 * rollout's, or the on-call list), Ctrl+Shift+K the on-call kill switch, Ctrl+D flag debt, Ctrl+Shift+C clusters,
 * Ctrl+T theme, F11 or Ctrl+P presenter mode (Ctrl is Cmd on macOS).
 */
public final class MainView extends BorderPane {
    /** Below this width (normal type) the toolbar gets compact; in presenter mode it always is. */
    static final double COMPACT_TOOLBAR_BELOW = 1300;
    /** Below this width (normal type) the title shows its icon only (the window title still names the app). */
    static final double TITLE_ICON_ONLY_BELOW = 1150;
    /** Below this width (normal type) the attention filter shows its count only. */
    static final double TIGHT_TOOLBAR_BELOW = 1000;
    /** Below this width (normal type) the flag-debt button shows its icon only. */
    static final double FLAG_DEBT_WORD_BELOW = 1560;
    /** Presenter mode's type size over the normal one (presenter.css: 20 px over 14 px). */
    private static final double PRESENTER_TYPE_SCALE = 20 / 14.0;

    @FXML private HBox toolbar;
    @FXML private Label titleLabel;
    @FXML private Label demoBadge;
    @FXML private CustomTextField searchField;
    @FXML private ToggleButton attentionToggle;
    @FXML private HBox speedBox;
    @FXML private Label speedLabel;
    @FXML private ChoiceBox<Integer> speedChoice;
    @FXML private ToggleButton themeToggle;
    @FXML private ToggleButton presenterToggle;
    @FXML private Button auditButton;
    @FXML private Button flagDebtButton;
    @FXML private Button killSwitchButton;
    @FXML private SplitPane mainSplit;
    @FXML private ClusterTree clusterTree;
    @FXML private RolloutTable rolloutTable;
    @FXML private StackPane detailHolder;
    @FXML private HBox statusBar;
    @FXML private Label connectionLabel;
    @FXML private Label countsLabel;
    @FXML private Label lastUpdateLabel;
    @FXML private Label lastActionLabel;

    private final MainViewModel viewModel;
    private final DetailSlot detail;
    private final Timeline ageTicker;
    private final BooleanProperty tightToolbar = new SimpleBooleanProperty(this, "tightToolbar", false);
    /** Follow Themes.apply calls made by others on this view's scene (held here: the listeners are weak). */
    private final ChangeListener<Theme> themeFollower = (o, was, now) -> {
        if (getScene() != null && getScene().getRoot() == this) {
            viewModel().themeProperty().set(now);
        }
    };
    private ContextSelection contextSelection;
    private final ChangeListener<Boolean> presenterFollower = (o, was, now) -> {
        if (getScene() != null && getScene().getRoot() == this) {
            viewModel().presenterProperty().set(now);
        }
    };

    /** The main window for these services, dark theme. */
    public MainView(ConsoleServices services) {
        this(new MainViewModel(services));
    }

    public MainView(MainViewModel viewModel) {
        this.viewModel = viewModel;
        Fxml.loadInto(this, "MainView.fxml");
        this.detail = createDetail(viewModel.services(), viewModel.runner());
        detailHolder.getChildren().setAll(detail.node());
        wire();
        viewModel.start();
        ageTicker = new Timeline(new KeyFrame(Duration.seconds(1), e -> viewModel.table().refreshAges()));
        ageTicker.setCycleCount(Timeline.INDEFINITE);
        ageTicker.play();
        sceneProperty().addListener((o, was, now) -> {
            if (now != null) {
                installOnScene(now);
            }
        });
    }

    /** The rollout detail below the table; it runs its service calls with the shell's task runner. */
    static DetailSlot createDetail(ConsoleServices services, TaskRunner runner) {
        RolloutDetailView d = new RolloutDetailView(services, runner);
        return new DetailSlot(d, d::show, d::clear);
    }

    private void wire() {
        MainViewModel vm = viewModel;
        titleLabel.setGraphic(Icons.icon(Feather.ACTIVITY, 20));
        // Everything on the toolbar keeps its size except the title and the search field, which give way first:
        // the kill switch must never be pushed off the edge.
        for (Node n : toolbar.getChildren()) {
            if (n instanceof Region r && n != titleLabel && n != searchField && n.getClass() != Region.class) {
                r.setMinWidth(Region.USE_PREF_SIZE);
            }
        }
        titleLabel.setMinWidth(24);
        titleLabel.setTooltip(new Tooltip("Release Console"));
        searchField.setMinWidth(120);
        speedLabel.setGraphic(new FontIcon(Feather.FAST_FORWARD));
        speedLabel.setContentDisplay(ContentDisplay.GRAPHIC_ONLY);
        speedLabel.setTooltip(new Tooltip("Demo speed"));

        // demo badge and speed only in the demo world
        demoBadge.setGraphic(new FontIcon(Feather.PLAY_CIRCLE));
        demoBadge.setText(vm.demoBadgeText());
        demoBadge.setTooltip(new Tooltip(vm.services().simulation()
                .map(s -> "Simulated clusters, traffic, metrics and flags (seed " + s.seed() + "). Nothing real is touched.")
                .orElse("")));
        boolean demo = vm.isDemo();
        for (Node n : new Node[]{demoBadge, speedBox}) {
            n.setVisible(demo);
            n.setManaged(demo);
        }
        speedChoice.getItems().setAll(MainViewModel.SPEEDS);
        speedChoice.setConverter(new StringConverter<>() {
            @Override
            public String toString(Integer s) {
                return MainViewModel.speedLabel(s);
            }

            @Override
            public Integer fromString(String s) {
                return Integer.valueOf(s.replace("x", "").trim());
            }
        });
        speedChoice.setValue(vm.speedProperty().get());
        speedChoice.valueProperty().addListener((o, was, now) -> {
            if (now != null && now != vm.speedProperty().get()) {
                vm.speedProperty().set(now);
            }
        });
        vm.speedProperty().addListener((o, was, now) -> speedChoice.setValue(now.intValue()));
        speedChoice.setTooltip(new Tooltip("How fast the simulated world runs"));

        // search
        searchField.setLeft(new FontIcon(Feather.SEARCH));
        searchField.textProperty().bindBidirectional(vm.searchTextProperty());
        searchField.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ESCAPE) {
                searchField.clear();
                rolloutTable.requestFocus();
            } else if (e.getCode() == KeyCode.DOWN || e.getCode() == KeyCode.ENTER) {
                rolloutTable.requestFocus();
                if (rolloutTable.getSelectionModel().isEmpty() && !rolloutTable.getItems().isEmpty()) {
                    rolloutTable.getSelectionModel().selectFirst();
                }
            }
        });

        // attention filter with count
        attentionToggle.setGraphic(new FontIcon(Feather.ALERT_TRIANGLE));
        // on a tight toolbar the count alone (the icon and the tooltip say what it counts)
        attentionToggle.textProperty().bind(Bindings.when(tightToolbar)
                .then(vm.table().attentionProperty().asString()).otherwise(vm.attentionButtonTextProperty()));
        attentionToggle.selectedProperty().bindBidirectional(vm.attentionOnlyProperty());
        attentionToggle.setTooltip(new Tooltip("Show only rollouts that need a human (Ctrl+Shift+A)"));
        vm.table().attentionProperty().addListener((o, was, now) -> markAttention(now.intValue()));
        markAttention(vm.table().attentionProperty().get());

        // theme and presenter
        themeToggle.setSelected(vm.themeProperty().get() == Theme.DARK);
        themeToggle.selectedProperty().addListener((o, was, now) -> vm.themeProperty().set(now ? Theme.DARK
                : Theme.LIGHT));
        vm.themeProperty().addListener((o, was, now) -> {
            themeToggle.setSelected(now == Theme.DARK);
            updateThemeToggle();
            applyTheme();
        });
        updateThemeToggle();
        presenterToggle.setGraphic(new FontIcon(Feather.MONITOR));
        presenterToggle.setContentDisplay(ContentDisplay.GRAPHIC_ONLY);
        themeToggle.setContentDisplay(ContentDisplay.GRAPHIC_ONLY);
        presenterToggle.selectedProperty().bindBidirectional(vm.presenterProperty());
        presenterToggle.setTooltip(new Tooltip("Presenter mode: large type, high contrast (F11 or Ctrl+P)"));
        Themes.themeProperty().addListener(new WeakChangeListener<>(themeFollower));
        Themes.presenterProperty().addListener(new WeakChangeListener<>(presenterFollower));
        vm.presenterProperty().addListener((o, was, now) -> {
            applyTheme();
            rolloutTable.setScale(now ? 1.4 : 1.0);
            compactToolbar();
            clusterTree.applyCss();
            fitTree(); // the tree's width is in em: follow the type size
        });
        rolloutTable.setScale(vm.presenterProperty().get() ? 1.4 : 1.0);
        widthProperty().addListener((o, was, now) -> compactToolbar());
        compactToolbar();

        // audit and kill switch
        auditButton.setGraphic(new FontIcon(Feather.FILE_TEXT));
        auditButton.setTooltip(new Tooltip("Every action, who did it and how it ended (Ctrl+L)"));
        auditButton.setOnAction(e -> openAuditLog());
        flagDebtButton.setGraphic(new FontIcon(Feather.ARCHIVE));
        flagDebtButton.setTooltip(new Tooltip("Flags that are expired, too old, at 100% too long, without an owner or"
                + " missing from the registry (Ctrl+D)"));
        flagDebtButton.setOnAction(e -> openFlagDebt());
        killSwitchButton.setGraphic(new FontIcon(Feather.POWER));
        killSwitchButton.setTooltip(new Tooltip("Turn off the linked flags and abort the rollouts, at once (Ctrl+K)"));
        killSwitchButton.setOnAction(e -> openKillSwitch());

        // tree and table; the tree starts at its preferred width (it keeps its width when the window is resized)
        mainSplit.widthProperty().addListener(new ChangeListener<Number>() {
            @Override
            public void changed(ObservableValue<? extends Number> o, Number was, Number now) {
                if (now.doubleValue() > 0) {
                    mainSplit.widthProperty().removeListener(this);
                    fitTree();
                }
            }
        });
        clusterTree.bind(vm.tree(), vm.table().scopeProperty());
        rolloutTable.bind(vm.table(), vm.selectedRolloutProperty());
        vm.selectedRolloutProperty().addListener((o, was, now) -> showDetail(now));

        // status bar
        connectionLabel.textProperty().bind(vm.connectionSummaryProperty());
        connectionLabel.setGraphic(new FontIcon(Feather.WIFI));
        vm.connectionProblemProperty().addListener((o, was, now) -> markConnection(now));
        markConnection(vm.connectionProblemProperty().get());
        countsLabel.textProperty().bind(vm.countsTextProperty());
        countsLabel.setGraphic(new FontIcon(Feather.LIST));
        lastUpdateLabel.textProperty().bind(vm.lastUpdateProperty());
        lastUpdateLabel.setGraphic(new FontIcon(Feather.CLOCK));
        lastActionLabel.textProperty().bind(vm.lastActionProperty());
        FontIcon zap = new FontIcon(Feather.ZAP);
        lastActionLabel.setGraphic(null);
        vm.lastActionProperty().addListener((o, was, now) -> lastActionLabel.setGraphic(
                now == null || now.isEmpty() ? null : zap));
    }

    /** Gives the cluster tree its preferred width (at most a quarter of the window). */
    private void fitTree() {
        double w = mainSplit.getWidth();
        if (w > 0) {
            mainSplit.setDividerPositions(Math.min(0.25, clusterTree.prefWidth(-1) / w));
        }
    }

    /**
     * Keeps the toolbar on one line in presenter mode and on a narrow window: a shorter badge and an icon-only audit
     * button (their words stay in the tooltips), so the kill switch is never pushed off the edge.
     */
    private void compactToolbar() {
        double scale = viewModel.presenterProperty().get() ? PRESENTER_TYPE_SCALE : 1;
        boolean compact = viewModel.presenterProperty().get() || (getWidth() > 0 && getWidth() < COMPACT_TOOLBAR_BELOW);
        tightToolbar.set(getWidth() > 0 && getWidth() < TIGHT_TOOLBAR_BELOW * scale);
        demoBadge.setText(compact ? "DEMO" : viewModel.demoBadgeText());
        auditButton.setContentDisplay(compact ? ContentDisplay.GRAPHIC_ONLY : ContentDisplay.LEFT);
        // the flag debt gives its word up first: the title and the kill switch matter more
        flagDebtButton.setContentDisplay(compact || (getWidth() > 0 && getWidth() < FLAG_DEBT_WORD_BELOW * scale)
                ? ContentDisplay.GRAPHIC_ONLY : ContentDisplay.LEFT);
        // rather the icon alone than "Rel…" when even the compact toolbar is tight
        titleLabel.setContentDisplay(getWidth() > 0 && getWidth() < TITLE_ICON_ONLY_BELOW * scale
                ? ContentDisplay.GRAPHIC_ONLY : ContentDisplay.LEFT);
    }

    private void markAttention(int n) {
        attentionToggle.getStyleClass().remove("rc-has-attention");
        if (n > 0) {
            attentionToggle.getStyleClass().add("rc-has-attention");
        }
    }

    private void markConnection(boolean problem) {
        StatusBadge b = StatusBadge.forConnection(problem ? ConnectionState.DISCONNECTED : ConnectionState.CONNECTED);
        connectionLabel.setGraphic(Icons.icon(b));
    }

    private void updateThemeToggle() {
        boolean dark = viewModel.themeProperty().get() == Theme.DARK;
        themeToggle.setText(dark ? "Dark" : "Light");
        themeToggle.setGraphic(new FontIcon(dark ? Feather.MOON : Feather.SUN));
        themeToggle.setTooltip(new Tooltip("Switch to the " + (dark ? "light" : "dark") + " theme (Ctrl+T)"));
    }

    private void applyTheme() {
        Scene scene = getScene();
        if (scene != null && scene.getRoot() == this) {
            Themes.apply(scene, viewModel.themeProperty().get(), viewModel.presenterProperty().get());
        }
    }

    private void installOnScene(Scene scene) {
        // Adopt what the application already applied (app/ may call Themes.apply before or after this view).
        if (Themes.applied()) {
            viewModel.themeProperty().set(Themes.current());
            viewModel.presenterProperty().set(Themes.presenter());
        }
        applyTheme();
        var acc = scene.getAccelerators();
        acc.put(new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN), this::focusSearch);
        acc.put(new KeyCodeCombination(KeyCode.A, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN),
                viewModel::toggleAttention);
        acc.put(new KeyCodeCombination(KeyCode.L, KeyCombination.SHORTCUT_DOWN), this::openAuditLog);
        acc.put(new KeyCodeCombination(KeyCode.K, KeyCombination.SHORTCUT_DOWN), this::openKillSwitch);
        acc.put(new KeyCodeCombination(KeyCode.K, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN),
                this::openOnCallKillSwitch);
        acc.put(new KeyCodeCombination(KeyCode.D, KeyCombination.SHORTCUT_DOWN), this::openFlagDebt);
        acc.put(new KeyCodeCombination(KeyCode.C, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN),
                this::openContextPicker);
        acc.put(new KeyCodeCombination(KeyCode.T, KeyCombination.SHORTCUT_DOWN), viewModel::toggleTheme);
        acc.put(new KeyCodeCombination(KeyCode.F11), viewModel::togglePresenter);
        acc.put(new KeyCodeCombination(KeyCode.P, KeyCombination.SHORTCUT_DOWN), viewModel::togglePresenter);
    }

    private void showDetail(RolloutRef ref) {
        if (ref == null) {
            detail.clear().run();
        } else {
            detail.show().accept(ref);
        }
    }

    /** Focuses the search field and selects its text (Ctrl+F). */
    public void focusSearch() {
        searchField.requestFocus();
        searchField.selectAll();
    }

    /** Opens (or brings to front) the audit log window (Ctrl+L). */
    public void openAuditLog() {
        AuditWindow.show(getScene() == null ? null : getScene().getWindow(), viewModel.services(),
                viewModel.runner());
    }

    /**
     * Opens the kill switch (Ctrl+K): planned for the selected rollout, or the on-call list of kill-switch flags and
     * rollouts with linked flags when none is selected.
     */
    public void openKillSwitch() {
        KillSwitchDialog.open(getScene() == null ? null : getScene().getWindow(), viewModel.services(),
                viewModel.runner(), viewModel.selectedRolloutProperty().get(), viewModel::reportResult);
    }

    /** Opens (or brings to front) the on-call kill switch, whatever is selected (Ctrl+Shift+K). */
    public void openOnCallKillSwitch() {
        KillSwitchDialog.openOnCall(getScene() == null ? null : getScene().getWindow(), viewModel.services(),
                viewModel.runner(), viewModel::reportResult);
    }

    /** Opens (or brings to front) the flag-debt window (Ctrl+D). */
    public void openFlagDebt() {
        FlagDebtWindow.show(getScene() == null ? null : getScene().getWindow(), viewModel.services(),
                viewModel.runner());
    }

    /**
     * Offers the cluster picker (toolbar "Clusters", Ctrl+Shift+C): the app passes how contexts are listed and
     * switched. Without it (tests, demo-only embeddings) there is no picker.
     */
    public void setContextSelection(ContextSelection selection) {
        contextSelection = selection;
        if (selection != null && lookup("#clustersButton") == null) {
            Button clusters = new Button("Clusters", new FontIcon(Feather.SERVER));
            clusters.setId("clustersButton");
            clusters.setMinWidth(Region.USE_PREF_SIZE);
            clusters.setTooltip(new Tooltip("Choose the kubeconfig contexts to watch (Ctrl+Shift+C)"));
            clusters.setOnAction(e -> openContextPicker());
            toolbar.getChildren().add(toolbar.getChildren().indexOf(auditButton), clusters);
        }
    }

    /** The cluster picker, when the app offers one. */
    public void openContextPicker() {
        if (contextSelection != null) {
            ContextPickerDialog.open(getScene() == null ? null : getScene().getWindow(), contextSelection,
                    viewModel.runner());
        }
    }

    public MainViewModel viewModel() {
        return viewModel;
    }

    /** Stops listening to the services (when the window closes). */
    public void dispose() {
        ageTicker.stop();
        detail.clear().run(); // stops the charts' polling and cancels its queries in flight
        viewModel.close();
    }

    /** The rollout detail as the shell sees it: a node, and what to do on selection and deselection. */
    public record DetailSlot(Node node, Consumer<RolloutRef> show, Runnable clear) {
    }
}
