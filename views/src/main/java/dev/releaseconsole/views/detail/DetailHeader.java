package dev.releaseconsole.views.detail;

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
        status.textProperty().bind(vm.statusTextProperty());
        vm.statusKindProperty().addListener((o, was, now) -> applyKind(status, statusIcon, now));
        applyKind(status, statusIcon, vm.statusKindProperty().get());
        status.visibleProperty().bind(vm.presentProperty());

        Label where = chip(vm.locationProperty(), Feather.SERVER, "detailLocation");
        Label strategy = chip(vm.strategyProperty(), Feather.GIT_BRANCH, "detailStrategy");

        Label message = new Label();
        message.setId("detailMessage");
        message.getStyleClass().add("detail-message");
        message.textProperty().bind(vm.messageProperty());
        hideWhenEmpty(message, vm.messageProperty());

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
        this.revisions = revisions;
        this.vm = vm;
    }

    private final Label revisions;
    private final RolloutDetailViewModel vm;

    /** Short space (the detail under a table): the revision line goes; it stays on the Revisions tab. */
    void setCompact(boolean compact) {
        revisions.visibleProperty().unbind();
        revisions.managedProperty().unbind();
        if (compact) {
            revisions.setVisible(false);
            revisions.setManaged(false);
        } else {
            hideWhenEmpty(revisions, vm.revisionTextProperty());
        }
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

    static void applyKind(Label label, FontIcon icon, StatusKind kind) {
        for (StatusKind k : StatusKind.values()) {
            label.getStyleClass().remove(k.styleClass());
        }
        StatusKind k = kind == null ? StatusKind.UNKNOWN : kind;
        label.getStyleClass().add(k.styleClass());
        icon.setIconCode(k.icon());
    }
}
