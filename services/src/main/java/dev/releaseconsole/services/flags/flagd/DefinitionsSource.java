package dev.releaseconsole.services.flags.flagd;

import dev.releaseconsole.services.actions.ActionException;

/**
 * Where one flagd definitions document lives (a file, a ConfigMap key, a FeatureFlag resource) and how it is
 * written back without losing a concurrent change. Every edit goes through {@link FlagdDocument}, so the three
 * places share one editing core.
 */
public interface DefinitionsSource {
    /** "flagd-file", "flagd-configmap" or "flagd-featureflag". */
    String kind();

    /** Where the document is, for messages: "file /etc/flagd/flags.json", "ConfigMap shop/flags key flags.json ...". */
    String describe();

    /** The document's current text, read fresh. */
    String read() throws ActionException;

    /**
     * Reads the current text, applies {@code edit} to it and writes the result only if nobody changed the document
     * in between; when somebody did, reads again and re-applies the edit to their version (a bounded number of
     * times). Returns what was written, for the audit log.
     */
    String update(DocumentEdit edit) throws ActionException;

    /** One edit, applied to whatever text is current when it runs. */
    @FunctionalInterface
    interface DocumentEdit {
        FlagdDocument.Edit apply(FlagdDocument current) throws ActionException;
    }
}
