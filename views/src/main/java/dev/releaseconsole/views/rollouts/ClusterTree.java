package dev.releaseconsole.views.rollouts;

import dev.releaseconsole.views.common.StatusBadge;
import javafx.beans.property.ObjectProperty;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.control.TreeCell;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeView;
import javafx.scene.layout.HBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The cluster/namespace tree with counts, connection state and attention counts. Items are reconciled in place
 * (never rebuilt), so selection and expansion survive live updates. Selecting an item sets the table's scope.
 */
public final class ClusterTree extends TreeView<TreeEntry> {
    private final Map<Scope, TreeItem<TreeEntry>> items = new HashMap<>();
    private boolean reconciling;

    public ClusterTree() {
        setId("clusterTree");
        getStyleClass().add("rc-cluster-tree");
        setShowRoot(true);
        setCellFactory(tv -> new EntryCell());
        // widths in em in console.css (.rc-cluster-tree), so the tree grows with presenter mode's larger type
    }

    public void bind(ClusterTreeViewModel vm, ObjectProperty<Scope> scope) {
        reconcile(vm.root());
        vm.rootProperty().addListener((o, was, now) -> reconcile(now));
        getSelectionModel().select(getRoot());
        getSelectionModel().selectedItemProperty().addListener((o, was, now) -> {
            if (!reconciling) {
                scope.set(now == null || now.getValue() == null ? Scope.ALL : now.getValue().scope());
            }
        });
        scope.addListener((o, was, now) -> {
            TreeItem<TreeEntry> item = items.get(now == null ? Scope.ALL : now);
            if (item != null && getSelectionModel().getSelectedItem() != item) {
                getSelectionModel().select(item);
            }
        });
    }

    /** Updates values in place, adds new nodes and removes gone ones, keeping order. */
    void reconcile(TreeEntry root) {
        reconciling = true;
        try {
            TreeItem<TreeEntry> rootItem = items.get(Scope.ALL);
            if (rootItem == null) {
                rootItem = new TreeItem<>(root);
                rootItem.setExpanded(true);
                items.put(Scope.ALL, rootItem);
                setRoot(rootItem);
            } else {
                rootItem.setValue(root);
            }
            syncChildren(rootItem, root.children(), true);
        } finally {
            reconciling = false;
        }
    }

    private void syncChildren(TreeItem<TreeEntry> parent, List<TreeEntry> wanted, boolean expand) {
        List<TreeItem<TreeEntry>> next = new ArrayList<>();
        for (TreeEntry e : wanted) {
            TreeItem<TreeEntry> item = items.get(e.scope());
            if (item == null) {
                item = new TreeItem<>(e);
                item.setExpanded(expand);
                items.put(e.scope(), item);
            } else {
                item.setValue(e);
            }
            syncChildren(item, e.children(), true);
            next.add(item);
        }
        for (TreeItem<TreeEntry> old : parent.getChildren()) {
            if (!next.contains(old)) {
                forget(old);
            }
        }
        if (!parent.getChildren().equals(next)) {
            TreeItem<TreeEntry> selected = getSelectionModel().getSelectedItem();
            parent.getChildren().setAll(next);
            if (selected != null && items.containsValue(selected)) {
                getSelectionModel().select(selected);
            }
        }
    }

    private void forget(TreeItem<TreeEntry> item) {
        items.remove(item.getValue().scope());
        item.getChildren().forEach(this::forget);
    }

    /** Name · count, a connection icon for clusters, and a red attention count with an icon where above zero. */
    static final class EntryCell extends TreeCell<TreeEntry> {
        private final FontIcon icon = new FontIcon(Feather.SERVER);
        private final Label name = new Label();
        private final Label attention = new Label("", new FontIcon(Feather.ALERT_TRIANGLE));
        private final HBox box = new HBox(6, icon, name, attention);

        EntryCell() {
            box.setAlignment(Pos.CENTER_LEFT);
            attention.getStyleClass().add("rc-tree-attention");
        }

        @Override
        protected void updateItem(TreeEntry item, boolean empty) {
            super.updateItem(item, empty);
            setText(null);
            if (empty || item == null) {
                setGraphic(null);
                setTooltip(null);
                return;
            }
            name.setText(item.label());
            icon.getStyleClass().removeAll("rc-ok", "rc-progress", "rc-warn", "rc-bad", "rc-muted");
            String tip;
            if (item.isCluster()) {
                StatusBadge conn = StatusBadge.forConnection(item.connection());
                icon.setIconCode(conn.icon());
                icon.getStyleClass().add(conn.tone().styleClass());
                tip = item.name() + ": " + conn.text()
                        + (item.status() != null && item.status().message() != null
                        && !item.status().message().isBlank() ? " — " + item.status().message() : "")
                        + (item.status() != null ? " · " + item.status().cluster().environment().label() : "");
            } else if (item.isNamespace()) {
                icon.setIconCode(Feather.FOLDER);
                tip = "namespace " + item.name();
            } else {
                icon.setIconCode(Feather.LAYERS);
                tip = "every rollout in every cluster";
            }
            if (item.attention() > 0) {
                attention.setText(Integer.toString(item.attention()));
                attention.setVisible(true);
                attention.setManaged(true);
                tip += " · " + item.attention() + " need attention";
            } else {
                attention.setVisible(false);
                attention.setManaged(false);
            }
            setTooltip(new Tooltip(tip));
            setGraphic(box);
        }
    }
}
