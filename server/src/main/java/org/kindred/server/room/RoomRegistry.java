package org.kindred.server.room;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiPredicate;
import org.kindred.protocol.RoomInfo;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.WireCodec;
import org.kindred.server.broker.Broker;
import org.kindred.server.config.ConfigException;
import org.kindred.server.config.PresenceConfig;
import org.kindred.server.config.RoomConfig;
import org.kindred.server.identity.Identity;
import org.kindred.server.metrics.KindredMetrics;
import org.kindred.server.presence.PresenceTracker;
import org.kindred.server.runtime.Failures;
import org.kindred.server.runtime.Time;

/**
 * The rooms of this node and the local presence state they share. A room id names one of three kinds: a listed room
 * (from the configuration file, or made at run time by a moderator: {@link #put}, {@link #remove}), or a room of a
 * {@link RoomKind} a feature added (a one-to-one session, a group meeting), told apart by the start of its id. Each
 * room follows its kind's {@link RoomPolicy}; a listed room is read only by its audience.
 *
 * <p>The room of a feature's kind lives on this node while a connection here is in it: {@link #acquire} makes it (or
 * takes the one there is), {@link #release} lets it go, and the last release drops it. A session or meeting that is
 * over therefore leaves no room behind on any node once its members leave.
 */
public final class RoomRegistry {

    /** How long a room list may show an online count that is not read again: nobody counts to the second. */
    private static final Duration ONLINE_COUNT_TTL = Duration.ofSeconds(2);

    /** The listed rooms in list order (the file's, then those made at run time): replaced whole on each change. */
    private volatile Map<String, Room> configured = Map.of();
    /** The ids of the configuration file's rooms: these are edited in the file, never at run time. */
    private final java.util.Set<String> fromFile;

    private final List<Kind> kinds = new CopyOnWriteArrayList<>();
    /** Rooms of the features' kinds that connections of this node are in, with how many hold each. */
    private final Map<String, Room> held = new ConcurrentHashMap<>();

    private final PagingConfig paging;
    private final PresenceConfig presenceConfig;
    private final WireCodec codec;
    private final KindredMetrics metrics;
    private final Broker broker;
    private final Time time;
    private final BiPredicate<String, String> hidden;
    private final Failures failures;
    private final PresenceTracker presence;
    /** Online counts of rooms without local members, which have no presence mirror on this node. */
    private final AsyncLoadingCache<String, Integer> onlineCounts;

    private record Kind(RoomKind kind, RoomPolicy policy) {}

    /**
     * @param time  where time comes from: the wall clock for timestamps and history age, a ticker for expiry
     */
    public RoomRegistry(
            List<RoomConfig> configs,
            PagingConfig paging,
            Duration presenceGrace,
            WireCodec codec,
            KindredMetrics metrics,
            Broker broker,
            Time time) {
        this(configs, paging, presenceGrace, codec, metrics, broker, time, (viewer, author) -> false);
    }

    /**
     * @param hidden whether two users see nothing of each other (one blocked the other)
     */
    public RoomRegistry(
            List<RoomConfig> configs,
            PagingConfig paging,
            Duration presenceGrace,
            WireCodec codec,
            KindredMetrics metrics,
            Broker broker,
            Time time,
            BiPredicate<String, String> hidden) {
        this(configs, paging, PresenceConfig.defaults(), presenceGrace, codec, metrics, broker, time, hidden);
    }

    /**
     * @param presenceConfig how presence is listed and batched for clients of protocol version 2
     * @param hidden         whether two users see nothing of each other (one blocked the other)
     */
    public RoomRegistry(
            List<RoomConfig> configs,
            PagingConfig paging,
            PresenceConfig presenceConfig,
            Duration presenceGrace,
            WireCodec codec,
            KindredMetrics metrics,
            Broker broker,
            Time time,
            BiPredicate<String, String> hidden) {
        this.paging = paging;
        this.presenceConfig = presenceConfig;
        this.codec = codec;
        this.metrics = metrics;
        this.broker = broker;
        this.time = time;
        this.hidden = hidden;
        this.failures = new Failures(metrics);
        this.presence = new PresenceTracker(
                presenceGrace, time.ticker(), time.scheduler(), time.executor(), this::lingerExpired);
        this.onlineCounts = Caffeine.newBuilder()
                .expireAfterWrite(ONLINE_COUNT_TTL)
                .ticker(time.ticker())
                .executor(time.executor())
                .buildAsync((room, executor) -> broker.presence(room).thenApply(List::size));
        Map<String, Room> rooms = new LinkedHashMap<>();
        for (RoomConfig config : configs) {
            rooms.put(config.id(), newRoom(config, new ConfiguredRoomPolicy(config)));
        }
        this.configured = java.util.Collections.unmodifiableMap(rooms);
        this.fromFile = java.util.Set.copyOf(rooms.keySet());
    }

    /**
     * Refuses configured rooms whose ids are of a feature's kind: such a room could never be reached, since its id
     * names a session or a meeting.
     *
     * @throws ConfigException naming the first such room and the kind its id belongs to
     */
    public static void refuseIdsOfKinds(List<RoomConfig> configs, List<RoomKind> kinds) {
        for (RoomConfig config : configs) {
            for (RoomKind kind : kinds) {
                if (kind.owns(config.id())) {
                    throw new ConfigException("rooms: room id '" + config.id() + "' starts with '" + kind.idPrefix()
                            + "', which names a " + kind.title().toLowerCase(Locale.ROOT) + " (expected: an id "
                            + "that starts with none of "
                            + kinds.stream().map(RoomKind::idPrefix).toList()
                            + ")");
                }
            }
        }
    }

    /** Adds a feature's kind of room, with its policy. Configured rooms may not have ids of that kind. */
    public void addKind(RoomKind kind, RoomPolicy policy) {
        refuseIdsOfKinds(
                List.copyOf(configured.values().stream().map(Room::config).toList()), List.of(kind));
        kinds.add(new Kind(kind, policy));
    }

    /**
     * Adds a listed room made at run time, or applies an edit to one: its members stay in it and follow the new
     * configuration, unless the audience changed: then everyone in it on this node is taken out, and those the new
     * audience admits may join again.
     *
     * @throws IllegalArgumentException when the id is of the configuration file's rooms or of a feature's kind
     */
    public synchronized void put(RoomConfig config) {
        String id = config.id();
        if (fromFile.contains(id) || kindOf(id).isPresent()) {
            throw new IllegalArgumentException("room: '" + id + "' is a configured room or names a session/meeting");
        }
        Room current = configured.get(id);
        if (current != null) {
            boolean audienceChanged = !current.config().audience().equals(config.audience());
            current.update(config);
            ((ConfiguredRoomPolicy) current.policy()).update(config);
            if (audienceChanged) {
                current.evictAll();
            }
            return;
        }
        Map<String, Room> rooms = new LinkedHashMap<>(configured);
        rooms.put(id, newRoom(config, new ConfiguredRoomPolicy(config)));
        configured = java.util.Collections.unmodifiableMap(rooms);
    }

    /**
     * A room made at run time was archived: it is no longer listed or joinable, and whoever is in it on this node is
     * taken out. Nothing happens for a room that is not here.
     */
    public synchronized void remove(String id) {
        if (fromFile.contains(id)) {
            throw new IllegalArgumentException("room: '" + id + "' is a configured room");
        }
        Room room = configured.get(id);
        if (room == null) {
            return;
        }
        Map<String, Room> rooms = new LinkedHashMap<>(configured);
        rooms.remove(id);
        configured = java.util.Collections.unmodifiableMap(rooms);
        room.evictAll();
    }

    /** Whether the id is one of the configuration file's rooms, which only the file changes. */
    public boolean inFile(String id) {
        return fromFile.contains(id);
    }

    /** The feature's kind of room an id names ({@code s-...} a session), if it names one. */
    public Optional<RoomKind> kindNamedBy(String id) {
        return kindOf(id).map(Kind::kind);
    }

    private Room newRoom(RoomConfig config, RoomPolicy policy) {
        return new Room(
                config,
                policy,
                paging,
                presenceConfig,
                codec,
                broker,
                presence,
                metrics,
                failures,
                time.executor(),
                time.scheduler(),
                hidden);
    }

    private Optional<Kind> kindOf(String id) {
        return kinds.stream().filter(k -> k.kind().owns(id)).findFirst();
    }

    /** A configured room. */
    public Optional<Room> find(String id) {
        return Optional.ofNullable(configured.get(id));
    }

    /** The policy of the room an id names: a configured room's, or that of the kind the id is of. */
    public Optional<RoomPolicy> policyOf(String id) {
        Room room = configured.get(id);
        return room != null ? Optional.of(room.policy()) : kindOf(id).map(Kind::policy);
    }

    /**
     * The room an id names, held for a connection that enters it until it is {@linkplain #release released}; whoever
     * asks has checked with the room's policy that the connection may enter.
     *
     * @throws IllegalArgumentException when the id names no room of any kind
     */
    public Room acquire(String id) {
        Room room = configured.get(id);
        if (room != null) {
            return room;
        }
        Kind kind = kindOf(id).orElseThrow(() -> new IllegalArgumentException("room: '" + id + "' (no such kind)"));
        return held.compute(id, (key, current) -> {
            Room acquired = current != null ? current : newRoom(kind.kind().configFor(id), kind.policy());
            acquired.holds++;
            return acquired;
        });
    }

    /** A connection that held the room is no longer in it; the last one lets a feature's room go from this node. */
    public void release(Room room) {
        if (configured.get(room.id()) != room) {
            held.computeIfPresent(
                    room.id(), (key, current) -> current == room && --current.holds == 0 ? null : current);
        }
    }

    /** A configured room, or a room of a feature's kind that a connection of this node is in. */
    public Optional<Room> existing(String id) {
        return find(id).or(() -> Optional.ofNullable(held.get(id)));
    }

    /** Takes every connection of a user on this node out of a room (it lost its access), as if it had left. */
    public void evict(String roomId, String userId) {
        existing(roomId).ifPresent(room -> room.evict(userId));
    }

    /**
     * The room's data is gone (a session past its retention): whoever is in it on this node is taken out at once, as
     * if it had left; the room goes as they release it.
     */
    public void discard(String id) {
        Room room = held.get(id);
        if (room != null) {
            room.evictAll();
        }
    }

    /**
     * Replaces a stored message with its tombstone, in any room, whether or not this node has the room open; every
     * node with members in it tells them.
     */
    public CompletableFuture<Optional<ServerMessage.ChatMessage>> redact(String roomId, long seq, String reason) {
        return broker.redact(roomId, seq, reason);
    }

    /** Authors' edits of their messages in these rooms, within {@code window} from posting (zero: none). */
    public MessageEdits edits(Duration window) {
        return new MessageEdits(broker, time.clock(), window);
    }

    /** The message with this seq and up to {@code each} kept messages on either side, oldest first. */
    public CompletableFuture<List<ServerMessage.ChatMessage>> around(String roomId, long seq, int each) {
        long from = Math.max(0, seq - each - 1);
        return broker.readAfter(roomId, from, (int) (seq - from) + each)
                .thenApply(slice -> slice.messages().stream()
                        .filter(m -> Math.abs(m.seq() - seq) <= each)
                        .toList());
    }

    /** Ids of the configured rooms about a condition: tagged with it, or named after it. */
    public List<String> roomsFor(String condition) {
        return configured.values().stream()
                .filter(room -> room.id().equals(condition) || room.tags().contains(condition))
                .map(Room::id)
                .toList();
    }

    /** The room list as this user sees it, with the number of users present in each. */
    public CompletableFuture<List<RoomInfo>> list(Identity viewer) {
        List<CompletableFuture<RoomInfo>> infos = configured.values().stream()
                .filter(room -> room.config().audience().admits(viewer))
                .map(room -> (room.hasMembers()
                                ? CompletableFuture.completedFuture(room.online())
                                : onlineCounts.get(room.id()))
                        .thenApply(online -> room.info(viewer, online)))
                .toList();
        return CompletableFuture.allOf(infos.toArray(CompletableFuture[]::new))
                .thenApply(
                        ignored -> infos.stream().map(CompletableFuture::join).toList());
    }

    /** Rooms that have at least one connection of this node. */
    public int activeRooms() {
        return (int) configured.values().stream().filter(Room::hasMembers).count()
                + (int) held.values().stream().filter(Room::hasMembers).count();
    }

    /** Runs pending presence expiry now (tests; production expires on schedule). */
    public void expirePresence() {
        presence.cleanUp();
    }

    /** The grace period of a user whose connection dropped ran out: it leaves unless it came back. */
    private void lingerExpired(String roomId, String userId) {
        if (!presence.isPresent(roomId, userId)) {
            failures.watch("presence leave", broker.presenceLeave(roomId, userId));
        }
    }
}
