package org.kindred.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import org.kindred.protocol.ErrorCode;

/**
 * {@link KindredMetrics} on Micrometer, exported as Prometheus text. Every meter is named from one prefix and
 * described; tags never carry user or room ids.
 */
public final class MicrometerMetrics implements KindredMetrics, AutoCloseable {

    /** The prefix of every Kindred meter. */
    public static final String PREFIX = "kindred.";

    /** What can come of claiming a support, session or group webhook event ({@link #webhookClaimed}). */
    private static final List<String> WEBHOOK_CLAIM_OUTCOMES = List.of("sent", "repeat", "unclaimed");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicInteger connectionsOpen = new AtomicInteger();
    private final Counter connectionsTotal;
    private final Counter messagesIn;
    private final Counter messagesOut;
    private final Counter slowConsumers;
    private final Counter historyResets;
    private final Counter backfills;
    private final Counter backfilledMessages;
    private final Timer sendLatency;
    private final Map<ErrorCode, Counter> errors = new EnumMap<>(ErrorCode.class);
    private final Counter supportRequested;
    private final Counter supportMatched;
    private final Counter supportCancelled;
    private final Counter supportAbandoned;
    private final Timer timeToMatch;
    private final Timer sessionDuration;
    private final DistributionSummary ratings;
    private final Counter crisisAlerts;
    private final Timer alertAck;
    private final Counter reportsOpened;
    private final Counter reportsResolved;
    private final Timer reportAction;
    private final JvmGcMetrics gc = new JvmGcMetrics();

    public MicrometerMetrics() {
        Gauge.builder(PREFIX + "connections", connectionsOpen, AtomicInteger::get)
                .description("WebSocket connections open")
                .register(registry);
        connectionsTotal = Counter.builder(PREFIX + "connections.opened")
                .description("WebSocket connections established")
                .register(registry);
        messagesIn = Counter.builder(PREFIX + "messages.in")
                .description("Chat messages accepted and stored")
                .register(registry);
        messagesOut = Counter.builder(PREFIX + "messages.out")
                .description("Frames queued to recipients by broadcasts")
                .register(registry);
        slowConsumers = Counter.builder(PREFIX + "slow.consumers")
                .description("Connections cut off for reading too slowly")
                .register(registry);
        historyResets = Counter.builder(PREFIX + "room.history.resets")
                .description("Rooms whose history moved to a new epoch on this node because Redis lost it or came back"
                        + " with older data; their members were told to re-join (close 4004)")
                .register(registry);
        backfills = Counter.builder(PREFIX + "room.backfills")
                .description("Gaps in a room's live feed (publications lost between Redis and this node) read back"
                        + " from the room's history")
                .register(registry);
        backfilledMessages = Counter.builder(PREFIX + "room.backfilled.messages")
                .description("Messages lost by a room's live feed that this node read back from history and delivered")
                .register(registry);
        sendLatency = Timer.builder(PREFIX + "send.latency")
                .description("Time from reading a send to queueing its ack")
                .publishPercentileHistogram()
                .register(registry);
        for (ErrorCode code : ErrorCode.values()) {
            errors.put(
                    code,
                    Counter.builder(PREFIX + "errors")
                            .description("Errors answered, by code")
                            .tag("code", code.wire())
                            .register(registry));
        }
        supportRequested = Counter.builder(PREFIX + "support.requests")
                .tag("outcome", "opened")
                .description("One-to-one support requests, by outcome")
                .register(registry);
        supportMatched = Counter.builder(PREFIX + "support.requests")
                .tag("outcome", "matched")
                .description("One-to-one support requests, by outcome")
                .register(registry);
        supportCancelled = Counter.builder(PREFIX + "support.requests")
                .tag("outcome", "cancelled")
                .description("One-to-one support requests, by outcome")
                .register(registry);
        supportAbandoned = Counter.builder(PREFIX + "support.requests")
                .tag("outcome", "abandoned")
                .description("One-to-one support requests, by outcome")
                .register(registry);
        timeToMatch = Timer.builder(PREFIX + "support.time.to.match")
                .description("How long a new request waited for a mentor")
                .publishPercentileHistogram()
                .register(registry);
        sessionDuration = Timer.builder(PREFIX + "support.session.duration")
                .description("How long one-to-one sessions lasted")
                .publishPercentileHistogram()
                .register(registry);
        ratings = DistributionSummary.builder(PREFIX + "support.session.rating")
                .description("Members' ratings of sessions, 1 to 5")
                .register(registry);
        crisisAlerts = Counter.builder(PREFIX + "safety.alerts")
                .tag("kind", "crisis")
                .description("Crisis alerts raised")
                .register(registry);
        alertAck = Timer.builder(PREFIX + "safety.alert.ack")
                .description("Time from a crisis alert to its acknowledgement by a moderator")
                .publishPercentileHistogram()
                .register(registry);
        reportsOpened = Counter.builder(PREFIX + "safety.reports")
                .tag("outcome", "opened")
                .description("Reports, by outcome")
                .register(registry);
        reportsResolved = Counter.builder(PREFIX + "safety.reports")
                .tag("outcome", "resolved")
                .description("Reports, by outcome")
                .register(registry);
        reportAction = Timer.builder(PREFIX + "safety.report.action")
                .description("Time from a report to a moderator's resolution")
                .publishPercentileHistogram()
                .register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        gc.bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        // Open and allowed file descriptors: one per connection, so the limit (LimitNOFILE, ulimit -n) is a capacity.
        new FileDescriptorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /**
     * {@code kindred_build_info{version, commit} 1}: which build a node runs, to join with any other series
     * ({@code * on(instance) group_left(version) kindred_build_info}) or to see a rollout progress.
     */
    @Override
    public void redisCommand(String command, long nanos) {
        Timer.builder(PREFIX + "redis.command")
                .description("Redis command latency, until the reply completed, by command")
                .tag("command", command)
                .register(registry)
                .record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    @Override
    public void redisReconnected() {
        Counter.builder(PREFIX + "redis.reconnects")
                .description("Times the node's Redis connections came back after being lost")
                .register(registry)
                .increment();
    }

    @Override
    public void bindRedisUp(java.util.function.BooleanSupplier up) {
        Gauge.builder(PREFIX + "redis.up", () -> up.getAsBoolean() ? 1 : 0)
                .description("1 while the node's Redis connections are up")
                .register(registry);
    }

    @Override
    public void nodeReaped() {
        Counter.builder(PREFIX + "cluster.nodes.reaped")
                .description("Dead nodes whose members this node removed")
                .register(registry)
                .increment();
    }

    @Override
    public void roomResynced() {
        Counter.builder(PREFIX + "rooms.resynced")
                .description("Rooms resynced from Redis because Redis lost writes")
                .register(registry)
                .increment();
    }

    @Override
    public void bindReady(java.util.function.BooleanSupplier ready) {
        Gauge.builder(PREFIX + "ready", () -> ready.getAsBoolean() ? 1 : 0)
                .description("1 while the node takes work (/readyz)")
                .register(registry);
    }

    @Override
    public void webhookDelivered(String endpoint) {
        webhookDeliveries(endpoint).increment();
    }

    @Override
    public void webhookFailed(String endpoint) {
        webhookFailures(endpoint).increment();
    }

    @Override
    public void webhookDeadLettered(String endpoint) {
        webhookDeadLetters(endpoint).increment();
    }

    @Override
    public void webhookClaimed(String type, String outcome) {
        webhookClaims(type, outcome).increment();
    }

    @Override
    public void bindWebhookEndpoint(
            String endpoint, int capacity, IntSupplier queued, LongSupplier oldestQueuedSeconds) {
        Gauge.builder(PREFIX + "webhook.queue.capacity", () -> capacity)
                .description("Webhook events an endpoint's queue holds at most (webhooks.queueSize); beyond it the"
                        + " oldest are dead-lettered")
                .tag("endpoint", endpoint)
                .register(registry);
        Gauge.builder(PREFIX + "webhook.queued", queued::getAsInt)
                .description("Webhook events waiting for their endpoint")
                .tag("endpoint", endpoint)
                .register(registry);
        Gauge.builder(PREFIX + "webhook.oldest.queued", oldestQueuedSeconds::getAsLong)
                .description("Age of the oldest webhook event waiting for its endpoint (0: none waits)")
                .baseUnit("seconds")
                .tag("endpoint", endpoint)
                .register(registry);
        webhookDeliveries(endpoint);
        webhookFailures(endpoint);
        webhookDeadLetters(endpoint);
    }

    @Override
    public void bindWebhookClaims(String type) {
        for (String outcome : WEBHOOK_CLAIM_OUTCOMES) {
            webhookClaims(type, outcome);
        }
    }

    private Counter webhookDeliveries(String endpoint) {
        return Counter.builder(PREFIX + "webhook.deliveries")
                .description("Webhook events delivered (answered 2xx), by endpoint")
                .tag("endpoint", endpoint)
                .register(registry);
    }

    private Counter webhookFailures(String endpoint) {
        return Counter.builder(PREFIX + "webhook.failures")
                .description("Webhook delivery attempts that failed (retried, or dead-lettered), by endpoint")
                .tag("endpoint", endpoint)
                .register(registry);
    }

    private Counter webhookDeadLetters(String endpoint) {
        return Counter.builder(PREFIX + "webhook.dead.letters")
                .description("Webhook events given up (attempts exhausted or queue full), by endpoint")
                .tag("endpoint", endpoint)
                .register(registry);
    }

    private Counter webhookClaims(String type, String outcome) {
        return Counter.builder(PREFIX + "webhook.claims")
                .description("Support, session and group webhook events claimed before sending, by type and outcome"
                        + " (sent, repeat: told again and not sent, unclaimed: claim failed and sent all the same)")
                .tag("type", type)
                .tag("outcome", outcome)
                .register(registry);
    }

    public void buildInfo(String version, String commit) {
        Gauge.builder(PREFIX + "build.info", () -> 1)
                .description("The running build: its version and commit; always 1")
                .tag("version", version)
                .tag("commit", commit)
                .register(registry);
    }

    /** The registry, for meters of other parts. */
    public MeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void connectionOpened() {
        connectionsOpen.incrementAndGet();
        connectionsTotal.increment();
    }

    @Override
    public void connectionClosed() {
        connectionsOpen.decrementAndGet();
    }

    @Override
    public void messageIn() {
        messagesIn.increment();
    }

    @Override
    public void messagesOut(int recipients) {
        messagesOut.increment(recipients);
    }

    @Override
    public void sendLatency(long nanos) {
        sendLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void error(ErrorCode code) {
        errors.get(code).increment();
    }

    @Override
    public void slowConsumerClosed() {
        slowConsumers.increment();
    }

    @Override
    public void roomHistoryReset() {
        historyResets.increment();
    }

    @Override
    public void roomBackfilled(int messages) {
        backfills.increment();
        backfilledMessages.increment(messages);
    }

    @Override
    public void bindActiveRooms(IntSupplier activeRooms) {
        Gauge.builder(PREFIX + "rooms.active", activeRooms::getAsInt)
                .description("Rooms with at least one connection on this node")
                .register(registry);
    }

    @Override
    public void supportRequested() {
        supportRequested.increment();
    }

    @Override
    public void supportMatched(long waitedMillis) {
        supportMatched.increment();
        timeToMatch.record(waitedMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void supportCancelled() {
        supportCancelled.increment();
    }

    @Override
    public void supportAbandoned() {
        supportAbandoned.increment();
    }

    @Override
    public void sessionEnded(long durationMillis) {
        sessionDuration.record(durationMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void sessionRated(int rating) {
        ratings.record(rating);
    }

    @Override
    public void bindActiveSessions(IntSupplier activeSessions) {
        Gauge.builder(PREFIX + "support.sessions.active", activeSessions::getAsInt)
                .description("One-to-one sessions in progress")
                .register(registry);
    }

    @Override
    public void bindGroupMeetings(IntSupplier meetingsOn, IntSupplier participants) {
        Gauge.builder(PREFIX + "groups.meetings.active", meetingsOn::getAsInt)
                .description("Group meetings in their lobby or open")
                .register(registry);
        Gauge.builder(PREFIX + "groups.participants", participants::getAsInt)
                .description("Members in group meetings now, facilitators not counted")
                .register(registry);
    }

    @Override
    public void crisisAlert() {
        crisisAlerts.increment();
    }

    @Override
    public void alertEscalated(int level) {
        Counter.builder(PREFIX + "safety.alert.escalations")
                .tag("level", Integer.toString(level))
                .description("Crisis alerts nobody acknowledged in time, escalated to every moderator and experienced "
                        + "mentor connected, by level")
                .register(registry)
                .increment();
    }

    @Override
    public void alertAcknowledged(long waitedMillis) {
        alertAck.record(waitedMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void reportOpened() {
        reportsOpened.increment();
    }

    @Override
    public void reportResolved(long afterMillis) {
        reportsResolved.increment();
        reportAction.record(afterMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void sanction(String kind) {
        Counter.builder(PREFIX + "safety.sanctions")
                .tag("kind", kind)
                .description("Sanctions applied, by kind")
                .register(registry)
                .increment();
    }

    @Override
    public void deskCommitted(String desk, int commands, int conflicts) {
        Counter.builder(PREFIX + "desk.commits")
                .tag("desk", desk)
                .description("Compare-and-set commits of a cluster desk (support, groups) that landed")
                .register(registry)
                .increment();
        Counter.builder(PREFIX + "desk.commands")
                .tag("desk", desk)
                .description("Commands a cluster desk committed (several per commit when they queued together)")
                .register(registry)
                .increment(commands);
        if (conflicts > 0) {
            Counter.builder(PREFIX + "desk.conflicts")
                    .tag("desk", desk)
                    .description("Commits of a cluster desk that lost a race to another node and ran again")
                    .register(registry)
                    .increment(conflicts);
        }
    }

    @Override
    public void failure(String task) {
        Counter.builder(PREFIX + "failures")
                .tag("task", task)
                .description("Failures of work nobody waited for, by task")
                .register(registry)
                .increment();
    }

    @Override
    public void recordsPurged(String kind, long count) {
        Counter.builder(PREFIX + "records.purged")
                .tag("kind", kind)
                .description("Records the retention job deleted from the database, by kind")
                .register(registry)
                .increment(count);
    }

    @Override
    public void retentionRun() {
        Counter.builder(PREFIX + "retention.runs")
                .description("Runs of the retention job that this node carried out to their end")
                .register(registry)
                .increment();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
