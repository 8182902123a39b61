package org.kindred.server.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.kindred.protocol.DecodeException;
import org.kindred.protocol.ErrorCode;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.ServerMessage.ChatMessage;
import org.kindred.protocol.UserInfo;
import org.kindred.protocol.WireCodec;
import org.kindred.server.broker.Broker;
import org.kindred.server.broker.HistoryConfig;
import org.kindred.server.broker.MessageIds;
import org.kindred.server.broker.RoomFeed;
import org.kindred.server.config.RedisConfig;
import org.kindred.server.connection.Refusal;
import org.kindred.server.runtime.Failures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker of a cluster: Redis keeps each room's sequence, history (a stream), epoch, idempotency records and
 * presence; sharded pub/sub carries events to the nodes that have members of the room.
 *
 * <p>On top of {@link Broker}'s guarantees: appends, reads and presence changes are Lua scripts, atomic per room
 * (a room's keys share one cluster slot). Pub/sub is at most once, so rooms fill gaps from the stream: after every
 * reconnect and every second, each subscribed room is told to {@linkplain RoomFeed#onResync() resync}. While Redis is
 * unreachable every future fails at once and {@link #ready()} is false; nothing is acknowledged that was not stored.
 */
public final class RedisBroker implements Broker {

    private static final Logger LOG = LoggerFactory.getLogger(RedisBroker.class);
    private static final long RESYNC_MILLIS = 1_000;
    /** Lettuce's failure of a command it did not send, Redis being disconnected (REJECT_COMMANDS). */
    private static final String NOT_CONNECTED = "Currently not connected. Commands are rejected.";

    private final RedisConfig config;
    private final HistoryConfig settings;
    private final WireCodec codec;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    /** How often a deletion is tried when the message keeps being edited under it. */
    private static final int REPLACE_ATTEMPTS = 5;

    private final RedisScript appendScript = RedisScript.load("append");
    private final RedisScript readScript = RedisScript.load("read");
    private final RedisScript replaceScript = RedisScript.load("replace");
    private final RedisScript joinScript = RedisScript.load("presence_join");
    private final RedisScript leaveScript = RedisScript.load("presence_leave");
    private final Map<String, RoomFeed> feeds = new ConcurrentHashMap<>();
    /** Where each room stood when this node last heard from Redis, to notice a Redis that came back with older data. */
    private final RoomMarks marks = new RoomMarks();
    /** Users this node has announced in each room, to announce again if Redis lost them (restart, or we were reaped). */
    private final Map<String, Map<String, UserInfo>> localPresence = new ConcurrentHashMap<>();

    private final RedisConnections redis;
    private final Failures failures;
    private final NodeLiveness liveness;
    private final List<ScheduledFuture<?>> periodic = new ArrayList<>();

    /**
     * @param redis the node's Redis connections, shared with the stores; whoever opened them closes them
     */
    public RedisBroker(
            RedisConnections redis,
            RedisConfig config,
            HistoryConfig settings,
            WireCodec codec,
            Failures failures,
            Clock clock) {
        this.config = config;
        this.settings = settings;
        this.codec = codec;
        this.clock = clock;
        this.redis = redis;
        this.failures = failures;
        this.liveness = new NodeLiveness(
                config.nodeId(),
                config.nodeTimeout(),
                config.heartbeatInterval(),
                redis.commands(),
                leaveScript,
                this::announceAll,
                clock,
                failures.metrics());
        liveness.start().join();
        redis.afterReconnect(this::recover);
        periodic.add(failures.every(
                redis.timer(),
                config.heartbeatInterval(),
                "node heartbeat",
                () -> failures.watch("node heartbeat", liveness.beat())));
        periodic.add(failures.every(redis.timer(), Duration.ofMillis(RESYNC_MILLIS), "room resync", this::resyncAll));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Messages

    @Override
    public CompletableFuture<Appended> append(String room, UserInfo author, String clientMsgId, String text) {
        long now = clock.millis();
        ChatMessage template = new ChatMessage(room, 0, MessageIds.next(), author, text, now, clientMsgId);
        String encoded = new String(codec.encode(template), StandardCharsets.UTF_8);
        // The script writes the sequence number in: split the JSON around the seq value the template holds.
        int seqAt = encoded.indexOf("\"seq\":0,") + "\"seq\":".length();
        String[] keys = {
            RedisKeys.seq(room),
            RedisKeys.history(room),
            RedisKeys.epoch(room),
            RedisKeys.sent(room, author.id(), clientMsgId),
            RedisKeys.deleted(room)
        };
        RoomMarks.Mark mark = marks.of(room);
        return appendScript
                .<List<Object>>run(
                        redis.appendCommands(),
                        ScriptOutputType.MULTI,
                        keys,
                        encoded.substring(0, seqAt),
                        encoded.substring(seqAt + 1),
                        Long.toString(now),
                        Integer.toString(settings.historySize()),
                        Long.toString(oldestKept(now)),
                        Long.toString(settings.idempotencyWindow().toMillis()),
                        RedisKeys.channel(room),
                        MessageIds.nextEpoch(),
                        mark.epoch(),
                        Long.toString(mark.seq()))
                .thenApply(result -> {
                    ChatMessage message = decodeMessage((String) result.get(1));
                    marks.saw(room, (String) result.get(2), message.seq(), message.id());
                    return new Appended(message, (Long) result.get(0) == 0);
                })
                .thenCompose(this::replicated)
                .exceptionallyCompose(error -> CompletableFuture.failedFuture(outcomeOf(error)));
    }

    /**
     * With {@code redis.waitReplicas}, an append counts once that many replicas hold it. One the replicas did not
     * confirm in time is stored on the master but would be lost if it failed over now: {@code outcome_unknown}, and
     * the client's resend (a duplicate, acknowledged once the replicas confirm) waits for them again.
     */
    private CompletableFuture<Appended> replicated(Appended appended) {
        if (config.waitReplicas() == 0) {
            return CompletableFuture.completedFuture(appended);
        }
        return redis.replicasHoldingAppends()
                .thenCompose(replicas -> replicas >= config.waitReplicas()
                        ? CompletableFuture.completedFuture(appended)
                        : CompletableFuture.failedFuture(new Refusal(
                                ErrorCode.OUTCOME_UNKNOWN,
                                "the message is stored but not yet on enough replicas: send it again with the same"
                                        + " clientMsgId")));
    }

    /**
     * What a failed append tells its client. Redis refused the script, or the command was never sent (not connected):
     * nothing was stored, the failure goes on as it is ({@code unavailable}). Anything else — a timeout, a connection
     * that dropped with the command in flight — may have stored it: {@code outcome_unknown}, and the client resends the
     * same client message id until it is acknowledged.
     */
    private static Throwable outcomeOf(Throwable error) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        boolean notRun = cause instanceof Refusal // already says what it means
                || cause instanceof RedisCommandExecutionException
                || (cause instanceof RedisException && NOT_CONNECTED.equals(cause.getMessage()));
        return notRun
                ? cause
                : new Refusal(
                        ErrorCode.OUTCOME_UNKNOWN,
                        "the store did not answer in time: this message may have been stored; send it again with the"
                                + " same clientMsgId");
    }

    @Override
    public CompletableFuture<Slice> readAfter(String room, long afterSeq, int limit) {
        return read(room, "after", afterSeq, limit);
    }

    @Override
    public CompletableFuture<Slice> readBefore(String room, long beforeSeq, int limit) {
        return read(room, "before", beforeSeq, limit);
    }

    private CompletableFuture<Slice> read(String room, String direction, long bound, int limit) {
        String[] keys = {RedisKeys.seq(room), RedisKeys.history(room), RedisKeys.epoch(room), RedisKeys.deleted(room)};
        RoomMarks.Mark mark = marks.of(room);
        return readScript
                .<List<Object>>run(
                        redis.commands(),
                        ScriptOutputType.MULTI,
                        keys,
                        direction,
                        Long.toString(bound),
                        Integer.toString(limit),
                        Long.toString(oldestKept(clock.millis())),
                        MessageIds.nextEpoch(),
                        mark.epoch(),
                        Long.toString(mark.seq()),
                        mark.id())
                .thenApply(result -> {
                    List<ChatMessage> messages = new ArrayList<>((result.size() - 3) / 2);
                    for (int i = 3; i + 1 < result.size(); i += 2) {
                        ChatMessage message = decodeMessage((String) result.get(i));
                        messages.add((Long) result.get(i + 1) == 1 ? message.tombstone() : message);
                    }
                    String epoch = (String) result.get(0);
                    long lastSeq = (Long) result.get(1);
                    boolean newestRead =
                            !messages.isEmpty() && messages.getLast().seq() == lastSeq;
                    marks.saw(
                            room,
                            epoch,
                            lastSeq,
                            newestRead ? messages.getLast().id() : "");
                    return new Slice(epoch, lastSeq, messages, (Long) result.get(2) == 1);
                });
    }

    private long oldestKept(long now) {
        return now - settings.historyMaxAge().toMillis();
    }

    private ChatMessage decodeMessage(String encoded) {
        try {
            return (ChatMessage) codec.decodeServer(encoded);
        } catch (DecodeException | ClassCastException e) {
            throw new IllegalStateException("Redis holds a message this server cannot read: " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Subscriptions and events

    @Override
    public CompletableFuture<Void> subscribe(String room, RoomFeed feed) {
        feeds.put(room, feed);
        return redis.subscribe(RedisKeys.channel(room), event -> onEvent(room, feed, event));
    }

    @Override
    public void unsubscribe(String room) {
        if (feeds.remove(room) != null) {
            redis.unsubscribe(RedisKeys.channel(room));
        }
    }

    @Override
    public void typing(String room, UserInfo user, boolean active) {
        String event = json(new ServerMessage.TypingEvent(room, user, active));
        failures.watch("typing publish", redis.publish(RedisKeys.channel(room), new ClusterEvent.Typing(event)));
    }

    private String json(ServerMessage message) {
        return new String(codec.encode(message), StandardCharsets.UTF_8);
    }

    /** A room's event, as its channel carries it. Events of other kinds have no business on a room channel. */
    private void onEvent(String room, RoomFeed feed, ClusterEvent event) {
        if (!feed.equals(feeds.get(room))) {
            return; // a feed from before an unsubscribe
        }
        try {
            switch (event) {
                case ClusterEvent.RoomMessage e -> onMessage(room, feed, e.epoch(), decodeMessage(e.message()));
                case ClusterEvent.PresenceJoined e ->
                    feed.onPresenceJoined((ServerMessage.PresenceJoined) codec.decodeServer(e.event()));
                case ClusterEvent.PresenceLeft e ->
                    feed.onPresenceLeft((ServerMessage.PresenceLeft) codec.decodeServer(e.event()));
                case ClusterEvent.Typing e -> feed.onTyping((ServerMessage.TypingEvent) codec.decodeServer(e.event()));
                case ClusterEvent.Deleted e ->
                    feed.onDeleted((ServerMessage.MessageDeleted) codec.decodeServer(e.event()));
                case ClusterEvent.Edited e ->
                    feed.onEdited((ServerMessage.MessageEdited) codec.decodeServer(e.event()));
                default ->
                    LOG.warn(
                            "ignoring a {} event on the channel of a room",
                            event.getClass().getSimpleName());
            }
        } catch (DecodeException | ClassCastException e) {
            LOG.warn("ignoring an unreadable event of a room: {}", e.toString());
        }
    }

    /**
     * A stored message of a room. One that contradicts what this node saw (another message at the same seq under the
     * same epoch) means Redis came back with older data and was written to since: the room resyncs at once, and the
     * read script moves it to a new epoch. Otherwise the next periodic resync catches any rollback.
     */
    private void onMessage(String room, RoomFeed feed, String epoch, ChatMessage message) {
        if (marks.contradicts(room, epoch, message.seq(), message.id())) {
            LOG.warn(
                    "room {}: seq {} names another message than before; Redis lost writes, resyncing",
                    room,
                    message.seq());
            failures.metrics().roomResynced();
            feed.onResync();
            return;
        }
        marks.saw(room, epoch, message.seq(), message.id());
        feed.onMessage(epoch, message);
    }

    /**
     * After a reconnect, once the channels are subscribed again: announce this node's users again (a restarted Redis,
     * or nodes that thought this one dead, removed them), and let every room read its presence again and fill the
     * messages it missed.
     */
    private void recover() {
        announceAll();
        resyncPresence();
        resyncAll();
    }

    /** Announces every user of this node again; an announcement of a user still present changes nothing. */
    private void announceAll() {
        localPresence.forEach((room, users) ->
                users.values().forEach(user -> failures.watch("presence announce", announce(room, user))));
    }

    /** Every room reads its presence again: presence events published while the channels were down are lost. */
    private void resyncPresence() {
        feeds.values().forEach(feed -> {
            try {
                feed.onPresenceResync();
            } catch (RuntimeException e) {
                LOG.warn("presence resync failed: {}", e.toString());
            }
        });
    }

    private void resyncAll() {
        feeds.values().forEach(feed -> {
            try {
                feed.onResync();
            } catch (RuntimeException e) {
                LOG.warn("resync failed: {}", e.toString());
            }
        });
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Presence

    @Override
    public CompletableFuture<Void> presenceJoin(String room, UserInfo user) {
        localPresence
                .computeIfAbsent(room, ignored -> new ConcurrentHashMap<>())
                .put(user.id(), user);
        return announce(room, user);
    }

    private CompletableFuture<Void> announce(String room, UserInfo user) {
        String userJson;
        try {
            userJson = json.writeValueAsString(user);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return redis.commands()
                .sadd(RedisKeys.nodeRooms(config.nodeId()), room)
                .toCompletableFuture()
                .thenCompose(ignored -> joinScript.<Long>run(
                        redis.commands(),
                        ScriptOutputType.INTEGER,
                        new String[] {RedisKeys.presence(room)},
                        user.id(),
                        config.nodeId(),
                        userJson,
                        RedisKeys.channel(room),
                        room))
                .thenAccept(ignored -> {});
    }

    @Override
    public CompletableFuture<Void> presenceLeave(String room, String userId) {
        Map<String, UserInfo> users = localPresence.get(room);
        if (users != null) {
            users.remove(userId);
        }
        return leaveScript
                .<Long>run(
                        redis.commands(),
                        ScriptOutputType.INTEGER,
                        new String[] {RedisKeys.presence(room)},
                        config.nodeId(),
                        RedisKeys.channel(room),
                        room,
                        userId)
                .thenAccept(ignored -> {});
    }

    @Override
    public CompletableFuture<List<UserInfo>> presence(String room) {
        return redis.commands()
                .hvals(RedisKeys.presence(room))
                .toCompletableFuture()
                .thenApply(values -> {
                    List<UserInfo> users = new ArrayList<>(values.size());
                    for (String value : values) {
                        try {
                            JsonNode entry = json.readTree(value);
                            users.add(json.readValue(entry.get("u").asText(), UserInfo.class));
                        } catch (IOException e) {
                            LOG.warn("ignoring an unreadable presence entry in room {}", room);
                        }
                    }
                    return users;
                });
    }

    @Override
    public CompletableFuture<Optional<ChatMessage>> redact(String room, long seq, String reason) {
        return redact(room, seq, reason, REPLACE_ATTEMPTS);
    }

    /** Tries again when an edit of the same message came in between the read and the replacement. */
    private CompletableFuture<Optional<ChatMessage>> redact(String room, long seq, String reason, int attempts) {
        return stored(room, seq).thenCompose(stored -> {
            if (stored.isEmpty()) {
                return CompletableFuture.completedFuture(Optional.<ChatMessage>empty());
            }
            ChatMessage tombstone = decodeMessage(stored.get()).tombstone();
            return replace(room, seq, stored.get(), tombstone, false).thenCompose(replaced -> {
                if (!replaced) {
                    return attempts > 1
                            ? redact(room, seq, reason, attempts - 1)
                            : CompletableFuture.failedFuture(new IllegalStateException(
                                    "message " + seq + " of a room kept changing while it was being deleted"));
                }
                return redis.publish(
                                RedisKeys.channel(room),
                                new ClusterEvent.Deleted(
                                        json(new ServerMessage.MessageDeleted(room, seq, tombstone.id(), reason))))
                        .thenApply(ignored -> Optional.of(tombstone));
            });
        });
    }

    @Override
    public CompletableFuture<Boolean> edit(ChatMessage current, ChatMessage edited) {
        String room = current.room();
        return stored(room, current.seq()).thenCompose(stored -> {
            if (stored.isEmpty() || !decodeMessage(stored.get()).equals(current)) {
                return CompletableFuture.completedFuture(false);
            }
            return replace(room, current.seq(), stored.get(), edited, true)
                    .thenCompose(replaced -> replaced
                            ? redis.publish(
                                            RedisKeys.channel(room),
                                            new ClusterEvent.Edited(json(ServerMessage.MessageEdited.of(edited))))
                                    .thenApply(ignored -> true)
                            : CompletableFuture.completedFuture(false));
        });
    }

    /** The stream entry of a message as Redis holds it (its JSON), if still kept. */
    private CompletableFuture<Optional<String>> stored(String room, long seq) {
        return redis.commands()
                .xrange(RedisKeys.history(room), io.lettuce.core.Range.create(seq + "-0", seq + "-0"))
                .toCompletableFuture()
                .thenApply(entries -> entries.isEmpty()
                        ? Optional.empty()
                        : Optional.of(entries.getFirst().getBody().get("m")));
    }

    /**
     * Replaces a message in the room's history stream (and in its idempotency record) if the entry still holds
     * {@code expected}: the old text leaves Redis, it is not merely hidden.
     *
     * @param notIfFlagged leave a message alone that an earlier version flagged deleted without rewriting it
     */
    private CompletableFuture<Boolean> replace(
            String room, long seq, String expected, ChatMessage replacement, boolean notIfFlagged) {
        String scratch = RedisKeys.historyRewrite(room);
        String[] keys = {
            RedisKeys.history(room),
            scratch,
            RedisKeys.deleted(room),
            replacement.clientMsgId() == null
                    ? scratch
                    : RedisKeys.sent(room, replacement.author().id(), replacement.clientMsgId())
        };
        return replaceScript
                .<Long>run(
                        redis.commands(),
                        ScriptOutputType.INTEGER,
                        keys,
                        Long.toString(seq),
                        expected,
                        json(replacement),
                        notIfFlagged ? "1" : "0")
                .thenApply(result -> result == 1);
    }

    @Override
    public CompletableFuture<Void> erase(String room) {
        return redis.commands()
                .del(RedisKeys.history(room), RedisKeys.deleted(room))
                .toCompletableFuture()
                .thenAccept(ignored -> {});
    }

    @Override
    public CompletableFuture<Void> forget(String room) {
        marks.forget(room);
        // A multi-key DEL must stay in one Redis Cluster slot: these keys share the room's hash tag.
        return redis.commands()
                .del(
                        RedisKeys.history(room),
                        RedisKeys.seq(room),
                        RedisKeys.epoch(room),
                        RedisKeys.presence(room),
                        RedisKeys.deleted(room))
                .toCompletableFuture()
                .thenAccept(ignored -> {});
    }

    // ---------------------------------------------------------------------------------------------------------------

    @Override
    public boolean ready() {
        return redis.isOpen() && liveness.alive();
    }

    /** Stops without a goodbye, as a crash would; the node's owner closes the connections. */
    @Override
    public void halt() {
        periodic.forEach(task -> task.cancel(false));
    }

    /** Leaves the cluster cleanly: this node's users leave their rooms at once. */
    @Override
    public void close() {
        halt();
        try {
            liveness.goodbye().get(RedisConnections.COMMAND_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.warn(
                    "could not say goodbye to Redis ({}); the other nodes will clean up after the node timeout",
                    e.toString());
        }
    }
}
