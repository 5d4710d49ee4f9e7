package dev.releaseconsole.services.kube;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Loads the multi-document YAML fixtures under src/test/resources/kube/ as raw Kubernetes objects. */
public final class KubeFixtures {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private KubeFixtures() {
    }

    public static List<GenericKubernetesResource> load(String name) {
        try (InputStream in = KubeFixtures.class.getResourceAsStream("/kube/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture /kube/" + name);
            }
            List<GenericKubernetesResource> out = new ArrayList<>();
            try (MappingIterator<Map<String, Object>> docs = YAML.readerFor(Map.class).readValues(in)) {
                while (docs.hasNext()) {
                    Map<String, Object> doc = docs.next();
                    if (doc != null && !doc.isEmpty()) {
                        out.add(Serialization.jsonMapper().convertValue(doc, GenericKubernetesResource.class));
                    }
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<GenericKubernetesResource> ofKind(List<GenericKubernetesResource> all, String kind) {
        return all.stream().filter(r -> kind.equals(r.getKind())).toList();
    }

    static GenericKubernetesResource named(List<GenericKubernetesResource> all, String kind, String name) {
        return all.stream().filter(r -> kind.equals(r.getKind()) && name.equals(r.getMetadata().getName()))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no " + kind + " " + name));
    }
}
