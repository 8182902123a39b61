package org.kindred.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RedisConfigTest {

    @Test
    void aSentinelUrlWithSeveralSentinelsAndAMasterNameIsAccepted() {
        RedisConfig config =
                RedisConfig.standalone("redis-sentinel://:secret@10.0.0.1:26379,10.0.0.2:26379,10.0.0.3:26379#kindred");

        assertThat(config.url()).startsWith("redis-sentinel://");
        assertThat(config.displayUrl()).doesNotContain("secret");
    }

    @Test
    void aSentinelUrlOverTlsIsAccepted() {
        assertThat(RedisConfig.standalone("rediss-sentinel://sentinel.internal:26379#kindred")
                        .url())
                .startsWith("rediss-sentinel://");
    }

    @Test
    void aSentinelUrlWithoutAMasterNameIsRefusedWithTheExpectedForm() {
        assertThatThrownBy(() -> RedisConfig.standalone("redis-sentinel://:secret@10.0.0.1:26379"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("names no master")
                .hasMessageContaining("redis-sentinel://host:port[,host:port...]#masterName")
                .hasMessageNotContaining("secret");
    }

    @Test
    void sentinelAndClusterTogetherAreRefused() {
        assertThatThrownBy(() -> RedisConfig.cluster("redis-sentinel://10.0.0.1:26379#kindred"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("not both");
    }

    @Test
    void aSentinelThatIsNotHostAndPortIsNamed() {
        assertThatThrownBy(() -> RedisConfig.standalone("redis-sentinel://10.0.0.1:26379,10.0.0.2:x#kindred"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("Sentinel '10.0.0.2:x'");
    }

    @Test
    void anUnknownSchemeNamesTheFormsExpected() {
        assertThatThrownBy(() -> RedisConfig.standalone("http://redis:6379"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("redis-sentinel://");
    }

    @Test
    void severalPlainAddressesStillNeedClusterMode() {
        assertThatThrownBy(() -> RedisConfig.standalone("redis://a:6379,redis://b:6379"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("redis.cluster: true");
    }

    @Test
    void waitingForReplicasIsOffByDefault() {
        RedisConfig config = RedisConfig.standalone("redis://127.0.0.1:6379");
        assertThat(config.waitReplicas()).isZero();
        assertThat(config.waitTimeout()).isEqualTo(RedisConfig.DEFAULT_WAIT_TIMEOUT);
    }

    @Test
    void waitReplicasOutsideItsRangeNamesTheRange() {
        assertThatThrownBy(() ->
                        RedisConfig.standalone("redis://127.0.0.1:6379").withWaitReplicas(6, Duration.ofMillis(500)))
                .isInstanceOf(ConfigException.class)
                .hasMessage("redis.waitReplicas: 6 (expected: 0-5)");
    }

    @Test
    void waitReplicasIsRefusedWithARedisClusterAndPointsToMinReplicasToWrite() {
        assertThatThrownBy(() -> RedisConfig.cluster("redis://127.0.0.1:7000").withWaitReplicas(1, null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("redis.waitReplicas: 1 with redis.cluster: true")
                .hasMessageContaining("min-replicas-to-write");
    }

    @Test
    void aWaitTimeoutOutsideItsRangeNamesTheRange() {
        assertThatThrownBy(() ->
                        RedisConfig.standalone("redis://127.0.0.1:6379").withWaitReplicas(1, Duration.ofSeconds(2)))
                .isInstanceOf(ConfigException.class)
                .hasMessage("redis.waitTimeout: 2s (expected: 10ms-1s)");
    }

    @Test
    void theEnvironmentSetsWaitReplicasAndItsTimeout() {
        KindredConfig config = ConfigLoader.load(
                null,
                java.util.Map.of(
                        "KINDRED_REDIS_URL", "redis://127.0.0.1:6379",
                        "KINDRED_REDIS_WAIT_REPLICAS", "1",
                        "KINDRED_REDIS_WAIT_TIMEOUT", "250ms"));
        assertThat(config.redis()).hasValueSatisfying(redis -> {
            assertThat(redis.waitReplicas()).isEqualTo(1);
            assertThat(redis.waitTimeout()).isEqualTo(Duration.ofMillis(250));
        });
    }
}
