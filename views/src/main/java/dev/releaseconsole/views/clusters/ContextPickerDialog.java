package dev.releaseconsole.views.clusters;

import dev.releaseconsole.views.common.TaskRunner;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;
import javafx.geometry.Insets;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.cell.CheckBoxTableCell;
import javafx.geometry.Pos;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import dev.releaseconsole.views.common.Icons;
import dev.releaseconsole.views.common.Themes;
import javafx.stage.Modality;
import javafx.stage.Window;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * "Clusters": every context of the user's kubeconfig with its cluster, server, namespace, user and how it
 * authenticates; tick the ones to watch, and the console reconnects to exactly those. Contexts that cannot be used
 * say why and cannot be ticked. The kubeconfig is read off the FX thread.
 */
public final class ContextPickerDialog {
    private final Stage stage = new Stage();
    private final ObservableList<Row> rows = FXCollections.observableArrayList();
    private final Label status = new Label("Reading your kubeconfig…");
    private final Button watchButton = new Button("Watch selected", Icons.icon(Feather.CHECK));
    private List<String> result;

    /** A context with its tick box. */
    public static final class Row {
        final ContextChoice choice;
        final SimpleBooleanProperty watch;

        Row(ContextChoice choice) {
            this.choice = choice;
            this.watch = new SimpleBooleanProperty(choice.watched() && choice.usable());
        }
    }

    private ContextPickerDialog(Window owner) {
        if (owner != null) {
            stage.initOwner(owner);
            stage.initModality(Modality.WINDOW_MODAL);
        } else {
            stage.initModality(Modality.APPLICATION_MODAL);
        }
        stage.setTitle("Clusters to watch");
        Label title = new Label("Clusters to watch", Icons.icon(Feather.SERVER, 24));
        title.getStyleClass().add("rc-dialog-title");
        Label intro = new Label("Choose the kubeconfig contexts to watch. Several can be watched at once; with none, "
                + "the console shows the demo world.");
        intro.setWrapText(true);

        TextField filter = new TextField();
        filter.setId("contextFilter");
        filter.setPromptText("Filter by context, cluster or server");
        FilteredList<Row> shown = new FilteredList<>(rows, r -> true);
        filter.textProperty().addListener((o, was, now) -> {
            String q = now == null ? "" : now.trim().toLowerCase(Locale.ROOT);
            shown.setPredicate(r -> q.isEmpty() || (r.choice.name() + " " + r.choice.cluster() + " "
                    + r.choice.server()).toLowerCase(Locale.ROOT).contains(q));
        });

        TableView<Row> table = new TableView<>(shown);
        table.setId("contextTable");
        table.setEditable(true);
        table.setPlaceholder(new Label("No contexts in your kubeconfig"));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        TableColumn<Row, Boolean> watch = new TableColumn<>("Watch");
        watch.setCellValueFactory(p -> p.getValue().watch);
        watch.setCellFactory(c -> new CheckBoxTableCell<>() {
            @Override
            public void updateItem(Boolean item, boolean empty) {
                super.updateItem(item, empty);
                Row row = empty || getIndex() < 0 || getIndex() >= getTableView().getItems().size() ? null
                        : getTableView().getItems().get(getIndex());
                setDisable(row != null && !row.choice.usable());
            }
        });
        watch.setEditable(true);
        watch.setPrefWidth(60);
        table.getColumns().add(watch);
        table.getColumns().add(column("Context", 160, ContextChoice::name));
        table.getColumns().add(column("Cluster", 130, ContextChoice::cluster));
        table.getColumns().add(column("Server", 220, ContextChoice::server));
        table.getColumns().add(column("Namespace", 100, ContextChoice::namespace));
        table.getColumns().add(column("User / auth", 160, c -> c.user() + (c.auth() == null ? "" : " (" + c.auth()
                + ")")));
        table.getColumns().add(column("Problem", 200, c -> c.problem() == null ? "" : c.problem()));
        VBox.setVgrow(table, Priority.ALWAYS);

        status.setId("contextPickerStatus");
        status.setWrapText(true);

        Button cancel = new Button("Cancel");
        cancel.setId("cancelContextsButton");
        cancel.setCancelButton(true);
        cancel.setOnAction(e -> stage.close());
        watchButton.setId("watchContextsButton");
        watchButton.setDefaultButton(true);
        watchButton.setDisable(true);
        watchButton.setOnAction(e -> {
            result = selected();
            stage.close();
        });
        Label hint = new Label("Space ticks the selected row · Enter watches · Esc cancels");
        hint.getStyleClass().add("rc-hint");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox buttons = new HBox(8, hint, spacer, cancel, watchButton);
        buttons.setAlignment(Pos.CENTER_RIGHT);

        VBox box = new VBox(8, title, intro, filter, table, status, buttons);
        box.getStyleClass().add("rc-dialog");
        box.setPadding(new Insets(16));
        box.setPrefSize(980, 460);
        Scene scene = new Scene(box);
        scene.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ESCAPE) {
                e.consume();
                stage.close();
            } else if (e.getCode() == KeyCode.SPACE && e.getTarget() == table) {
                Row r = table.getSelectionModel().getSelectedItem();
                if (r != null && r.choice.usable()) {
                    r.watch.set(!r.watch.get());
                }
                e.consume();
            }
        });
        Themes.applyCurrent(scene);
        stage.setScene(scene);
        stage.setOnShown(e -> filter.requestFocus());
    }

    private static TableColumn<Row, String> column(String title, double width, Function<ContextChoice, String> f) {
        TableColumn<Row, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setEditable(false);
        c.setCellValueFactory(p -> new ReadOnlyStringWrapper(nz(f.apply(p.getValue().choice))));
        return c;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    List<String> selected() {
        List<String> out = new ArrayList<>();
        rows.stream().filter(r -> r.watch.get() && r.choice.usable()).forEach(r -> out.add(r.choice.name()));
        return out;
    }

    void show(ContextSelection.Listing listing) {
        Map<String, Row> byName = new LinkedHashMap<>();
        listing.contexts().forEach(c -> byName.put(c.name(), new Row(c)));
        rows.setAll(byName.values());
        StringBuilder sb = new StringBuilder();
        long watched = listing.contexts().stream().filter(ContextChoice::watched).count();
        sb.append(watched == 0 ? "Watching no cluster now (the demo world)." : "Watching " + watched
                + " context(s) now, chosen by " + listing.source() + ".");
        sb.append(" Your choice is remembered; --context on the command line overrides it.");
        for (String p : listing.problems()) {
            sb.append("\n").append(p);
        }
        status.setText(sb.toString());
        watchButton.setDisable(false);
    }

    /**
     * Opens the picker; when the user confirms, {@link ContextSelection#apply} is called with the ticked contexts
     * (unless the choice is what is already watched).
     */
    public static void open(Window owner, ContextSelection selection, TaskRunner runner) {
        ContextPickerDialog d = new ContextPickerDialog(owner);
        runner.run(selection::load, d::show, t -> d.status.setText("Your kubeconfig could not be read: "
                + t.getMessage() + ". Fix the file (or KUBECONFIG) and open this again."));
        d.stage.showAndWait();
        if (d.result != null) {
            List<String> before = d.rows.stream().filter(r -> r.choice.watched()).map(r -> r.choice.name()).toList();
            if (!d.result.equals(before)) {
                selection.apply(d.result);
            }
        }
    }
}
