package org.kindred.server.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kindred.server.redis.RedisResolution.Backend;
import org.kindred.server.redis.RedisResolution.Environment;
import org.opentest4j.TestAbortedException;

class RedisResolutionTest {

    private static final BooleanSupplier DOCKER = () -> true;
    private static final BooleanSupplier NO_DOCKER = () -> false;
    private static final BooleanSupplier MUST_NOT_PROBE = () -> {
        throw new AssertionError("Docker must not be probed");
    };

    private static Environment env(
            String redisUrl, String clusterUrl, boolean ci, BooleanSupplier docker, boolean redisServer) {
        return new Environment(redisUrl, clusterUrl, ci, docker, redisServer, redisServer);
    }

    @Test
    void redisUrlWinsWithoutProbingDocker() {
        assertThat(RedisResolution.standalone(env("redis://h:1", null, false, MUST_NOT_PROBE, true)))
                .isEqualTo(Backend.PROVIDED);
    }

    @Test
    void dockerComesBeforeRedisServer() {
        assertThat(RedisResolution.standalone(env(null, null, false, DOCKER, true)))
                .isEqualTo(Backend.CONTAINER);
    }

    @Test
    void redisServerProcessWithoutDocker() {
        assertThat(RedisResolution.standalone(env(null, null, false, NO_DOCKER, true)))
                .isEqualTo(Backend.PROCESS);
    }

    @Test
    void nothingAvailableSkipsOutsideCi() {
        assertThatThrownBy(() -> RedisResolution.standalone(env(null, null, false, NO_DOCKER, false)))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("REDIS_URL is not set");
    }

    @Test
    void nothingAvailableFailsUnderCi() {
        assertThatThrownBy(() -> RedisResolution.standalone(env(null, null, true, NO_DOCKER, false)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("CI=true but no Redis: set REDIS_URL, start Docker, or install redis-server");
    }

    @Test
    void clusterUrlWinsForACluster() {
        assertThat(RedisResolution.cluster(env("redis://h:1", "redis://h:2", false, MUST_NOT_PROBE, true)))
                .isEqualTo(Backend.PROVIDED);
    }

    @Test
    void clusterFromRedisServerProcessesEvenWithDocker() {
        assertThat(RedisResolution.cluster(env(null, null, false, MUST_NOT_PROBE, true)))
                .isEqualTo(Backend.PROCESS);
    }

    @Test
    void clusterSkippedWhenRedisUrlIsSetWithoutClusterUrl() {
        assertThatThrownBy(() -> RedisResolution.cluster(env("redis://h:1", null, false, MUST_NOT_PROBE, true)))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("REDIS_CLUSTER_URL");
    }

    @Test
    void clusterStartedUnderCiWheneverRedisServerIsOnThePath() {
        assertThat(RedisResolution.cluster(env("redis://h:1", null, true, MUST_NOT_PROBE, true)))
                .isEqualTo(Backend.PROCESS);
    }

    @Test
    void clusterSkippedWithoutRedisServerEvenUnderCi() {
        assertThatThrownBy(() -> RedisResolution.cluster(env(null, null, true, DOCKER, false)))
                .isInstanceOf(TestAbortedException.class);
    }

    @Test
    void dockerHostOrTestcontainersConfigHintsAtDocker(@TempDir Path home) throws IOException {
        assertThat(RedisResolution.dockerHinted("tcp://docker:2375", home.toString(), null))
                .isTrue();

        Files.writeString(home.resolve(".testcontainers.properties"), "docker.host=unix:///somewhere/docker.sock\n");
        assertThat(RedisResolution.dockerHinted(null, home.toString(), null)).isTrue();
    }

    @Test
    void noSocketNoHostMeansNoDockerProbe(@TempDir Path home) {
        Assumptions.assumeFalse(Files.exists(Path.of("/var/run/docker.sock")), "this machine has a Docker socket");

        assertThat(RedisResolution.dockerHinted(null, home.toString(), home.toString()))
                .isFalse();
    }

    @Test
    void redisUriWithPasswordAndTlsIsParsed() {
        Resp.Endpoint endpoint = Resp.Endpoint.parse("rediss://app:s3cret@cache.example:6380/2");

        assertThat(endpoint).isEqualTo(new Resp.Endpoint("cache.example", 6380, "app", "s3cret", true));
        assertThat(Resp.Endpoint.parse("redis://pw@h").password()).isEqualTo("pw");
        assertThat(Resp.Endpoint.parse("redis://h").port()).isEqualTo(6379);
    }
}
