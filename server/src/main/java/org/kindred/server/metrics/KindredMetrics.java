package org.kindred.server.metrics;

import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import org.kindred.protocol.ErrorCode;

/**
 * What the server counts. Every method has a no-op default, so the core never asks whether metrics are on and tests
 * can pass {@link #NOOP}. Implementations must be thread-safe and cheap: they sit on the message path.
 */
public interface KindredMetrics {

    /** Counts nothing. */
    KindredMetrics NOOP = new KindredMetrics() {};

    /** A WebSocket connection was established. */
    default void connectionOpened() {}

    /** A WebSocket connection ended. */
    default void connectionClosed() {}

    /** A chat message was accepted and stored. */
    default void messageIn() {}

    /** Frames were queued to that many recipients for one broadcast. */
    default void messagesOut(int recipients) {}

    /** Time from reading a send to queueing its ack, in nanoseconds. */
    default void sendLatency(long nanos) {}

    /** An error was answered with this code. */
    default void error(ErrorCode code) {}

    /** A connection was closed because it could not keep up with what it was sent. */
    default void slowConsumerClosed() {}

    /** A room's history moved to a new epoch (Redis lost it or came back with older data); its members re-join. */
    default void roomHistoryReset() {}

    /**
     * A room's live feed skipped sequence numbers (its pub/sub lost publications), and the node read the gap back from
     * the room's history: {@code messages} of them were found there and delivered (fewer when history no longer held
     * them). Resyncs that find nothing missing are not backfills.
     */
    default void roomBackfilled(int messages) {}

    /** Exposes the number of rooms with members on this node. */
    default void bindActiveRooms(IntSupplier activeRooms) {}

    /** A member asked for one-to-one support. */
    default void supportRequested() {}

    /** A request was matched with a mentor after waiting this long. */
    default void supportMatched(long waitedMillis) {}

    /** A member cancelled its request. */
    default void supportCancelled() {}

    /** A Redis command completed after this long (Lettuce's completion latency), by command type. */
    default void redisCommand(String command, long nanos) {}

    /** The node's Redis connections came back after being lost. */
    default void redisReconnected() {}

    /** Whether the node's Redis connections are up (cluster mode). */
    default void bindRedisUp(java.util.function.BooleanSupplier up) {}

    /** This node removed a dead node's members (it stopped beating). */
    default void nodeReaped() {}

    /** A room resynced from Redis because Redis lost writes (a rollback or a restart with older data). */
    default void roomResynced() {}

    /** Whether the node takes work ({@code /readyz}). */
    default void bindReady(java.util.function.BooleanSupplier ready) {}

    /** A webhook delivery was answered 2xx by this endpoint. */
    default void webhookDelivered(String endpoint) {}

    /** A webhook delivery attempt to this endpoint failed (it is retried or dead-lettered). */
    default void webhookFailed(String endpoint) {}

    /** A webhook event was given up for this endpoint (attempts exhausted, or the queue full). */
    default void webhookDeadLettered(String endpoint) {}

    /**
     * A support, session or group event was claimed before it was sent: {@code sent} (the first claim), {@code repeat}
     * (told again — both participants, a reconnect, another node — and not sent again) or {@code unclaimed} (the claim
     * failed, Redis unreachable: sent all the same).
     */
    default void webhookClaimed(String type, String outcome) {}

    /**
     * A webhook endpoint is configured: exposes its queue — how many events it holds at most, how many wait and the
     * age in seconds of the oldest (0 when none waits) — and starts its delivery, failure and dead-letter counts at
     * zero, so that an alert on their increase sees the first one.
     */
    default void bindWebhookEndpoint(
            String endpoint, int capacity, IntSupplier queued, LongSupplier oldestQueuedSeconds) {}

    /**
     * Support, session and group webhooks are on for this event type: starts its claim counts at zero for every
     * outcome, so that an alert on {@code unclaimed} sees the first one.
     */
    default void bindWebhookClaims(String type) {}

    /** A request was dropped because its member was gone too long. */
    default void supportAbandoned() {}

    /** A one-to-one session ended after lasting this long. */
    default void sessionEnded(long durationMillis) {}

    /** A member rated a session. */
    default void sessionRated(int rating) {}

    /** Exposes the number of one-to-one sessions in progress. */
    default void bindActiveSessions(IntSupplier activeSessions) {}

    /** Binds the gauges of group meetings on now (lobby or open) and the members in them, cluster-wide. */
    default void bindGroupMeetings(IntSupplier meetingsOn, IntSupplier participants) {}

    /** A crisis alert was raised. */
    default void crisisAlert() {}

    /**
     * A desk (support, groups) committed a batch of this many commands in one compare-and-set, after this many lost
     * races (each a round trip to Redis and a run of the batch again).
     */
    default void deskCommitted(String desk, int commands, int conflicts) {}

    /** A crisis alert nobody acknowledged escalated to this level (1 or 2). */
    default void alertEscalated(int level) {}

    /** A moderator acknowledged a crisis alert this long after it was raised. */
    default void alertAcknowledged(long waitedMillis) {}

    /** A report was filed. */
    default void reportOpened() {}

    /** A report was resolved this long after it was filed (the time to a moderator's action). */
    default void reportResolved(long afterMillis) {}

    /** A moderator applied a sanction of this kind. */
    default void sanction(String kind) {}

    /** Work nobody waited for failed (a publication, a bookkeeping step, recording an alert): one of a few tasks. */
    default void failure(String task) {}

    /** The retention job deleted this many records of a kind ({@code reports}, {@code audit_entries}, ...). */
    default void recordsPurged(String kind, long count) {}

    /** The retention job ran to its end on this node (it runs on one node of a cluster at a time). */
    default void retentionRun() {}
}
