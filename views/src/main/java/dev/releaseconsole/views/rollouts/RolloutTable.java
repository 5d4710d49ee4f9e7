package dev.releaseconsole.views.rollouts;

import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.views.common.Icons;
import dev.releaseconsole.views.common.StatusBadge;
import dev.releaseconsole.views.common.Tables;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ObjectProperty;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.ObservableValue;
import javafx.collections.ListChangeListener;
import javafx.css.PseudoClass;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.util.Callback;
import javafx.util.Duration;
import javafx.animation.PauseTransition;
import javafx.scene.input.MouseEvent;

import java.time.Instant;
import java.util.Comparator;
import java.util.function.Function;

/**
 * The rollout table across all clusters. Thin: columns and cells only; rows, filter and order live in
 * {@link RolloutTableViewModel}. Rows update in place, and the selected rollout stays selected (and the table keeps
 * its scroll position) across live updates.
 */
public final class RolloutTable extends TableView<RolloutRow> {
    private static final PseudoClass ATTENTION = PseudoClass.getPseudoClass("attention");

    private RolloutTableViewModel model;
    private ObjectProperty<RolloutRef> selection;
    private boolean listChanging;
    private RolloutRef wanted;
    private final java.util.Map<TableColumn<RolloutRow, ?>, Double> baseWidths = new java.util.LinkedHashMap<>();
    /** Columns that may give up to 25% of their width before the table scrolls sideways. */
    private final java.util.Set<TableColumn<RolloutRow, ?>> flexible = new java.util.HashSet<>();

    public RolloutTable() {
        setId("rolloutTable");
        getStyleClass().add("rc-rollout-table");
        Tables.fitWidthWithPlaceholder(this,
                "No rollouts match. Clear the search, the attention filter or the tree selection.");

        TableColumn<RolloutRow, String> name = text("Name", RolloutRow::name, 150);
        name.setId("colName");
        TableColumn<RolloutRow, String> cluster = text("Cluster", RolloutRow::cluster, 95);
        TableColumn<RolloutRow, String> ns = text("Namespace", RolloutRow::namespace, 100);
        TableColumn<RolloutRow, String> strategy = text("Strategy", RolloutRow::strategy, 110);
        TableColumn<RolloutRow, StatusBadge> status = badge("Status", RolloutRow::statusBadge, 120);
        status.setId("colStatus");
        TableColumn<RolloutRow, String> step = text("Step", RolloutRow::step, 58);
        TableColumn<RolloutRow, String> weight = text("Weight", RolloutRow::weight, 105);
        weight.setComparator(Comparator.comparingInt(RolloutTable::leadingNumber));
        TableColumn<RolloutRow, StatusBadge> analysis = badge("Analysis", RolloutRow::analysisBadge, 120);
        TableColumn<RolloutRow, VerdictShown> verdict = new TableColumn<>("Verdict");
        verdict.setId("colVerdict");
        verdict.setPrefWidth(110);
        verdict.setCellValueFactory(c -> {
            RolloutRow r = c.getValue();
            return Bindings.createObjectBinding(() -> new VerdictShown(r.verdictBadge(), r.verdictSummary()),
                    r.verdictProperty());
        });
        // worst first when sorted ascending: Fail, Error, Marginal, No data, Pass, none
        verdict.setComparator(Comparator.comparingInt((VerdictShown v) -> verdictRank(v.badge()))
                .thenComparing(v -> v.badge().text()));
        verdict.setCellFactory(c -> new VerdictCell());
        TableColumn<RolloutRow, Age> age = new TableColumn<>("Age");
        age.setPrefWidth(62);
        age.setCellValueFactory(c -> {
            RolloutRow r = c.getValue();
            return Bindings.createObjectBinding(() -> new Age(r.rollout().createdAt(), r.age()), r.ageProperty());
        });
        age.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(Age item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null : item.text());
            }
        });
        TableColumn<RolloutRow, String> why = text("Why", RolloutRow::why, 200);
        why.setId("colWhy");
        why.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty ? null : item);
                setTooltip(empty || item == null || item.isEmpty() ? null : new Tooltip(item));
                getStyleClass().remove("rc-why");
                if (!empty && item != null && !item.isEmpty()) {
                    getStyleClass().add("rc-why");
                }
            }
        });
        getColumns().setAll(java.util.List.of(name, cluster, ns, strategy, status, step, weight, analysis, verdict, age,
                why));
        for (TableColumn<RolloutRow, ?> c : getColumns()) {
            baseWidths.put(c, c.getPrefWidth());
        }
        flexible.addAll(java.util.List.of(ns, strategy));
        setScale(1.0);

        setRowFactory(tv -> new TableRow<>() {
            private final ChangeListener<Object> onChange = (o, a, b) -> refreshPseudo();
            private RolloutRow watched;

            @Override
            protected void updateItem(RolloutRow item, boolean empty) {
                super.updateItem(item, empty);
                if (watched != null) {
                    watched.rolloutProperty().removeListener(onChange);
                    watched.verdictProperty().removeListener(onChange);
                }
                watched = empty ? null : item;
                if (watched != null) {
                    watched.rolloutProperty().addListener(onChange);
                    watched.verdictProperty().addListener(onChange);
                }
                refreshPseudo();
            }

            private void refreshPseudo() {
                pseudoClassStateChanged(ATTENTION, watched != null && watched.needsAttention());
            }
        });
    }

    /** Connects the table to its model and to the shell's "selected rollout". */
    public void bind(RolloutTableViewModel vm, ObjectProperty<RolloutRef> selected) {
        this.model = vm;
        this.selection = selected;
        // Listener order matters: this one runs before the selection model reacts to a change of the items...
        vm.visibleRows().addListener((ListChangeListener<RolloutRow>) c -> listChanging = true);
        setItems(vm.visibleRows());
        // ...and this one after it, to put the selection back where a re-sort or an update moved the row.
        vm.visibleRows().addListener((ListChangeListener<RolloutRow>) c -> {
            listChanging = false;
            restoreSelection();
        });
        setSortPolicy(t -> true);
        comparatorProperty().addListener((o, was, now) -> vm.columnOrderProperty().set(now));
        freezeOrderUnderThePointer(vm);
        getSelectionModel().selectedItemProperty().addListener((o, was, now) -> {
            if (listChanging) {
                return;
            }
            wanted = now == null ? null : now.ref();
            selection.set(wanted);
        });
        selected.addListener((o, was, now) -> {
            if (now == null) {
                if (wanted != null) {
                    wanted = null;
                    getSelectionModel().clearSelection();
                }
            } else if (!now.equals(wanted)) {
                wanted = now;
                restoreSelection();
            }
        });
    }

    /**
     * Tells the model where the pointer is, so rows do not move between hover and click: frozen while the pointer
     * is over the table or a button is down, thawed when it leaves or rests for {@link RolloutTableViewModel#FREEZE_IDLE}.
     */
    private void freezeOrderUnderThePointer(RolloutTableViewModel vm) {
        PauseTransition rest = new PauseTransition(Duration.millis(RolloutTableViewModel.FREEZE_IDLE.toMillis()));
        rest.setOnFinished(e -> vm.pointerIdle());
        hoverProperty().addListener((o, was, over) -> {
            vm.setPointerOver(over);
            if (over) {
                rest.playFromStart();
            } else {
                rest.stop();
            }
        });
        addEventFilter(MouseEvent.MOUSE_MOVED, e -> {
            vm.pointerMoved();
            rest.playFromStart();
        });
        addEventFilter(MouseEvent.MOUSE_PRESSED, e -> vm.setButtonDown(true));
        addEventFilter(MouseEvent.MOUSE_RELEASED, e -> {
            vm.setButtonDown(e.isPrimaryButtonDown() || e.isSecondaryButtonDown() || e.isMiddleButtonDown());
            rest.playFromStart();
        });
    }

    private void restoreSelection() {
        if (wanted == null) {
            return;
        }
        RolloutRow current = getSelectionModel().getSelectedItem();
        if (current != null && current.ref().equals(wanted)) {
            return;
        }
        int index = -1;
        var items = getItems();
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i).ref().equals(wanted)) {
                index = i;
                break;
            }
        }
        if (index >= 0) {
            getSelectionModel().clearAndSelect(index);
        }
        // A row filtered out keeps the detail showing it; the selection comes back when the filter allows it.
    }

    /**
     * Scales the column widths (presenter mode uses 1.4 with its larger type). Columns keep at least their width so
     * nothing is cut to "..."; the last column (Why) takes what is left, and the table scrolls sideways if needed.
     */
    public void setScale(double scale) {
        baseWidths.forEach((c, w) -> {
            double min = flexible.contains(c) ? 0.75 : 1.0;
            // the minimum first: a width is clamped to the old minimum, so back from 1.4 columns stayed wide
            c.setMinWidth(c == getColumns().get(getColumns().size() - 1) ? 100 * scale : w * scale * min);
            c.setPrefWidth(w * scale);
        });
    }

    public RolloutTableViewModel model() {
        return model;
    }

    static int leadingNumber(String s) {
        int n = 0;
        for (int i = 0; i < s.length() && Character.isDigit(s.charAt(i)); i++) {
            n = n * 10 + (s.charAt(i) - '0');
        }
        return n;
    }

    private static TableColumn<RolloutRow, String> text(String title, Function<RolloutRow, String> f, double width) {
        TableColumn<RolloutRow, String> col = new TableColumn<>(title);
        col.setPrefWidth(width);
        col.setCellValueFactory(valueOf(f));
        return col;
    }

    private static TableColumn<RolloutRow, StatusBadge> badge(String title, Function<RolloutRow, StatusBadge> f,
                                                             double width) {
        TableColumn<RolloutRow, StatusBadge> col = new TableColumn<>(title);
        col.setPrefWidth(width);
        col.setCellValueFactory(valueOf(f));
        col.setComparator(Comparator.comparing(StatusBadge::text));
        col.setCellFactory(c -> new BadgeCell());
        return col;
    }

    private static <T> Callback<TableColumn.CellDataFeatures<RolloutRow, T>, ObservableValue<T>> valueOf(
            Function<RolloutRow, T> f) {
        return c -> {
            RolloutRow r = c.getValue();
            return Bindings.createObjectBinding(() -> f.apply(r), r.rolloutProperty(), r.verdictProperty());
        };
    }

    /** Icon and word in the status's tone; the word is always there. */
    static final class BadgeCell extends TableCell<RolloutRow, StatusBadge> {
        private final Label label = Icons.label(StatusBadge.forRolloutStatus(null));

        BadgeCell() {
            getStyleClass().add("rc-status-cell");
        }

        @Override
        protected void updateItem(StatusBadge item, boolean empty) {
            super.updateItem(item, empty);
            if (empty || item == null) {
                setGraphic(null);
                setText(null);
            } else {
                Icons.update(label, item);
                setGraphic(label);
                setText(null);
            }
        }
    }

    /** What the Verdict column shows: the badge, and the one-line reason for its tooltip. */
    public record VerdictShown(StatusBadge badge, String summary) {
    }

    /** The verdict's badge (icon and word in its tone), with its one-line reason as the tooltip. */
    static final class VerdictCell extends TableCell<RolloutRow, VerdictShown> {
        private final Label label = Icons.label(StatusBadge.forVerdict(null));
        private final Tooltip tip = new Tooltip();

        VerdictCell() {
            getStyleClass().addAll("rc-status-cell", "rc-verdict-cell");
            tip.setWrapText(true);
            tip.setMaxWidth(520);
        }

        @Override
        protected void updateItem(VerdictShown item, boolean empty) {
            super.updateItem(item, empty);
            if (empty || item == null) {
                setGraphic(null);
                setText(null);
                setTooltip(null);
                return;
            }
            Icons.update(label, item.badge());
            setGraphic(label);
            setText(null);
            tip.setText(item.summary());
            setTooltip(item.summary().isEmpty() ? null : tip);
        }
    }

    static int verdictRank(StatusBadge b) {
        String word = b.text().split(" ")[0];
        return switch (word) {
            case "Fail" -> 0;
            case "Error" -> 1;
            case "Marginal" -> 2;
            case "No" -> 3;
            case "Pass" -> 4;
            default -> 5;
        };
    }

    /** Age with the creation time for sorting (oldest = largest age sorts last ascending). */
    public record Age(Instant createdAt, String text) implements Comparable<Age> {
        @Override
        public int compareTo(Age o) {
            if (createdAt == null || o.createdAt == null) {
                return createdAt == null ? (o.createdAt == null ? 0 : -1) : 1;
            }
            return o.createdAt.compareTo(createdAt);
        }
    }
}
