package dev.releaseconsole.views.detail;

import dev.releaseconsole.views.common.Icons;
import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableStringValue;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * Name, where it runs, strategy, status badge (icon + word), the controller's message, why it needs attention,
 * weights, replicas and revisions. Wraps on a small window.
 */
final class DetailHeader extends VBox {
    DetailHeader(RolloutDetailViewModel vm) {
        setId("detailHeader");
        getStyleClass().add("detail-header");
        setSpacing(4);

        Label name = new Label();
        name.setId("detailName");
        name.getStyleClass().add("detail-name");
        name.textProperty().bind(vm.titleProperty());

        Label status = new Label();
        status.setId("detailStatus");
        status.getStyleClass().add("status-badge");
        FontIcon statusIcon = new FontIcon(Feather.HELP_CIRCLE);
        statusIcon.getStyleClass().add("status-icon");
        status.setGraphic(statusIcon);
        // The badge carries the word, the icon and the tone, from the same mapping the rollout table uses.
        vm.statusBadgeProperty().addListener((o, was, now) -> Icons.update(status, now));
        Icons.update(status, vm.statusBadgeProperty().get());
        status.visibleProperty().bind(vm.presentProperty());

        Label where = chip(vm.locationProperty(), Feather.SERVER, "detailLocation");
        Label strategy = chip(vm.strategyProperty(), Feather.GIT_BRANCH, "detailStrategy");

        Label message = new Label();
        message.setId("detailMessage");
        message.getStyleClass().add("detail-message");
        // not twice: an aborted or degraded rollout's "needs attention" line already quotes the message
        javafx.beans.binding.StringBinding shownMessage = Bindings.createStringBinding(() -> {
            String m = vm.messageProperty().get();
            return m == null || vm.attentionProperty().get().contains(m) ? "" : m;
        }, vm.messageProperty(), vm.attentionProperty());
        message.textProperty().bind(shownMessage);
        hideWhenEmpty(message, shownMessage);
        this.status = status;

        FlowPane titleRow = new FlowPane(10, 2, name, status, where, strategy, message);
        titleRow.setAlignment(Pos.CENTER_LEFT);
        titleRow.setRowValignment(javafx.geometry.VPos.CENTER);
        titleRow.getStyleClass().add("detail-title-row");

        Label attention = new Label();
        attention.setId("detailAttention");
        attention.getStyleClass().add("detail-attention");
        attention.setGraphic(new FontIcon(Feather.ALERT_TRIANGLE));
        attention.setWrapText(true);
        attention.textProperty().bind(Bindings.concat("Needs attention: ", vm.attentionProperty()));
        hideWhenEmpty(attention, vm.attentionProperty());

        Label weights = chip(vm.weightsTextProperty(), Feather.PERCENT, "detailWeights");
        Label replicas = chip(vm.replicasTextProperty(), Feather.LAYERS, "detailReplicas");
        Label timing = chip(vm.stepTimingProperty(), Feather.CLOCK, "detailStepTiming");
        Label flagger = chip(vm.flaggerTextProperty(), Feather.ACTIVITY, "detailFlagger");
        Label blueGreen = chip(vm.blueGreenTextProperty(), Feather.TOGGLE_RIGHT, "detailBlueGreen");
        Label revisions = chip(vm.revisionTextProperty(), Feather.PACKAGE, "detailRevision");
        FlowPane facts = new FlowPane(14, 2, weights, replicas, timing, flagger, blueGreen, revisions);
        facts.getStyleClass().add("detail-facts");
        Label problems = new Label();
        problems.getStyleClass().add("detail-read-problems");
        problems.textProperty().bind(vm.readProblemsProperty());
        hideWhenEmpty(problems, vm.readProblemsProperty());

        getChildren().addAll(titleRow, attention, facts, problems);
        // the controller's message also shows on the status badge, for when compact mode hides its line
        javafx.scene.control.Tooltip statusTip = new javafx.scene.control.Tooltip();
        statusTip.textProperty().bind(Bindings.concat(vm.statusTextProperty(), ": ", vm.messageProperty()));
        status.setTooltip(statusTip);
        secondary.put(revisions, vm.revisionTextProperty());
        secondary.put(blueGreen, vm.blueGreenTextProperty());
        secondary.put(message, shownMessage);
    }

    private final Label status;

    /** The header's base font size (larger in presenter mode), for deciding when space is short. */
    javafx.beans.value.ObservableValue<javafx.scene.text.Font> baseFont() {
        return status.fontProperty();
    }

    /** Lines that give way in a short space, with the text each shows (they stay on the tabs and in tooltips). */
    private final java.util.Map<Label, ObservableStringValue> secondary = new java.util.LinkedHashMap<>();

    /**
     * Short space (the detail under a table, a small window, presenter mode): the revision line (on the Revisions
     * tab), the blue-green selectors (on the Steps tab) and the controller's message (the status badge's tooltip)
     * go, so the tabs keep their room.
     */
    void setCompact(boolean compact) {
        secondary.forEach((label, text) -> {
            label.visibleProperty().unbind();
            label.managedProperty().unbind();
            if (compact) {
                label.setVisible(false);
                label.setManaged(false);
            } else {
                hideWhenEmpty(label, text);
            }
        });
    }

    private static Label chip(ObservableStringValue text, Feather icon, String id) {
        Label l = new Label();
        l.setId(id);
        l.getStyleClass().add("detail-fact");
        l.setGraphic(new FontIcon(icon));
        l.textProperty().bind(text);
        hideWhenEmpty(l, text);
        return l;
    }

    static void hideWhenEmpty(javafx.scene.Node n, ObservableStringValue text) {
        n.visibleProperty().bind(Bindings.createBooleanBinding(() -> text.get() != null && !text.get().isBlank(),
                text));
        n.managedProperty().bind(n.visibleProperty());
    }
}
