package org.kindred.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** The files under {@code deploy/} (Maven runs the tests from this module's directory) and how to read them. */
final class DeployFiles {

    static final Path SAMPLE_CONFIG = Path.of("config", "kindred.yaml");
    static final Path CHART = Path.of("helm", "kindred");
    static final Path ALERT_RULES = Path.of("prometheus", "kindred-alerts.yaml");
    static final Path ALERT_RULE_TESTS = Path.of("prometheus", "kindred-alerts.test.yaml");
    static final Path DASHBOARD = Path.of("grafana", "kindred-dashboard.json");
    static final Path SYSTEMD_UNIT = Path.of("systemd", "kindred.service");
    static final Path OPERATIONS_DOC = Path.of("..", "docs", "operations.md");

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ObjectMapper JSON = new ObjectMapper();

    private DeployFiles() {}

    static JsonNode yaml(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every document of a multi-document YAML stream ({@code ---} separated), empty ones left out. */
    static List<JsonNode> yamlDocuments(String text) {
        List<JsonNode> documents = new ArrayList<>();
        try (YAMLParser parser = ((YAMLFactory) YAML.getFactory()).createParser(text)) {
            for (JsonNode node : YAML.readValues(parser, JsonNode.class).readAll()) {
                if (node != null && !node.isNull() && !node.isMissingNode()) {
                    documents.add(node);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return documents;
    }

    /** An RSA public key in PEM, as an identity service would publish it: what jwt.rs256PublicKeyFile reads. */
    static void writeRsaPublicKey(Path file) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(generator.generateKeyPair().getPublic().getEncoded());
            Files.createDirectories(file.getParent());
            Files.writeString(file, "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
