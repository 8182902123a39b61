package org.kindred.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.FieldScope;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaBuilder;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.module.jackson.JacksonModule;
import com.github.victools.jsonschema.module.jackson.JacksonOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Generates the JSON Schema (draft 2020-12) of the protocol from its records: one document per direction, each a
 * {@code oneOf} of every message, discriminated by the constant {@code type} field. A field is {@code required} unless
 * its record component is {@link MayBeAbsent}; descriptions come from the records' Javadoc. Unknown fields are allowed,
 * as the codec ignores them, so that newer peers can add fields.
 *
 * <p>The documents are checked into {@code docs/schema}; {@link ProtocolSchemaTest} fails when they drift.
 */
final class ProtocolSchemas {

    /** Where the documents live, relative to the repository root. */
    static final Path SCHEMA_DIR = Path.of("docs", "schema");

    static final String CLIENT_FILE = "client-message.schema.json";
    static final String SERVER_FILE = "server-message.schema.json";

    /** Fields whose values come from a fixed set the protocol declares. */
    private static final Map<String, Collection<String>> VALUE_SETS = Map.of(
            "Report.category", ClientMessage.REPORT_CATEGORIES,
            "Sanction.kind", ClientMessage.SANCTION_KINDS,
            "CreateGroup.recurrence", ClientMessage.RECURRENCES,
            "UpdateGroup.recurrence", ClientMessage.RECURRENCES);

    private static final String CLIENT_REF = "Any short string the client picks (at most "
            + ClientMessage.MAX_REF_LENGTH + " characters); the reply or error this command causes echoes it.";
    private static final String SERVER_REF =
            "The `ref` of the command this frame answers; absent when the frame is an event of its own.";

    private final ObjectMapper mapper = new ObjectMapper();
    private final RecordDocs docs;

    /** @param sources the protocol module's main Java sources, for the descriptions */
    ProtocolSchemas(Path sources) {
        this.docs = RecordDocs.read(sources);
    }

    /** The schema of every command a client sends. */
    ObjectNode client() {
        ObjectNode schema = generate(
                ClientMessage.class,
                "Kindred client command",
                "A JSON text frame a client sends on `/ws`. `hello` comes first on every connection.",
                CLIENT_REF);
        return schema;
    }

    /** The schema of every frame the server sends, with the error and close codes as named value sets. */
    ObjectNode server() {
        ObjectNode schema = generate(
                ServerMessage.class,
                "Kindred server frame",
                "A JSON text frame the server sends on `/ws`: a reply to a command (carrying its `ref`) or an event.",
                SERVER_REF);
        ObjectNode defs = (ObjectNode) schema.get("$defs");
        ObjectNode errorCode = defs.putObject("ErrorCode");
        errorCode.put(
                "description",
                "The stable error codes of this protocol version, for `Error.code`. A server of "
                        + "a newer version may send others: treat an unknown code by its `retryable` flag.");
        errorCode.put("type", "string");
        Arrays.stream(ErrorCode.values()).map(ErrorCode::wire).forEach(errorCode.putArray("enum")::add);
        ObjectNode closeCode = defs.putObject("CloseCode");
        closeCode.put(
                "description",
                "The WebSocket close codes the server sends. "
                        + CloseCode.RECONNECT_RANGE_START + "–" + CloseCode.RECONNECT_RANGE_END
                        + ": reconnect (with jittered "
                        + "backoff, resuming rooms with `since`); " + CloseCode.TERMINAL_RANGE_START + "–"
                        + CloseCode.TERMINAL_RANGE_END + ": do not reconnect as you are; 1009: a frame was too large.");
        closeCode.put("type", "integer");
        Arrays.stream(CloseCode.values()).map(CloseCode::code).forEach(closeCode.putArray("enum")::add);
        return schema;
    }

    /** The wire names of a sealed message type's records, in declaration order of its {@code @JsonSubTypes}. */
    static Map<Class<?>, String> wireNames(Class<?> sealed) {
        Map<Class<?>, String> names = new LinkedHashMap<>();
        for (JsonSubTypes.Type type : sealed.getAnnotation(JsonSubTypes.class).value()) {
            names.put(type.value(), type.name());
        }
        return names;
    }

    private ObjectNode generate(Class<?> sealed, String title, String description, String refDescription) {
        Map<Class<?>, String> wireNames = wireNames(sealed);
        SchemaGenerator generator =
                new SchemaGenerator(config(wireNames, refDescription).build());
        SchemaBuilder builder = generator.buildMultipleSchemaDefinitions();
        List<ObjectNode> references =
                wireNames.keySet().stream().map(builder::createSchemaReference).toList();
        ObjectNode definitions = builder.collectDefinitions("$defs");

        ObjectNode schema = mapper.createObjectNode();
        schema.put("$schema", SchemaVersion.DRAFT_2020_12.getIdentifier());
        schema.put("title", title);
        schema.put(
                "description",
                description + " The `type` field selects the message. Generated from the "
                        + "records of the `protocol` module (" + ProtocolVersion.class.getPackageName()
                        + ", protocol version "
                        + ProtocolVersion.CURRENT + "); docs/protocol.md is the specification.");
        ArrayNode oneOf = schema.putArray("oneOf");
        references.forEach(oneOf::add);
        schema.set("$defs", sorted(definitions));
        return schema;
    }

    private SchemaGeneratorConfigBuilder config(Map<Class<?>, String> wireNames, String refDescription) {
        SchemaGeneratorConfigBuilder config = new SchemaGeneratorConfigBuilder(
                        mapper, SchemaVersion.DRAFT_2020_12, OptionPreset.PLAIN_JSON)
                .with(new JacksonModule(JacksonOption.SKIP_SUBTYPE_LOOKUP, JacksonOption.IGNORE_TYPE_INFO_TRANSFORM))
                .with(Option.DEFINITIONS_FOR_ALL_OBJECTS)
                .with(Option.MAP_VALUES_AS_ADDITIONAL_PROPERTIES) // a claim name to its values: a typed map
                .without(Option.SCHEMA_VERSION_INDICATOR);
        config.forTypesInGeneral()
                .withDefinitionNamingStrategy(
                        // The protocol's one map (a room audience's claims) gets a name that is not JavaScript's Map.
                        (key, context) ->
                                Map.class.isAssignableFrom(key.getType().getErasedType())
                                        ? "ClaimValues"
                                        : key.getType().getErasedType().getSimpleName())
                .withPropertySorter((a, b) -> 0) // keep the record's component order: the wire order
                .withDescriptionResolver(
                        scope -> docs.type(scope.getType().getErasedType()).orElse(null))
                .withTypeAttributeOverride((node, scope, context) -> {
                    String wire = wireNames.get(scope.getType().getErasedType());
                    if (wire != null) {
                        discriminate(node, wire);
                    }
                });
        config.forFields()
                .withRequiredCheck(field -> !field.getRawMember().isAnnotationPresent(MayBeAbsent.class))
                .withDescriptionResolver(field -> describe(field, refDescription))
                .withEnumResolver(field -> Optional.ofNullable(VALUE_SETS.get(key(field)))
                        .map(values -> values.stream().sorted().toList())
                        .orElse(null));
        return config;
    }

    private String describe(FieldScope field, String refDescription) {
        if (field.isFakeContainerItemScope()) {
            return null; // described once, on the list
        }
        Class<?> owner = field.getDeclaringType().getErasedType();
        return docs.component(owner, field.getName()).orElse(field.getName().equals("ref") ? refDescription : null);
    }

    private static String key(FieldScope field) {
        return field.getDeclaringType().getErasedType().getSimpleName() + "." + field.getName();
    }

    /** Puts {@code "type": {"const": wire}} first among the properties and in {@code required}. */
    private void discriminate(ObjectNode node, String wire) {
        ObjectNode properties = mapper.createObjectNode();
        properties.putObject("type").put("const", wire);
        JsonNode existing = node.get("properties");
        if (existing != null) {
            properties.setAll((ObjectNode) existing);
        }
        node.set("properties", properties);
        ArrayNode required = mapper.createArrayNode().add("type");
        JsonNode existingRequired = node.get("required");
        if (existingRequired != null) {
            required.addAll((ArrayNode) existingRequired);
        }
        node.set("required", required);
    }

    private ObjectNode sorted(ObjectNode definitions) {
        ObjectNode sorted = mapper.createObjectNode();
        Set<String> names = definitions.properties().stream()
                .map(Map.Entry::getKey)
                .collect(Collectors.toCollection(java.util.TreeSet::new));
        names.forEach(name -> sorted.set(name, definitions.get(name)));
        return sorted;
    }
}
