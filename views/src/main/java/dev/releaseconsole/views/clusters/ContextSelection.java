package dev.releaseconsole.views.clusters;

import java.util.List;

/**
 * Which kubeconfig contexts the console watches, as the app knows them. {@link #load} reads the kubeconfig files
 * (call it off the FX thread); {@link #apply} switches the console to the chosen contexts (the app reconnects).
 */
public interface ContextSelection {
    /** The contexts in the user's kubeconfig (KUBECONFIG files merged as kubectl does), marked watched or not. */
    Listing load() throws Exception;

    /** Watch exactly these contexts from now on (empty: the demo world alone). */
    void apply(List<String> contexts);

    /**
     * @param contexts  every context found
     * @param source    where the current selection comes from, e.g. "--context", "your last pick", "config.yaml"
     * @param problems  kubeconfig files that could not be read, in words
     */
    record Listing(List<ContextChoice> contexts, String source, List<String> problems) {
        public Listing {
            contexts = List.copyOf(contexts);
            problems = List.copyOf(problems);
        }
    }
}
