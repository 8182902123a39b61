package org.kindred.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/asyncapi.yaml parses as an AsyncAPI 3 document of the {@code /ws} channel, names every client command and
 * server frame with its wire type, and every reference in it resolves: to the document itself or into the JSON
 * Schema files beside it.
 */
class AsyncApiDocumentTest {

    private static JsonNode doc;

    @BeforeAll
    static void read() throws IOException {
        ProtocolDocs docs = ProtocolDocs.generate();
        docs.assertUpToDate(ProtocolDocs.ASYNCAPI);
        doc = new YAMLMapper().readTree(Files.readString(ProtocolDocs.DOCS.resolve(ProtocolDocs.ASYNCAPI)));
    }

    @Test
    void isAnAsyncApi3DocumentOfTheWebSocketChannel() {
        assertThat(doc.path("asyncapi").asText()).startsWith("3.");
        assertThat(doc.path("info").path("version").isTextual()).isTrue();
        assertThat(doc.path("info").path("version").asText()).isEqualTo(String.valueOf(ProtocolVersion.CURRENT));
        assertThat(doc.path("channels")
                        .path(AsyncApiDocument.CHANNEL)
                        .path("address")
                        .asText())
                .isEqualTo("/ws");
        assertThat(doc.path("servers").path("embedded").path("protocol").asText())
                .isEqualTo("ws");
    }

    @Test
    void everyClientCommandIsAMessageTheServerReceives() {
        assertMessages(ClientMessage.class, "receiveCommand", "receive", ProtocolDocs.CLIENT_SCHEMA);
    }

    @Test
    void everyServerFrameIsAMessageTheServerSends() {
        assertMessages(ServerMessage.class, "sendFrame", "send", ProtocolDocs.SERVER_SCHEMA);
    }

    @Test
    void everyReferenceResolves() throws IOException {
        ObjectMapper json = new ObjectMapper();
        Map<String, JsonNode> schemas = Map.of(
                ProtocolDocs.CLIENT_SCHEMA,
                json.readTree(
                        ProtocolDocs.DOCS.resolve(ProtocolDocs.CLIENT_SCHEMA).toFile()),
                ProtocolDocs.SERVER_SCHEMA,
                json.readTree(
                        ProtocolDocs.DOCS.resolve(ProtocolDocs.SERVER_SCHEMA).toFile()));
        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);
        assertThat(refs).hasSizeGreaterThan(3 * 90);
        for (String ref : refs) {
            String[] parts = ref.split("#", 2);
            JsonNode target = parts[0].isEmpty() ? doc : schemas.get(parts[0].replaceFirst("^\\./", ""));
            assertThat(target).as("file of %s", ref).isNotNull();
            assertThat(target.at(parts[1]).isMissingNode()).as(ref).isFalse();
        }
    }

    private void assertMessages(Class<?> sealed, String operation, String action, String schemaFile) {
        JsonNode op = doc.path("operations").path(operation);
        assertThat(op.path("action").asText()).isEqualTo(action);
        Set<String> listed = new HashSet<>();
        op.path("messages").forEach(m -> listed.add(m.path("$ref").asText()));
        ProtocolSchemas.wireNames(sealed).forEach((type, wire) -> {
            String name = type.getSimpleName();
            JsonNode message = doc.path("components").path("messages").path(name);
            assertThat(message.path("name").asText()).as(name).isEqualTo(wire);
            assertThat(message.path("payload").path("schema").path("$ref").asText())
                    .isEqualTo("./" + schemaFile + "#/$defs/" + name);
            assertThat(listed).contains("#/channels/" + AsyncApiDocument.CHANNEL + "/messages/" + name);
        });
        assertThat(listed).hasSize(sealed.getPermittedSubclasses().length);
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            node.properties().forEach(e -> {
                if (e.getKey().equals("$ref")) {
                    refs.add(e.getValue().asText());
                } else {
                    collectRefs(e.getValue(), refs);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> collectRefs(child, refs));
        }
    }
}
