package dev.releaseconsole.views.common;

import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.javafx.FontIcon;

/** Font icons and icon-plus-word status labels. Colour is only ever a second carrier: the word is always there. */
public final class Icons {
    private Icons() {
    }

    public static FontIcon icon(Ikon ikon) {
        return new FontIcon(ikon);
    }

    public static FontIcon icon(Ikon ikon, int size) {
        FontIcon i = new FontIcon(ikon);
        i.setIconSize(size);
        return i;
    }

    /** An icon in the badge's tone, with the word as tooltip (for tight places; prefer {@link #label}). */
    public static FontIcon icon(StatusBadge badge) {
        FontIcon i = new FontIcon(badge.icon());
        i.getStyleClass().add(badge.tone().styleClass());
        Tooltip.install(i, new Tooltip(badge.text()));
        return i;
    }

    /** Icon and word, both in the badge's tone. */
    public static Label label(StatusBadge badge) {
        Label l = new Label(badge.text(), new FontIcon(badge.icon()));
        l.getStyleClass().addAll("rc-status-label", badge.tone().styleClass());
        return l;
    }

    /** Updates a label made by {@link #label} in place (table cells reuse their graphic). */
    public static void update(Label label, StatusBadge badge) {
        label.setText(badge.text());
        Node g = label.getGraphic();
        if (g instanceof FontIcon fi) {
            fi.setIconCode(badge.icon());
        } else {
            label.setGraphic(new FontIcon(badge.icon()));
        }
        for (Tone t : Tone.values()) {
            label.getStyleClass().remove(t.styleClass());
        }
        label.getStyleClass().add(badge.tone().styleClass());
    }
}
