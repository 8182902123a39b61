package org.kindred.server;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import org.kindred.protocol.ErrorCode;
import org.kindred.protocol.WireCodec;
import org.kindred.server.api.ServerApi;
import org.kindred.server.auth.DevTokenIssuer;
import org.kindred.server.auth.JwtTokenVerifier;
import org.kindred.server.auth.PseudonymousSignIn;
import org.kindred.server.auth.TokenVerifier;
import org.kindred.server.broker.Broker;
import org.kindred.server.broker.HistoryConfig;
import org.kindred.server.broker.LocalBroker;
import org.kindred.server.config.KindredConfig;
import org.kindred.server.config.RedisConfig;
import org.kindred.server.config.RoomConfig;
import org.kindred.server.connection.ConnectedUsers;
import org.kindred.server.connection.OnlineUsers;
import org.kindred.server.connection.Refusal;
import org.kindred.server.group.GroupService;
import org.kindred.server.group.GroupStore;
import org.kindred.server.group.LocalGroupStore;
import org.kindred.server.group.MeetingRoomPolicy;
import org.kindred.server.identity.Identity;
import org.kindred.server.identity.OpaqueUserIds;
import org.kindred.server.identity.Role;
import org.kindred.server.limit.LeasedBudgets;
import org.kindred.server.limit.NodeBudgets;
import org.kindred.server.limit.UserBudgets;
import org.kindred.server.metrics.MicrometerMetrics;
import org.kindred.server.redis.OnlineAcrossNodes;
import org.kindred.server.redis.RedisBroker;
import org.kindred.server.redis.RedisBudgetLessor;
import org.kindred.server.redis.RedisConnections;
import org.kindred.server.redis.RedisEventOnce;
import org.kindred.server.redis.RedisGroupStore;
import org.kindred.server.redis.RedisRoomNotices;
import org.kindred.server.redis.RedisSafetyStore;
import org.kindred.server.redis.RedisSupportStore;
import org.kindred.server.room.PagingConfig;
import org.kindred.server.room.RoomAdmin;
import org.kindred.server.room.RoomRegistry;
import org.kindred.server.runtime.DaemonThreads;
import org.kindred.server.runtime.Failures;
import org.kindred.server.runtime.Time;
import org.kindred.server.safety.Blocks;
import org.kindred.server.safety.CrisisDetector;
import org.kindred.server.safety.CrisisLines;
import org.kindred.server.safety.LiveSafety;
import org.kindred.server.safety.LocalSafetyStore;
import org.kindred.server.safety.PhraseCrisisDetector;
import org.kindred.server.safety.SafetyService;
import org.kindred.server.safety.SafetyStore;
import org.kindred.server.safety.SanctionEnforcer;
import org.kindred.server.session.SessionContext;
import org.kindred.server.session.TokenExpiries;
import org.kindred.server.store.Database;
import org.kindred.server.store.RetentionJob;
import org.kindred.server.store.SqlGroupRecords;
import org.kindred.server.store.SqlMemberData;
import org.kindred.server.store.SqlModerationRecords;
import org.kindred.server.store.SqlRoomRecords;
import org.kindred.server.store.SqlSafetyStore;
import org.kindred.server.store.SqlSessionRecords;
import org.kindred.server.store.UserIdKey;
import org.kindred.server.support.LocalSupportStore;
import org.kindred.server.support.NodeSessionRooms;
import org.kindred.server.support.SessionRoomPolicy;
import org.kindred.server.support.SupportService;
import org.kindred.server.support.SupportStore;
import org.kindred.server.transport.HttpEndpoints;
import org.kindred.server.transport.KindredServer;
import org.kindred.server.transport.ManagementEndpoints;
import org.kindred.server.transport.ManagementServer;
import org.kindred.server.transport.WebApp;
import org.kindred.server.webhook.EventOnce;
import org.kindred.server.webhook.LocalEventOnce;
import org.kindred.server.webhook.PublishingSafetyStore;
import org.kindred.server.webhook.ServiceWebhooks;
import org.kindred.server.webhook.Webhooks;

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

    private final KindredConfig config;
    private final MicrometerMetrics metrics;
    /** The node's one set of Redis connections, in cluster mode. */
    private final Optional<RedisConnections> redis;

    private final Broker broker;
    private final ConnectedUsers users;
    private final SupportStore support;
    private final GroupStore groups;
    private final SafetyStore safetyStore;
    /** The system of record (docs/data.md). */
    private final Database database;

    private final SqlGroupRecords groupRecords;

    /** Outgoing webhooks (nothing without endpoints). */
    private final Webhooks webhooks;

    private final Optional<OnlineAcrossNodes> onlineAcrossNodes;

    private final ScheduledExecutorService ticker;
    /** What runs every second on the ticker: support and group lifecycles. */
    private final List<ScheduledFuture<?>> ticks;

    private final RoomRegistry rooms;
    /** The rooms made at run time: stored in SQL, announced through Redis. */
    private final RoomAdmin roomAdmin;
    /** How often the retention job runs (on the node that holds its lease), and how long the lease lasts. */
    private static final Duration RETENTION_EVERY = Duration.ofMinutes(10);

    private static final Duration RETENTION_LEASE = Duration.ofMinutes(30);
    private final Optional<DevTokenIssuer> devTokens;
    private final KindredServer server;
    private final InetSocketAddress address;
    private final ManagementServer management;
    private final InetSocketAddress managementAddress;

    private KindredNode(KindredConfig config, Time time) throws InterruptedException {
        RoomRegistry.refuseIdsOfKinds(config.rooms(), List.of(SessionRoomPolicy.KIND, MeetingRoomPolicy.KIND));
        this.config = config;
        this.metrics = new MicrometerMetrics();
        Failures failures = new Failures(metrics);
        BuildInfo build = BuildInfo.current();
        metrics.buildInfo(build.version(), build.commit());
        WireCodec codec = new WireCodec();
        HistoryConfig history =
                new HistoryConfig(config.historySize(), config.historyMaxAge(), config.idempotencyWindow());
        this.database = Database.open(config.storage());
        this.redis = config.redis().map(redisConfig -> RedisConnections.open(redisConfig, failures, time::nanoTime));
        this.broker = redis.<Broker>map(connections -> new RedisBroker(
                        connections, config.redis().orElseThrow(), history, codec, failures, time.clock()))
                .orElseGet(() -> new LocalBroker(history, time.clock(), time.ticker()));
        Blocks blocks = new Blocks();
        this.rooms = new RoomRegistry(
                config.rooms(),
                new PagingConfig(config.joinHistory(), config.historyPageMax(), config.historySize()),
                config.presence(),
                config.presenceGrace(),
                codec,
                metrics,
                broker,
                time,
                blocks::hidden);
        metrics.bindActiveRooms(rooms::activeRooms);
        metrics.bindReady(this::ready);
        this.devTokens = config.devSignIn()
                ? Optional.of(config.devSecret()
                        .map(secret -> new DevTokenIssuer(time.clock(), secret))
                        .orElseGet(() -> new DevTokenIssuer(time.clock())))
                : Optional.empty();
        TokenVerifier verifier = new PseudonymousSignIn(
                devTokens
                        .map(DevTokenIssuer::verifier)
                        .orElseGet(() -> new JwtTokenVerifier(config.jwt(), time.clock())),
                new OpaqueUserIds(UserIdKey.resolve(
                        config.userIdSecret(), config.storage(), config.redis().isPresent())));
        this.users = new ConnectedUsers();
        CrisisDetector crisisDetector = PhraseCrisisDetector.defaultsWith(config.crisisRules());
        CrisisLines crisisLines = CrisisLines.configuredOrDefaults(config.crisisResources());
        SupportService.Safeguards safeguards = new SupportService.Safeguards(crisisDetector, blocks, crisisLines);
        this.webhooks = new Webhooks(config.webhooks(), time.clock(), metrics);
        // Support, session and group webhooks, for those not connected anywhere: in a cluster, who is connected through
        // which node is the support desk's to keep; each event is sent by the node that committed it, once.
        this.onlineAcrossNodes = redis.map(connections -> new OnlineAcrossNodes());
        ServiceWebhooks serviceWebhooks = new ServiceWebhooks(
                webhooks,
                onlineUsers(),
                redis.<EventOnce>map(RedisEventOnce::new).orElseGet(LocalEventOnce::new),
                metrics);
        SupportService.Notifier supportHooks = webhooks.enabled() ? serviceWebhooks::support : (userId, event) -> {};
        GroupService.Notifier groupHooks = webhooks.enabled() ? serviceWebhooks::groups : (userIds, event) -> {};
        SupportService.Notifier liveSupport = LocalSupportStore.notifying(users, codec);
        GroupService.Notifier liveGroups = LocalGroupStore.notifying(users, codec);
        SupportService.Notifier supportNotifier = (userId, event) -> {
            liveSupport.notify(userId, event);
            supportHooks.notify(userId, event);
        };
        GroupService.Notifier groupNotifier = (userIds, event) -> {
            liveGroups.notify(userIds, event);
            groupHooks.notify(userIds, event);
        };
        NodeSessionRooms sessionRooms = new NodeSessionRooms(rooms, broker, failures);
        SqlSessionRecords sessionRecords = new SqlSessionRecords(database, failures);
        this.support = redis.<SupportStore>map(connections -> new RedisSupportStore(
                        connections,
                        config.support(),
                        safeguards,
                        sessionRooms,
                        rooms::roomsFor,
                        users,
                        codec,
                        metrics,
                        time,
                        sessionRecords,
                        onlineAcrossNodes.orElseThrow(),
                        supportHooks))
                .orElseGet(() -> new LocalSupportStore(
                        new SupportService(
                                config.support(),
                                safeguards,
                                supportNotifier,
                                sessionRooms,
                                rooms::roomsFor,
                                metrics,
                                time.clock(),
                                sessionRecords),
                        users,
                        codec));
        rooms.addKind(SessionRoomPolicy.KIND, new SessionRoomPolicy(support));
        SanctionEnforcer enforcer = new SanctionEnforcer(users, rooms, codec);
        LiveSafety liveSafety = redis.<LiveSafety>map(connections -> new RedisSafetyStore(
                        connections, users, enforcer, blocks, codec, failures, config.auditRetention()))
                .orElseGet(() ->
                        new LocalSafetyStore(users, enforcer, blocks, codec, time.clock(), config.auditRetention()));
        SafetyStore stored = new SqlSafetyStore(database, liveSafety, codec, time.clock(), config.auditRetention());
        this.safetyStore = webhooks.enabled() ? new PublishingSafetyStore(stored, webhooks) : stored;
        GroupService.Audit audit = entry -> failures.watch("facilitator audit", safetyStore.audit(entry));
        this.groupRecords = redis.isPresent()
                ? SqlGroupRecords.inCluster(database, failures, time.clock())
                : SqlGroupRecords.onOneNode(database, failures, time.clock());
        this.groups = redis.<GroupStore>map(connections -> new RedisGroupStore(
                        connections,
                        config.groups(),
                        rooms::evict,
                        audit,
                        users,
                        codec,
                        metrics,
                        time,
                        groupRecords,
                        groupRecords.archive(),
                        groupHooks))
                .orElseGet(() -> new LocalGroupStore(
                        new GroupService(
                                config.groups(),
                                groupNotifier,
                                rooms::evict,
                                audit,
                                groupRecords.archive(),
                                time.clock()),
                        time.clock(),
                        groupRecords));
        rooms.addKind(MeetingRoomPolicy.KIND, new MeetingRoomPolicy(groups));
        this.roomAdmin = new RoomAdmin(rooms, new SqlRoomRecords(database), safetyStore::audit, time.clock());
        // Every node reads a changed room again from SQL; on one node, this one is every node.
        redis.ifPresent(connections -> roomAdmin.announceWith(new RedisRoomNotices(
                connections, failures, id -> failures.watch("room reload", roomAdmin.reload(id)))));
        roomAdmin.loadAtStart();
        SafetyService safety = new SafetyService(
                crisisDetector,
                safetyStore,
                new SqlModerationRecords(database, codec, time.clock(), config.auditRetention()),
                crisisLines,
                metrics,
                time.clock(),
                config.escalateAfter(),
                config.escalateAgainAfter(),
                config.tellReporters());
        metrics.bindGroupMeetings(groups::meetingsOn, groups::participants);
        TokenExpiries expiries = new TokenExpiries(time.clock(), config.jwt().clockSkew());
        this.ticker = DaemonThreads.scheduler("kindred-tick");
        RetentionJob retention = new RetentionJob(
                database,
                config.redis().map(RedisConfig::nodeId).orElse("single-node"),
                time.clock(),
                config.storage().retention(),
                RETENTION_LEASE,
                metrics);
        this.ticks = List.of(
                failures.every(ticker, Duration.ofSeconds(1), "support tick", support::tick),
                failures.every(ticker, Duration.ofSeconds(1), "group tick", groups::tick),
                // On a database thread: a long purge never delays the support and group ticks.
                failures.every(
                        ticker,
                        RETENTION_EVERY,
                        "retention",
                        () -> failures.watch("retention", database.background(retention::runOnce))),
                failures.every(
                        ticker,
                        Duration.ofSeconds(1),
                        "alert escalation",
                        () -> failures.watch("alert escalation", safety.crisis().escalate())),
                failures.every(ticker, Duration.ofSeconds(1), "token expiry", expiries::tick));
        UserBudgets budgets = redis.<UserBudgets>map(connections -> new LeasedBudgets(
                        SessionContext.memberRate(config),
                        SessionContext.newMemberRate(config),
                        new RedisBudgetLessor(connections),
                        time::nanoTime))
                .orElseGet(() -> new NodeBudgets(
                        SessionContext.memberRate(config), SessionContext.newMemberRate(config), time::nanoTime));
        SessionContext context = new SessionContext(
                config,
                verifier,
                rooms,
                support,
                groups,
                safety,
                users,
                codec,
                metrics,
                time::nanoTime,
                expiries,
                budgets,
                roomAdmin);
        HttpEndpoints endpoints = new HttpEndpoints(
                broker::ready,
                devTokens,
                config.allowedOrigins(),
                WebApp.fromClasspath(config.web(), config.devSignIn(), KindredNode.class.getClassLoader()),
                token -> moderatorFigures(verifier, token));
        this.server = new KindredServer(config, context, endpoints);
        this.address = server.start();
        this.management = new ManagementServer(
                config.management(),
                new ManagementEndpoints(
                        this::ready,
                        this::readinessDetails,
                        metrics::scrape,
                        Optional.of(new ServerApi(
                                config.management(),
                                rooms,
                                users,
                                safety,
                                safetyStore,
                                webhooks,
                                new SqlMemberData(
                                        database,
                                        broker,
                                        config.rooms().stream()
                                                .map(RoomConfig::id)
                                                .toList(),
                                        config.historySize(),
                                        safetyStore,
                                        time.clock()),
                                roomAdmin,
                                time.clock()))));
        try {
            this.managementAddress = management.start();
        } catch (RuntimeException | InterruptedException e) {
            server.halt();
            throw e;
        }
    }

    /** The metric families the moderators' console charts; nothing else of {@code /metrics} leaves the node this way. */
    private static final List<String> MODERATOR_FIGURES = List.of(
            "kindred_connections",
            "kindred_support_sessions_active",
            "kindred_support_time_to_match_seconds_count",
            "kindred_support_time_to_match_seconds_sum",
            "kindred_safety_alert_ack_seconds_count",
            "kindred_safety_alert_ack_seconds_sum");

    private String moderatorFigures(TokenVerifier verifier, String token) {
        Identity who = verifier.verify(token);
        if (!who.has(Role.MODERATOR)) {
            throw new Refusal(ErrorCode.FORBIDDEN, "only moderators read the node's figures");
        }
        StringBuilder figures = new StringBuilder();
        metrics.scrape()
                .lines()
                .filter(line -> MODERATOR_FIGURES.stream()
                        .anyMatch(name -> line.startsWith(name + " ") || line.startsWith(name + "{")))
                .forEach(line -> figures.append(line).append('\n'));
        return figures.toString();
    }

    /** What readiness is made of, for the management listener's {@code /readyz}. */
    private Map<String, Object> readinessDetails() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("draining", server.isDraining());
        details.put("broker", broker.ready() ? "ready" : "not ready");
        details.put(
                "mode",
                redis.isEmpty() ? "single node" : config.redis().orElseThrow().cluster() ? "redis cluster" : "redis");
        details.put("connections", server.connectionCount());
        details.put("version", BuildInfo.current().version());
        return details;
    }

    /** Starts a node in real time. */
    public static KindredNode start(KindredConfig config) throws InterruptedException {
        return new KindredNode(config, Time.system());
    }

    /** Starts a node with the given time sources (tests move a fake clock). */
    public static KindredNode start(KindredConfig config, Time time) throws InterruptedException {
        return new KindredNode(config, time);
    }

    /** The bound port (useful when the configuration asked for port 0). */
    public int port() {
        return address.getPort();
    }

    /** The address the chat port is bound to, as the socket reports it. */
    public InetSocketAddress boundAddress() {
        return address;
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

    /** The bound management port (metrics, detailed readiness, server API). */
    public int managementPort() {
        return managementAddress.getPort();
    }

    /** The base HTTP address of the management listener. */
    public String managementUri() {
        String host = config.management().host();
        return "http://" + (host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host) + ":" + managementPort();
    }

    /** The development sign-in, when this node runs one. */
    public Optional<DevTokenIssuer> devTokens() {
        return devTokens;
    }

    /** One-to-one support as this node reaches it. */
    /** Whether a user is connected anywhere, as this node knows it: its own connections, or the cluster's. */
    public OnlineUsers onlineUsers() {
        return onlineAcrossNodes.<OnlineUsers>map(online -> online).orElse(users::isConnected);
    }

    /** The webhook queues of this node. */
    public Webhooks webhooks() {
        return webhooks;
    }

    public SupportStore support() {
        return support;
    }

    /** Group sessions as this node reaches them. */
    public GroupStore groups() {
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
        ticks.forEach(tick -> tick.cancel(false));
        ticker.shutdownNow();
        server.halt();
        management.close();
        support.close();
        groups.close();
        safetyStore.close();
        groupRecords.close();
        webhooks.close();
        broker.halt();
        redis.ifPresent(RedisConnections::close);
        database.close();
        metrics.close();
    }

    /** Whether the node takes work ({@code /readyz}). */
    public boolean ready() {
        return broker.ready() && !server.isDraining();
    }

    /** Drains and stops the node. */
    @Override
    public void close() {
        ticks.forEach(tick -> tick.cancel(false));
        ticker.shutdownNow();
        server.close();
        management.close();
        support.close();
        groups.close();
        safetyStore.close();
        groupRecords.close();
        webhooks.close();
        broker.close();
        redis.ifPresent(RedisConnections::close);
        database.close();
        metrics.close();
    }
}
