package dev.releaseconsole.views.audit;

import atlantafx.base.controls.CustomTextField;
import dev.releaseconsole.services.governance.AuditEntry;
import dev.releaseconsole.services.governance.ChainCheck;
import dev.releaseconsole.views.common.Icons;
import dev.releaseconsole.views.common.StatusBadge;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.fxml.FXML;
import javafx.fxml.FXMLLoader;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.util.StringConverter;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.io.IOException;
import java.io.UncheckedIOException;
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
    @FXML private Label summaryLabel;
    @FXML private Label errorLabel;

    private final AuditViewModel viewModel;

    public AuditView(AuditViewModel viewModel) {
        this.viewModel = viewModel;
        FXMLLoader loader = new FXMLLoader(AuditView.class.getResource("AuditView.fxml"));
        loader.setRoot(this);
        loader.setController(this);
        try {
            loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load AuditView.fxml", e);
        }
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
        auditTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        Label empty = new Label("No audit entries match.");
        empty.getStyleClass().add("rc-placeholder");
        auditTable.setPlaceholder(empty);
        idColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().id()));
        timeColumn.setCellValueFactory(text(vm::formatTime));
        actorColumn.setCellValueFactory(text(AuditEntry::actor));
        actionColumn.setCellValueFactory(text(AuditEntry::action));
        targetColumn.setCellValueFactory(text(AuditEntry::target));
        stageColumn.setCellValueFactory(text(e -> e.stage() == null ? "" : e.stage().name().toLowerCase()));
        resultColumn.setCellValueFactory(text(AuditEntry::result));
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
        detailColumn.setCellValueFactory(text(AuditEntry::detail));
        detailColumn.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty ? null : item);
                setTooltip(empty || item == null || item.isBlank() ? null : new Tooltip(item));
            }
        });
        summaryLabel.textProperty().bind(vm.summaryProperty());
        errorLabel.textProperty().bind(vm.errorProperty());
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

    private static javafx.util.Callback<TableColumn.CellDataFeatures<AuditEntry, String>,
            javafx.beans.value.ObservableValue<String>> text(Function<AuditEntry, String> f) {
        return c -> new ReadOnlyObjectWrapper<>(f.apply(c.getValue()));
    }

    public AuditViewModel viewModel() {
        return viewModel;
    }

    public void focusSearch() {
        auditSearch.requestFocus();
    }
}
