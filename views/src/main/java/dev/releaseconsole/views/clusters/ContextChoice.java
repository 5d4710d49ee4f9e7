package dev.releaseconsole.views.clusters;

/**
 * One kubeconfig context as the picker lists it: {@code problem} says why it cannot be watched (no server, a
 * missing user), null when it can; {@code auth} names how it authenticates (token, client certificate, exec plugin),
 * never the secret itself.
 */
public record ContextChoice(String name, String cluster, String user, String namespace, String server, String auth,
                            boolean watched, String problem) {
    public boolean usable() {
        return problem == null;
    }
}
