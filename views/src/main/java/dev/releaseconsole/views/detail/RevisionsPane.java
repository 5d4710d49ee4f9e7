package dev.releaseconsole.views.detail;

import dev.releaseconsole.services.actions.ActionInput;
import dev.releaseconsole.services.actions.ActionType;
import dev.releaseconsole.services.model.Revision;
import dev.releaseconsole.services.model.Rollout;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;
import org.kordamp.ikonli.feather.Feather;

import java.util.function.Function;

/**
 * ReplicaSet revisions: number, role, pod-template hash, images, pods ready, and for every revision other than the
 * current one "Undo to this revision" ({@code kubectl argo rollouts undo --to-revision N}) through the action bar's
 * confirmation and result line.
 */
final class RevisionsPane extends BorderPane {
    RevisionsPane(RolloutDetailViewModel vm, ActionBar actions) {
        TableView<Revision> table = new TableView<>(vm.revisions());
        table.setId("revisionsTable");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setPlaceholder(new Label("No revisions reported"));
        table.getColumns().add(column("Revision", 80, r -> String.valueOf(r.number())));
        table.getColumns().add(column("Role", 90, Revision::role));
        table.getColumns().add(column("Pod template hash", 150, Revision::podTemplateHash));
        table.getColumns().add(column("Ready", 90, r -> r.readyReplicas() + "/" + r.replicas()));
        table.getColumns().add(undoColumn(vm, actions));
        table.getColumns().add(column("Images", 400, r -> String.join(", ", r.images())));
        setCenter(table);
    }

    private static TableColumn<Revision, Revision> undoColumn(RolloutDetailViewModel vm, ActionBar actions) {
        TableColumn<Revision, Revision> c = new TableColumn<>("Roll back");
        c.setPrefWidth(190);
        c.setSortable(false);
        c.setCellValueFactory(p -> new ReadOnlyObjectWrapper<>(p.getValue()));
        c.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(Revision rev, boolean empty) {
                super.updateItem(rev, empty);
                Rollout shown = vm.rolloutProperty().get();
                if (empty || rev == null || shown == null || shown.isFlagger()
                        || rev.podTemplateHash().equals(shown.currentPodHash())) {
                    setGraphic(null);
                    return;
                }
                Button b = RowActionCells.button(actions.viewModel(), ActionType.UNDO,
                        "Undo to revision " + rev.number(), Feather.CORNER_UP_LEFT, "undoRevision" + rev.number());
                b.setOnAction(e -> actions.request(ActionType.UNDO, ActionInput.revision(rev.number())));
                setGraphic(b);
            }
        });
        return c;
    }

    private static TableColumn<Revision, String> column(String title, double width, Function<Revision, String> f) {
        TableColumn<Revision, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setCellValueFactory(p -> new ReadOnlyStringWrapper(p.getValue() == null ? "" : f.apply(p.getValue())));
        return c;
    }
}
