package org.kindred.server.redis;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A {@code redis:7} container published on a fixed host port picked by {@link FreePorts}. {@link #kill()} is
 * {@code docker kill}, {@link #stop()} {@code docker stop} and {@link #restart()} {@code docker start} of the same
 * container, so the port (and, with persistence enabled by extra arguments, the data) survives. Testcontainers' reaper removes it if the JVM dies.
 * Only this class touches Testcontainers, so without Docker its classes are never loaded.
 */
final class RedisContainer implements RedisServer {

    private static final DockerImageName IMAGE = DockerImageName.parse("redis:7");
    private static final int REDIS_PORT = 6379;
    private static final int PORT_ATTEMPTS = 3;

    private final int port;
    private final GenericContainer<?> container;

    private RedisContainer(int port, List<String> extraArgs) {
        this.port = port;
        List<String> command = new ArrayList<>(List.of("redis-server", "--save", "", "--appendonly", "no"));
        command.addAll(extraArgs);
        this.container =
                new GenericContainer<>(IMAGE).withExposedPorts(REDIS_PORT).withCommand(command.toArray(String[]::new));
        this.container.setPortBindings(List.of(port + ":" + REDIS_PORT));
    }

    /** Whether Testcontainers finds a Docker engine; false (not an exception) on any failure. */
    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            return false;
        }
    }

    static RedisContainer start(List<String> extraArgs) {
        RuntimeException last = null;
        for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
            RedisContainer redis = new RedisContainer(FreePorts.next(), extraArgs);
            try {
                redis.launch();
                return redis;
            } catch (RuntimeException e) { // most likely the host port was taken meanwhile: try another one
                last = e;
                redis.close();
            }
        }
        throw new IllegalStateException("Cannot start a " + IMAGE + " container", last);
    }

    @Override
    public String uri() {
        return "redis://" + host() + ":" + port;
    }

    @Override
    public String host() {
        String host = container.getHost();
        return "localhost".equals(host) ? "127.0.0.1" : host;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public boolean isManaged() {
        return true;
    }

    @Override
    public boolean isRunning() {
        return container.getContainerId() != null
                && container.isRunning()
                && Resp.ping(endpoint(), Duration.ofMillis(500));
    }

    @Override
    public void flushAll() {
        try {
            Resp.call(endpoint(), RedisProcess.START_TIMEOUT, "FLUSHALL");
        } catch (IOException e) {
            throw new IllegalStateException("FLUSHALL failed on " + uri() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void kill() {
        String id = container.getContainerId();
        if (id != null && container.isRunning()) {
            container
                    .getDockerClient()
                    .killContainerCmd(id)
                    .withSignal("SIGKILL")
                    .exec();
            RedisProcess.pollUntil(Duration.ofSeconds(10), () -> !container.isRunning());
        }
    }

    @Override
    public synchronized void restart() {
        String id = container.getContainerId();
        if (id == null) {
            launch();
            return;
        }
        stop();
        container.getDockerClient().startContainerCmd(id).exec(); // same container: same host port, same /data
        awaitPing();
    }

    @Override
    public synchronized void stop() {
        String id = container.getContainerId();
        if (id != null && container.isRunning()) {
            container.getDockerClient().stopContainerCmd(id).withTimeout(10).exec(); // SIGTERM; the container is kept
        }
    }

    @Override
    public synchronized void close() {
        if (container.getContainerId() != null) {
            container.stop(); // stops and removes it
        }
    }

    @Override
    public String toString() {
        return IMAGE + " container " + uri();
    }

    private void launch() {
        container.start();
        awaitPing();
    }

    private void awaitPing() {
        if (!RedisProcess.pollUntil(RedisProcess.START_TIMEOUT, () -> Resp.ping(endpoint(), Duration.ofMillis(500)))) {
            throw new IllegalStateException(this + " did not answer PING within "
                    + RedisProcess.START_TIMEOUT.toSeconds() + "s. Logs:\n" + container.getLogs());
        }
    }

    private Resp.Endpoint endpoint() {
        return Resp.Endpoint.of(host(), port);
    }
}
