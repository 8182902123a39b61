package org.kindred.server.testing;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.List;

/**
 * Searches everything a standalone Redis holds for a text, as an auditor would: every key (SCAN), every value read
 * whole whatever its type. For tests that prove a member's words are gone.
 */
public final class RedisSearch {

    private RedisSearch() {}

    /** The keys whose name or value contains {@code text}, with their type. */
    public static List<String> keysHolding(String redisUri, String text) {
        RedisClient client = RedisClient.create(redisUri);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            List<String> found = new ArrayList<>();
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = redis.scan(cursor, ScanArgs.Builder.limit(500));
                for (String key : page.getKeys()) {
                    String type = redis.type(key);
                    if (key.contains(text) || valueOf(redis, key, type).contains(text)) {
                        found.add(type + " " + key);
                    }
                }
                cursor = page;
            } while (!cursor.isFinished());
            return found;
        } finally {
            client.shutdown();
        }
    }

    private static String valueOf(RedisCommands<String, String> redis, String key, String type) {
        return switch (type) {
            case "string" -> String.valueOf(redis.get(key));
            case "hash" -> redis.hgetall(key).toString();
            case "list" -> redis.lrange(key, 0, -1).toString();
            case "set" -> redis.smembers(key).toString();
            case "zset" -> redis.zrange(key, 0, -1).toString();
            case "stream" ->
                redis.xrange(key, Range.create("-", "+")).stream()
                        .map(m -> m.getBody().toString())
                        .toList()
                        .toString();
            default -> "";
        };
    }
}
