package org.kindred.server.cluster;

import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kindred.server.config.RedisConfig;
import org.kindred.server.redis.RedisExtension;

/** Three nodes sharing one standalone Redis. */
class StandaloneRedisClusterIT extends ClusterContract {

    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.standalone();

    @Override
    RedisConfig freshRedis() {
        REDIS.flushAll();
        return RedisConfig.standalone(REDIS.uri());
    }

    @Override
    List<String> redisServers() {
        return List.of(REDIS.uri());
    }
}
