package dev.releaseconsole.views.common;

/** The meaning a status carries; each maps to a looked-up colour in console.css (and always has an icon and a word). */
public enum Tone {
    OK("rc-ok"), PROGRESS("rc-progress"), WARN("rc-warn"), BAD("rc-bad"), MUTED("rc-muted");

    private final String styleClass;

    Tone(String styleClass) {
        this.styleClass = styleClass;
    }

    public String styleClass() {
        return styleClass;
    }
}
