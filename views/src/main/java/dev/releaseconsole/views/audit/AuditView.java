package dev.releaseconsole.views.audit;

import atlantafx.base.controls.CustomTextField;
import dev.releaseconsole.services.governance.AuditEntry;
import dev.releaseconsole.services.governance.ChainCheck;
import dev.releaseconsole.views.common.Fxml;
import dev.releaseconsole.views.common.Icons;
import dev.releaseconsole.views.common.StatusBadge;
import dev.releaseconsole.views.common.Tables;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.geometry.Insets;
import javafx.geometry.VPos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.text.Font;
import javafx.scene.text.Text;
import javafx.util.StringConverter;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/** The audit log table with search, result filter, live updates and the hash-chain check. Thin: all state is in {@link AuditViewModel}. */
public final class AuditView extends BorderPane {
    @FXML private CustomTextField auditSearch;
    @FXML private ChoiceBox<ResultFilter> resultFilter;
    @FXML private Button refreshButton;
    @FXML private Label chainLabel;
    @FXML private Button verifyButton;
    @FXML private TableView<AuditEntry> auditTable;
    @FXML private TableColumn<AuditEntry, Long> idColumn;
    @FXML private TableColumn<AuditEntry, String> timeColumn;
    @FXML private TableColumn<AuditEntry, String> actorColumn;
    @FXML private TableColumn<AuditEntry, String> actionColumn;
    @FXML private TableColumn<AuditEntry, String> targetColumn;
    @FXML private TableColumn<AuditEntry, String> stageColumn;
    @FXML private TableColumn<AuditEntry, String> resultColumn;
    @FXML private TableColumn<AuditEntry, String> detailColumn;
    @FXML private VBox detailPane;
    @FXML private Label summaryLabel;
    @FXML private Label errorLabel;

    private final AuditViewModel viewModel;

    public AuditView(AuditViewModel viewModel) {
        this.viewModel = viewModel;
        Fxml.loadInto(this, "AuditView.fxml");
        wire();
    }

    private void wire() {
        AuditViewModel vm = viewModel;
        auditSearch.setLeft(new FontIcon(Feather.SEARCH));
        auditSearch.textProperty().bindBidirectional(vm.searchTextProperty());
        resultFilter.getItems().setAll(vm.filters());
        resultFilter.setConverter(new StringConverter<>() {
            @Override
            public String toString(ResultFilter f) {
                return f == null ? "" : f.label();
            }

            @Override
            public ResultFilter fromString(String s) {
                return ResultFilter.ALL;
            }
        });
        resultFilter.valueProperty().bindBidirectional(vm.resultFilterProperty());
        refreshButton.setGraphic(new FontIcon(Feather.REFRESH_CW));
        refreshButton.setOnAction(e -> vm.refresh());
        verifyButton.setGraphic(new FontIcon(Feather.SHIELD));
        verifyButton.setTooltip(new Tooltip("Recompute the hash chain to check that no entry was changed or removed"));
        verifyButton.setOnAction(e -> vm.verifyChain());
        chainLabel.textProperty().bind(vm.chainTextProperty());
        vm.chainCheckProperty().addListener((o, was, now) -> showChain(now));

        auditTable.setItems(vm.entries());
        Tables.fitWidthWithPlaceholder(auditTable, "No audit entries match.");
        idColumn.setCellValueFactory(Tables.value(AuditEntry::id));
        timeColumn.setCellValueFactory(Tables.value(vm::formatTime));
        actorColumn.setCellValueFactory(Tables.value(AuditEntry::actor));
        actionColumn.setCellValueFactory(Tables.value(AuditEntry::action));
        targetColumn.setCellValueFactory(Tables.value(AuditEntry::target));
        stageColumn.setCellValueFactory(Tables.value(e -> e.stage() == null ? "" : e.stage().name().toLowerCase()));
        resultColumn.setCellValueFactory(Tables.value(AuditEntry::result));
        resultColumn.setCellFactory(c -> new TableCell<>() {
            private final Label label = Icons.label(StatusBadge.forAuditResult(null));

            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                if (empty) {
                    setGraphic(null);
                } else {
                    Icons.update(label, StatusBadge.forAuditResult(item));
                    setGraphic(label);
                }
                setText(null);
            }
        });
        resultColumn.getStyleClass().add("rc-status-cell");
        detailColumn.setCellValueFactory(Tables.value(AuditEntry::detail));
        detailColumn.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty ? null : item);
                Tooltip tip = empty || item == null || item.isBlank() ? null : new Tooltip(item);
                if (tip != null) {
                    tip.setWrapText(true);
                    tip.setMaxWidth(640);
                }
                setTooltip(tip);
            }
        });
        detailColumn.setMinWidth(120);
        summaryLabel.textProperty().bind(vm.summaryProperty());
        errorLabel.textProperty().bind(vm.errorProperty());

        // the selected entry in full, below the table
        auditTable.getSelectionModel().selectedItemProperty().addListener((o, was, now) ->
                vm.selectedProperty().set(now));
        vm.selectedProperty().addListener((o, was, now) -> {
            if (now != null && auditTable.getSelectionModel().getSelectedItem() != now) {
                auditTable.getSelectionModel().select(now);
                auditTable.scrollTo(now);
            }
            showDetail(now);
        });
        buildDetailPane();
        showDetail(null);
        // columns wide enough for their content at the current font (presenter mode is larger); Detail takes the rest
        chainLabel.fontProperty().addListener((o, was, now) -> fitColumns());
        vm.entries().addListener((ListChangeListener<AuditEntry>) c -> fitColumns());
        fitColumns();
    }

    // ---- the detail pane ----

    private final Label detailTitle = new Label();
    private final Label whenValue = value("auditDetailWhen");
    private final Label whoValue = value("auditDetailWho");
    private final Label whatValue = value("auditDetailWhat");
    private final Label targetValue = value("auditDetailTarget");
    private final Label resultValue = value("auditDetailResult");
    private final TextArea detailValue = new TextArea();
    private final Hyperlink linkValue = new Hyperlink();
    private final TextField hashValue = new TextField();

    private static Label value(String id) {
        Label l = new Label();
        l.setId(id);
        l.setWrapText(true);
        l.setMinWidth(0);
        return l;
    }

    private void buildDetailPane() {
        detailTitle.setId("auditDetailTitle");
        detailTitle.getStyleClass().add("rc-audit-detail-title");
        detailValue.setId("auditDetailText");
        detailValue.setEditable(false);
        detailValue.setWrapText(true);
        detailValue.setPrefRowCount(3);
        linkValue.setId("auditDetailLink");
        linkValue.setOnAction(e -> {
            AuditEntry cur = viewModel.selectedProperty().get();
            if (cur != null) {
                viewModel.linked(cur).ifPresent(viewModel.selectedProperty()::set);
            }
        });
        hashValue.setId("auditDetailHash");
        hashValue.setEditable(false);
        hashValue.getStyleClass().add("rc-audit-hash");
        // two pairs per row for the short facts; the detail and the hash get a whole row each
        GridPane grid = new GridPane();
        grid.setHgap(12);
        grid.setVgap(4);
        pair(grid, 0, 0, "When", whenValue);
        pair(grid, 0, 2, "Who", whoValue);
        pair(grid, 1, 0, "What", whatValue);
        pair(grid, 1, 2, "Target", targetValue);
        pair(grid, 2, 0, "Result", resultValue);
        pair(grid, 2, 2, "Link", linkValue);
        pair(grid, 3, 0, "Detail", detailValue);
        GridPane.setColumnSpan(detailValue, 3);
        pair(grid, 4, 0, "Hash", hashValue);
        GridPane.setColumnSpan(hashValue, 3);
        ColumnConstraints key = new ColumnConstraints();
        key.setMinWidth(Region.USE_PREF_SIZE);
        ColumnConstraints val = new ColumnConstraints();
        val.setHgrow(Priority.ALWAYS);
        val.setPercentWidth(-1);
        grid.getColumnConstraints().setAll(key, val, key, val);
        ScrollPane scroll = new ScrollPane(grid);
        scroll.setFitToWidth(true);
        scroll.getStyleClass().add("rc-audit-detail-scroll");
        VBox.setVgrow(scroll, Priority.ALWAYS);
        detailPane.setSpacing(6);
        detailPane.setPadding(new Insets(8, 12, 8, 12));
        detailPane.getChildren().setAll(detailTitle, scroll);
        detailPane.setMinHeight(0);
    }

    private static void pair(GridPane grid, int row, int col, String name,
                             Node value) {
        Label k = new Label(name);
        k.getStyleClass().add("rc-audit-detail-key");
        k.setMinWidth(Label.USE_PREF_SIZE);
        GridPane.setValignment(k, VPos.TOP);
        grid.add(k, col, row);
        grid.add(value, col + 1, row);
        GridPane.setHgrow(value, Priority.ALWAYS);
    }

    private void showDetail(AuditEntry e) {
        boolean any = e != null;
        detailPane.lookupAll(".scroll-pane").forEach(n -> n.setVisible(any));
        if (!any) {
            detailTitle.setText("Select an entry to see it in full: who, what, when, the result, the whole detail,"
                    + " its intent or outcome, and its hash.");
            return;
        }
        AuditViewModel.EntryDetail d = viewModel.detail(e);
        detailTitle.setText("Entry " + d.id());
        whenValue.setText(d.when());
        whoValue.setText(d.who());
        whatValue.setText(d.what());
        targetValue.setText(d.target());
        StatusBadge badge = StatusBadge.forAuditResult(d.result());
        resultValue.setText(badge.text() + (d.result().isEmpty() ? "" : "  (" + d.result() + ")"));
        resultValue.setGraphic(Icons.icon(badge));
        detailValue.setText(d.detail());
        linkValue.setText(d.link());
        linkValue.setDisable(viewModel.linked(e).isEmpty());
        hashValue.setText(d.hash());
    }

    /** Sizes the columns to their content at the current font, so nothing but Detail is cut; Detail gets the rest. */
    private void fitColumns() {
        Font font = chainLabel.getFont(); // the toolbar's labels have the table's type size (the status bar's is smaller)
        fit(idColumn, font, 0, "#", "9999");
        fit(timeColumn, font, 0, "Time (local)", "2026-11-22 18:47:05");
        fit(actorColumn, font, 260, columnTexts(AuditEntry::actor, "Actor", "demo-user (simulated)"));
        fit(actionColumn, font, 200, columnTexts(AuditEntry::action, "Action", "KILL_SWITCH"));
        fit(targetColumn, font, 380, columnTexts(AuditEntry::target, "Target",
                "rollout prod-eu/payments/payments-gateway"));
        fit(stageColumn, font, 0, "Stage", "outcome");
        fit(resultColumn, font, 0, "Result", "Blocked by policy   ", "Not possible now   "); // + the icon
    }

    private String[] columnTexts(Function<AuditEntry, String> f, String... samples) {
        List<String> all = new ArrayList<>(List.of(samples));
        viewModel.entries().stream().map(f).filter(Objects::nonNull).distinct().limit(200).forEach(all::add);
        return all.toArray(new String[0]);
    }

    /** Widest of {@code texts} at {@code font}, plus cell padding (and an icon's room), capped at {@code max} if > 0. */
    private static void fit(TableColumn<AuditEntry, ?> column, Font font, double max,
                            String... texts) {
        Text t = new Text();
        t.setFont(font);
        double w = 0;
        for (String s : texts) {
            t.setText(s);
            w = Math.max(w, t.getLayoutBounds().getWidth());
        }
        w = Math.ceil(w + font.getSize() + 10); // the cell's padding on both sides
        if (max > 0) {
            w = Math.min(w, max * font.getSize() / 14);
        }
        column.setPrefWidth(w);
        column.setMinWidth(w);
    }

    private void showChain(ChainCheck check) {
        chainLabel.getStyleClass().removeAll("rc-chain-ok", "rc-chain-broken");
        if (check == null) {
            chainLabel.setGraphic(null);
            return;
        }
        chainLabel.getStyleClass().add(check.intact() ? "rc-chain-ok" : "rc-chain-broken");
        chainLabel.setGraphic(new FontIcon(check.intact() ? Feather.CHECK_CIRCLE : Feather.ALERT_OCTAGON));
    }

    public AuditViewModel viewModel() {
        return viewModel;
    }

    public void focusSearch() {
        auditSearch.requestFocus();
    }
}
