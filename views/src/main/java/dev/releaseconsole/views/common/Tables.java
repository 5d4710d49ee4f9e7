package dev.releaseconsole.views.common;

import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.value.ObservableValue;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.util.Callback;

import java.util.function.Function;

/** The console's table conventions, so every table fills its width and says the same way when it has no rows. */
public final class Tables {
    private Tables() {
    }

    /**
     * Columns fill the table's width, the last one taking what is left; {@code emptyText} (styled
     * {@code .rc-placeholder}) stands in the table when no row is shown.
     */
    public static void fitWidthWithPlaceholder(TableView<?> table, String emptyText) {
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        Label empty = new Label(emptyText);
        empty.getStyleClass().add("rc-placeholder");
        table.setPlaceholder(empty);
    }

    /** A read-only column's cell values: {@code f} of the row. */
    public static <S, T> Callback<TableColumn.CellDataFeatures<S, T>, ObservableValue<T>> value(Function<S, T> f) {
        return c -> new ReadOnlyObjectWrapper<>(f.apply(c.getValue()));
    }
}
