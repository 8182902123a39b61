package org.kindred.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kindred.server.config.ConfigLoader;

/** deploy/systemd/kindred.service runs the node unprivileged, with room for its connections and its drain. */
class SystemdUnitTest {

    /** The unit's settings (the last value of each key; continuation lines joined), by "Section.Key". */
    private static Map<String, String> unit() throws IOException {
        Map<String, String> settings = new LinkedHashMap<>();
        String section = "";
        String text = Files.readString(DeployFiles.SYSTEMD_UNIT).replace("\\\n", " ");
        for (String line : text.lines().map(String::strip).toList()) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[")) {
                section = line.substring(1, line.length() - 1);
                continue;
            }
            int eq = line.indexOf('=');
            settings.put(
                    section + "." + line.substring(0, eq),
                    line.substring(eq + 1).strip());
        }
        return settings;
    }

    @Test
    void theNodeRunsUnprivilegedFromItsJarWithTheConfigurationFile() throws IOException {
        Map<String, String> unit = unit();
        assertThat(unit.get("Service.User")).isEqualTo("kindred");
        assertThat(unit.get("Service.NoNewPrivileges")).isEqualTo("yes");
        assertThat(unit.get("Service.CapabilityBoundingSet")).isEmpty();
        assertThat(unit.get("Service.ExecStart"))
                .startsWith("/usr/bin/java ")
                .endsWith("-jar /opt/kindred/kindred-server.jar");
        assertThat(unit.get("Service.Environment"))
                .isEqualTo(ConfigLoader.CONFIG_FILE_VARIABLE + "=/etc/kindred/kindred.yaml");
        assertThat(unit.get("Install.WantedBy")).isEqualTo("multi-user.target");
    }

    @Test
    void theFileLimitHoldsManyConnectionsAndTheStopTimeoutOutlastsTheDrain(@TempDir Path etc) throws Exception {
        Map<String, String> unit = unit();
        assertThat(Long.parseLong(unit.get("Service.LimitNOFILE"))).isGreaterThanOrEqualTo(65_536);

        Path file = Files.copy(DeployFiles.SAMPLE_CONFIG, etc.resolve("kindred.yaml"));
        DeployFiles.writeRsaPublicKey(etc.resolve("keys/jwt-public.pem"));
        var config = ConfigLoader.load(file, Map.of());
        assertThat(Long.parseLong(unit.get("Service.TimeoutStopSec")))
                .isGreaterThan(config.shutdownGrace().toSeconds());
        assertThat(Long.parseLong(unit.get("Service.LimitNOFILE"))).isGreaterThan(config.maxConnections() + 1024L);
        // Exit code 2 is a refused configuration: restarting cannot fix it.
        assertThat(unit.get("Service.RestartPreventExitStatus")).isEqualTo("2");
    }
}
