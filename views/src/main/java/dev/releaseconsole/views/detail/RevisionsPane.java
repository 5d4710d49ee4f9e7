package dev.releaseconsole.views.detail;

import dev.releaseconsole.services.model.Revision;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;

import java.util.function.Function;

/** ReplicaSet revisions: number, role, pod-template hash, images, pods ready. */
final class RevisionsPane extends BorderPane {
    RevisionsPane(RolloutDetailViewModel vm) {
        TableView<Revision> table = new TableView<>(vm.revisions());
        table.setId("revisionsTable");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setPlaceholder(new Label("No revisions reported"));
        table.getColumns().add(column("Revision", 80, r -> String.valueOf(r.number())));
        table.getColumns().add(column("Role", 90, Revision::role));
        table.getColumns().add(column("Pod template hash", 150, Revision::podTemplateHash));
        table.getColumns().add(column("Ready", 90, r -> r.readyReplicas() + "/" + r.replicas()));
        table.getColumns().add(column("Images", 400, r -> String.join(", ", r.images())));
        setCenter(table);
    }

    private static TableColumn<Revision, String> column(String title, double width, Function<Revision, String> f) {
        TableColumn<Revision, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setCellValueFactory(p -> new ReadOnlyStringWrapper(p.getValue() == null ? "" : f.apply(p.getValue())));
        return c;
    }
}
