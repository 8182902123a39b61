package org.kindred.server.room;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;
import java.util.function.Function;
import org.kindred.protocol.RoomInfo;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.WireCodec;
import org.kindred.server.broker.Broker;
import org.kindred.server.config.RoomConfig;
import org.kindred.server.identity.Identity;
import org.kindred.server.metrics.KindredMetrics;
import org.kindred.server.presence.PresenceTracker;
import org.kindred.server.runtime.Time;

/** The rooms of this node, created from configuration, and the local presence state they share. */
public final class RoomRegistry {

    /** How long a room list may show an online count that is not read again: nobody counts to the second. */
    private static final Duration ONLINE_COUNT_TTL = Duration.ofSeconds(2);

    /** Prefix of one-to-one session ids, which are rooms too but not listed and only for their participants. */
    public static final String SESSION_PREFIX = "s-";
    /** Prefix of group meeting rooms: the group's id and the meeting's start; not listed. */
    public static final String MEETING_PREFIX = "g-";

    private final Map<String, Room> rooms = new LinkedHashMap<>();
    private final Map<String, Room> sessionRooms = new ConcurrentHashMap<>();
    private final Function<String, Room> sessionRoomFactory;
    private final Map<String, Room> meetingRooms = new ConcurrentHashMap<>();
    private final Function<String, Room> meetingRoomFactory;
    private final Broker broker;
    private final PresenceTracker presence;
    /** Online counts of rooms without local members, which have no presence mirror on this node. */
    private final AsyncLoadingCache<String, Integer> onlineCounts;

    /**
     * @param time  where time comes from: the wall clock for timestamps and history age, a ticker for expiry
     */
    public RoomRegistry(
            List<RoomConfig> configs,
            PagingConfig settings,
            Duration presenceGrace,
            WireCodec codec,
            KindredMetrics metrics,
            Broker broker,
            Time time) {
        this(configs, settings, presenceGrace, codec, metrics, broker, time, (viewer, author) -> false);
    }

    /**
     * @param hidden whether two users see nothing of each other (one blocked the other)
     */
    public RoomRegistry(
            List<RoomConfig> configs,
            PagingConfig settings,
            Duration presenceGrace,
            WireCodec codec,
            KindredMetrics metrics,
            Broker broker,
            Time time,
            BiPredicate<String, String> hidden) {
        this.presence = new PresenceTracker(
                presenceGrace, time.ticker(), time.scheduler(), time.executor(), this::lingerExpired);
        this.onlineCounts = Caffeine.newBuilder()
                .expireAfterWrite(ONLINE_COUNT_TTL)
                .ticker(time.ticker())
                .executor(time.executor())
                .buildAsync((room, executor) -> broker.presence(room).thenApply(List::size));
        for (RoomConfig config : configs) {
            rooms.put(
                    config.id(), new Room(config, settings, codec, broker, presence, metrics, time.executor(), hidden));
        }
        this.broker = broker;
        this.sessionRoomFactory = id -> new Room(
                RoomConfig.of(id, "One-to-one session", ""),
                settings,
                codec,
                broker,
                presence,
                metrics,
                time.executor(),
                hidden);
        this.meetingRoomFactory = id -> new Room(
                RoomConfig.of(id, "Group meeting", ""),
                settings,
                codec,
                broker,
                presence,
                metrics,
                time.executor(),
                hidden);
    }

    /** A configured room. */
    public Optional<Room> find(String id) {
        return Optional.ofNullable(rooms.get(id));
    }

    /** The room of a one-to-one session; whoever asks must have checked that the user is a participant. */
    public Room session(String sessionId) {
        return sessionRooms.computeIfAbsent(sessionId, sessionRoomFactory);
    }

    /** The room of a group meeting; whoever asks must have checked that the meeting exists and the user is in it. */
    public Room meeting(String room) {
        return meetingRooms.computeIfAbsent(room, meetingRoomFactory);
    }

    /** A configured room, or a session or meeting room this node already has, whoever asks; for leaving. */
    public Optional<Room> existing(String id) {
        return find(id).or(() -> Optional.ofNullable(sessionRooms.get(id)))
                .or(() -> Optional.ofNullable(meetingRooms.get(id)));
    }

    /**
     * Replaces a stored message with its tombstone, in a configured room or a session, whether or not this node has
     * the room open; every node with members in it tells them.
     */
    public CompletableFuture<Optional<ServerMessage.ChatMessage>> redact(String roomId, long seq, String reason) {
        return broker.redact(roomId, seq, reason);
    }

    /** Forgets a session's room on this node. */
    public void dropSession(String sessionId) {
        sessionRooms.remove(sessionId);
    }

    /** Ids of the configured rooms about a condition: tagged with it, or named after it. */
    public List<String> roomsFor(String condition) {
        return rooms.values().stream()
                .filter(room -> room.id().equals(condition) || room.tags().contains(condition))
                .map(Room::id)
                .toList();
    }

    /** The room list as this user sees it, with the number of users present in each. */
    public CompletableFuture<List<RoomInfo>> list(Identity viewer) {
        List<CompletableFuture<RoomInfo>> infos = rooms.values().stream()
                .map(room -> (room.hasMembers()
                                ? CompletableFuture.completedFuture(
                                        room.present().size())
                                : onlineCounts.get(room.id()))
                        .thenApply(online -> room.info(viewer, online)))
                .toList();
        return CompletableFuture.allOf(infos.toArray(CompletableFuture[]::new))
                .thenApply(
                        ignored -> infos.stream().map(CompletableFuture::join).toList());
    }

    /** Rooms that have at least one connection of this node. */
    public int activeRooms() {
        return (int) rooms.values().stream().filter(Room::hasMembers).count();
    }

    /** Runs pending presence expiry now (tests; production expires on schedule). */
    public void expirePresence() {
        presence.cleanUp();
    }

    private void lingerExpired(String roomId, String userId) {
        existing(roomId).ifPresent(room -> room.lingerExpired(userId));
    }
}
