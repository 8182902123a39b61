package org.kindred.server.broker;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.ServerMessage.ChatMessage;
import org.kindred.protocol.UserInfo;

/**
 * The broker of a single node: everything in memory, nothing shared. Each room has a lock; events reach the room's
 * feed while it is held, so the feed sees the room's order. History starts empty at every start, under a new epoch.
 */
public final class LocalBroker implements Broker {

    private static final long MAX_REMEMBERED_SENDS = 1_000_000;

    private final HistorySettings settings;
    private final Clock clock;
    private final IdempotencyCache idempotency;
    private final Map<String, LocalRoom> rooms = new ConcurrentHashMap<>();

    public LocalBroker(HistorySettings settings, Clock clock, Ticker ticker) {
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

    private LocalRoom room(String id) {
        return rooms.computeIfAbsent(id, ignored -> new LocalRoom());
    }

    @Override
    public CompletableFuture<Appended> append(String roomId, UserInfo author, String clientMsgId, String text) {
        LocalRoom room = room(roomId);
        room.lock.lock();
        try {
            ChatMessage earlier = idempotency.find(roomId, author.id(), clientMsgId);
            if (earlier != null) {
                return CompletableFuture.completedFuture(new Appended(earlier, true));
            }
            ChatMessage message = new ChatMessage(roomId, ++room.lastSeq, MessageIds.next(), author, text,
                    clock.millis(), clientMsgId);
            room.history.append(message);
            idempotency.remember(message);
            if (room.feed != null) {
                room.feed.onMessage(room.epoch, message);
            }
            return CompletableFuture.completedFuture(new Appended(message, false));
        } finally {
            room.lock.unlock();
        }
    }

    @Override
    public CompletableFuture<Slice> readAfter(String roomId, long afterSeq, int limit) {
        LocalRoom room = room(roomId);
        room.lock.lock();
        try {
            List<ChatMessage> page = room.history.after(afterSeq, limit);
            return CompletableFuture.completedFuture(slice(room, page));
        } finally {
            room.lock.unlock();
        }
    }

    @Override
    public CompletableFuture<Slice> readBefore(String roomId, long beforeSeq, int limit) {
        LocalRoom room = room(roomId);
        room.lock.lock();
        try {
            return CompletableFuture.completedFuture(slice(room, room.history.before(beforeSeq, limit)));
        } finally {
            room.lock.unlock();
        }
    }

    private static Slice slice(LocalRoom room, List<ChatMessage> page) {
        long first = page.isEmpty() ? room.lastSeq + 1 : page.getFirst().seq();
        return new Slice(room.epoch, room.lastSeq, page, room.history.hasOlderThan(first));
    }

    @Override
    public CompletableFuture<Void> subscribe(String roomId, RoomFeed feed) {
        LocalRoom room = room(roomId);
        room.lock.lock();
        try {
            room.feed = feed;
        } finally {
            room.lock.unlock();
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void unsubscribe(String roomId) {
        LocalRoom room = room(roomId);
        room.lock.lock();
        try {
            room.feed = null;
        } finally {
            room.lock.unlock();
        }
    }

    @Override
    public void typing(String roomId, UserInfo user, boolean active) {
        LocalRoom room = room(roomId);
        room.lock.lock();
        try {
            if (room.feed != null) {
                room.feed.onTyping(new ServerMessage.TypingEvent(roomId, user, active));
            }
        } finally {
            room.lock.unlock();
        }
    }

    @Override
    public CompletableFuture<Void> presenceJoin(String roomId, UserInfo user) {
        LocalRoom room = room(roomId);
        room.lock.lock();
        try {
            if (room.present.putIfAbsent(user.id(), user) == null && room.feed != null) {
                room.feed.onPresenceJoined(new ServerMessage.PresenceJoined(roomId, user, room.present.size()));
            }
        } finally {
            room.lock.unlock();
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> presenceLeave(String roomId, String userId) {
        LocalRoom room = room(roomId);
        room.lock.lock();
        try {
            UserInfo user = room.present.remove(userId);
            if (user != null && room.feed != null) {
                room.feed.onPresenceLeft(new ServerMessage.PresenceLeft(roomId, user, room.present.size()));
            }
        } finally {
            room.lock.unlock();
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<List<UserInfo>> presence(String roomId) {
        LocalRoom room = room(roomId);
        room.lock.lock();
        try {
            return CompletableFuture.completedFuture(new ArrayList<>(room.present.values()));
        } finally {
            room.lock.unlock();
        }
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
