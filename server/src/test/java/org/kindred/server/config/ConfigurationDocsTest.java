package org.kindred.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Keeps docs/configuration.md in step with the settings the loader accepts. */
class ConfigurationDocsTest {

    // Maven runs tests from the module directory; the docs live beside it.
    private static final Path DOC = Path.of("..", "docs", "configuration.md");

    @Test
    void everyLoadableSettingIsDocumentedWithItsVariable() throws IOException {
        assumeTrue(Files.exists(DOC), "docs not found from " + Path.of("").toAbsolutePath());
        String doc = Files.readString(DOC);

        for (Setting setting : Setting.ALL) {
            assertThat(doc).contains("| `" + setting.key() + "` | `" + setting.envVar() + "` |");
        }
        assertThat(doc).contains("`" + ConfigLoader.CONFIG_FILE_VARIABLE + "`", "| `rooms` |");
    }
}
