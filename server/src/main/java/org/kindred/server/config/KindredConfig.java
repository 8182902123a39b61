package org.kindred.server.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.kindred.protocol.CrisisResource;

/**
 * Every setting of a Kindred node, immutable and checked on creation: an instance that exists is consistent.
 *
 * <pre>{@code
 * KindredConfig config = KindredConfig.builder()
 *         .port(9000)
 *         .jwt(JwtConfig.hs256(secret).withIssuer("https://id.example.org"))
 *         .build();
 * }</pre>
 *
 * {@link #defaults()} is the embedded default: port 8080, the demo rooms, no TLS and no JWT key, hence development
 * sign-in. {@link ConfigLoader} layers a YAML file and environment variables over it.
 */
public final class KindredConfig {

    /** Where a node with real sign-in listens unless told otherwise: every interface. */
    public static final String DEFAULT_HOST = "0.0.0.0";
    /**
     * Where a node with the development sign-in listens unless {@code host} is set: loopback only, since that sign-in
     * hands any role, moderator included, to whoever asks.
     */
    public static final String DEV_SIGN_IN_HOST = "127.0.0.1";

    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_MAX_FRAME_BYTES = 64 * 1024;
    public static final int MIN_MAX_FRAME_BYTES = 1024;
    public static final int DEFAULT_MAX_TEXT_LENGTH = 4000;
    public static final double DEFAULT_RATE_PER_SECOND = 10.0;
    public static final int DEFAULT_RATE_BURST = 20;
    public static final int DEFAULT_OUTBOUND_HIGH_WATER_MARK = 1024 * 1024;
    public static final int DEFAULT_OUTBOUND_LOW_WATER_MARK = 512 * 1024;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(25);
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofMillis(10);
    /** Longer pacing would eat a chat message's latency budget for no further gain. */
    public static final Duration MAX_FLUSH_INTERVAL = Duration.ofMillis(100);

    public static final Duration DEFAULT_AUTH_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_HISTORY_SIZE = 500;
    public static final Duration DEFAULT_HISTORY_MAX_AGE = Duration.ofDays(7);
    public static final int DEFAULT_JOIN_HISTORY = 50;
    public static final int DEFAULT_HISTORY_PAGE_MAX = 100;
    /** The longest batch of presence changes: members should not wait longer to see who came. */
    public static final Duration MAX_PRESENCE_BATCH_INTERVAL = Duration.ofSeconds(5);

    public static final Duration DEFAULT_PRESENCE_GRACE = Duration.ofSeconds(5);
    public static final Duration DEFAULT_IDEMPOTENCY_WINDOW = Duration.ofMinutes(10);
    public static final Duration DEFAULT_EDIT_WINDOW = Duration.ofMinutes(15);
    /** The longest edit window: a message read a day ago should not change under its readers. */
    public static final Duration MAX_EDIT_WINDOW = Duration.ofDays(1);

    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(10);
    public static final boolean DEFAULT_NATIVE_TRANSPORT = true;
    /** {@code 0}: one event loop per core (see {@link #eventLoops()}). */
    public static final int DEFAULT_EVENT_LOOPS = 0;

    public static final LogFormat DEFAULT_LOG_FORMAT = LogFormat.TEXT;
    /** More threads than this serve no machine better; a typo such as 10000 would only waste memory. */
    public static final int MAX_EVENT_LOOPS = 256;

    public static final Duration DEFAULT_AUDIT_RETENTION = Duration.ofDays(180);
    public static final int DEFAULT_MAX_CONNECTIONS_PER_USER = 10;
    public static final int DEFAULT_MAX_UNSIGNED_PER_ADDRESS = 100;
    public static final Duration DEFAULT_ESCALATE_AFTER = Duration.ofMinutes(2);
    public static final Duration DEFAULT_ESCALATE_AGAIN_AFTER = Duration.ofMinutes(5);
    public static final Duration DEFAULT_NEW_MEMBER_PERIOD = Duration.ofDays(7);
    public static final double DEFAULT_NEW_MEMBER_RATE_PER_SECOND = 2.0;
    public static final int DEFAULT_NEW_MEMBER_RATE_BURST = 5;

    /**
     * Bytes a text frame needs around the message text (type, room, ids, JSON punctuation). With 3 bytes of UTF-8 per
     * character at most (a surrogate pair is 2 characters for 4 bytes), {@code maxTextLength * 3 + 512} must fit a
     * frame, or a legal message could be cut off by the frame limit.
     */
    static final int ENVELOPE_BYTES = 512;

    static final int MAX_UTF8_BYTES_PER_CHAR = 3;

    private static final KindredConfig DEFAULTS = new Builder().build();

    private final Optional<String> explicitHost;
    private final int port;
    private final int maxFrameBytes;
    private final int maxTextLength;
    private final double ratePerSecond;
    private final int rateBurst;
    private final int outboundHighWaterMark;
    private final int outboundLowWaterMark;
    private final Duration idleTimeout;
    private final Duration pingInterval;
    private final Duration authTimeout;
    private final int historySize;
    private final Duration historyMaxAge;
    private final int joinHistory;
    private final int historyPageMax;
    private final int maxConnections;
    private final int maxConnectionsPerUser;
    private final int maxUnsignedPerAddress;
    private final Duration presenceGrace;
    private final Duration flushInterval;
    private final Duration idempotencyWindow;
    private final Duration editWindow;
    private final List<String> allowedOrigins;
    private final Optional<TlsConfig> tls;
    private final Optional<RedisConfig> redis;
    private final StorageConfig storage;
    private final Optional<String> devSecret;
    private final Optional<String> userIdSecret;
    private final SupportConfig support;
    private final GroupConfig groups;
    private final PresenceConfig presence;
    private final Duration auditRetention;
    private final Duration escalateAfter;
    private final Duration escalateAgainAfter;
    private final boolean tellReporters;
    private final Duration newMemberPeriod;
    private final Map<String, List<String>> crisisRules;
    private final Map<String, List<CrisisResource>> crisisResources;
    private final double newMemberRatePerSecond;
    private final int newMemberRateBurst;
    private final JwtConfig jwt;
    private final List<RoomConfig> rooms;
    private final Duration shutdownGrace;
    private final boolean nativeTransport;
    private final int eventLoops;
    private final WebConfig web;
    private final LogFormat logFormat;
    private final ManagementConfig management;
    private final WebhookConfig webhooks;

    private KindredConfig(Builder b) {
        explicitHost = b.host == null ? Optional.empty() : Optional.of(requireNonBlank("host", b.host));
        port = between("port", b.port, 0, 65535);
        maxFrameBytes = atLeast("maxFrameBytes", b.maxFrameBytes, MIN_MAX_FRAME_BYTES);
        maxTextLength = atLeast("maxTextLength", b.maxTextLength, 1);
        int fitting = (maxFrameBytes - ENVELOPE_BYTES) / MAX_UTF8_BYTES_PER_CHAR;
        if (maxTextLength > fitting) {
            throw ConfigException.about(
                    "maxTextLength",
                    "maxTextLength: " + maxTextLength + " (expected: at most "
                            + fitting + " to fit maxFrameBytes " + maxFrameBytes
                            + ", at 3 bytes of UTF-8 per character plus "
                            + ENVELOPE_BYTES + " bytes of envelope)");
        }
        if (!(b.ratePerSecond > 0) || Double.isInfinite(b.ratePerSecond)) {
            throw ConfigException.about(
                    "ratePerSecond", "ratePerSecond: " + b.ratePerSecond + " (expected: > 0 and finite)");
        }
        ratePerSecond = b.ratePerSecond;
        rateBurst = atLeast("rateBurst", b.rateBurst, 1);
        outboundLowWaterMark = atLeast("outboundLowWaterMark", b.outboundLowWaterMark, 0);
        outboundHighWaterMark = atLeast("outboundHighWaterMark", b.outboundHighWaterMark, 1);
        if (outboundLowWaterMark >= outboundHighWaterMark) {
            throw ConfigException.about(
                    "outboundLowWaterMark",
                    "outboundLowWaterMark: " + outboundLowWaterMark + " (expected: < outboundHighWaterMark "
                            + outboundHighWaterMark + ")");
        }
        idleTimeout = positive("idleTimeout", b.idleTimeout);
        pingInterval = positive("pingInterval", b.pingInterval);
        if (pingInterval.compareTo(idleTimeout) >= 0) {
            throw ConfigException.about(
                    "pingInterval",
                    "pingInterval: " + Durations.format(pingInterval) + " (expected: shorter than idleTimeout "
                            + Durations.format(idleTimeout) + ")");
        }
        authTimeout = positive("authTimeout", b.authTimeout);
        historySize = atLeast("historySize", b.historySize, 1);
        historyMaxAge = positive("historyMaxAge", b.historyMaxAge);
        joinHistory = between("joinHistory", b.joinHistory, 0, historySize);
        historyPageMax = atLeast("historyPageMax", b.historyPageMax, 1);
        maxConnections = atLeast("maxConnections", b.maxConnections, 0);
        maxConnectionsPerUser = between("maxConnectionsPerUser", b.maxConnectionsPerUser, 1, 1000);
        maxUnsignedPerAddress = atLeast("maxUnsignedPerAddress", b.maxUnsignedPerAddress, 0);
        presenceGrace = notNegative("presenceGrace", b.presenceGrace);
        flushInterval = notNegative("flushInterval", b.flushInterval);
        if (flushInterval.compareTo(MAX_FLUSH_INTERVAL) > 0) {
            throw ConfigException.about(
                    "flushInterval",
                    "flushInterval: " + Durations.format(flushInterval) + " (expected: at most "
                            + Durations.format(MAX_FLUSH_INTERVAL) + ")");
        }
        idempotencyWindow = positive("idempotencyWindow", b.idempotencyWindow);
        editWindow = notNegative("editWindow", b.editWindow);
        if (editWindow.compareTo(MAX_EDIT_WINDOW) > 0) {
            throw ConfigException.about(
                    "editWindow", "editWindow: " + Durations.format(editWindow) + " (expected: at most 1d)");
        }
        allowedOrigins = checkedList("allowedOrigins", b.allowedOrigins, Origins::normalize);
        tls = Optional.ofNullable(b.tls);
        redis = Optional.ofNullable(b.redis);
        storage = requireNonNull("storage", b.storage);
        if (b.devSecret != null
                && b.devSecret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < JwtConfig.MIN_SECRET_BYTES) {
            throw ConfigException.about(
                    "devSecret",
                    "devSecret: " + b.devSecret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                            + " bytes (expected: at least " + JwtConfig.MIN_SECRET_BYTES + " bytes)");
        }
        devSecret = Optional.ofNullable(b.devSecret);
        if (b.userIdSecret != null
                && b.userIdSecret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                        < JwtConfig.MIN_SECRET_BYTES) {
            throw ConfigException.about(
                    "userIdSecret",
                    "userIdSecret: " + b.userIdSecret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                            + " bytes (expected: at least " + JwtConfig.MIN_SECRET_BYTES + " bytes)");
        }
        userIdSecret = Optional.ofNullable(b.userIdSecret);
        support = checkedSupport(b.support);
        groups = checkedGroups(b.groups);
        presence = checkedPresence(b.presence);
        auditRetention = positive("auditRetention", b.auditRetention);
        escalateAfter = positive("safety.escalateAfter", b.escalateAfter);
        escalateAgainAfter = positive("safety.escalateAgainAfter", b.escalateAgainAfter);
        tellReporters = b.tellReporters;
        newMemberPeriod = notNegative("newMemberPeriod", b.newMemberPeriod);
        crisisRules = Map.copyOf(b.crisisRules);
        crisisResources = Map.copyOf(b.crisisResources);
        for (String tag : crisisResources.keySet()) {
            LanguageTag.problemWith(tag).ifPresent(problem -> {
                throw ConfigException.about("crisisResources", "crisisResources: " + problem);
            });
        }
        if (!(b.newMemberRatePerSecond > 0) || Double.isInfinite(b.newMemberRatePerSecond)) {
            throw ConfigException.about(
                    "newMemberRatePerSecond",
                    "newMemberRatePerSecond: " + b.newMemberRatePerSecond + " (expected: > 0 and finite)");
        }
        newMemberRatePerSecond = b.newMemberRatePerSecond;
        newMemberRateBurst = atLeast("newMemberRateBurst", b.newMemberRateBurst, 1);
        jwt = requireNonNull("jwt", b.jwt);
        rooms = checkedRooms(b.rooms);
        shutdownGrace = notNegative("shutdownGrace", b.shutdownGrace);
        nativeTransport = b.nativeTransport;
        eventLoops = between("eventLoops", b.eventLoops, 0, MAX_EVENT_LOOPS);
        web = requireNonNull("web", b.web);
        logFormat = Objects.requireNonNull(b.logFormat, "logFormat");
        management = requireNonNull("management", b.management);
        webhooks = requireNonNull("webhooks", b.webhooks);
        if (management.port() != 0 && management.port() == port) {
            throw ConfigException.about(
                    "management.port",
                    "management.port: " + management.port() + " (expected: another port than port " + port
                            + ", metrics and the server API must not share the chat port)");
        }
    }

    /** A builder starting from the embedded default. */
    public static Builder builder() {
        return new Builder();
    }

    /** The embedded default: see each {@link Builder} method for its value. */
    public static KindredConfig defaults() {
        return DEFAULTS;
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * The address the node listens on: {@code host} when set, else {@value #DEV_SIGN_IN_HOST} with the development
     * sign-in and {@value #DEFAULT_HOST} with real sign-in.
     */
    public String host() {
        return explicitHost.orElse(devSignIn() ? DEV_SIGN_IN_HOST : DEFAULT_HOST);
    }

    /** Whether {@code host} was set rather than chosen from the sign-in ({@link #host()}). */
    public boolean hostExplicit() {
        return explicitHost.isPresent();
    }

    /** TCP port to listen on, 0 to 65535; 0 picks any free port. Default 8080. */
    public int port() {
        return port;
    }

    /** Largest WebSocket frame the server reads, in bytes, at least 1024. Default 65536. */
    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    /** Longest message text, in characters (UTF-16 units); must fit {@link #maxFrameBytes()}. Default 4000. */
    public int maxTextLength() {
        return maxTextLength;
    }

    /** Commands per second a connection may sustain, &gt; 0. Default 10. */
    public double ratePerSecond() {
        return ratePerSecond;
    }

    /** Commands a connection may send in a burst above the sustained rate, at least 1. Default 20. */
    public int rateBurst() {
        return rateBurst;
    }

    /** Queued outbound bytes at which a connection stops being written to (slow consumer). Default 1 MiB. */
    public int outboundHighWaterMark() {
        return outboundHighWaterMark;
    }

    /** Queued outbound bytes below which a slow connection is writable again; below the high mark. Default 512 KiB. */
    public int outboundLowWaterMark() {
        return outboundLowWaterMark;
    }

    /** How long a connection may stay silent (no frame, not even a pong) before it is closed. Default 60 s. */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** How often the server pings a quiet connection; shorter than {@link #idleTimeout()}. Default 25 s. */
    public Duration pingInterval() {
        return pingInterval;
    }

    /** How long a new connection has to send a successful {@code hello}. Default 10 s. */
    public Duration authTimeout() {
        return authTimeout;
    }

    /** Most messages kept per room, at least 1. Default 500. */
    public int historySize() {
        return historySize;
    }

    /** Age after which a message leaves a room's history. Default 7 days. */
    public Duration historyMaxAge() {
        return historyMaxAge;
    }

    /** Recent messages sent with a join that asks for none in particular, 0 to {@link #historySize()}. Default 50. */
    public int joinHistory() {
        return joinHistory;
    }

    /** Most messages one history page returns, at least 1. Default 100. */
    public int historyPageMax() {
        return historyPageMax;
    }

    /**
     * Most WebSocket connections this node holds; one more is closed with 4001 (overloaded) so its client tries
     * another node. 0 (the default) sets no limit beyond the process's open-file limit.
     */
    public int maxConnections() {
        return maxConnections;
    }

    /** Most connections one user may hold to this node at once. */
    public int maxConnectionsPerUser() {
        return maxConnectionsPerUser;
    }

    /**
     * Most connections one remote address may hold to this node before they sign in (a WebSocket upgrade or an open
     * connection without a verified {@code hello}); one more is refused with HTTP 429 before the upgrade. 0 sets no
     * limit. Default 100.
     */
    public int maxUnsignedPerAddress() {
        return maxUnsignedPerAddress;
    }

    /**
     * How long a user whose connection dropped still counts as present, so that a quick reconnect does not show as
     * leave + join; zero emits the leave at once. Default 5 s.
     */
    public Duration presenceGrace() {
        return presenceGrace;
    }

    /**
     * The shortest time between two flushes of one connection: a connection that receives faster gets its frames
     * in one write per interval (one system call instead of one per frame), a connection that receives slower is
     * flushed at once. Zero flushes every frame at once. Default 10 ms.
     */
    public Duration flushInterval() {
        return flushInterval;
    }

    /** How long a {@code clientMsgId} is remembered per user and room to drop resent duplicates. Default 10 min. */
    public Duration idempotencyWindow() {
        return idempotencyWindow;
    }

    /** How long after posting an author may edit its message; zero: never. Default 15 min, at most 1 day. */
    public Duration editWindow() {
        return editWindow;
    }

    /**
     * Origins ({@code https://app.example.org}) allowed to open a WebSocket, lower case. Empty (the default) allows any
     * origin, which is meant for development only.
     */
    public List<String> allowedOrigins() {
        return allowedOrigins;
    }

    /** TLS certificate and key; empty (the default) listens in plain text, e.g. behind a TLS-terminating proxy. */
    public Optional<TlsConfig> tls() {
        return tls;
    }

    /** The system of record: the embedded database under {@code ./data} by default, or PostgreSQL. */
    public StorageConfig storage() {
        return storage;
    }

    /** Cluster mode through Redis; empty (the default) runs a single node with everything in memory. */
    public Optional<RedisConfig> redis() {
        return redis;
    }

    /**
     * How long after first signing in a member counts as new: a stricter rate limit, and no links or contact details
     * in rooms. 0 turns the new-member rules off.
     */
    public Duration newMemberPeriod() {
        return newMemberPeriod;
    }

    /**
     * The operator's crisis-language rules by language, replacing the built-in list of that language (or adding a
     * language); empty keeps the built-in English and French lists. A rule starting with {@code re:} is a pattern.
     */
    public Map<String, List<String>> crisisRules() {
        return crisisRules;
    }

    /**
     * The operator's crisis lines by BCP 47 language tag ({@code fr-CA}, {@code fr}) or {@code *} for the default,
     * shown with crisis support and when no mentor is free; empty keeps the built-in lines.
     */
    public Map<String, List<CrisisResource>> crisisResources() {
        return crisisResources;
    }

    /** A new member's sustained command rate. */
    public double newMemberRatePerSecond() {
        return newMemberRatePerSecond;
    }

    /** A new member's burst. */
    public int newMemberRateBurst() {
        return newMemberRateBurst;
    }

    /** How long the audit log and alerts are kept. */
    public Duration auditRetention() {
        return auditRetention;
    }

    /** How long a crisis alert waits for a moderator's acknowledgement before it escalates (level 1). */
    public Duration escalateAfter() {
        return escalateAfter;
    }

    /** How long after its first escalation an alert still not acknowledged escalates again (level 2). */
    public Duration escalateAgainAfter() {
        return escalateAgainAfter;
    }

    /** Whether a reporter is told, in neutral words, that its report was dealt with (safety.md#moderator-queues). */
    public boolean tellReporters() {
        return tellReporters;
    }

    /** One-to-one support: offer timeout, waits, grace, capacities, idle end, transcript retention. */
    public SupportConfig support() {
        return support;
    }

    /** Group sessions: default capacity, lobby, close grace, reminder, floor time. */
    public GroupConfig groups() {
        return groups;
    }

    /** Presence for clients of protocol version 2: the joined list, pages, batches in busy rooms. */
    public PresenceConfig presence() {
        return presence;
    }

    private static PresenceConfig checkedPresence(PresenceConfig p) {
        atLeast("presence.pageMax", p.pageMax(), 1);
        between("presence.joinedListLimit", p.joinedListLimit(), 1, p.pageMax());
        atLeast("presence.batchAbove", p.batchAbove(), 0);
        Duration interval = positive("presence.batchInterval", p.batchInterval());
        if (interval.compareTo(MAX_PRESENCE_BATCH_INTERVAL) > 0) {
            throw ConfigException.about(
                    "presence.batchInterval",
                    "presence.batchInterval: " + Durations.format(interval) + " (expected: at most "
                            + Durations.format(MAX_PRESENCE_BATCH_INTERVAL) + ")");
        }
        return p;
    }

    private static GroupConfig checkedGroups(GroupConfig g) {
        between(
                "groups.defaultCapacity",
                g.defaultCapacity(),
                1,
                org.kindred.protocol.ClientMessage.MAX_GROUP_CAPACITY);
        notNegative("groups.lobbyBefore", g.lobbyBefore());
        notNegative("groups.closeGrace", g.closeGrace());
        notNegative("groups.reminderBefore", g.reminderBefore());
        positive("groups.floorTime", g.floorTime());
        return g;
    }

    private static SupportConfig checkedSupport(SupportConfig s) {
        positive("support.offerTimeout", s.offerTimeout());
        positive("support.unavailableAfter", s.unavailableAfter());
        notNegative("support.grace", s.mentorGrace());
        positive("support.idleTimeout", s.idleTimeout());
        notNegative("support.transcriptRetention", s.transcriptRetention());
        atLeast("support.maxCapacity", s.maxCapacity(), 1);
        between("support.defaultCapacity", s.defaultCapacity(), 1, s.maxCapacity());
        return s;
    }

    /**
     * The key of the development sign-in, so that several development nodes accept each other's tokens (a local
     * cluster); empty (the default) draws a random key at every start. Unused when a JWT key is configured.
     */
    public Optional<String> devSecret() {
        return devSecret;
    }

    /**
     * The key from which the opaque user ids members see are derived (HMAC-SHA256 of the token's {@code sub}); every
     * node of a deployment must hold the same one. Empty (the default): a key generated at the first start and kept
     * under {@code storage.dataDir}, or, with an in-memory database, drawn at random per start.
     */
    public Optional<String> userIdSecret() {
        return userIdSecret;
    }

    /** How access tokens are verified. Default {@link JwtConfig#none()}: no key, hence development sign-in. */
    public JwtConfig jwt() {
        return jwt;
    }

    /**
     * Whether anyone may sign in with a pseudonym and a role of their choice, without a real token: true exactly when
     * no JWT key is configured. Derived, so that a production node with a key can never have it switched on.
     */
    public boolean devSignIn() {
        return !jwt.hasKey();
    }

    /** The rooms that exist from start-up, at least one, ids unique. Default: the demo rooms, starting with welcome. */
    public List<RoomConfig> rooms() {
        return rooms;
    }

    /** How long a draining node waits for its clients to leave before closing their connections. Default 10 s. */
    public Duration shutdownGrace() {
        return shutdownGrace;
    }

    /** Whether to use the native epoll transport when available (Linux); NIO otherwise. Default true. */
    public boolean nativeTransport() {
        return nativeTransport;
    }

    /**
     * Event loop threads that serve connections, or {@code 0} for one per core. Netty's own default is two per core;
     * on a node that spends most of its time writing to sockets one per core does the same work with fewer thread
     * switches (see docs/performance.md).
     */
    public int eventLoops() {
        return eventLoops;
    }

    /** The web app served at {@code /}: on by default; where browsers sign in when a JWT key is configured. */
    public WebConfig web() {
        return web;
    }

    /** How the node writes its log: {@code text} (the default) or {@code json}, one object per line. */
    public LogFormat logFormat() {
        return logFormat;
    }

    /** Outgoing webhooks. */
    public WebhookConfig webhooks() {
        return webhooks;
    }

    /** The management listener: metrics, detailed readiness, the server API. */
    public ManagementConfig management() {
        return management;
    }

    /** Lists every setting; the JWT secret shows as {@code <set>}, rooms by id. */
    @Override
    public String toString() {
        return "KindredConfig[host=" + host() + (hostExplicit() ? "" : " (default)")
                + ", port=" + port
                + ", maxFrameBytes=" + maxFrameBytes
                + ", maxTextLength=" + maxTextLength
                + ", ratePerSecond=" + ratePerSecond
                + ", rateBurst=" + rateBurst
                + ", outboundHighWaterMark=" + outboundHighWaterMark
                + ", outboundLowWaterMark=" + outboundLowWaterMark
                + ", idleTimeout=" + Durations.format(idleTimeout)
                + ", pingInterval=" + Durations.format(pingInterval)
                + ", authTimeout=" + Durations.format(authTimeout)
                + ", historySize=" + historySize
                + ", historyMaxAge=" + Durations.format(historyMaxAge)
                + ", joinHistory=" + joinHistory
                + ", historyPageMax=" + historyPageMax
                + ", maxConnections=" + maxConnections
                + ", maxConnectionsPerUser=" + maxConnectionsPerUser
                + ", maxUnsignedPerAddress=" + maxUnsignedPerAddress
                + ", presenceGrace=" + Durations.format(presenceGrace)
                + ", flushInterval=" + Durations.format(flushInterval)
                + ", idempotencyWindow=" + Durations.format(idempotencyWindow)
                + ", editWindow=" + Durations.format(editWindow)
                + ", allowedOrigins=" + allowedOrigins
                + ", tls=" + tls.map(TlsConfig::toString).orElse("<none>")
                + ", redis=" + redis.map(RedisConfig::toString).orElse("<none: single node>")
                + ", storage=" + storage
                + ", devSecret=" + devSecret.map(secret -> "<set>").orElse("<random>")
                + ", userIdSecret=" + userIdSecret.map(secret -> "<set>").orElse("<kept under storage.dataDir>")
                + ", auditRetention=" + Durations.format(auditRetention)
                + ", safety=[escalateAfter=" + Durations.format(escalateAfter)
                + ", escalateAgainAfter=" + Durations.format(escalateAgainAfter)
                + ", tellReporters=" + tellReporters + "]"
                + ", newMemberPeriod=" + Durations.format(newMemberPeriod)
                + ", crisisRules="
                + (crisisRules.isEmpty()
                        ? "<built-in>"
                        : crisisRules.keySet().stream().sorted().toList())
                + ", crisisResources="
                + (crisisResources.isEmpty()
                        ? "built-in"
                        : crisisResources.keySet().stream().sorted().toList())
                + ", newMemberRatePerSecond=" + newMemberRatePerSecond
                + ", newMemberRateBurst=" + newMemberRateBurst
                + ", support=[offerTimeout=" + Durations.format(support.offerTimeout())
                + ", unavailableAfter=" + Durations.format(support.unavailableAfter())
                + ", grace=" + Durations.format(support.mentorGrace())
                + ", capacity=" + support.defaultCapacity() + "/" + support.maxCapacity()
                + ", idleTimeout=" + Durations.format(support.idleTimeout())
                + ", transcriptRetention=" + Durations.format(support.transcriptRetention())
                + "]"
                + ", groups=[defaultCapacity=" + groups.defaultCapacity()
                + ", lobbyBefore=" + Durations.format(groups.lobbyBefore())
                + ", closeGrace=" + Durations.format(groups.closeGrace())
                + ", reminderBefore=" + Durations.format(groups.reminderBefore())
                + ", floorTime=" + Durations.format(groups.floorTime()) + "]"
                + ", presence=[joinedListLimit=" + presence.joinedListLimit()
                + ", pageMax=" + presence.pageMax()
                + ", batchAbove=" + presence.batchAbove()
                + ", batchInterval=" + Durations.format(presence.batchInterval()) + "]"
                + ", jwt=" + jwt
                + ", devSignIn=" + devSignIn()
                + ", rooms=" + rooms.stream().map(RoomConfig::id).toList()
                + ", shutdownGrace=" + Durations.format(shutdownGrace)
                + ", nativeTransport=" + nativeTransport
                + ", eventLoops=" + eventLoops
                + ", logFormat=" + logFormat.wire()
                + ", management=" + management
                + ", webhooks=" + webhooks
                + ", web=" + web + "]";
    }

    private static List<RoomConfig> checkedRooms(List<RoomConfig> rooms) {
        List<RoomConfig> copy = checkedList("rooms", rooms, room -> room);
        if (copy.isEmpty()) {
            throw ConfigException.about("rooms", "rooms: none (expected: at least one room)");
        }
        Set<String> ids = new HashSet<>();
        for (RoomConfig room : copy) {
            if (!ids.add(room.id())) {
                throw ConfigException.about("rooms", "rooms: id '" + room.id() + "' appears twice (expected: unique)");
            }
        }
        return copy;
    }

    private static <T> List<T> checkedList(String name, List<T> values, Function<T, T> check) {
        requireNonNull(name, values);
        List<T> checked = new ArrayList<>(values.size());
        for (T value : values) {
            if (value == null) {
                throw ConfigException.about(name, name + ": contains null");
            }
            checked.add(check.apply(value));
        }
        return List.copyOf(checked);
    }

    private static <T> T requireNonNull(String name, T value) {
        if (value == null) {
            throw ConfigException.about(name, name + ": null (expected: a value)");
        }
        return value;
    }

    private static String requireNonBlank(String name, String value) {
        if (requireNonNull(name, value).isBlank()) {
            throw ConfigException.about(name, name + ": '" + value + "' (expected: non-blank)");
        }
        return value;
    }

    private static int between(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw ConfigException.about(name, name + ": " + value + " (expected: " + min + "-" + max + ")");
        }
        return value;
    }

    private static int atLeast(String name, int value, int min) {
        if (value < min) {
            throw ConfigException.about(name, name + ": " + value + " (expected: >= " + min + ")");
        }
        return value;
    }

    private static Duration positive(String name, Duration value) {
        if (requireNonNull(name, value).isNegative() || value.isZero()) {
            throw ConfigException.about(name, name + ": " + Durations.format(value) + " (expected: > 0)");
        }
        return value;
    }

    private static Duration notNegative(String name, Duration value) {
        if (requireNonNull(name, value).isNegative()) {
            throw ConfigException.about(name, name + ": " + Durations.format(value) + " (expected: >= 0)");
        }
        return value;
    }

    /** Collects settings; {@link #build()} checks them all. Starts from the embedded default. */
    public static final class Builder {

        private String host;
        private int port = DEFAULT_PORT;
        private int maxFrameBytes = DEFAULT_MAX_FRAME_BYTES;
        private int maxTextLength = DEFAULT_MAX_TEXT_LENGTH;
        private double ratePerSecond = DEFAULT_RATE_PER_SECOND;
        private int rateBurst = DEFAULT_RATE_BURST;
        private int outboundHighWaterMark = DEFAULT_OUTBOUND_HIGH_WATER_MARK;
        private int outboundLowWaterMark = DEFAULT_OUTBOUND_LOW_WATER_MARK;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private Duration pingInterval = DEFAULT_PING_INTERVAL;
        private Duration authTimeout = DEFAULT_AUTH_TIMEOUT;
        private int historySize = DEFAULT_HISTORY_SIZE;
        private Duration historyMaxAge = DEFAULT_HISTORY_MAX_AGE;
        private int joinHistory = DEFAULT_JOIN_HISTORY;
        private int historyPageMax = DEFAULT_HISTORY_PAGE_MAX;
        private int maxConnections;
        private int maxConnectionsPerUser = DEFAULT_MAX_CONNECTIONS_PER_USER;
        private int maxUnsignedPerAddress = DEFAULT_MAX_UNSIGNED_PER_ADDRESS;
        private Duration presenceGrace = DEFAULT_PRESENCE_GRACE;
        private Duration flushInterval = DEFAULT_FLUSH_INTERVAL;
        private Duration idempotencyWindow = DEFAULT_IDEMPOTENCY_WINDOW;
        private Duration editWindow = DEFAULT_EDIT_WINDOW;
        private List<String> allowedOrigins = List.of();
        private TlsConfig tls;
        private RedisConfig redis;
        private StorageConfig storage = StorageConfig.embedded(StorageConfig.DEFAULT_DATA_DIR);
        private String devSecret;
        private String userIdSecret;
        private SupportConfig support = SupportConfig.defaults();
        private GroupConfig groups = GroupConfig.defaults();
        private PresenceConfig presence = PresenceConfig.defaults();
        private Duration auditRetention = DEFAULT_AUDIT_RETENTION;
        private Duration escalateAfter = DEFAULT_ESCALATE_AFTER;
        private Duration escalateAgainAfter = DEFAULT_ESCALATE_AGAIN_AFTER;
        private boolean tellReporters = true;
        private Duration newMemberPeriod = DEFAULT_NEW_MEMBER_PERIOD;
        private Map<String, List<String>> crisisRules = Map.of();
        private Map<String, List<CrisisResource>> crisisResources = Map.of();
        private double newMemberRatePerSecond = DEFAULT_NEW_MEMBER_RATE_PER_SECOND;
        private int newMemberRateBurst = DEFAULT_NEW_MEMBER_RATE_BURST;
        private JwtConfig jwt = JwtConfig.none();
        private List<RoomConfig> rooms = DemoRooms.ROOMS;
        private Duration shutdownGrace = DEFAULT_SHUTDOWN_GRACE;
        private boolean nativeTransport = DEFAULT_NATIVE_TRANSPORT;
        private int eventLoops = DEFAULT_EVENT_LOOPS;
        private WebConfig web = WebConfig.defaults();
        private LogFormat logFormat = DEFAULT_LOG_FORMAT;
        private ManagementConfig management = ManagementConfig.defaults();
        private WebhookConfig webhooks = WebhookConfig.none();

        private Builder() {}

        private Builder(KindredConfig c) {
            host = c.explicitHost.orElse(null);
            port = c.port;
            maxFrameBytes = c.maxFrameBytes;
            maxTextLength = c.maxTextLength;
            ratePerSecond = c.ratePerSecond;
            rateBurst = c.rateBurst;
            outboundHighWaterMark = c.outboundHighWaterMark;
            outboundLowWaterMark = c.outboundLowWaterMark;
            idleTimeout = c.idleTimeout;
            pingInterval = c.pingInterval;
            authTimeout = c.authTimeout;
            historySize = c.historySize;
            historyMaxAge = c.historyMaxAge;
            joinHistory = c.joinHistory;
            historyPageMax = c.historyPageMax;
            maxConnections = c.maxConnections;
            maxConnectionsPerUser = c.maxConnectionsPerUser;
            maxUnsignedPerAddress = c.maxUnsignedPerAddress;
            presenceGrace = c.presenceGrace;
            flushInterval = c.flushInterval;
            idempotencyWindow = c.idempotencyWindow;
            editWindow = c.editWindow;
            allowedOrigins = c.allowedOrigins;
            tls = c.tls.orElse(null);
            redis = c.redis.orElse(null);
            storage = c.storage;
            devSecret = c.devSecret.orElse(null);
            userIdSecret = c.userIdSecret.orElse(null);
            support = c.support;
            groups = c.groups;
            presence = c.presence;
            auditRetention = c.auditRetention;
            escalateAfter = c.escalateAfter;
            escalateAgainAfter = c.escalateAgainAfter;
            tellReporters = c.tellReporters;
            newMemberPeriod = c.newMemberPeriod;
            crisisRules = c.crisisRules;
            crisisResources = c.crisisResources;
            newMemberRatePerSecond = c.newMemberRatePerSecond;
            newMemberRateBurst = c.newMemberRateBurst;
            jwt = c.jwt;
            rooms = c.rooms;
            shutdownGrace = c.shutdownGrace;
            nativeTransport = c.nativeTransport;
            eventLoops = c.eventLoops;
            web = c.web;
            logFormat = c.logFormat;
            management = c.management;
            webhooks = c.webhooks;
        }

        /**
         * Interface to bind to. Default: {@code "127.0.0.1"} with the development sign-in, {@code "0.0.0.0"} with a
         * JWT key; {@code null} restores that default.
         */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** TCP port, 0 to 65535; 0 picks any free port (tests). Default 8080. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Largest frame read, in bytes, at least 1024. Default 65536. */
        public Builder maxFrameBytes(int maxFrameBytes) {
            this.maxFrameBytes = maxFrameBytes;
            return this;
        }

        /** Longest message text in characters, at least 1 and fitting {@code maxFrameBytes}. Default 4000. */
        public Builder maxTextLength(int maxTextLength) {
            this.maxTextLength = maxTextLength;
            return this;
        }

        /** Sustained commands per second per connection, &gt; 0. Default 10. */
        public Builder ratePerSecond(double ratePerSecond) {
            this.ratePerSecond = ratePerSecond;
            return this;
        }

        /** Burst of commands above the sustained rate, at least 1. Default 20. */
        public Builder rateBurst(int rateBurst) {
            this.rateBurst = rateBurst;
            return this;
        }

        /** Queued outbound bytes that make a connection unwritable. Default 1 MiB (1048576). */
        public Builder outboundHighWaterMark(int bytes) {
            this.outboundHighWaterMark = bytes;
            return this;
        }

        /** Queued outbound bytes that make it writable again, below the high mark. Default 512 KiB (524288). */
        public Builder outboundLowWaterMark(int bytes) {
            this.outboundLowWaterMark = bytes;
            return this;
        }

        /** Silence after which a connection is closed, &gt; 0. Default 60 s. */
        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = idleTimeout;
            return this;
        }

        /** Ping period for quiet connections, &gt; 0 and shorter than the idle timeout. Default 25 s. */
        public Builder pingInterval(Duration pingInterval) {
            this.pingInterval = pingInterval;
            return this;
        }

        /** Time allowed for a successful {@code hello}, &gt; 0. Default 10 s. */
        public Builder authTimeout(Duration authTimeout) {
            this.authTimeout = authTimeout;
            return this;
        }

        /** Messages kept per room, at least 1. Default 500. */
        public Builder historySize(int historySize) {
            this.historySize = historySize;
            return this;
        }

        /** Age at which messages leave history, &gt; 0. Default 7 days. */
        public Builder historyMaxAge(Duration historyMaxAge) {
            this.historyMaxAge = historyMaxAge;
            return this;
        }

        /** Recent messages sent on join, 0 to {@code historySize}. Default 50. */
        public Builder joinHistory(int joinHistory) {
            this.joinHistory = joinHistory;
            return this;
        }

        /** Most messages per history page, at least 1. Default 100. */
        /** Most connections this node holds; default 0, no limit. */
        /** Most connections one user may hold to this node at once, 1 to 1000; default 10. */
        public Builder maxConnectionsPerUser(int maxConnectionsPerUser) {
            this.maxConnectionsPerUser = maxConnectionsPerUser;
            return this;
        }

        /** Most connections one address may hold before signing in, at least 0 (no limit); default 100. */
        public Builder maxUnsignedPerAddress(int maxUnsignedPerAddress) {
            this.maxUnsignedPerAddress = maxUnsignedPerAddress;
            return this;
        }

        public Builder maxConnections(int maxConnections) {
            this.maxConnections = maxConnections;
            return this;
        }

        public Builder historyPageMax(int historyPageMax) {
            this.historyPageMax = historyPageMax;
            return this;
        }

        /** How long a dropped user still counts as present, &gt;= 0 (0: leave at once). Default 5 s. */
        public Builder presenceGrace(Duration presenceGrace) {
            this.presenceGrace = presenceGrace;
            return this;
        }

        /** The shortest time between two flushes of one connection, 0 to 100 ms (0: no pacing). Default 10 ms. */
        public Builder flushInterval(Duration flushInterval) {
            this.flushInterval = flushInterval;
            return this;
        }

        /** How long a {@code clientMsgId} is remembered per user and room, &gt; 0. Default 10 min. */
        public Builder idempotencyWindow(Duration idempotencyWindow) {
            this.idempotencyWindow = idempotencyWindow;
            return this;
        }

        /** How long after posting an author may edit its message, 0 (no edits) to 1 day. Default 15 min. */
        public Builder editWindow(Duration editWindow) {
            this.editWindow = editWindow;
            return this;
        }

        /** Origins allowed to connect, e.g. {@code https://app.example.org}. Default empty: any (development). */
        public Builder allowedOrigins(List<String> allowedOrigins) {
            this.allowedOrigins = allowedOrigins;
            return this;
        }

        /** TLS certificate and key; {@code null} for plain text. Default {@code null}. */
        /**
         * The system of record; default {@code StorageConfig.embedded(Path.of("data"))}, an H2 file under
         * {@code ./data} created on first start.
         */
        public Builder storage(StorageConfig storage) {
            this.storage = storage;
            return this;
        }

        /** Cluster mode through Redis; {@code null} (the default) runs a single node in memory. */
        public Builder redis(RedisConfig redis) {
            this.redis = redis;
            return this;
        }

        /** How long a member counts as new after first signing in; default 7 days, 0 turns the rules off. */
        public Builder newMemberPeriod(Duration newMemberPeriod) {
            this.newMemberPeriod = newMemberPeriod;
            return this;
        }

        /** Crisis-language rules by language (replacing that language's built-in list); default none. */
        public Builder crisisRules(Map<String, List<String>> crisisRules) {
            this.crisisRules = java.util.Objects.requireNonNull(crisisRules, "crisisRules");
            return this;
        }

        /** Crisis resources by language (replacing the built-in ones entirely); default none: the built-in lines. */
        public Builder crisisResources(Map<String, List<CrisisResource>> crisisResources) {
            this.crisisResources = java.util.Objects.requireNonNull(crisisResources, "crisisResources");
            return this;
        }

        /** A new member's sustained command rate; default 2 per second. */
        public Builder newMemberRatePerSecond(double newMemberRatePerSecond) {
            this.newMemberRatePerSecond = newMemberRatePerSecond;
            return this;
        }

        /** A new member's burst; default 5. */
        public Builder newMemberRateBurst(int newMemberRateBurst) {
            this.newMemberRateBurst = newMemberRateBurst;
            return this;
        }

        /** How long a crisis alert waits for an acknowledgement before it escalates; default 2 minutes. */
        public Builder escalateAfter(Duration escalateAfter) {
            this.escalateAfter = escalateAfter;
            return this;
        }

        /** How long after its first escalation an alert escalates again; default 5 minutes. */
        public Builder escalateAgainAfter(Duration escalateAgainAfter) {
            this.escalateAgainAfter = escalateAgainAfter;
            return this;
        }

        /** Whether a reporter is told, in neutral words, that its report was dealt with; default true. */
        public Builder tellReporters(boolean tellReporters) {
            this.tellReporters = tellReporters;
            return this;
        }

        /** How long the audit log and alerts are kept; default 180 days. */
        public Builder auditRetention(Duration auditRetention) {
            this.auditRetention = auditRetention;
            return this;
        }

        /** One-to-one support settings; default {@link SupportConfig#defaults()}. */
        public Builder support(SupportConfig support) {
            this.support = java.util.Objects.requireNonNull(support, "support");
            return this;
        }

        /** Presence settings for clients of protocol version 2; default {@link PresenceConfig#defaults()}. */
        public Builder presence(PresenceConfig presence) {
            this.presence = java.util.Objects.requireNonNull(presence, "presence");
            return this;
        }

        /** Most users a {@code joined} reply lists, 1 to {@code presence.pageMax}; default 50. */
        public Builder presenceJoinedListLimit(int joinedListLimit) {
            presence = new PresenceConfig(
                    joinedListLimit, presence.pageMax(), presence.batchAbove(), presence.batchInterval());
            return this;
        }

        /** Most users one {@code presence} page holds, at least 1; default 500. */
        public Builder presencePageMax(int pageMax) {
            presence = new PresenceConfig(
                    presence.joinedListLimit(), pageMax, presence.batchAbove(), presence.batchInterval());
            return this;
        }

        /** Rooms with more users present than this batch presence changes; at least 0, default 100. */
        public Builder presenceBatchAbove(int batchAbove) {
            presence = new PresenceConfig(
                    presence.joinedListLimit(), presence.pageMax(), batchAbove, presence.batchInterval());
            return this;
        }

        /** How long a batch of presence changes collects, above 0 and at most 5 s; default 250 ms. */
        public Builder presenceBatchInterval(Duration batchInterval) {
            presence = new PresenceConfig(
                    presence.joinedListLimit(), presence.pageMax(), presence.batchAbove(), batchInterval);
            return this;
        }

        /** Group session settings; default {@link GroupConfig#defaults()}. */
        public Builder groups(GroupConfig groups) {
            this.groups = java.util.Objects.requireNonNull(groups, "groups");
            return this;
        }

        /** The development sign-in's key, at least 32 bytes; {@code null} (the default) draws one at random. */
        public Builder devSecret(String devSecret) {
            this.devSecret = devSecret;
            return this;
        }

        /** The key of the opaque user ids, at least 32 bytes; {@code null} (the default) keeps one under the data dir. */
        public Builder userIdSecret(String userIdSecret) {
            this.userIdSecret = userIdSecret;
            return this;
        }

        public Builder tls(TlsConfig tls) {
            this.tls = tls;
            return this;
        }

        /** Token verification. Default {@link JwtConfig#none()} (no key: development sign-in). */
        public Builder jwt(JwtConfig jwt) {
            this.jwt = jwt;
            return this;
        }

        /** The rooms, at least one, ids unique. Default: the demo rooms (welcome, diabetes, long-covid, ...). */
        public Builder rooms(List<RoomConfig> rooms) {
            this.rooms = rooms;
            return this;
        }

        /** How long a draining node waits for clients to go, &gt;= 0. Default 10 s. */
        public Builder shutdownGrace(Duration shutdownGrace) {
            this.shutdownGrace = shutdownGrace;
            return this;
        }

        /** Use epoll when available. Default true. */
        public Builder nativeTransport(boolean nativeTransport) {
            this.nativeTransport = nativeTransport;
            return this;
        }

        /** Event loop threads serving connections, 0 to 256; 0 (the default) is one per core. */
        public Builder eventLoops(int eventLoops) {
            this.eventLoops = eventLoops;
            return this;
        }

        /** The web app served at {@code /}. Default {@link WebConfig#defaults()}: on, no identity provider. */
        public Builder web(WebConfig web) {
            this.web = web;
            return this;
        }

        /** How the node writes its log; default {@link LogFormat#TEXT}. */
        public Builder logFormat(LogFormat logFormat) {
            this.logFormat = logFormat;
            return this;
        }

        /** Outgoing webhooks; default none. */
        public Builder webhooks(WebhookConfig webhooks) {
            this.webhooks = webhooks;
            return this;
        }

        /** The management listener; default loopback, port {@value ManagementConfig#DEFAULT_PORT}. */
        public Builder management(ManagementConfig management) {
            this.management = management;
            return this;
        }

        /**
         * Checks every setting and returns the configuration.
         *
         * @throws ConfigException naming the first bad setting, its value and what was expected
         */
        public KindredConfig build() {
            return new KindredConfig(this);
        }
    }
}
