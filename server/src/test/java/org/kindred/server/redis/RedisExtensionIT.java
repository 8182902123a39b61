package org.kindred.server.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisExtensionIT {

    @RegisterExtension
    static RedisExtension redis = RedisExtension.standalone();

    @RegisterExtension
    static RedisExtension persistentRedis = RedisExtension.standalone().withServerArgs("--appendonly", "yes");

    private static RedisClient client;

    @BeforeAll
    static void createClient() {
        client = RedisClient.create();
    }

    @AfterAll
    static void shutdownClient() {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    @BeforeEach
    void clean() {
        redis.flushAll();
    }

    private static StatefulRedisConnection<String, String> connect() {
        return connect(redis);
    }

    private static StatefulRedisConnection<String, String> connect(RedisExtension target) {
        RedisURI uri = RedisURI.create(target.uri());
        uri.setTimeout(Duration.ofSeconds(1));
        return client.connect(uri);
    }

    @Test
    void setThenGetReturnsTheValue() {
        try (StatefulRedisConnection<String, String> connection = connect()) {
            connection.sync().set("greeting", "hello");

            assertThat(connection.sync().get("greeting")).isEqualTo("hello");
        }
    }

    @Test
    void managedRedisListensOnLoopback() {
        redis.assumeManaged();

        assertThat(redis.uri()).isEqualTo("redis://127.0.0.1:" + redis.server().port());
        assertThat(redis.isRunning()).isTrue();
    }

    @Test
    void killMakesCommandsFailAndRestartBringsBackAnEmptyRedisOnTheSamePort() {
        redis.assumeManaged();
        int port = redis.server().port();
        try (StatefulRedisConnection<String, String> connection = connect()) {
            connection.sync().set("survives", "no");

            redis.kill();

            assertThat(redis.isRunning()).isFalse();
            assertThatThrownBy(() -> connection.sync().get("survives")).isInstanceOf(RedisException.class);
            assertThatThrownBy(RedisExtensionIT::connect).isInstanceOf(RedisConnectionException.class);
        }

        redis.restart();

        assertThat(redis.isRunning()).isTrue();
        assertThat(redis.server().port()).isEqualTo(port);
        try (StatefulRedisConnection<String, String> connection = connect()) {
            assertThat(connection.sync().get("survives")).isNull();
            assertThat(connection.sync().dbsize()).isZero();
        }
    }

    @Test
    void stopShutsRedisDownAndRestartStartsItAgain() {
        redis.assumeManaged();

        redis.stop();
        assertThat(redis.isRunning()).isFalse();

        redis.restart();
        assertThat(redis.isRunning()).isTrue();
        try (StatefulRedisConnection<String, String> connection = connect()) {
            assertThat(connection.sync().ping()).isEqualTo("PONG");
        }
    }

    @Test
    void flushAllRemovesEveryKey() {
        try (StatefulRedisConnection<String, String> connection = connect()) {
            connection.sync().mset(java.util.Map.of("a", "1", "b", "2"));

            redis.flushAll();

            assertThat(connection.sync().dbsize()).isZero();
        }
    }

    @Test
    void aRedisKilledByAnEarlierTestIsRunningAgainBeforeTheNextTest() {
        redis.assumeManaged();
        redis.kill();

        redis.beforeEach(null); // what JUnit does before the next test

        assertThat(redis.isRunning()).isTrue();
    }

    @Test
    void restartKeepsTheDataWhenServerArgsTurnPersistenceOn() {
        persistentRedis.assumeManaged();
        try (StatefulRedisConnection<String, String> connection = connect(persistentRedis)) {
            connection.sync().set("durable", "yes");
        }

        persistentRedis.restart();

        try (StatefulRedisConnection<String, String> connection = connect(persistentRedis)) {
            assertThat(connection.sync().get("durable")).isEqualTo("yes");
        }
    }

    @Test
    void providedRedisCannotBeKilledRestartedOrStoppedAndSaysWhy() {
        RedisServer provided = new ExternalRedis(redis.uri());

        assertThat(provided.isManaged()).isFalse();
        assertThat(provided.isRunning()).isTrue();
        assertThatThrownBy(provided::kill)
                .isInstanceOf(RedisHandle.UnmanagedRedisException.class)
                .hasMessageContaining("needs a managed Redis")
                .hasMessageContaining("redis.assumeManaged()");
        assertThatThrownBy(provided::restart).isInstanceOf(RedisHandle.UnmanagedRedisException.class);
        assertThatThrownBy(provided::stop).isInstanceOf(RedisHandle.UnmanagedRedisException.class);
    }
}
