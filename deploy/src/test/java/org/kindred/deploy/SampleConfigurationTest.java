package org.kindred.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kindred.server.config.ConfigLoader;
import org.kindred.server.config.KindredConfig;
import org.kindred.server.config.LogFormat;
import org.kindred.server.config.RoomConfig;

/** deploy/config/kindred.yaml is a configuration the server accepts, with the production choices it documents. */
class SampleConfigurationTest {

    @TempDir
    Path etc;

    @Test
    void theSampleProductionConfigurationPassesTheServersLoader() throws Exception {
        // As installed: the file in /etc/kindred with the issuer's public key beside it, secrets in the environment.
        Path file = Files.copy(DeployFiles.SAMPLE_CONFIG, etc.resolve("kindred.yaml"));
        DeployFiles.writeRsaPublicKey(etc.resolve("keys/jwt-public.pem"));

        KindredConfig config = ConfigLoader.load(file, Map.of("KINDRED_NODE_ID", "node-1"));

        assertThat(config.devSignIn())
                .as("a JWT key turns the development sign-in off")
                .isFalse();
        assertThat(config.jwt().issuer()).isEqualTo("https://id.example.org");
        assertThat(config.jwt().audience()).isEqualTo("kindred");
        assertThat(config.allowedOrigins()).containsExactly("https://app.example.org");
        assertThat(config.logFormat()).isEqualTo(LogFormat.JSON);
        assertThat(config.shutdownGrace()).isEqualTo(Duration.ofSeconds(20));
        assertThat(config.rooms()).extracting(RoomConfig::id).contains("welcome", "medication");
        assertThat(config.redis())
                .as("cluster mode comes from KINDRED_REDIS_URL")
                .isEmpty();
    }

    @Test
    void withARedisUrlFromTheEnvironmentTheSampleRunsInClusterMode() throws Exception {
        Path file = Files.copy(DeployFiles.SAMPLE_CONFIG, etc.resolve("kindred.yaml"));
        DeployFiles.writeRsaPublicKey(etc.resolve("keys/jwt-public.pem"));

        KindredConfig config = ConfigLoader.load(
                file, Map.of("KINDRED_REDIS_URL", "redis://:secret@redis.internal:6379", "KINDRED_NODE_ID", "node-1"));

        assertThat(config.redis()).hasValueSatisfying(redis -> {
            assertThat(redis.nodeId()).isEqualTo("node-1");
            assertThat(redis.nodeTimeout()).isEqualTo(Duration.ofSeconds(15));
        });
    }
}
