package org.kindred.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kindred.server.Main;

/**
 * A node that cannot start says why in one line on standard error, with no stack trace anywhere: {@link Main} runs in
 * a JVM of its own, with the real logging, as {@code java -jar} would run it.
 */
class StartupFailureIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Run(int exitCode, List<String> stderr, String stdout) {}

    @TempDir
    Path dir;

    @Test
    void aPortInUseIsOneLineNamingTheAddress() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Path config = write("host: 127.0.0.1\nport: " + taken.getLocalPort() + "\n");
            Run run = runMain("--config", config.toString());
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.stderr())
                    .containsExactly("kindred: cannot listen on 127.0.0.1:" + taken.getLocalPort()
                            + ": the port is already in use (is another node running? set port / KINDRED_PORT)");
            assertNoStackTrace(run);
        }
    }

    @Test
    void aBadConfigurationIsOneLineNamingTheSetting() throws Exception {
        Path config = write("port: 8080\nidleTimout: 60s\n");
        Run run = runMain("--config", config.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr())
                .containsExactly("kindred: invalid configuration: unknown setting 'idleTimout' in " + config
                        + " (did you mean idleTimeout?)");
        assertNoStackTrace(run);
    }

    @Test
    void aRoomNamedLikeASessionIsAnInvalidConfigurationInOneLine() throws Exception {
        Path config = write("host: 127.0.0.1\nport: 0\nrooms:\n  - {id: s-help, title: Support chat}\n");
        Run run = runMain("--config", config.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr())
                .containsExactly("kindred: invalid configuration: rooms: room id 's-help' starts with 's-', which names"
                        + " a one-to-one session (expected: an id that starts with none of [s-, g-])");
        assertNoStackTrace(run);
    }

    @Test
    void anUnreachableRedisIsOneLineNamingItsAddress() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort(); // free again once closed: nothing listens there
        }
        Path config = write("host: 127.0.0.1\nport: 0\nredis:\n  url: redis://:s3cret@127.0.0.1:" + closedPort + "\n");
        Run run = runMain("--config", config.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stderr()).hasSize(1);
        assertThat(run.stderr().get(0))
                .startsWith("kindred: cannot reach Redis at redis://<credentials>@127.0.0.1:" + closedPort + ": ")
                .endsWith("(check redis.url / KINDRED_REDIS_URL and that Redis is up)")
                .doesNotContain("s3cret");
        assertNoStackTrace(run);
    }

    @Test
    void anUnreachableDatabaseIsOneLineNamingItWithoutItsPassword() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        Path config = write("host: 127.0.0.1\nport: 0\nstorage:\n  url: jdbc:postgresql://127.0.0.1:" + closedPort
                + "/kindred\n  password: s3cret\n");
        Run run = runMain("--config", config.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stderr()).hasSize(1);
        assertThat(run.stderr().get(0))
                .startsWith("kindred: cannot open the database (")
                .contains("jdbc:postgresql://127.0.0.1:" + closedPort + "/kindred")
                .endsWith("one node per directory)")
                .doesNotContain("s3cret");
        assertNoStackTrace(run);
    }

    @Test
    void withLogFormatJsonEveryLogLineIsOneJsonObjectAndTheFailureStaysOneLine() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        Path config = write(
                "logFormat: json\nhost: 127.0.0.1\nport: 0\nredis:\n  url: redis://127.0.0.1:" + closedPort + "\n");
        Run run = runMain("--config", config.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stderr()).hasSize(1);
        List<String> lines = run.stdout().lines().toList();
        assertThat(lines).isNotEmpty();
        for (String line : lines) {
            JsonNode event = JSON.readTree(line);
            assertThat(event.path("@timestamp").asText()).matches("\\d{4}-\\d{2}-\\d{2}T.*");
            assertThat(event.path("level").asText()).isNotEmpty();
            assertThat(event.path("logger_name").asText()).isNotEmpty();
        }
        assertThat(lines.get(0)).contains("\"message\":\"Kindred ").contains(" starting\"");
    }

    @Test
    void textLogLinesStartWithAUtcTimestamp() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Path config = write("host: 127.0.0.1\nport: " + taken.getLocalPort() + "\n");
            Run run = runMain("--config", config.toString());
            assertThat(run.stdout().lines().toList())
                    .isNotEmpty()
                    .allMatch(line -> line.matches(
                            "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z (INFO |WARN |ERROR|DEBUG) .*"));
        }
    }

    private static void assertNoStackTrace(Run run) {
        assertThat(run.stdout()).doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(String.join("\n", run.stderr())).doesNotContain("\tat ");
    }

    private Path write(String yaml) throws IOException {
        return Files.writeString(Files.createTempFile(dir, "kindred", ".yaml"), yaml);
    }

    /** {@code java -cp <this test's class path> org.kindred.server.Main ARGS}, with no KINDRED_* variables. */
    private Run runMain(String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new java.util.ArrayList<>(List.of(
                java,
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("KINDRED_"));
        builder.environment().put("KINDRED_DATA_DIR", dir.resolve("data").toString()); // not the module's ./data
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        Process process =
                builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("Main did not stop by itself: " + Files.readString(out));
        }
        List<String> stderr = Files.readAllLines(err, StandardCharsets.UTF_8).stream()
                .filter(line -> !line.startsWith("WARNING:")) // the JVM's own notices (native access, Unsafe)
                .toList();
        return new Run(process.exitValue(), stderr, Files.readString(out));
    }
}
