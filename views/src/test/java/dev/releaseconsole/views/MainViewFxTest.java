package dev.releaseconsole.views;

import dev.releaseconsole.services.actions.ActionType;
import dev.releaseconsole.services.model.Rollout;
import dev.releaseconsole.views.audit.AuditWindow;
import dev.releaseconsole.views.common.StatusBadge;
import dev.releaseconsole.views.common.TaskRunner;
import dev.releaseconsole.views.common.Theme;
import dev.releaseconsole.views.common.Themes;
import dev.releaseconsole.views.rollouts.RolloutRow;
import dev.releaseconsole.views.rollouts.Scope;
import dev.releaseconsole.views.testing.DemoServices;
import dev.releaseconsole.views.testing.FxWindows;
import dev.releaseconsole.views.testing.Snapshots;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.input.KeyCode;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static dev.releaseconsole.views.testing.DemoServices.CART_SERVICE;
import static dev.releaseconsole.views.testing.DemoServices.CHECKOUT_API;
import static dev.releaseconsole.views.testing.DemoServices.CHECKOUT_WEB;
import static dev.releaseconsole.views.testing.DemoServices.SEARCH_INDEXER;
import static org.assertj.core.api.Assertions.assertThat;

/** The main window on the demo world (runner stopped; the test moves simulated time; service calls run directly). */
@ExtendWith(ApplicationExtension.class)
class MainViewFxTest {
    @TempDir
    static Path dir;
    private DemoServices demo;
    private MainView view;
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        demo = new DemoServices(dir);
        view = new MainView(new MainViewModel(demo.services, TaskRunner.DIRECT, Clock.systemDefaultZone()));
        FxWindows.show(stage, view, 1280, 800);
    }

    @AfterEach
    void tearDown(FxRobot robot) {
        robot.interact(() -> {
            FxWindows.closeAllBut(stage);
            view.dispose();
        });
        demo.close();
    }

    @SuppressWarnings("unchecked")
    private TableView<RolloutRow> table(FxRobot robot) {
        return robot.lookup("#rolloutTable").queryAs(TableView.class);
    }

    private List<String> names(FxRobot robot) {
        return table(robot).getItems().stream().map(RolloutRow::name).toList();
    }

    private static String text(FxRobot robot, String query) {
        return robot.lookup(query).queryAs(Label.class).getText();
    }

    @Test
    void opensOnTheFirstRolloutThatNeedsAttention(FxRobot robot) throws Exception {
        assertThat(view.viewModel().selectedRolloutProperty().get()).isEqualTo(CHECKOUT_WEB);
        assertThat(table(robot).getSelectionModel().getSelectedItem().ref()).isEqualTo(CHECKOUT_WEB);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> "checkout-web".equals(text(robot, "#detailName")));
        assertThat(text(robot, "#detailAttention")).contains("preview is up");
    }

    @Test
    void screenshotDarkLightAndPresenter(FxRobot robot) {
        robot.interact(() -> view.viewModel().selectedRolloutProperty().set(CHECKOUT_API));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(table(robot).getSelectionModel().getSelectedItem().ref()).isEqualTo(CHECKOUT_API);
        robot.interact(() -> Snapshots.write(stage.getScene(), "main-dark"));
        robot.interact(() -> view.viewModel().themeProperty().set(Theme.LIGHT));
        robot.interact(() -> Snapshots.write(stage.getScene(), "main-light"));
        robot.interact(() -> view.viewModel().presenterProperty().set(true));
        robot.interact(() -> Snapshots.write(stage.getScene(), "main-presenter"));
        assertThat(stage.getScene().getRoot().getStyleClass()).contains("rc-light", "rc-presenter");
        robot.interact(() -> Themes.apply(stage.getScene(), Theme.DARK, false));
        assertThat(view.viewModel().themeProperty().get()).isEqualTo(Theme.DARK);
        assertThat(view.viewModel().presenterProperty().get()).isFalse();
    }

    @Test
    void globalShortcuts(FxRobot robot) throws Exception {
        robot.clickOn("#statusBar");
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.A).release(KeyCode.A, KeyCode.SHIFT, KeyCode.CONTROL);
        assertThat(robot.lookup("#attentionToggle").queryAs(ToggleButton.class).isSelected()).isTrue();
        assertThat(names(robot)).containsExactly("checkout-web", "payments-gateway", "search-api", "search-indexer",
                "storefront-web");
        robot.press(KeyCode.CONTROL, KeyCode.T).release(KeyCode.T, KeyCode.CONTROL);
        assertThat(stage.getScene().getRoot().getStyleClass()).contains("rc-light");
        robot.press(KeyCode.CONTROL, KeyCode.T).release(KeyCode.T, KeyCode.CONTROL);
        assertThat(stage.getScene().getRoot().getStyleClass()).contains("rc-dark");
        robot.type(KeyCode.F11);
        assertThat(stage.getScene().getRoot().getStyleClass()).contains("rc-presenter");
        robot.press(KeyCode.CONTROL, KeyCode.P).release(KeyCode.P, KeyCode.CONTROL);
        assertThat(stage.getScene().getRoot().getStyleClass()).doesNotContain("rc-presenter");
        robot.press(KeyCode.CONTROL, KeyCode.F).release(KeyCode.F, KeyCode.CONTROL);
        assertThat(robot.lookup("#searchField").queryAs(TextField.class).isFocused()).isTrue();
        robot.press(KeyCode.CONTROL, KeyCode.L).release(KeyCode.L, KeyCode.CONTROL);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#auditTable").tryQuery().isPresent());
        robot.interact(() -> robot.lookup("#auditTable").query().getScene().getWindow().hide());
        // with nothing selected, the kill switch opens on the on-call list of kill-switch flags and rollouts with flags
        robot.interact(() -> view.viewModel().selectedRolloutProperty().set(null));
        assertThat(table(robot).getSelectionModel().isEmpty()).isTrue();
        robot.clickOn("#statusBar");
        robot.press(KeyCode.CONTROL, KeyCode.K).release(KeyCode.K, KeyCode.CONTROL);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#killSwitchChooser").tryQuery().isPresent());
        assertThat(robot.lookup("#killSwitchChooser").queryListView().getItems()).hasSize(9);
        robot.interact(() -> robot.lookup("#killSwitchChooser").query().getScene().getWindow().hide());
        // Ctrl+Shift+K opens it whatever is selected; Ctrl+D opens the flag debt
        robot.interact(() -> view.viewModel().selectedRolloutProperty().set(CHECKOUT_API));
        robot.clickOn("#statusBar");
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.K).release(KeyCode.K, KeyCode.SHIFT, KeyCode.CONTROL);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#killSwitchChooser").tryQuery()
                .map(Node::isVisible).orElse(false));
        robot.interact(() -> robot.lookup("#killSwitchChooser").query().getScene().getWindow().hide());
        robot.clickOn("#statusBar");
        robot.press(KeyCode.CONTROL, KeyCode.D).release(KeyCode.D, KeyCode.CONTROL);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#debtTable").tryQuery().isPresent());
        robot.interact(() -> robot.lookup("#debtTable").query().getScene().getWindow().hide());
    }

    @Test
    void attentionFilterShowsCheckoutApiAfterItDegrades(FxRobot robot) throws Exception {
        robot.clickOn("#attentionToggle");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(names(robot)).doesNotContain("checkout-api");
        assertThat(demo.rollout(CHECKOUT_API).needsAttention()).isFalse();

        // the scripted regression: checkout-api's analysis fails within minutes of simulated time
        demo.advanceUntil(CHECKOUT_API, Rollout::needsAttention, Duration.ofMinutes(10));
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> names(robot).contains("checkout-api"));
        RolloutRow row = table(robot).getItems().stream().filter(r -> r.ref().equals(CHECKOUT_API)).findFirst()
                .orElseThrow();
        assertThat(row.why()).isNotBlank();
        assertThat(table(robot).getItems()).allMatch(RolloutRow::needsAttention);
        // other rollouts move on meanwhile: once the last coalesced batch is applied, the button counts exactly
        // what the filter shows, as the store has it (the world is not advancing now)
        long needAttention = demo.state.rollouts().all().stream().filter(Rollout::needsAttention).count();
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> table(robot).getItems().size() == needAttention);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#attentionToggle")
                .queryAs(ToggleButton.class).getText().equals("Needs attention · " + needAttention));
        robot.interact(() -> Snapshots.write(stage.getScene(), "main-attention"));
    }

    @Test
    void theVerdictColumnShowsEachCanarysVerdictAsIconAndWordWithTheReason(FxRobot robot) throws Exception {
        demo.advance(Duration.ofSeconds(250)); // checkout-api's regression has grown; the others are fine
        demo.judge(CHECKOUT_API);
        demo.judge(SEARCH_INDEXER);

        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> verdictCell(robot, "checkout-api")
                .filter(l -> l.getText().startsWith("Fail")).isPresent()
                && verdictCell(robot, "search-indexer").filter(l -> l.getText().startsWith("Pass")).isPresent());
        Label failing = verdictCell(robot, "checkout-api").orElseThrow();
        assertThat(failing.getText()).isEqualTo("Fail \u00b7 0");
        assertThat(((FontIcon) failing.getGraphic()).getIconCode()).isEqualTo(Feather.X_OCTAGON);
        assertThat(failing.getStyleClass()).contains("rc-bad");
        TableCell<?, ?> cell = (TableCell<?, ?>) failing.getParent();
        assertThat(cell.getTooltip().getText()).startsWith("Fail: error ratio High (critical), p95 latency High");
        Label passing = verdictCell(robot, "search-indexer").orElseThrow();
        assertThat(passing.getText()).isEqualTo("Pass \u00b7 100");
        assertThat(((FontIcon) passing.getGraphic()).getIconCode()).isEqualTo(Feather.CHECK_CIRCLE);
        assertThat(verdictCell(robot, "checkout-web").orElseThrow().getText()).as("blue-green: no verdict")
                .isEqualTo("none");
        RolloutRow row = view.viewModel().table().row(CHECKOUT_API).orElseThrow();
        assertThat(row.needsAttention()).as("a failing verdict needs a human").isTrue();
        robot.interact(() -> Snapshots.write(stage.getScene(), "main-verdict"));
    }

    /** The Verdict cell's label in the row of {@code name}, once that row is on screen. */
    private Optional<Label> verdictCell(FxRobot robot, String name) {
        robot.interact(() -> table(robot).scrollTo(names(robot).indexOf(name)));
        return robot.lookup("#rolloutTable .rc-verdict-cell").queryAllAs(TableCell.class).stream()
                .filter(c -> c.getTableRow() != null && c.getTableRow().getItem() != null
                        && ((RolloutRow) c.getTableRow().getItem()).name().equals(name))
                .map(c -> (Label) c.getGraphic()).filter(java.util.Objects::nonNull).findFirst();
    }

    @Test
    void searchFiltersAndTreeScopes(FxRobot robot) {
        int all = table(robot).getItems().size();
        assertThat(all).isEqualTo(14);
        robot.clickOn("#searchField").write("payments");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(names(robot)).containsExactlyInAnyOrder("payments-gateway", "ledger-service", "fraud-scorer");
        robot.interact(() -> robot.lookup("#searchField").queryAs(TextField.class).setText("checkout"));
        assertThat(names(robot)).isNotEmpty().hasSizeLessThan(all);
        assertThat(table(robot).getItems()).allMatch(r -> r.searchText().contains("checkout"));
        robot.press(KeyCode.CONTROL, KeyCode.A).release(KeyCode.A, KeyCode.CONTROL).type(KeyCode.BACK_SPACE);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(table(robot).getItems()).hasSize(all);
        robot.interact(() -> view.viewModel().table().scopeProperty().set(Scope.cluster("staging-us")));
        assertThat(table(robot).getItems()).hasSize(5).allMatch(r -> r.cluster().equals("staging-us"));
        robot.interact(() -> Snapshots.write(stage.getScene(), "main-scoped"));
    }

    @Test
    void rowsDoNotMoveUnderThePointerButTheirContentsUpdate(FxRobot robot) throws Exception {
        robot.interact(() -> table(robot).scrollTo(names(robot).indexOf("cart-service")));
        WaitForAsyncUtils.waitForFxEvents();
        Node cartCell = robot.lookup("#rolloutTable .table-cell").match((Node n) -> n instanceof javafx.scene.control
                .Labeled l && "cart-service".equals(l.getText())).query();
        robot.moveTo("#statusBar").moveTo(cartCell); // from elsewhere: a pointer already there sends no event
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> view.viewModel().table().frozenProperty().get());
        int before = names(robot).indexOf("cart-service");
        List<String> order = names(robot);

        // cart-service starts to need attention: attention first would move it to the top
        demo.state.rollouts().upsert(demo.rollout(CART_SERVICE).toBuilder().phase(Rollout.DEGRADED, "error rate")
                .build());
        RolloutRow cart = view.viewModel().table().row(CART_SERVICE).orElseThrow();
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> "Degraded".equals(cart.status()));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(names(robot)).as("the order waits while the pointer is on the table").isEqualTo(order);
        assertThat(names(robot).indexOf("cart-service")).isEqualTo(before);

        robot.moveTo("#statusBar");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> names(robot).indexOf("cart-service") < before);
        assertThat(names(robot).get(0)).isEqualTo("cart-service");
    }

    @Test
    void auditViewShowsAnEntryAfterAnAction(FxRobot robot) throws Exception {
        robot.interact(() -> AuditWindow.show(stage, demo.services, TaskRunner.DIRECT));
        WaitForAsyncUtils.waitForFxEvents();
        TableView<?> audit = robot.lookup("#auditTable").queryAs(TableView.class);
        int before = audit.getItems().size();
        demo.actions.execute(ActionType.PAUSE, CHECKOUT_API, "test");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> audit.getItems().size() >= before + 2);
        assertThat(audit.getItems().toString()).contains("PAUSE");
        robot.clickOn("#verifyChainButton");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#chainLabel")
                .queryLabeled().getText().startsWith("Chain intact"));
        // 1200x700 (the headless screen is larger), every column but Detail wide enough for what it shows
        Window window = audit.getScene().getWindow();
        assertThat(window.getWidth()).isEqualTo(1200);
        assertThat(window.getHeight()).isEqualTo(700);
        javafx.scene.control.IndexedCell<?> cell = robot.from(audit).lookup(".table-row-cell .table-cell")
                .queryAs(javafx.scene.control.IndexedCell.class);
        double padding = cell.getInsets().getLeft() + cell.getInsets().getRight();
        for (TableColumn<?, ?> c : audit.getColumns().subList(0, audit.getColumns().size() - 1)) {
            for (int row = 0; row < audit.getItems().size(); row++) {
                Object value = c.getCellData(row);
                boolean badge = c.getText().equals("Result");
                String shown = value == null ? "" : badge
                        ? StatusBadge.forAuditResult(value.toString()).text() : value.toString();
                Text t = new Text(shown);
                t.setFont(cell.getFont());
                double icon = badge ? cell.getFont().getSize() + 6 : 0;
                assertThat(c.getWidth()).as(c.getText() + " shows " + shown + " uncut")
                        .isGreaterThanOrEqualTo(t.getLayoutBounds().getWidth() + padding + icon);
            }
        }
        // the selected entry in full below the table
        robot.interact(() -> audit.getSelectionModel().select(0));
        assertThat(robot.lookup("#auditDetailWho").queryLabeled().getText()).isEqualTo("demo-user (simulated)");
        assertThat(robot.lookup("#auditDetailWhat").queryLabeled().getText()).isEqualTo("PAUSE · outcome");
        assertThat(robot.lookup("#auditDetailLink").queryLabeled().getText()).startsWith("outcome of intent #");
        robot.clickOn("#auditDetailLink");
        assertThat(robot.lookup("#auditDetailWhat").queryLabeled().getText()).isEqualTo("PAUSE · intent");
        robot.interact(() -> Snapshots.write(audit.getScene(), "main-audit"));
        robot.interact(() -> robot.lookup("#auditSearch").queryAs(TextField.class).setText("no-such-thing"));
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> audit.getItems().isEmpty());
        // the status bar shows the latest action outcome
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> text(robot, "#lastActionLabel").contains("PAUSE"));
    }

    @Test
    void killSwitchRequiresTheTypedNameInProduction(FxRobot robot) throws Exception {
        robot.interact(() -> view.viewModel().selectedRolloutProperty().set(CHECKOUT_API));
        robot.press(KeyCode.CONTROL, KeyCode.K).release(KeyCode.K, KeyCode.CONTROL);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#killSwitchConfirmField").tryQuery()
                .map(Node::isVisible).orElse(false)
                && !robot.lookup("#killSwitchPlan").queryAs(ListView.class).getItems().isEmpty());
        Button execute = robot.lookup("#killSwitchExecuteButton").queryButton();
        assertThat(execute.isDisabled()).isTrue();
        TextField confirm = robot.lookup("#killSwitchConfirmField").queryAs(TextField.class);
        assertThat(confirm.isFocused()).isTrue();
        // headless Monocle does not move key focus to a new window by itself; a click does
        robot.clickOn(confirm).write("checkout-ap").type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(execute.isDisabled()).isTrue();
        assertThat(robot.lookup("#killSwitchResults").queryAs(ListView.class).getItems()).isEmpty();
        assertThat(demo.rollout(CHECKOUT_API).abort()).isFalse();
        robot.interact(() -> Snapshots.write(confirm.getScene(), "main-killswitch-plan"));
        robot.write("i");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(execute.isDisabled()).isFalse();
        robot.type(KeyCode.ENTER);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !robot.lookup("#killSwitchResults")
                .queryAs(ListView.class).getItems().isEmpty());
        ListView<?> results = robot.lookup("#killSwitchResults").queryAs(ListView.class);
        assertThat(results.getItems()).hasSize(5);
        assertThat(robot.lookup("#killSwitchElapsed").queryLabeled().getText())
                .matches("All 5 target\\(s\\) confirmed off in \\d+ ms from the click");
        robot.interact(() -> Snapshots.write(results.getScene(), "main-killswitch-results"));
        assertThat(demo.rollout(CHECKOUT_API).abort()).isTrue();
    }
}
