package org.kindred.server;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.kindred.protocol.WireCodec;
import org.kindred.server.auth.DevTokenIssuer;
import org.kindred.server.auth.JwtTokenVerifier;
import org.kindred.server.auth.TokenVerifier;
import org.kindred.server.broker.Broker;
import org.kindred.server.broker.HistorySettings;
import org.kindred.server.broker.LocalBroker;
import org.kindred.server.broker.RedisBroker;
import org.kindred.server.broker.RedisGroupDesk;
import org.kindred.server.broker.RedisSafetyStore;
import org.kindred.server.broker.RedisSupportDesk;
import org.kindred.server.config.KindredConfig;
import org.kindred.server.group.GroupDesk;
import org.kindred.server.group.GroupService;
import org.kindred.server.group.LocalGroupDesk;
import org.kindred.server.group.LocalMeetingArchive;
import org.kindred.server.metrics.MicrometerMetrics;
import org.kindred.server.room.RoomRegistry;
import org.kindred.server.room.RoomSettings;
import org.kindred.server.safety.Blocks;
import org.kindred.server.safety.CrisisDetector;
import org.kindred.server.safety.LocalSafetyStore;
import org.kindred.server.safety.PhraseCrisisDetector;
import org.kindred.server.safety.SafetyService;
import org.kindred.server.safety.SafetyStore;
import org.kindred.server.safety.SanctionEnforcer;
import org.kindred.server.session.ConnectedUsers;
import org.kindred.server.session.EncodedFrame;
import org.kindred.server.session.SessionContext;
import org.kindred.server.support.LocalSupportDesk;
import org.kindred.server.support.SupportDesk;
import org.kindred.server.support.SupportService;
import org.kindred.server.transport.HttpEndpoints;
import org.kindred.server.transport.KindredServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Kindred node: wires configuration, sign-in, rooms, metrics and the transport together.
 *
 * <pre>{@code
 * try (KindredNode node = KindredNode.start(KindredConfig.defaults())) {
 *     System.out.println(node.webSocketUri());
 * }
 * }</pre>
 */
public final class KindredNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KindredNode.class);

    private final KindredConfig config;
    private final MicrometerMetrics metrics;
    private final Broker broker;
    private final ConnectedUsers users;
    private final SupportDesk support;
    private final GroupDesk groups;
    private final SafetyStore safetyStore;
    private final ScheduledExecutorService ticker;
    private final RoomRegistry rooms;
    private final Optional<DevTokenIssuer> devTokens;
    private final KindredServer server;
    private final InetSocketAddress address;

    private KindredNode(KindredConfig config, RoomRegistry.Time time) throws InterruptedException {
        this.config = config;
        this.metrics = new MicrometerMetrics();
        BuildInfo build = BuildInfo.current();
        metrics.buildInfo(build.version(), build.commit());
        WireCodec codec = new WireCodec();
        HistorySettings history =
                new HistorySettings(config.historySize(), config.historyMaxAge(), config.idempotencyWindow());
        this.broker = config.redis()
                .<Broker>map(redis -> new RedisBroker(redis, history, codec, time.clock()))
                .orElseGet(() -> new LocalBroker(history, time.clock(), time.ticker()));
        Blocks blocks = new Blocks();
        this.rooms = new RoomRegistry(
                config.rooms(),
                new RoomSettings(config.joinHistory(), config.historyPageMax(), config.historySize()),
                config.presenceGrace(),
                codec,
                metrics,
                broker,
                time,
                blocks::hidden);
        metrics.bindActiveRooms(rooms::activeRooms);
        this.devTokens = config.devSignIn()
                ? Optional.of(config.devSecret()
                        .map(secret -> new DevTokenIssuer(time.clock(), secret))
                        .orElseGet(() -> new DevTokenIssuer(time.clock())))
                : Optional.empty();
        TokenVerifier verifier = devTokens
                .map(DevTokenIssuer::verifier)
                .orElseGet(() -> new JwtTokenVerifier(config.jwt(), time.clock()));
        this.users = new ConnectedUsers();
        SupportService.SessionRooms sessionRooms = new SupportService.SessionRooms() {
            @Override
            public void erase(String sessionId) {
                broker.erase(sessionId);
            }

            @Override
            public void forget(String sessionId) {
                rooms.dropSession(sessionId);
                broker.forget(sessionId);
            }

            @Override
            public void evict(String sessionId, String userId) {
                rooms.existing(sessionId).ifPresent(room -> room.evict(userId));
            }
        };
        CrisisDetector crisisDetector = PhraseCrisisDetector.defaultsWith(config.crisisRules());
        Predicate<String> urgentNote = note -> crisisDetector.detect(note).isPresent();
        this.support = config.redis()
                .<SupportDesk>map(redis -> new RedisSupportDesk(
                        redis,
                        config.support(),
                        sessionRooms,
                        rooms::roomsFor,
                        urgentNote,
                        blocks::hidden,
                        users,
                        codec,
                        metrics,
                        time.clock()))
                .orElseGet(() -> new LocalSupportDesk(
                        new SupportService(
                                config.support(),
                                (userId, event) -> users.send(userId, new EncodedFrame(codec.encode(event))),
                                sessionRooms,
                                rooms::roomsFor,
                                urgentNote,
                                blocks::hidden,
                                metrics,
                                time.clock()),
                        users,
                        codec));
        this.ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "kindred-tick");
            thread.setDaemon(true);
            return thread;
        });
        ticker.scheduleWithFixedDelay(support::tick, 1, 1, TimeUnit.SECONDS);
        SanctionEnforcer enforcer = new SanctionEnforcer(users, rooms, codec);
        this.safetyStore = config.redis()
                .<SafetyStore>map(redis -> new RedisSafetyStore(
                        redis, users, enforcer, blocks, codec, time.clock(), config.auditRetention()))
                .orElseGet(() ->
                        new LocalSafetyStore(users, enforcer, blocks, codec, time.clock(), config.auditRetention()));
        GroupService.Audit audit = entry -> safetyStore.audit(entry).whenComplete((ignored, error) -> {
            if (error != null) {
                LOG.warn("a facilitator's action could not be written to the audit log: {}", error.toString());
            }
        });
        GroupService.MeetingRooms meetingRooms =
                (room, userId) -> rooms.existing(room).ifPresent(r -> r.evict(userId));
        this.groups = config.redis()
                .<GroupDesk>map(redis ->
                        new RedisGroupDesk(redis, config.groups(), meetingRooms, audit, users, codec, time.clock()))
                .orElseGet(() -> new LocalGroupDesk(
                        new GroupService(
                                config.groups(),
                                LocalGroupDesk.notifying(users, codec),
                                meetingRooms,
                                audit,
                                new LocalMeetingArchive(),
                                time.clock()),
                        time.clock()));
        SafetyService safety = new SafetyService(
                crisisDetector,
                safetyStore,
                config.support()::resourcesFor,
                (room, authorId) -> room.startsWith(RoomRegistry.SESSION_PREFIX)
                        ? support.mentorOf(room).filter(mentor -> !mentor.equals(authorId)).stream()
                                .toList()
                        : groups.isMeetingRoom(room)
                                ? groups.facilitatorsOf(room).stream()
                                        .filter(f -> !f.equals(authorId))
                                        .toList()
                                : List.of(),
                metrics,
                time.clock());
        metrics.bindGroupMeetings(groups::meetingsOn, groups::participants);
        ticker.scheduleWithFixedDelay(groups::tick, 1, 1, TimeUnit.SECONDS);
        SessionContext context = new SessionContext(
                config, verifier, rooms, support, groups, safety, users, codec, metrics, System::nanoTime);
        HttpEndpoints endpoints = new HttpEndpoints(broker::ready, metrics::scrape, devTokens, config.allowedOrigins());
        this.server = new KindredServer(config, context, endpoints);
        this.address = server.start();
    }

    /** Starts a node in real time. */
    public static KindredNode start(KindredConfig config) throws InterruptedException {
        return new KindredNode(config, RoomRegistry.Time.system());
    }

    /** Starts a node with the given time sources (tests move a fake clock). */
    public static KindredNode start(KindredConfig config, RoomRegistry.Time time) throws InterruptedException {
        return new KindredNode(config, time);
    }

    /** The bound port (useful when the configuration asked for port 0). */
    public int port() {
        return address.getPort();
    }

    /** The WebSocket address clients connect to. */
    public String webSocketUri() {
        return (config.tls().isPresent() ? "wss" : "ws") + "://" + displayHost() + ":" + port() + "/ws";
    }

    /** The base HTTP address of the endpoints. */
    public String httpUri() {
        return (config.tls().isPresent() ? "https" : "http") + "://" + displayHost() + ":" + port();
    }

    private String displayHost() {
        String host = config.host();
        return host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
    }

    /** The development sign-in, when this node runs one. */
    public Optional<DevTokenIssuer> devTokens() {
        return devTokens;
    }

    /** One-to-one support as this node reaches it. */
    public SupportDesk support() {
        return support;
    }

    /** Group sessions as this node reaches them. */
    public GroupDesk groups() {
        return groups;
    }

    /** The node's rooms. */
    public RoomRegistry rooms() {
        return rooms;
    }

    public KindredConfig config() {
        return config;
    }

    /** Open WebSocket connections. */
    public int connectionCount() {
        return server.connectionCount();
    }

    /**
     * Stops at once, as a crash would: connections drop without a close frame and the node says no goodbye to the
     * cluster. For failure tests.
     */
    public void halt() {
        ticker.shutdownNow();
        server.halt();
        support.close();
        groups.close();
        safetyStore.close();
        broker.halt();
        metrics.close();
    }

    /** Whether the node takes work ({@code /readyz}). */
    public boolean ready() {
        return broker.ready() && !server.isDraining();
    }

    /** Drains and stops the node. */
    @Override
    public void close() {
        ticker.shutdownNow();
        server.close();
        support.close();
        groups.close();
        safetyStore.close();
        broker.close();
        metrics.close();
    }
}
