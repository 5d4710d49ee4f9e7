package dev.releaseconsole.views.detail;

import dev.releaseconsole.services.metrics.AnalysisTemplateSource;
import dev.releaseconsole.services.model.AnalysisTemplateInfo;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.model.TemplateMetric;
import dev.releaseconsole.views.common.TaskRunner;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextArea;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.util.ArrayList;
import java.util.List;

/**
 * The queries of the analysis templates the shown rollout uses, read-only: per template its kind, name, where the
 * rollout uses it and its arguments; per metric its provider, address, conditions and the query as written (in a
 * selectable text area, to copy into Prometheus). Read through the injected {@link TaskRunner} (off the FX thread)
 * the first time the tab is shown for a rollout, and again with Reload; a template that could not be read says why.
 */
final class TemplatesPane extends BorderPane {
    private final AnalysisTemplateSource source;
    private final TaskRunner runner;
    private final VBox content = new VBox(10);
    private final Label status = new Label();
    private RolloutRef rollout;
    private RolloutRef loaded;
    private boolean showing;
    private long generation;

    TemplatesPane(AnalysisTemplateSource source, TaskRunner runner) {
        this.source = source;
        this.runner = runner;
        setId("templatesPane");
        getStyleClass().add("templates-pane");
        Label title = new Label("Queries of the analysis templates this rollout uses (read-only)");
        title.getStyleClass().add("detail-section-title");
        title.setMinWidth(0);
        status.setId("templatesStatus");
        status.getStyleClass().add("templates-status");
        status.setWrapText(true);
        status.setMinWidth(0);
        Button reload = new Button("Reload", new FontIcon(Feather.REFRESH_CW));
        reload.setId("templatesReload");
        reload.setTooltip(new Tooltip("Read the templates again from the cluster"));
        reload.setMinWidth(Region.USE_PREF_SIZE);
        reload.setOnAction(e -> load());
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox bar = new HBox(8, title, spacer, status, reload);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(4, 8, 4, 8));
        setTop(bar);
        content.setPadding(new Insets(4, 8, 8, 8));
        ScrollPane scroll = new ScrollPane(content);
        scroll.setFitToWidth(true);
        scroll.getStyleClass().add("templates-scroll");
        setCenter(scroll);
    }

    /** The rollout shown (null: none); its templates are read when the pane is showing. */
    void setRollout(RolloutRef ref) {
        rollout = ref;
        if (ref == null) {
            loaded = null;
            generation++;
            content.getChildren().clear();
            status.setText("");
        } else if (showing && !ref.equals(loaded)) {
            load();
        }
    }

    /** Whether the pane's tab is selected: the templates are read only when someone looks. */
    void setShowing(boolean now) {
        showing = now;
        if (now && rollout != null && !rollout.equals(loaded)) {
            load();
        }
    }

    void load() {
        RolloutRef ref = rollout;
        if (ref == null) {
            return;
        }
        loaded = ref;
        long gen = ++generation;
        status.setText("Reading templates…");
        runner.run(() -> source.templates(ref), templates -> {
            if (gen == generation) {
                show(templates);
            }
        }, error -> {
            if (gen == generation) {
                content.getChildren().clear();
                status.setText("Could not read the templates: " + error.getMessage());
                loaded = null; // try again next time the tab is shown
            }
        });
    }

    private void show(List<AnalysisTemplateInfo> templates) {
        List<javafx.scene.Node> nodes = new ArrayList<>();
        for (AnalysisTemplateInfo t : templates) {
            nodes.add(template(t));
        }
        content.getChildren().setAll(nodes);
        if (templates.isEmpty()) {
            status.setText("This rollout uses no analysis templates.");
        } else {
            long unreadable = templates.stream().filter(t -> !t.readable()).count();
            int metrics = templates.stream().mapToInt(t -> t.metrics().size()).sum();
            status.setText(templates.size() + (templates.size() == 1 ? " template, " : " templates, ") + metrics
                    + (metrics == 1 ? " metric" : " metrics") + (unreadable == 0 ? "" : "; " + unreadable
                    + " could not be read"));
        }
    }

    private VBox template(AnalysisTemplateInfo t) {
        Label head = new Label(t.kind() + " " + t.name());
        head.getStyleClass().add("template-name");
        Label uses = new Label("used by " + t.usedBy() + (t.args().isEmpty() ? ""
                : " · args: " + String.join(", ", t.args())));
        uses.getStyleClass().add("template-uses");
        uses.setWrapText(true);
        VBox box = new VBox(4, head, uses);
        box.getStyleClass().add("template-card");
        box.setId("template-" + t.name());
        if (!t.readable()) {
            Label problem = new Label(t.problem(), new FontIcon(Feather.ALERT_TRIANGLE));
            problem.getStyleClass().add("template-problem");
            problem.setWrapText(true);
            box.getChildren().add(problem);
            return box;
        }
        for (TemplateMetric m : t.metrics()) {
            box.getChildren().add(metric(m));
        }
        return box;
    }

    private VBox metric(TemplateMetric m) {
        Label name = new Label(m.name() + (m.provider().isEmpty() ? "" : " · " + m.provider())
                + (m.address().isEmpty() ? "" : " · " + m.address()));
        name.getStyleClass().add("template-metric-name");
        name.setWrapText(true);
        List<String> rules = new ArrayList<>();
        if (!m.successCondition().isEmpty()) {
            rules.add("success: " + m.successCondition());
        }
        if (!m.failureCondition().isEmpty()) {
            rules.add("failure: " + m.failureCondition());
        }
        if (!m.interval().isEmpty()) {
            rules.add("every " + m.interval());
        }
        if (!m.count().isEmpty()) {
            rules.add("count " + m.count());
        }
        if (!m.failureLimit().isEmpty()) {
            rules.add("failure limit " + m.failureLimit());
        }
        Label conditions = new Label(String.join(" · ", rules));
        conditions.getStyleClass().add("template-conditions");
        conditions.setWrapText(true);
        TextArea query = new TextArea(m.query());
        query.setEditable(false);
        query.setWrapText(true);
        query.getStyleClass().add("template-query");
        query.setPrefRowCount(Math.max(1, Math.min(8, m.query().split("\n", -1).length + m.query().length() / 110)));
        VBox box = new VBox(2, name, conditions, query);
        box.getStyleClass().add("template-metric");
        return box;
    }
}
