package dev.releaseconsole.services.flags.flagd;

import dev.releaseconsole.services.actions.ActionException;
import dev.releaseconsole.services.actions.ActionException.Reason;
import dev.releaseconsole.services.kube.actions.KubeErrors;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * flagd definitions kept in a Kubernetes object, edited through the console's own connection to that cluster (so
 * the cluster's RBAC decides who may change flags). Every write is a PUT carrying the resourceVersion that was read:
 * if somebody changed the object meanwhile, the API server answers 409, and the object is read again and only the
 * user's change is applied to the new version, a bounded number of times.
 */
abstract class KubeDefinitions<T extends HasMetadata> implements DefinitionsSource {
    static final int MAX_ATTEMPTS = 5;

    private final Supplier<Optional<KubernetesClient>> client;
    protected final String cluster;
    protected final String namespace;
    protected final String name;

    KubeDefinitions(Supplier<Optional<KubernetesClient>> client, String cluster, String namespace, String name) {
        this.client = Objects.requireNonNull(client, "client");
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.name = Objects.requireNonNull(name, "name");
    }

    /** The object, or null when it does not exist. */
    abstract T get(KubernetesClient c);

    /** The definitions document inside the object. */
    abstract String textOf(T object) throws ActionException;

    /** The object with its definitions replaced by {@code text}, everything else as it was. */
    abstract T withText(T object, String text) throws ActionException;

    /** PUT with the object's resourceVersion: fails with 409 when the object changed since it was read. */
    abstract T replace(KubernetesClient c, T object);

    /** The resource as RBAC names it, for messages: "configmaps", "featureflags.core.openfeature.dev". */
    abstract String resource();

    /** The request path of the object, for the audit log. */
    abstract String requestPath();

    @Override
    public String read() throws ActionException {
        return textOf(fetch(connected()));
    }

    @Override
    public String update(DocumentEdit edit) throws ActionException {
        KubernetesClient c = connected();
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            T current = fetch(c);
            String text = textOf(current);
            FlagdDocument.Edit result = edit.apply(FlagdDocument.parse(text, describe()));
            if (result.changesNothing(text)) {
                return "nothing sent to " + describe() + ": " + result.change();
            }
            String version = current.getMetadata().getResourceVersion();
            T changed = withText(current, result.text());
            try {
                replace(c, changed);
                return "PUT " + requestPath() + " (resourceVersion " + version
                        + (attempt > 1 ? ", after " + (attempt - 1) + " conflict(s)" : "") + "): " + result.change();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw KubeErrors.toActionException(e, request("update"));
                }
                // somebody else wrote the object: read their version and apply only our change to it
            }
        }
        throw new ActionException(Reason.CONFLICT, describe() + " changed " + MAX_ATTEMPTS
                + " times while the console was writing it (409 Conflict each time); nothing was written. Try again");
    }

    private T fetch(KubernetesClient c) throws ActionException {
        T object;
        try {
            object = get(c);
        } catch (KubernetesClientException e) {
            throw KubeErrors.toActionException(e, request("get"));
        }
        if (object == null) {
            throw new ActionException(Reason.NOT_FOUND, describe() + " does not exist; check the provider's"
                    + " namespace and name in the configuration");
        }
        return object;
    }

    private KubernetesClient connected() throws ActionException {
        return client.get().orElseThrow(() -> new ActionException(Reason.UNAVAILABLE, "cluster " + cluster
                + " is not connected, so " + describe() + " cannot be read or written; see the cluster's status"));
    }

    private KubeErrors.RequestInfo request(String verb) {
        return new KubeErrors.RequestInfo(verb, resource(), namespace, name, cluster);
    }
}
