package org.kindred.server.cluster;

import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kindred.server.config.RedisConfig;
import org.kindred.server.redis.RedisExtension;

/** Three nodes on a three-master Redis Cluster: keys by hash tag, fan-out through sharded pub/sub. */
class RedisClusterModeIT extends ClusterContract {

    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.cluster();

    @Override
    RedisConfig freshRedis() {
        REDIS.flushAll();
        return RedisConfig.cluster(REDIS.clusterUri());
    }

    @Override
    List<String> redisServers() {
        return REDIS.uris();
    }
}
