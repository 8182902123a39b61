package org.kindred.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Keeps docs/protocol.md in step with the code: every golden example appears in it (pretty-printing allowed, field
 * order not), every JSON example with a {@code type} decodes, and every error and close code is in its table.
 */
class ProtocolDocTest {

    private static final Pattern JSON_BLOCK = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static String doc;
    private static List<String> jsonBlocks;

    @BeforeAll
    static void readDoc() throws IOException {
        Path path = Path.of("..", "docs", "protocol.md");
        assumeTrue(Files.isRegularFile(path), "docs/protocol.md is not next to the protocol module");
        doc = Files.readString(path);
        jsonBlocks = new ArrayList<>();
        Matcher m = JSON_BLOCK.matcher(doc);
        while (m.find()) {
            // compact form, field order kept: what WireCodec writes
            jsonBlocks.add(MAPPER.writeValueAsString(MAPPER.readTree(m.group(1))));
        }
    }

    @Test
    void everyGoldenExampleAppearsInTheDoc() {
        List<String> golden = new ArrayList<>();
        Golden.CLIENT.forEach(e -> golden.add(e.json()));
        Golden.SERVER.forEach(e -> golden.add(e.json()));
        assertThat(jsonBlocks).containsAll(golden);
    }

    @Test
    void everyMessageExampleInTheDocDecodes() throws IOException {
        WireCodec codec = new WireCodec();
        for (String block : jsonBlocks) {
            JsonNode node = MAPPER.readTree(block);
            if (!node.isObject() || !node.has("type")) {
                continue;
            }
            boolean decodes = false;
            try {
                codec.decodeClient(block);
                decodes = true;
            } catch (DecodeException notAClientCommand) {
                try {
                    codec.decodeServer(block);
                    decodes = true;
                } catch (DecodeException notAServerFrame) {
                    // reported below
                }
            }
            assertThat(decodes)
                    .as("example in docs/protocol.md decodes: %s", block)
                    .isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void everyErrorCodeIsInTheErrorTableWithItsRetryableFlag(ErrorCode code) {
        assertThat(doc).contains("| `" + code.wire() + "` | " + (code.retryable() ? "yes" : "no") + " |");
    }

    @ParameterizedTest
    @EnumSource(CloseCode.class)
    void everyCloseCodeIsInTheCloseTableWithItsAdvice(CloseCode code) {
        assertThat(doc)
                .contains("| " + code.code() + " | " + code.reason() + " | "
                        + (code.reconnect() ? "reconnect" : "do not reconnect") + " |");
    }

    @Test
    void theDefaultLimitsInTheDocAreTheGoldenOnes() {
        Limits l = Golden.DEFAULT_LIMITS;
        assertThat(doc)
                .contains("| `maxTextLength` | " + l.maxTextLength() + " |")
                .contains("| `maxFrameBytes` | " + l.maxFrameBytes() + " |")
                .contains("| `ratePerSecond` | " + (int) l.ratePerSecond() + " |")
                .contains("| `rateBurst` | " + l.rateBurst() + " |")
                .contains("| `historyPageMax` | " + l.historyPageMax() + " |")
                .contains("| `joinHistory` | " + l.joinHistory() + " |")
                .contains("| `idleTimeoutMillis` | " + l.idleTimeoutMillis() + " |");
    }

    @Test
    void theProtocolVersionInTheDocIsTheCurrentOne() {
        assertThat(doc).contains("Protocol version: " + ProtocolVersion.CURRENT + ".");
    }
}
