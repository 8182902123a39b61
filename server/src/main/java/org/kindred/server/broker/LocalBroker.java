package org.kindred.server.broker;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.ServerMessage.ChatMessage;
import org.kindred.protocol.UserInfo;

/**
 * The broker of a single node: everything in memory, nothing shared. Each room has a lock; events reach the room's
 * feed while it is held, so the feed sees the room's order. History starts empty at every start, under a new epoch.
 */
public final class LocalBroker implements Broker {

    private static final long MAX_REMEMBERED_SENDS = 1_000_000;

    private final HistoryConfig settings;
    private final Clock clock;
    private final IdempotencyCache idempotency;
    private final Map<String, LocalRoom> rooms = new ConcurrentHashMap<>();

    public LocalBroker(HistoryConfig settings, Clock clock, Ticker ticker) {
        this.settings = settings;
        this.clock = clock;
        this.idempotency = new IdempotencyCache(settings.idempotencyWindow(), MAX_REMEMBERED_SENDS, ticker);
    }

    private final class LocalRoom {
        final ReentrantLock lock = new ReentrantLock();
        final String epoch = MessageIds.nextEpoch();
        final RoomHistory history = new RoomHistory(settings.historySize(), settings.historyMaxAge(), clock);
        final Map<String, UserInfo> present = new LinkedHashMap<>();
        long lastSeq;
        RoomFeed feed;
    }

    /** Runs an action under the room's lock: the feed hears of changes in the order they happened. */
    private <T> T locked(String roomId, Function<LocalRoom, T> action) {
        LocalRoom room = rooms.computeIfAbsent(roomId, ignored -> new LocalRoom());
        room.lock.lock();
        try {
            return action.apply(room);
        } finally {
            room.lock.unlock();
        }
    }

    @Override
    public CompletableFuture<Appended> append(String roomId, UserInfo author, String clientMsgId, String text) {
        return CompletableFuture.completedFuture(locked(roomId, room -> {
            ChatMessage earlier = idempotency.find(roomId, author.id(), clientMsgId);
            if (earlier != null) {
                return new Appended(earlier, true);
            }
            ChatMessage message = new ChatMessage(
                    roomId, ++room.lastSeq, MessageIds.next(), author, text, clock.millis(), clientMsgId);
            room.history.append(message);
            idempotency.remember(message);
            if (room.feed != null) {
                room.feed.onMessage(room.epoch, message);
            }
            return new Appended(message, false);
        }));
    }

    @Override
    public CompletableFuture<Slice> readAfter(String roomId, long afterSeq, int limit) {
        return CompletableFuture.completedFuture(
                locked(roomId, room -> slice(room, room.history.after(afterSeq, limit))));
    }

    @Override
    public CompletableFuture<Slice> readBefore(String roomId, long beforeSeq, int limit) {
        return CompletableFuture.completedFuture(
                locked(roomId, room -> slice(room, room.history.before(beforeSeq, limit), beforeSeq)));
    }

    private static Slice slice(LocalRoom room, List<ChatMessage> page) {
        return slice(room, page, Long.MAX_VALUE);
    }

    /**
     * @param bound an empty page of a read before {@code bound} has older messages only below it (a read before 1 has
     *              none), not below the room's end
     */
    private static Slice slice(LocalRoom room, List<ChatMessage> page, long bound) {
        long first = page.isEmpty()
                ? Math.min(bound, room.lastSeq + 1)
                : page.getFirst().seq();
        return new Slice(room.epoch, room.lastSeq, page, room.history.hasOlderThan(first));
    }

    @Override
    public CompletableFuture<Void> subscribe(String roomId, RoomFeed feed) {
        locked(roomId, room -> room.feed = feed);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void unsubscribe(String roomId) {
        locked(roomId, room -> room.feed = null);
    }

    @Override
    public void typing(String roomId, UserInfo user, boolean active) {
        locked(roomId, room -> {
            if (room.feed != null) {
                room.feed.onTyping(new ServerMessage.TypingEvent(roomId, user, active));
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> presenceJoin(String roomId, UserInfo user) {
        locked(roomId, room -> {
            if (room.present.putIfAbsent(user.id(), user) == null && room.feed != null) {
                room.feed.onPresenceJoined(new ServerMessage.PresenceJoined(roomId, user, room.present.size()));
            }
            return null;
        });
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> presenceLeave(String roomId, String userId) {
        locked(roomId, room -> {
            UserInfo user = room.present.remove(userId);
            if (user != null && room.feed != null) {
                room.feed.onPresenceLeft(new ServerMessage.PresenceLeft(roomId, user, room.present.size()));
            }
            return null;
        });
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<List<UserInfo>> presence(String roomId) {
        return CompletableFuture.completedFuture(locked(roomId, room -> new ArrayList<>(room.present.values())));
    }

    @Override
    public CompletableFuture<Optional<ChatMessage>> redact(String roomId, long seq, String reason) {
        return CompletableFuture.completedFuture(locked(roomId, room -> {
            ChatMessage tombstone = room.history.redact(seq);
            if (tombstone != null) {
                idempotency.replace(tombstone);
                if (room.feed != null) {
                    room.feed.onDeleted(new ServerMessage.MessageDeleted(roomId, seq, tombstone.id(), reason));
                }
            }
            return Optional.ofNullable(tombstone);
        }));
    }

    @Override
    public CompletableFuture<Boolean> edit(ChatMessage current, ChatMessage edited) {
        return CompletableFuture.completedFuture(locked(current.room(), room -> {
            if (!room.history.replace(current, edited)) {
                return false;
            }
            idempotency.replace(edited);
            if (room.feed != null) {
                room.feed.onEdited(ServerMessage.MessageEdited.of(edited));
            }
            return true;
        }));
    }

    @Override
    public CompletableFuture<Void> erase(String roomId) {
        locked(roomId, room -> {
            room.history.clear();
            return null;
        });
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> forget(String roomId) {
        rooms.remove(roomId);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public boolean ready() {
        return true;
    }

    @Override
    public void close() {
        rooms.clear();
    }
}
