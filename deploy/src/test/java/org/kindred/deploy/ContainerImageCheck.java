package org.kindred.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The image tarballs Jib wrote (profile {@code image}, see scripts/image.sh): their configuration — non-root user,
 * entrypoint, port, labels, architecture — and their files — a Java runtime and loader for that architecture, the
 * server and the epoll transport it needs, a user entry, nothing writable but {@code /tmp}.
 */
class ContainerImageCheck {

    private static final Path DIR = Path.of(System.getProperty("kindred.image.dir", "target"));
    private static final String VERSION = System.getProperty("kindred.image.version", "");

    /** A file of the image: its mode and, for the few the checks read, its first bytes or its text. */
    private record ImageFile(int mode, byte[] head) {}

    @ParameterizedTest
    @ValueSource(strings = {"amd64", "arm64"})
    void theImageRunsTheServerAsANonRootUserOnItsArchitecture(String arch) throws IOException {
        Path tar = DIR.resolve("kindred-server-" + VERSION + "-" + arch + ".tar");
        assertThat(tar).exists();
        Map<String, byte[]> archive = readTar(Files.newInputStream(tar), false);

        JsonNode manifest =
                DeployFiles.JSON.readTree(archive.get("manifest.json")).get(0);
        assertThat(manifest.path("RepoTags").get(0).asText()).isEqualTo("kindred-server:" + VERSION);
        JsonNode config =
                DeployFiles.JSON.readTree(archive.get(manifest.path("Config").asText()));
        assertThat(config.path("architecture").asText()).isEqualTo(arch);
        assertThat(config.path("os").asText()).isEqualTo("linux");

        JsonNode run = config.path("config");
        assertThat(run.path("User").asText()).isEqualTo("65532:65532");
        assertThat(run.path("ExposedPorts").has("8080/tcp")).isTrue();
        List<String> entrypoint = DeployFiles.JSON.convertValue(
                run.path("Entrypoint"),
                DeployFiles.JSON.getTypeFactory().constructCollectionType(List.class, String.class));
        assertThat(entrypoint).startsWith("/opt/java/bin/java").endsWith("org.kindred.server.Main");
        assertThat(run.path("Cmd").isMissingNode()
                        || run.path("Cmd").isNull()
                        || run.path("Cmd").isEmpty())
                .as("no default arguments: the node starts; `check-config FILE` and `gen-token` are arguments")
                .isTrue();
        JsonNode labels = run.path("Labels");
        assertThat(labels.path("org.opencontainers.image.version").asText()).isEqualTo(VERSION);
        assertThat(labels.path("org.opencontainers.image.licenses").asText()).isEqualTo("Apache-2.0");
        assertThat(labels.path("org.opencontainers.image.title").asText()).isEqualTo("Kindred server");
        assertThat(labels.path("org.opencontainers.image.revision").asText()).matches("[0-9a-f]{40}|\\$\\{.*");
        assertThat(config.path("created").asText())
                .startsWith(
                        labels.path("org.opencontainers.image.created").asText().substring(0, 10));

        Map<String, ImageFile> files = new HashMap<>();
        for (JsonNode layer : manifest.path("Layers")) {
            readLayer(archive.get(layer.asText()), files);
        }
        // The runtime and the loader it names are there, executable, and built for this architecture.
        ImageFile java = files.get("opt/java/bin/java");
        assertThat(java).as("/opt/java/bin/java").isNotNull();
        assertThat(java.mode() & 0755).isEqualTo(0755);
        assertThat(elfMachine(java.head())).isEqualTo(arch.equals("amd64") ? 0x3E : 0xB7);
        String loader = arch.equals("amd64") ? "lib64/ld-linux-x86-64.so.2" : "lib/ld-linux-aarch64.so.1";
        assertThat(files.get(loader)).as(loader).isNotNull();
        assertThat(files.get(loader).mode() & 0111).isNotZero();
        String triplet = arch.equals("amd64") ? "x86_64-linux-gnu" : "aarch64-linux-gnu";
        assertThat(files)
                .containsKeys(
                        "usr/lib/" + triplet + "/libc.so.6",
                        "usr/lib/" + triplet + "/libstdc++.so.6",
                        "usr/lib/" + triplet + "/libz.so.1",
                        "opt/java/lib/server/libjvm.so",
                        "proc/",
                        "tmp/");

        // The server, its epoll transport for this architecture, and a user entry for uid 65532.
        assertThat(files.keySet()).anyMatch(f -> f.matches("app/libs/kindred-server-.*\\.jar"));
        for (String library : List.of("jackson-dataformat-yaml", "logback-classic", "lettuce-core", "picocli")) {
            assertThat(files.keySet()).as(library).anyMatch(f -> f.matches("app/libs/" + library + "-[0-9].*\\.jar"));
        }
        String epoll = arch.equals("amd64") ? "linux-x86_64" : "linux-aarch_64";
        assertThat(files.keySet())
                .anyMatch(f -> f.matches("app/libs/netty-transport-native-epoll-.*-" + epoll + "\\.jar"));
        assertThat(new String(files.get("etc/passwd").head(), StandardCharsets.UTF_8))
                .contains("kindred:x:65532:65532:");

        // Nothing the node could write to but /tmp (mounted in production), nothing that raises privileges.
        files.forEach((name, file) -> {
            if (!name.equals("tmp/")) {
                assertThat(file.mode() & 0002).as(name + " is world-writable").isZero();
            }
            assertThat(file.mode() & 06000).as(name + " is setuid or setgid").isZero();
        });
    }

    private static int elfMachine(byte[] head) {
        assertThat(new String(head, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("ELF");
        return (head[18] & 0xFF) | (head[19] & 0xFF) << 8;
    }

    private static void readLayer(byte[] gzipped, Map<String, ImageFile> files) throws IOException {
        try (TarArchiveInputStream in =
                new TarArchiveInputStream(new GzipCompressorInputStream(new java.io.ByteArrayInputStream(gzipped)))) {
            TarArchiveEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                String name = entry.getName().replaceFirst("^\\./", "").replaceFirst("^/", "");
                byte[] head = entry.isFile() ? in.readNBytes(name.equals("etc/passwd") ? 4096 : 64) : new byte[0];
                files.put(name, new ImageFile(entry.getMode(), head));
            }
        }
    }

    private static Map<String, byte[]> readTar(InputStream stream, boolean gzip) throws IOException {
        Map<String, byte[]> entries = new HashMap<>();
        try (TarArchiveInputStream in =
                new TarArchiveInputStream(gzip ? new GzipCompressorInputStream(stream) : stream)) {
            TarArchiveEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                if (entry.isFile()) {
                    entries.put(entry.getName(), in.readAllBytes());
                }
            }
        }
        return entries;
    }
}
