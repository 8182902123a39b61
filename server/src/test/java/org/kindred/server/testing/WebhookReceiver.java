package org.kindred.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.awaitility.Awaitility;
import org.kindred.server.config.WebhookConfig;

/**
 * A backend's webhook endpoint, written here: it checks every signature as the Standard Webhooks scheme says
 * (HMAC-SHA256 over {@code id.timestamp.body} with the secret's key), answers 500 as long as it is told to, and keeps
 * the events it took, in the order they came.
 */
public final class WebhookReceiver implements AutoCloseable {

    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString(KEY);

    private final HttpServer server;
    private final AtomicInteger failuresToGive = new AtomicInteger();
    private final AtomicInteger attempts = new AtomicInteger();
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private final List<String> badSignatures = new CopyOnWriteArrayList<>();
    private final List<Long> timestamps = new CopyOnWriteArrayList<>();

    private WebhookReceiver(HttpServer server) {
        this.server = server;
    }

    /** Starts a receiver on a free loopback port, at {@code /hooks}. */
    public static WebhookReceiver start() {
        try {
            WebhookReceiver receiver = new WebhookReceiver(
                    HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
            receiver.server.createContext("/hooks", exchange -> {
                receiver.attempts.incrementAndGet();
                String body;
                try (InputStream in = exchange.getRequestBody()) {
                    body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                String id = exchange.getRequestHeaders().getFirst("webhook-id");
                String timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
                String signature = exchange.getRequestHeaders().getFirst("webhook-signature");
                receiver.timestamps.add(Long.parseLong(timestamp));
                if (!expectedSignature(id, timestamp, body).equals(signature)) {
                    receiver.badSignatures.add(id);
                    exchange.sendResponseHeaders(401, -1);
                } else if (receiver.failuresToGive.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    exchange.sendResponseHeaders(500, -1);
                } else {
                    receiver.received.add(new ObjectMapper().readTree(body));
                    exchange.sendResponseHeaders(204, -1);
                }
                exchange.close();
            });
            receiver.server.start();
            return receiver;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a receiver computes: base64 HMAC-SHA256 of id.timestamp.body, prefixed with the version. */
    private static String expectedSignature(String id, String timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
            return "v1,"
                    + Base64.getEncoder()
                            .encodeToString(
                                    mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** A node's webhook settings with this receiver as its one endpoint, {@code backend}. */
    public WebhookConfig config(Optional<Path> queueDir) {
        URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hooks");
        return new WebhookConfig(List.of(new WebhookConfig.Endpoint("backend", url)), SECRET, queueDir, 100);
    }

    /** Answers 500 to the next {@code count} deliveries. */
    public void fail(int count) {
        failuresToGive.set(count);
    }

    /** How many deliveries were tried, taken or not. */
    public int attempts() {
        return attempts.get();
    }

    /** The {@code webhook-timestamp} of every delivery tried, in order. */
    public List<Long> timestamps() {
        return List.copyOf(timestamps);
    }

    /** The events taken, in order. */
    public List<JsonNode> received() {
        return List.copyOf(received);
    }

    /** The events of a type taken so far. */
    public List<JsonNode> received(String type) {
        return received.stream()
                .filter(e -> e.path("type").asText().equals(type))
                .toList();
    }

    /** The ids of deliveries whose signature was wrong. */
    public List<String> badSignatures() {
        return List.copyOf(badSignatures);
    }

    /** Waits for the first event of a type that matches. */
    public JsonNode await(String type, Predicate<JsonNode> matching) {
        return Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(
                        () -> received(type).stream()
                                .filter(matching)
                                .findFirst()
                                .orElse(null),
                        Objects::nonNull);
    }

    /** Waits for the first event of a type. */
    public JsonNode await(String type) {
        return await(type, e -> true);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
