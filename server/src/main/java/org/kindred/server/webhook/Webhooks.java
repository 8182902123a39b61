package org.kindred.server.webhook;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.kindred.server.config.WebhookConfig;
import org.kindred.server.metrics.KindredMetrics;
import org.kindred.server.runtime.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends events to the configured endpoints with the Standard Webhooks scheme: headers {@code webhook-id},
 * {@code webhook-timestamp} (seconds, of the attempt) and {@code webhook-signature} ({@code v1,} and the base64
 * HMAC-SHA256 of {@code id.timestamp.body} with the secret's key), body {@code {"type", "timestamp", "data"}}.
 *
 * <p><b>At least once.</b> Each endpoint has its own bounded queue, delivered in order, one event at a time; an event
 * leaves the queue only on a 2xx answer. A failure (an answer other than 2xx, a timeout, a refused connection) is
 * retried after 1 s, 2 s, 4 s... up to 10 minutes between attempts, with jitter; after {@value #MAX_ATTEMPTS} attempts
 * the event goes to the endpoint's dead letters (kept, the newest {@value #MAX_DEAD_LETTERS}), readable through the
 * server API, and the next one is tried. A receiver may see an event twice (a 2xx lost on the way): it deduplicates by
 * {@code webhook-id}.
 *
 * <p><b>Across restarts.</b> With {@code webhooks.queueDir}, each endpoint's queue and dead letters are a JSON file
 * there, rewritten (to a temporary file, then moved) on every change, so a node that stops or crashes sends the rest
 * when it starts again. In a cluster each node keeps the queue of the events raised on it: give each node its own
 * directory (a volume per pod), never a shared one.
 */
public final class Webhooks implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Webhooks.class);
    static final int MAX_ATTEMPTS = 12;
    static final int MAX_DEAD_LETTERS = 1000;
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LAST_RETRY = Duration.ofMinutes(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One event waiting for its endpoint: what is signed and sent, and how often it was tried.
     *
     * @param timestamp when the event was raised, in epoch seconds
     */
    public record Delivery(String id, long timestamp, String body, int attempts, String lastError) {
        Delivery failed(String error) {
            return new Delivery(id, timestamp, body, attempts + 1, error);
        }
    }

    /** A file's contents: the queue and the dead letters of one endpoint. */
    record Saved(List<Delivery> queue, List<Delivery> deadLetters) {}

    private final WebhookConfig config;
    private final Clock clock;
    private final KindredMetrics metrics;
    private final HttpClient http;
    private final ScheduledExecutorService sender;
    private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();
    private final Duration firstRetry;

    public Webhooks(WebhookConfig config, Clock clock, KindredMetrics metrics) {
        this(config, clock, metrics, FIRST_RETRY);
    }

    /** @param firstRetry the first retry delay (tests shorten it; it doubles up to 10 minutes) */
    Webhooks(WebhookConfig config, Clock clock, KindredMetrics metrics, Duration firstRetry) {
        this.config = config;
        this.clock = clock;
        this.metrics = metrics;
        this.firstRetry = firstRetry;
        this.http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        this.sender = DaemonThreads.scheduler("kindred-webhooks");
        for (WebhookConfig.Endpoint endpoint : config.endpoints()) {
            Endpoint queue = new Endpoint(endpoint);
            endpoints.put(endpoint.name(), queue);
            metrics.bindWebhookEndpoint(endpoint.name(), config.queueSize(), queue::size, queue::oldestQueuedSeconds);
            sender.execute(queue::sendNext);
        }
    }

    /** Whether any endpoint is configured. */
    public boolean enabled() {
        return !endpoints.isEmpty();
    }

    /**
     * Queues an event for every endpoint.
     *
     * @param type {@code crisis_alert.raised} and so on (docs/operations.md lists them)
     * @param data the event's fields, as JSON values; never message text
     */
    public void publish(String type, Map<String, Object> data) {
        if (endpoints.isEmpty()) {
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("timestamp", clock.instant().toString());
        body.put("data", data);
        String json;
        try {
            json = JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException("an event is always JSON", e);
        }
        Delivery delivery =
                new Delivery("msg_" + UUID.randomUUID(), clock.instant().getEpochSecond(), json, 0, null);
        endpoints.values().forEach(endpoint -> sender.execute(() -> endpoint.enqueue(delivery)));
    }

    /** Each endpoint's dead letters, newest last. */
    public Map<String, List<Delivery>> deadLetters() {
        Map<String, List<Delivery>> letters = new LinkedHashMap<>();
        try {
            sender.submit(() -> endpoints.forEach((name, e) -> letters.put(name, List.copyOf(e.deadLetters))))
                    .get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("webhook queues did not answer", e);
        }
        return letters;
    }

    /** The {@code webhook-signature} of a delivery: {@code v1,} and base64 HMAC-SHA256 of {@code id.timestamp.body}. */
    public static String signature(byte[] key, String id, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] signed = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(signed);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }

    @Override
    public void close() {
        sender.shutdownNow();
    }

    /** One endpoint's queue; touched only on the sender thread. */
    private final class Endpoint {
        private final WebhookConfig.Endpoint target;
        private final Deque<Delivery> queue = new ArrayDeque<>();
        private final Deque<Delivery> deadLetters = new ArrayDeque<>();
        private final Path file;
        private volatile int size;
        /** When the event at the head of the queue was raised, in epoch seconds; meaningless while it is empty. */
        private volatile long headRaisedAt;

        private boolean sending;

        Endpoint(WebhookConfig.Endpoint target) {
            this.target = target;
            this.file = config.queueDir()
                    .map(dir -> dir.resolve(target.name() + ".json"))
                    .orElse(null);
            load();
        }

        int size() {
            return size;
        }

        /** How long the oldest waiting event has waited (0 when none waits): what an alert on a stuck queue reads. */
        long oldestQueuedSeconds() {
            return size == 0 ? 0 : Math.max(0, clock.instant().getEpochSecond() - headRaisedAt);
        }

        void enqueue(Delivery delivery) {
            queue.addLast(delivery);
            while (queue.size() > config.queueSize()) {
                deadLetter(queue.removeFirst().failed("queue full"));
            }
            save();
            sendNext();
        }

        void sendNext() {
            if (sending || queue.isEmpty()) {
                return;
            }
            sending = true;
            Delivery delivery = queue.peekFirst();
            // Signed with the time of this attempt, not of the event: receivers reject a timestamp older than a few
            // minutes (replay protection), and a retry may come ten minutes after the last.
            long attemptedAt = clock.instant().getEpochSecond();
            HttpRequest request = HttpRequest.newBuilder(target.url())
                    .timeout(Duration.ofSeconds(10))
                    .header("content-type", "application/json")
                    .header("webhook-id", delivery.id())
                    .header("webhook-timestamp", Long.toString(attemptedAt))
                    .header("webhook-signature", signature(config.key(), delivery.id(), attemptedAt, delivery.body()))
                    .POST(HttpRequest.BodyPublishers.ofString(delivery.body()))
                    .build();
            var unused = http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .whenCompleteAsync(
                            (response, error) ->
                                    answered(delivery, response == null ? -1 : response.statusCode(), error),
                            sender);
        }

        private void answered(Delivery delivery, int status, Throwable error) {
            sending = false;
            if (queue.peekFirst() != delivery) {
                sendNext();
                return;
            }
            if (error == null && status >= 200 && status < 300) {
                queue.removeFirst();
                metrics.webhookDelivered(target.name());
                save();
                sendNext();
                return;
            }
            String why = error != null ? error.getClass().getSimpleName() : "HTTP " + status;
            metrics.webhookFailed(target.name());
            Delivery failed = delivery.failed(why);
            queue.removeFirst();
            if (failed.attempts() >= MAX_ATTEMPTS) {
                LOG.warn(
                        "webhook {} to {}: dead-lettered after {} attempts ({})",
                        delivery.id(),
                        target.name(),
                        failed.attempts(),
                        why);
                deadLetter(failed);
                save();
                sendNext();
                return;
            }
            queue.addFirst(failed);
            save();
            long delay = backoff(failed.attempts()).toMillis();
            LOG.debug("webhook {} to {} failed ({}); retry in {} ms", delivery.id(), target.name(), why, delay);
            var retry = sender.schedule(this::sendNext, delay, TimeUnit.MILLISECONDS);
        }

        private Duration backoff(int attempts) {
            Duration doubled = firstRetry.multipliedBy(1L << Math.min(attempts - 1, 20));
            Duration capped = doubled.compareTo(LAST_RETRY) > 0 ? LAST_RETRY : doubled;
            // Up to a quarter more, so that many nodes retrying one endpoint do not arrive together.
            return capped.plusMillis((long) (Math.random() * capped.toMillis() / 4));
        }

        private void deadLetter(Delivery delivery) {
            deadLetters.addLast(delivery);
            metrics.webhookDeadLettered(target.name());
            while (deadLetters.size() > MAX_DEAD_LETTERS) {
                deadLetters.removeFirst();
            }
        }

        private void load() {
            if (file == null || !Files.isRegularFile(file)) {
                return;
            }
            try {
                Saved saved = JSON.readValue(file.toFile(), new TypeReference<Saved>() {});
                queue.addAll(saved.queue());
                deadLetters.addAll(saved.deadLetters());
                track();
                LOG.info("webhooks to {}: {} queued events found in {}", target.name(), queue.size(), file);
            } catch (IOException e) {
                LOG.warn(
                        "webhooks to {}: cannot read {} ({}); starting with an empty queue",
                        target.name(),
                        file,
                        e.getMessage());
            }
        }

        private void track() {
            Delivery head = queue.peekFirst();
            if (head != null) {
                headRaisedAt = head.timestamp();
            }
            size = queue.size();
        }

        private void save() {
            track();
            if (file == null) {
                return;
            }
            try {
                Files.createDirectories(file.getParent());
                Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
                JSON.writeValue(temporary.toFile(), new Saved(new ArrayList<>(queue), new ArrayList<>(deadLetters)));
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                LOG.warn("webhooks to {}: cannot save the queue in {} ({})", target.name(), file, e.getMessage());
            }
        }
    }

    /** For log lines and tests: when a delivery was first queued. */
    static Instant queuedAt(Delivery delivery) {
        return Instant.ofEpochSecond(delivery.timestamp());
    }
}
