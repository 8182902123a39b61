package org.kindred.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The JSON Schema in docs/schema is what the records generate, and every golden example is valid against it. When the
 * records change, regenerate the documents (see {@link ProtocolDocs#UPDATE_HINT}) and commit them with the change.
 */
class ProtocolSchemaTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static ProtocolDocs docs;
    private static Schema clientSchema;
    private static Schema serverSchema;

    @BeforeAll
    static void generate() throws IOException {
        docs = ProtocolDocs.generate();
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
        clientSchema = registry.getSchema(docs.text(ProtocolDocs.CLIENT_SCHEMA));
        serverSchema = registry.getSchema(docs.text(ProtocolDocs.SERVER_SCHEMA));
    }

    static Stream<Golden.Example> clientExamples() {
        return Golden.CLIENT.stream();
    }

    static Stream<Golden.Example> serverExamples() {
        return Golden.SERVER.stream();
    }

    @Test
    void theClientSchemaInTheDocsIsWhatTheRecordsGenerate() throws IOException {
        docs.assertUpToDate(ProtocolDocs.CLIENT_SCHEMA);
    }

    @Test
    void theServerSchemaInTheDocsIsWhatTheRecordsGenerate() throws IOException {
        docs.assertUpToDate(ProtocolDocs.SERVER_SCHEMA);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clientExamples")
    void everyClientGoldenExampleIsValidAgainstTheSchema(Golden.Example example) throws IOException {
        assertThat(clientSchema.validate(MAPPER.readTree(example.json()))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("serverExamples")
    void everyServerGoldenExampleIsValidAgainstTheSchema(Golden.Example example) throws IOException {
        assertThat(serverSchema.validate(MAPPER.readTree(example.json()))).isEmpty();
    }

    @Test
    void aCommandWithoutARequiredFieldIsInvalid() throws IOException {
        List<Error> errors = clientSchema.validate(MAPPER.readTree("""
                {"type":"send","ref":"4","room":"diabetes-t1","text":"hi"}"""));
        assertThat(errors).isNotEmpty();
        assertThat(errors.toString()).contains("clientMsgId");
    }

    @Test
    void aFrameOfAnUnknownTypeIsInvalid() throws IOException {
        assertThat(serverSchema.validate(MAPPER.readTree("""
                {"type":"from_the_future","ref":"1"}"""))).isNotEmpty();
        assertThat(clientSchema.validate(MAPPER.readTree("""
                {"type":"welcome","ref":"1"}"""))).isNotEmpty();
    }

    @Test
    void unknownFieldsAreAllowedAsTheCodecIgnoresThem() throws IOException {
        assertThat(clientSchema.validate(MAPPER.readTree("""
                {"type":"ping","ref":"7","newerField":true}"""))).isEmpty();
    }

    @Test
    void everyMessageIsOneDefinitionDiscriminatedByItsType() {
        for (var direction : List.of(ClientMessage.class, ServerMessage.class)) {
            ObjectNode schema = direction == ClientMessage.class ? docs.client() : docs.server();
            ProtocolSchemas.wireNames(direction).forEach((type, wire) -> {
                JsonNode definition = schema.path("$defs").path(type.getSimpleName());
                assertThat(definition
                                .path("properties")
                                .path("type")
                                .path("const")
                                .asText())
                        .as(type.getSimpleName())
                        .isEqualTo(wire);
                assertThat(definition.path("required").get(0).asText()).isEqualTo("type");
                assertThat(schema.path("oneOf").toString()).contains("#/$defs/" + type.getSimpleName());
            });
        }
    }

    @Test
    void theErrorCodesAreListedForClientsToSwitchOn() {
        assertThat(docs.server().path("$defs").path("ErrorCode").path("enum")).hasSize(ErrorCode.values().length);
    }
}
