package org.kindred.server.redis;

import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;

/**
 * Gives a test class a real Redis, started once before all its tests and stopped after them.
 *
 * <pre>{@code
 * @RegisterExtension static RedisExtension redis = RedisExtension.standalone();   // or RedisExtension.cluster()
 *
 * @BeforeEach void clean() { redis.flushAll(); }
 * @Test void outage() { redis.assumeManaged(); redis.kill(); ...; redis.restart(); ... }
 * }</pre>
 *
 * <p>Register it on a {@code static} field: the Redis lives as long as the class. Before each test a managed Redis
 * that an earlier test killed or stopped is restarted (empty), so one outage test cannot break the next; data is not
 * flushed automatically, call {@link #flushAll()} where tests must not see each other's keys.
 *
 * <h2>Which Redis: standalone</h2>
 * <ol>
 *   <li>{@code REDIS_URL} is set: that Redis, as is. It is not managed: {@link #kill()}, {@link #restart()} and
 *       {@link #stop()} throw {@link RedisHandle.UnmanagedRedisException}. A test that needs them calls
 *       {@link #assumeManaged()} first and is then skipped in that case, and only in that case.</li>
 *   <li>Testcontainers finds a Docker engine: a {@code redis:7} container. Testcontainers is asked only if
 *       {@code DOCKER_HOST} is set, a Docker socket exists in a usual place or {@code ~/.testcontainers.properties}
 *       names a host, so the probe costs nothing on a machine without Docker.</li>
 *   <li>{@code redis-server} is on the PATH: a child process on a free loopback port
 *       ({@code --save "" --appendonly no}, files in a temporary directory), also SIGKILLed by a shutdown hook.</li>
 *   <li>Nothing: the tests fail when {@code CI=true} ("CI=true but no Redis: set REDIS_URL, start Docker, or install
 *       redis-server"), and are skipped otherwise (a JUnit assumption saying what was missing).</li>
 * </ol>
 *
 * <h2>Which Redis: cluster</h2>
 * Three masters (no replicas) from {@code redis-server} processes, joined with {@code redis-cli --cluster create},
 * handed over once every node reports {@code cluster_state:ok}. Docker is not used for a cluster.
 * {@code REDIS_CLUSTER_URL} (comma-separated seed URIs) uses a provided cluster instead. When {@code REDIS_URL} is
 * set without {@code REDIS_CLUSTER_URL}, or {@code redis-server}/{@code redis-cli} are not on the PATH, cluster tests
 * are skipped; under {@code CI=true} the cluster is started whenever {@code redis-server} is on the PATH (even with
 * {@code REDIS_URL} set), and a failure to start it fails the tests.
 *
 * <p>Extra {@code redis-server} arguments ({@link #withServerArgs}) apply to the process and container backends,
 * e.g. {@code withServerArgs("--appendonly", "yes")} for a Redis that keeps its data across {@link #restart()}.
 */
public final class RedisExtension implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

    private static final System.Logger LOG = System.getLogger(RedisExtension.class.getName());

    private final boolean clusterMode;
    private final List<String> serverArgs;
    private volatile RedisHandle handle;
    private String ownerId;

    private RedisExtension(boolean clusterMode, List<String> serverArgs) {
        this.clusterMode = clusterMode;
        this.serverArgs = List.copyOf(serverArgs);
    }

    /** One standalone Redis for the test class. */
    public static RedisExtension standalone() {
        return new RedisExtension(false, List.of());
    }

    /** A three-master Redis Cluster for the test class. */
    public static RedisExtension cluster() {
        return new RedisExtension(true, List.of());
    }

    /** The same extension, with these arguments appended to the {@code redis-server} command line. */
    public RedisExtension withServerArgs(String... args) {
        return new RedisExtension(clusterMode, Arrays.asList(args));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (handle != null) {
            return; // a @Nested class: the outer class's Redis serves it
        }
        long started = System.nanoTime();
        RedisResolution.Environment env = RedisResolution.Environment.current();
        RedisHandle created;
        try {
            created = clusterMode ? startCluster(env) : startStandalone(env);
        } catch (TestAbortedException e) {
            // Surefire reports a class aborted in beforeAll as "Tests run: 0" without the reason (SUREFIRE-2300): log
            // it.
            LOG.log(Level.WARNING, () -> "Skipping " + context.getDisplayName() + ": " + e.getMessage());
            throw e;
        }
        handle = created;
        ownerId = context.getUniqueId();
        LOG.log(
                Level.INFO,
                () -> "%s for %s, ready in %d ms"
                        .formatted(created, context.getDisplayName(), (System.nanoTime() - started) / 1_000_000));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        RedisHandle current = handle;
        if (current != null && current.isManaged() && !current.isRunning()) {
            current.restart();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        RedisHandle current = handle;
        if (current != null && context.getUniqueId().equals(ownerId)) {
            handle = null;
            current.close();
        }
    }

    private RedisHandle startStandalone(RedisResolution.Environment env) {
        return switch (RedisResolution.standalone(env)) {
            case PROVIDED -> new ExternalRedis(env.redisUrl()).verifyReachable("REDIS_URL");
            case CONTAINER -> RedisContainer.start(serverArgs);
            case PROCESS -> RedisProcess.start(serverArgs);
        };
    }

    private RedisHandle startCluster(RedisResolution.Environment env) {
        return switch (RedisResolution.cluster(env)) {
            case PROVIDED -> RedisCluster.external(env.redisClusterUrl());
            case PROCESS -> RedisCluster.startProcesses(serverArgs);
            case CONTAINER -> throw new IllegalStateException("No container backend for a cluster");
        };
    }

    /** The standalone Redis ({@link #standalone()} only). */
    public RedisServer server() {
        if (started() instanceof RedisServer server) {
            return server;
        }
        throw new IllegalStateException("This is a RedisExtension.cluster(): use redisCluster()");
    }

    /** The cluster ({@link #cluster()} only). */
    public RedisCluster redisCluster() {
        if (started() instanceof RedisCluster cluster) {
            return cluster;
        }
        throw new IllegalStateException("This is a RedisExtension.standalone(): use server()");
    }

    /** The standalone Redis's URI: {@code redis://127.0.0.1:PORT}, or {@code REDIS_URL} as given. */
    public String uri() {
        return server().uri();
    }

    /** Every master's URI ({@link #cluster()} only). */
    public List<String> uris() {
        return redisCluster().uris();
    }

    /** A seed URI for Lettuce's {@code RedisClusterClient} ({@link #cluster()} only). */
    public String clusterUri() {
        return redisCluster().clusterUri();
    }

    /** True when the extension started this Redis (so it can kill, restart and stop it). */
    public boolean isManaged() {
        return started().isManaged();
    }

    /** Skips the calling test unless the Redis is managed, i.e. unless it came from REDIS_URL / REDIS_CLUSTER_URL. */
    public void assumeManaged() {
        Assumptions.assumeTrue(
                isManaged(),
                () -> "Skipped: this test kills, restarts or stops Redis, and the Redis"
                        + " provided through REDIS_URL/REDIS_CLUSTER_URL cannot be; unset them to run it on a managed Redis");
    }

    /** See {@link RedisHandle#isRunning()}. */
    public boolean isRunning() {
        return started().isRunning();
    }

    /** See {@link RedisHandle#flushAll()}. */
    public void flushAll() {
        started().flushAll();
    }

    /** See {@link RedisHandle#kill()}; every node of a cluster. */
    public void kill() {
        started().kill();
    }

    /** See {@link RedisHandle#restart()}; every node of a cluster. */
    public void restart() {
        started().restart();
    }

    /** See {@link RedisHandle#stop()}; every node of a cluster. */
    public void stop() {
        started().stop();
    }

    /**
     * The standalone Redis as a child process, for tests that freeze it (SIGSTOP); skips the test when the Redis is a
     * container or provided through {@code REDIS_URL}.
     */
    public RedisProcess process() {
        RedisServer server = server();
        Assumptions.assumeTrue(
                server instanceof RedisProcess,
                () -> "Skipped: this test freezes redis-server with SIGSTOP, which needs it as a child process ("
                        + server + ")");
        return (RedisProcess) server;
    }

    private RedisHandle started() {
        RedisHandle current = handle;
        if (current == null) {
            throw new IllegalStateException(
                    "No Redis: register RedisExtension with @RegisterExtension on a static field,"
                            + " and use it from tests or @BeforeEach/@AfterEach (it starts in beforeAll and stops in afterAll)");
        }
        return current;
    }
}
