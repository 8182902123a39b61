package org.kindred.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The machine-readable protocol documents in {@code docs/}, as the records generate them: the two JSON Schema files
 * and the AsyncAPI document. Tests compare them with the checked-in files; run with {@value #UPDATE_PROPERTY}{@code
 * =true} to write them instead.
 */
final class ProtocolDocs {

    static final String CLIENT_SCHEMA = "schema/" + ProtocolSchemas.CLIENT_FILE;
    static final String SERVER_SCHEMA = "schema/" + ProtocolSchemas.SERVER_FILE;
    static final String ASYNCAPI = "asyncapi.yaml";

    static final String UPDATE_PROPERTY = "kindred.updateDocs";
    static final String UPDATE_HINT =
            "mvn -pl protocol test -Dtest='Protocol*Test' -Dkindred.updateDocs=true   (then review and commit the diff)";

    /** The repository's docs folder, seen from the protocol module (where Maven runs its tests). */
    static final Path DOCS = Path.of("..", "docs");

    private static final Path SOURCES = Path.of("src", "main", "java");

    private final ObjectNode client;
    private final ObjectNode server;
    private final Map<String, String> texts = new LinkedHashMap<>();

    private ProtocolDocs(ObjectNode client, ObjectNode server, ObjectNode asyncApi) {
        this.client = client;
        this.server = server;
        texts.put(CLIENT_SCHEMA, json(client));
        texts.put(SERVER_SCHEMA, json(server));
        texts.put(ASYNCAPI, yaml(asyncApi));
    }

    /** Generates the documents, and writes them to docs/ when {@value #UPDATE_PROPERTY} is true. */
    static ProtocolDocs generate() throws IOException {
        ProtocolSchemas schemas = new ProtocolSchemas(SOURCES);
        ObjectNode client = schemas.client();
        ObjectNode server = schemas.server();
        ProtocolDocs docs = new ProtocolDocs(client, server, new AsyncApiDocument().generate(client, server));
        if (Boolean.getBoolean(UPDATE_PROPERTY)) {
            for (Map.Entry<String, String> entry : docs.texts.entrySet()) {
                Path file = DOCS.resolve(entry.getKey());
                Files.createDirectories(file.getParent());
                Files.writeString(file, entry.getValue(), StandardCharsets.UTF_8);
            }
        }
        return docs;
    }

    ObjectNode client() {
        return client;
    }

    ObjectNode server() {
        return server;
    }

    /** A generated document's text, by its path under docs/. */
    String text(String file) {
        return texts.get(file);
    }

    /** Fails, saying how to regenerate it, when the checked-in document differs from the generated one. */
    void assertUpToDate(String file) throws IOException {
        Path path = DOCS.resolve(file);
        assertThat(path)
                .as("docs/%s is missing; generate it with: %s", file, UPDATE_HINT)
                .isRegularFile();
        assertThat(Files.readString(path, StandardCharsets.UTF_8))
                .as("docs/%s is not what the protocol records generate; regenerate it with: %s", file, UPDATE_HINT)
                .isEqualTo(text(file));
    }

    private static String json(ObjectNode node) {
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter(
                        Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"));
        try {
            return new ObjectMapper().writer(printer).writeValueAsString(node) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String yaml(ObjectNode node) {
        YAMLMapper yaml = new YAMLMapper(YAMLFactory.builder()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
                .disable(YAMLGenerator.Feature.SPLIT_LINES)
                .build());
        try {
            return "# Generated from the protocol records by the protocol module's tests; do not edit by hand.\n"
                    + "# Regenerate: " + UPDATE_HINT + "\n" + yaml.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
