package dev.releaseconsole.services.flags.flagd;

import dev.releaseconsole.services.actions.ActionException;
import dev.releaseconsole.services.actions.ActionException.Reason;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * flagd definitions in one key of a ConfigMap (how flagd is commonly fed in a cluster: mounted as a file, or read
 * by flagd's Kubernetes sync). The key's text is edited as text, so its formatting survives; every other key,
 * label and annotation is written back as read.
 */
public final class ConfigMapDefinitions extends KubeDefinitions<ConfigMap> {
    private final String key;

    /**
     * @param client  the console's connection to the cluster ({@code KubeCluster::client}); empty while not connected
     * @param cluster the cluster's name, for messages
     */
    public ConfigMapDefinitions(Supplier<Optional<KubernetesClient>> client, String cluster, String namespace,
                                String name, String key) {
        super(client, cluster, namespace, name);
        this.key = Objects.requireNonNull(key, "key");
    }

    @Override
    public String kind() {
        return "flagd-configmap";
    }

    @Override
    public String describe() {
        return "ConfigMap " + namespace + "/" + name + " key " + key + " on cluster " + cluster;
    }

    @Override
    ConfigMap get(KubernetesClient c) {
        return c.configMaps().inNamespace(namespace).withName(name).get();
    }

    @Override
    String textOf(ConfigMap cm) throws ActionException {
        Map<String, String> data = cm.getData();
        if (data == null || !data.containsKey(key)) {
            throw new ActionException(Reason.NOT_FOUND, describe() + " does not exist: the ConfigMap has "
                    + (data == null || data.isEmpty() ? "no data keys" : "only the keys " + new TreeSet<>(data.keySet()))
                    + "; check the provider's key in the configuration");
        }
        return data.get(key);
    }

    @Override
    ConfigMap withText(ConfigMap cm, String text) {
        Map<String, String> data = new LinkedHashMap<>(cm.getData());
        data.put(key, text);
        cm.setData(data);
        return cm;
    }

    @Override
    ConfigMap replace(KubernetesClient c, ConfigMap cm) {
        return c.configMaps().inNamespace(namespace).resource(cm).update();
    }

    @Override
    String resource() {
        return "configmaps";
    }

    @Override
    String requestPath() {
        return "/api/v1/namespaces/" + namespace + "/configmaps/" + name;
    }
}
