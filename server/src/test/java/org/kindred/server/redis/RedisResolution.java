package org.kindred.server.redis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assumptions;

/**
 * Which Redis a test class gets: the rules of {@link RedisExtension}, kept apart from the environment they read so
 * that they can be tested with a made-up one. Returns a backend, skips (JUnit assumption), or fails under CI.
 */
final class RedisResolution {

    enum Backend {
        PROVIDED,
        CONTAINER,
        PROCESS
    }

    static final String CI_FAILURE = "CI=true but no Redis: set REDIS_URL, start Docker, or install redis-server";

    private static volatile Boolean dockerAvailable;

    private RedisResolution() {}

    /**
     * What the rules look at. {@code docker} is asked only when REDIS_URL is not set, since probing can take a while.
     */
    record Environment(
            String redisUrl,
            String redisClusterUrl,
            boolean ci,
            BooleanSupplier docker,
            boolean redisServerOnPath,
            boolean redisCliOnPath) {

        static Environment current() {
            return new Environment(
                    blankToNull(System.getenv("REDIS_URL")),
                    blankToNull(System.getenv("REDIS_CLUSTER_URL")),
                    "true".equalsIgnoreCase(String.valueOf(System.getenv("CI")).trim()),
                    RedisResolution::dockerAvailable,
                    RedisProcess.findOnPath("redis-server").isPresent(),
                    RedisProcess.findOnPath("redis-cli").isPresent());
        }
    }

    /** REDIS_URL, else a Docker container, else a redis-server process, else fail (CI=true) or skip. */
    static Backend standalone(Environment env) {
        if (env.redisUrl() != null) {
            return Backend.PROVIDED;
        }
        if (env.docker().getAsBoolean()) {
            return Backend.CONTAINER;
        }
        if (env.redisServerOnPath()) {
            return Backend.PROCESS;
        }
        if (env.ci()) {
            throw new IllegalStateException(CI_FAILURE);
        }
        return Assumptions.abort(
                "No Redis for this test, so it is skipped: REDIS_URL is not set, Testcontainers finds no"
                        + " Docker engine and redis-server is not on the PATH. (With CI=true this is a failure instead.)");
    }

    /**
     * REDIS_CLUSTER_URL, else redis-server processes (not when REDIS_URL is set, unless CI=true), else skip. Under
     * CI=true a missing redis-server still skips (a Docker-only CI has no cluster), but once redis-server is on the
     * PATH the cluster must come up.
     */
    static Backend cluster(Environment env) {
        if (env.redisClusterUrl() != null) {
            return Backend.PROVIDED;
        }
        if (env.redisServerOnPath() && (env.redisUrl() == null || env.ci())) {
            if (!env.redisCliOnPath()) {
                if (env.ci()) {
                    throw new IllegalStateException("CI=true and redis-server is on the PATH but redis-cli is not:"
                            + " install redis-cli (it creates the cluster) or set REDIS_CLUSTER_URL");
                }
                return Assumptions.abort(
                        "No Redis Cluster for this test, so it is skipped: redis-server is on the PATH but"
                                + " redis-cli (needed to create the cluster) is not. Or set REDIS_CLUSTER_URL.");
            }
            return Backend.PROCESS;
        }
        if (env.redisUrl() != null && env.redisServerOnPath()) {
            return Assumptions.abort(
                    "No Redis Cluster for this test, so it is skipped: REDIS_URL provides a standalone Redis"
                            + " and REDIS_CLUSTER_URL is not set. Set REDIS_CLUSTER_URL, or unset REDIS_URL to let the extension start"
                            + " a cluster from redis-server.");
        }
        return Assumptions.abort("No Redis Cluster for this test, so it is skipped: REDIS_CLUSTER_URL is not set and"
                + " redis-server is not on the PATH (only redis-server processes make a cluster; Docker does not).");
    }

    /** Asks Testcontainers only when a Docker engine is plausible, since its probe is slow and noisy without one. */
    static boolean dockerAvailable() {
        Boolean known = dockerAvailable;
        if (known == null) {
            known = dockerHinted(
                            System.getenv("DOCKER_HOST"),
                            System.getProperty("user.home"),
                            System.getenv("XDG_RUNTIME_DIR"))
                    && RedisContainer.dockerAvailable();
            dockerAvailable = known;
        }
        return known;
    }

    /** DOCKER_HOST, a Docker socket in one of the usual places, or a Testcontainers config naming a host. */
    static boolean dockerHinted(String dockerHost, String userHome, String xdgRuntimeDir) {
        if (dockerHost != null && !dockerHost.isBlank()) {
            return true;
        }
        List<Path> sockets = new java.util.ArrayList<>(List.of(Path.of("/var/run/docker.sock")));
        if (xdgRuntimeDir != null && !xdgRuntimeDir.isBlank()) {
            sockets.add(Path.of(xdgRuntimeDir, "docker.sock"));
        }
        if (userHome != null) {
            Path home = Path.of(userHome);
            sockets.addAll(List.of(
                    home.resolve(".docker/run/docker.sock"),
                    home.resolve(".docker/desktop/docker.sock"),
                    home.resolve(".rd/docker.sock"),
                    home.resolve(".colima/default/docker.sock")));
            Path properties = home.resolve(".testcontainers.properties");
            if (Files.isRegularFile(properties)) {
                try {
                    String text = Files.readString(properties, StandardCharsets.UTF_8);
                    if (text.contains("docker.host") || text.contains("tc.host")) {
                        return true;
                    }
                } catch (IOException e) {
                    // unreadable: ignore it
                }
            }
        }
        return sockets.stream().anyMatch(Files::exists);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
