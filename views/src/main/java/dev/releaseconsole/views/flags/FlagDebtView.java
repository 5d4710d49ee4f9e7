package dev.releaseconsole.views.flags;

import atlantafx.base.controls.CustomTextField;
import dev.releaseconsole.services.flags.debt.FlagDebt;
import dev.releaseconsole.views.common.Fxml;
import dev.releaseconsole.views.common.Icons;
import dev.releaseconsole.views.common.StatusBadge;
import dev.releaseconsole.views.common.Tables;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.Region;
import javafx.scene.text.Text;
import javafx.util.Callback;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;


/**
 * The flag-debt table: one row per piece of debt with its reason and what to do, in words; search, a kind filter,
 * the registry's source and any problem with it. Thin: the state is in {@link FlagDebtViewModel}. Ids:
 * {@code #debtTable}, {@code #debtSearch}, {@code #debtKindFilter}, {@code #debtSummary}, {@code #debtRegistry},
 * {@code #debtRegistryProblem}, {@code #debtHistoryNote}.
 */
public final class FlagDebtView extends BorderPane {
    @FXML private CustomTextField debtSearch;
    @FXML private ChoiceBox<FlagDebtViewModel.KindFilter> kindChoice;
    @FXML private Button refreshButton;
    @FXML private Label summaryLabel;
    @FXML private Label registryLabel;
    @FXML private Label problemLabel;
    @FXML private TableView<FlagDebt> debtTable;
    @FXML private TableColumn<FlagDebt, FlagDebt> kindColumn;
    @FXML private TableColumn<FlagDebt, String> flagColumn;
    @FXML private TableColumn<FlagDebt, String> providerColumn;
    @FXML private TableColumn<FlagDebt, String> ownerColumn;
    @FXML private TableColumn<FlagDebt, String> sinceColumn;
    @FXML private TableColumn<FlagDebt, String> whyColumn;
    @FXML private TableColumn<FlagDebt, String> todoColumn;
    @FXML private Label historyLabel;

    private final FlagDebtViewModel viewModel;

    public FlagDebtView(FlagDebtViewModel viewModel) {
        this.viewModel = viewModel;
        Fxml.loadInto(this, "FlagDebtView.fxml");
        wire();
    }

    private void wire() {
        FlagDebtViewModel vm = viewModel;
        debtSearch.setLeft(new FontIcon(Feather.SEARCH));
        debtSearch.textProperty().bindBidirectional(vm.searchTextProperty());
        kindChoice.setItems(vm.kinds());
        kindChoice.valueProperty().bindBidirectional(vm.kindFilterProperty());
        refreshButton.setGraphic(new FontIcon(Feather.REFRESH_CW));
        refreshButton.setOnAction(e -> vm.refresh());
        refreshButton.disableProperty().bind(vm.busyProperty());
        summaryLabel.textProperty().bind(vm.summaryProperty());
        registryLabel.textProperty().bind(vm.registryTextProperty());
        registryLabel.setGraphic(new FontIcon(Feather.BOOK_OPEN));
        problemLabel.textProperty().bind(vm.registryProblemProperty());
        problemLabel.setGraphic(new FontIcon(Feather.ALERT_TRIANGLE));
        show(problemLabel, !vm.registryProblemProperty().get().isEmpty());
        vm.registryProblemProperty().addListener((o, was, now) -> show(problemLabel, !now.isEmpty()));
        historyLabel.textProperty().bind(vm.historyNoteProperty());

        debtTable.setItems(vm.rows());
        Tables.fitWidthWithPlaceholder(debtTable, "No flag debt here.");
        kindColumn.setCellValueFactory(Tables.value(debt -> debt));
        kindColumn.setCellFactory(c -> new TableCell<>() {
            private final Label label = Icons.label(StatusBadge.forDebt(
                    dev.releaseconsole.services.flags.debt.DebtKind.EXPIRED));

            @Override
            protected void updateItem(FlagDebt item, boolean empty) {
                super.updateItem(item, empty);
                setText(null);
                if (empty || item == null) {
                    setGraphic(null);
                } else {
                    Icons.update(label, StatusBadge.forDebt(item.kind()));
                    setGraphic(label);
                }
            }
        });
        kindColumn.getStyleClass().add("rc-status-cell");
        flagColumn.setCellValueFactory(Tables.value(FlagDebt::key));
        providerColumn.setCellValueFactory(Tables.value(d -> d.provider() == null ? "any" : d.provider()));
        ownerColumn.setCellValueFactory(Tables.value(d -> d.owner() == null ? "—" : d.owner()));
        sinceColumn.setCellValueFactory(Tables.value(vm::sinceText));
        whyColumn.setCellValueFactory(Tables.value(FlagDebt::why));
        whyColumn.setCellFactory(wrapping());
        todoColumn.setCellValueFactory(Tables.value(FlagDebt::whatToDo));
        todoColumn.setCellFactory(wrapping());
    }

    /** Cells whose text wraps to the column's width, so the reason and the advice are read in full. */
    private static Callback<TableColumn<FlagDebt, String>, TableCell<FlagDebt, String>> wrapping() {
        return column -> new TableCell<>() {
            // Text, not Label: its wrapping width is fixed, so the row gets the height the whole text needs
            private final Text text = new Text();

            {
                text.getStyleClass().add("rc-wrap-text");
                text.wrappingWidthProperty().bind(column.widthProperty().subtract(14));
                setPrefHeight(Region.USE_COMPUTED_SIZE);
            }

            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                setText(null);
                text.setText(empty || item == null ? "" : item);
                setGraphic(empty ? null : text);
            }
        };
    }

    private static void show(Node n, boolean visible) {
        n.setVisible(visible);
        n.setManaged(visible);
    }

    /** Puts the cursor in the search field (Ctrl+F). */
    public void focusSearch() {
        debtSearch.requestFocus();
        debtSearch.selectAll();
    }

    public FlagDebtViewModel viewModel() {
        return viewModel;
    }
}
