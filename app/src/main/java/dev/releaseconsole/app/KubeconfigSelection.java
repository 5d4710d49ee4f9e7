package dev.releaseconsole.app;

import dev.releaseconsole.services.kube.KubeContexts;
import dev.releaseconsole.views.clusters.ContextChoice;
import dev.releaseconsole.views.clusters.ContextSelection;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** The "Clusters" dialog's view of the kubeconfig: every context (KUBECONFIG merged as kubectl does), marked watched. */
final class KubeconfigSelection implements ContextSelection {
    private final Supplier<KubeContexts> kubeconfig;
    private final List<String> watched;
    private final String source;
    private final Consumer<List<String>> switchTo;

    KubeconfigSelection(Supplier<KubeContexts> kubeconfig, List<String> watched, String source,
                        Consumer<List<String>> switchTo) {
        this.kubeconfig = kubeconfig;
        this.watched = List.copyOf(watched);
        this.source = source;
        this.switchTo = switchTo;
    }

    @Override
    public Listing load() {
        KubeContexts k = kubeconfig.get();
        List<ContextChoice> choices = k.contexts().stream().map(c -> new ContextChoice(c.name(), c.cluster(),
                c.user(), c.namespaceOrDefault(), c.server(), c.auth(), watched.contains(c.name()), c.problem()))
                .toList();
        List<String> problems = k.problems().stream().map(p -> p.file() + ": " + p.message()).toList();
        return new Listing(choices, source, problems);
    }

    @Override
    public void apply(List<String> contexts) {
        switchTo.accept(contexts);
    }
}
