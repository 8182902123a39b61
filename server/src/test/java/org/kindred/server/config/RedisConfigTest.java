package org.kindred.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}
