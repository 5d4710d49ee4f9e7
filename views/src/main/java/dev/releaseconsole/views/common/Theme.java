package dev.releaseconsole.views.common;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;

/** The console's two colour themes; presenter mode is a separate switch on top of either. */
public enum Theme {
    LIGHT("Light", "rc-light"),
    DARK("Dark", "rc-dark");

    private final String label;
    private final String styleClass;

    Theme(String label, String styleClass) {
        this.label = label;
        this.styleClass = styleClass;
    }

    public String label() {
        return label;
    }

    /** The style class put on the scene root; console.css defines the looked-up colours per class. */
    public String styleClass() {
        return styleClass;
    }

    public Theme other() {
        return this == DARK ? LIGHT : DARK;
    }

    /** The AtlantaFX user-agent stylesheet for this theme. */
    public String userAgentStylesheet() {
        return this == DARK ? new PrimerDark().getUserAgentStylesheet() : new PrimerLight().getUserAgentStylesheet();
    }
}
