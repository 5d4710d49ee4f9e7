package dev.releaseconsole.services.flags.flagd;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.resource.AllowSchemaLoader;

import java.util.Comparator;
import java.util.List;

/**
 * flagd's flag-definitions schema (flags.json with targeting.json, draft-07), shipped as resources under
 * {@code flagd/schema/} (see SOURCE.txt there): its {@code https://flagd.dev/schema/v0/} ids are mapped onto the
 * classpath, and any other location is refused, so validation never reaches the network.
 */
final class FlagdSchema {
    private static final String ID_PREFIX = "https://flagd.dev/schema/v0/";

    private static final JsonSchema SCHEMA = load();

    private FlagdSchema() {
    }

    private static JsonSchema load() {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7, b -> b
                .schemaMappers(m -> m.mapPrefix(ID_PREFIX, "classpath:flagd/schema/"))
                .schemaLoaders(l -> l.add(new AllowSchemaLoader(iri -> iri.toString().startsWith("classpath:")))));
        return factory.getSchema(SchemaLocation.of(ID_PREFIX + "flags.json"));
    }

    /**
     * The schema's complaints about {@code document}, each with the JSON path it concerns; empty when valid. A flag
     * is one of four typed shapes, so a mistake in one flag also fails the three shapes it was not meant to be
     * ("string found, boolean expected"); those type mismatches come last so the real complaint (a state outside
     * ENABLED/DISABLED, a missing defaultVariant) is read first.
     */
    static List<String> validate(JsonNode document) {
        return SCHEMA.validate(document).stream()
                .sorted(Comparator.comparing((ValidationMessage m) -> "type".equals(m.getType()))
                        .thenComparing(ValidationMessage::getMessage))
                .map(ValidationMessage::getMessage).distinct().toList();
    }
}
