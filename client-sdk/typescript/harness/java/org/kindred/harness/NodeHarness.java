package org.kindred.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.kindred.server.KindredNode;
import org.kindred.server.config.ConfigLoader;
import org.kindred.server.config.KindredConfig;
import org.kindred.server.config.ManagementConfig;
import org.kindred.server.config.RedisConfig;
import org.kindred.server.config.StorageConfig;

/**
 * A real Kindred node for the tests of clients in other languages (the TypeScript SDK's Node tests, browser tests),
 * driven by one-line commands on standard input. It runs the embedded default (demo rooms, development sign-in at
 * {@code POST /dev/token}) on a free loopback port, behind a {@link DroppingProxy} that can cut every connection the
 * way a phone loses its network. Every answer is one JSON object on one line of standard output; logs go to standard
 * error.
 *
 * <pre>
 * java -cp ... org.kindred.harness.NodeHarness [--redis] [--config FILE]
 *   --redis        share a private redis-server (its history then survives a restart)
 *   --config FILE  a YAML configuration (rooms, limits...); host, port and the dev sign-in key are the harness's
 * stdin commands, one per line:
 *   drop           cut every connection through the proxy (TCP reset, no close frame)   -> {"event":"dropped",...}
 *   restart        close the node (clients get close code 4000) and start it again on the same port
 *                  -> {"event":"restarted",...}; without --redis the rooms' history starts again (a new epoch)
 *   connections    -> {"event":"connections","count":N}: the node's open WebSocket connections
 *   stop           -> {"event":"stopped"}, then exits; so does the end of standard input
 * </pre>
 *
 * <p>On start it prints {@code {"event":"ready","ws":...,"http":...,"proxyWs":...,"redis":...}}. Tokens stay valid
 * across restarts (one dev sign-in key per harness run). Without a configuration file the test-friendly settings of the
 * server's own integration tests apply: no presence grace and no new-member rules (every test user is brand new).
 */
public final class NodeHarness implements AutoCloseable {

    private final PrintStream out;
    private final KindredConfig config;
    private final RedisProcess redis;
    private KindredNode node;
    private DroppingProxy proxy;

    private NodeHarness(PrintStream out, KindredConfig config, RedisProcess redis) throws IOException {
        this.out = out;
        this.redis = redis;
        KindredConfig.Builder builder = config.toBuilder()
                .host("127.0.0.1")
                .port(0)
                .management(ManagementConfig.defaults().withPort(0));
        if (redis != null) {
            builder.redis(RedisConfig.standalone(redis.uri()));
        }
        this.config = builder.build();
    }

    public static void main(String[] args) throws Exception {
        // Answers go to the real standard output; anything else printed there (logs) goes to standard error.
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        Arguments arguments = Arguments.parse(args);
        RedisProcess redis = arguments.redis ? RedisProcess.start() : null;
        try (NodeHarness harness = new NodeHarness(out, arguments.config(), redis)) {
            harness.start();
            harness.serve(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
        }
        System.exit(0);
    }

    private void start() throws Exception {
        node = KindredNode.start(config);
        proxy = new DroppingProxy(node.port());
        print("ready", urls());
    }

    private void serve(BufferedReader commands) throws Exception {
        String line;
        while ((line = commands.readLine()) != null) {
            switch (line.trim()) {
                case "" -> {}
                case "drop" -> print("dropped", Map.of("connections", proxy.dropConnections()));
                case "restart" -> {
                    int port = node.port();
                    node.close();
                    node = KindredNode.start(config.toBuilder().port(port).build());
                    print("restarted", urls());
                }
                case "connections" -> print("connections", Map.of("count", node.connectionCount()));
                case "stop" -> {
                    print("stopped", Map.of());
                    return;
                }
                default ->
                    print(
                            "error",
                            Map.of(
                                    "message",
                                    "unknown command '" + line.trim()
                                            + "' (expected: drop, restart, connections, stop)"));
            }
        }
    }

    private Map<String, Object> urls() {
        Map<String, Object> urls = new LinkedHashMap<>();
        urls.put("ws", node.webSocketUri());
        urls.put("http", node.httpUri());
        urls.put("proxyWs", "ws://127.0.0.1:" + proxy.port() + "/ws");
        urls.put("redis", redis == null ? null : redis.uri());
        return urls;
    }

    /** One JSON line: {@code {"event":..., fields...}}. Values are strings, numbers or null. */
    private void print(String event, Map<String, Object> fields) {
        List<String> parts = new ArrayList<>();
        parts.add(json("event") + ":" + json(event));
        fields.forEach((key, value) -> parts.add(json(key) + ":" + json(value)));
        out.println(parts.stream().collect(Collectors.joining(",", "{", "}")));
    }

    private static String json(Object value) {
        if (value == null || value instanceof Number) {
            return String.valueOf(value);
        }
        return "\"" + value.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Override
    public void close() throws IOException {
        if (proxy != null) {
            proxy.close();
        }
        if (node != null) {
            node.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    /** The command line. */
    private record Arguments(boolean redis, Optional<Path> configFile) {
        static Arguments parse(String[] args) {
            boolean redis = false;
            Path config = null;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--redis" -> redis = true;
                    case "--config" -> {
                        if (i + 1 == args.length) {
                            throw new IllegalArgumentException("--config: no file (expected: --config FILE)");
                        }
                        config = Path.of(args[++i]);
                    }
                    default ->
                        throw new IllegalArgumentException(
                                "unknown argument '" + args[i] + "' (expected: --redis, --config FILE)");
                }
            }
            return new Arguments(redis, Optional.ofNullable(config));
        }

        /** The file's configuration, or the embedded default with the server tests' settings. */
        KindredConfig config() {
            KindredConfig.Builder builder = configFile
                    .map(file -> ConfigLoader.load(file, Map.of()).toBuilder())
                    .orElseGet(() -> KindredConfig.defaults().toBuilder()
                            .newMemberPeriod(Duration.ZERO)
                            .presenceGrace(Duration.ZERO)
                            .shutdownGrace(Duration.ofSeconds(2)));
            KindredConfig loaded = builder.build();
            if (loaded.storage().url() == null && loaded.storage().dataDir().equals(StorageConfig.DEFAULT_DATA_DIR)) {
                // Harnesses run side by side: each its own database, not one file under the working directory.
                builder.storage(StorageConfig.inMemory());
            }
            // One dev sign-in key for the whole run, so that tokens stay valid across restarts.
            return builder.devSecret("harness-" + UUID.randomUUID()).build();
        }
    }
}
