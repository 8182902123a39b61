package org.kindred.server.session;

import java.util.function.LongSupplier;
import org.kindred.protocol.Limits;
import org.kindred.protocol.WireCodec;
import org.kindred.server.auth.TokenVerifier;
import org.kindred.server.config.KindredConfig;
import org.kindred.server.connection.ConnectedUsers;
import org.kindred.server.group.GroupStore;
import org.kindred.server.limit.NodeBudgets;
import org.kindred.server.limit.UserBudgets;
import org.kindred.server.metrics.KindredMetrics;
import org.kindred.server.room.RoomAdmin;
import org.kindred.server.room.RoomRegistry;
import org.kindred.server.runtime.Failures;
import org.kindred.server.safety.SafetyService;
import org.kindred.server.support.SupportStore;

/**
 * What every session of a node shares: the node's parts, and the command handlers (one per feature), made once.
 */
public final class SessionContext {

    private final KindredConfig config;
    private final TokenVerifier verifier;
    private final RoomRegistry rooms;
    private final SupportStore support;
    private final GroupStore groups;
    private final SafetyService safety;
    private final ConnectedUsers users;
    private final WireCodec codec;
    private final KindredMetrics metrics;
    private final LongSupplier nanoTime;
    private final TokenExpiries expiries;
    private final Failures failures;
    private final RoomCommands roomCommands;
    private final SupportCommands supportCommands;
    private final GroupCommands groupCommands;
    private final SafetyCommands safetyCommands;
    private final QueueCommands queueCommands;
    private final RoomAdminCommands roomAdminCommands;
    /**
     * Each signed-in user's command budget on this node, shared by all its connections (a second connection does not
     * double it); kept a minute after its last use, so closing and reopening does not refill it.
     */
    private final UserBudgets budgets;

    /**
     * @param config   the node's configuration
     * @param verifier checks the tokens of {@code hello}
     * @param rooms    the node's rooms
     * @param support  one-to-one support
     * @param groups   facilitated group sessions
     * @param safety   sanctions, content rules, crisis alerts, reports and the audit log
     * @param users    the node's signed-in connections, by user
     * @param codec    the wire codec
     * @param metrics  where to count
     * @param nanoTime monotonic time for rate limits and latencies
     */
    public SessionContext(
            KindredConfig config,
            TokenVerifier verifier,
            RoomRegistry rooms,
            SupportStore support,
            GroupStore groups,
            SafetyService safety,
            ConnectedUsers users,
            WireCodec codec,
            KindredMetrics metrics,
            LongSupplier nanoTime) {
        this(
                config,
                verifier,
                rooms,
                support,
                groups,
                safety,
                users,
                codec,
                metrics,
                nanoTime,
                new TokenExpiries(java.time.Clock.systemUTC(), config.jwt().clockSkew()),
                null,
                null);
    }

    /**
     * As above, with the node's token deadlines (on the node's clock, ticked by the node) and users' budgets.
     *
     * @param expiries closes connections whose token expires without {@code refresh}
     * @param budgets  users' command budgets, shared by the nodes of a cluster; {@code null}: this node's own
     *                 ({@link NodeBudgets})
     * @param roomAdmin the rooms made at run time; {@code null} on a node without a system of record (the moderators'
     *                 room commands are then {@code unavailable})
     */
    public SessionContext(
            KindredConfig config,
            TokenVerifier verifier,
            RoomRegistry rooms,
            SupportStore support,
            GroupStore groups,
            SafetyService safety,
            ConnectedUsers users,
            WireCodec codec,
            KindredMetrics metrics,
            LongSupplier nanoTime,
            TokenExpiries expiries,
            UserBudgets budgets,
            RoomAdmin roomAdmin) {
        this.expiries = expiries;
        this.config = config;
        this.verifier = verifier;
        this.rooms = rooms;
        this.support = support;
        this.groups = groups;
        this.safety = safety;
        this.users = users;
        this.codec = codec;
        this.metrics = metrics;
        this.nanoTime = nanoTime;
        this.failures = new Failures(metrics);
        RoomAccess access = new RoomAccess(rooms);
        this.roomCommands = new RoomCommands(this, access, new PostPipeline(this));
        this.supportCommands = new SupportCommands(support, safety.crisis());
        this.groupCommands = new GroupCommands(groups, rooms);
        this.safetyCommands = new SafetyCommands(safety, support, rooms, access);
        this.queueCommands = new QueueCommands(safety.queues(), support, safety.crisis());
        this.roomAdminCommands = new RoomAdminCommands(roomAdmin);
        this.budgets = budgets != null ? budgets : new NodeBudgets(memberRate(config), newMemberRate(config), nanoTime);
    }

    /** A member's budget as configured. */
    public static UserBudgets.Rate memberRate(KindredConfig config) {
        return new UserBudgets.Rate(config.ratePerSecond(), config.rateBurst());
    }

    /** A new member's, stricter budget as configured. */
    public static UserBudgets.Rate newMemberRate(KindredConfig config) {
        return new UserBudgets.Rate(config.newMemberRatePerSecond(), config.newMemberRateBurst());
    }

    /** The limits announced to clients in {@code welcome}. */
    public Limits limits() {
        return limits(false);
    }

    /** The limits announced in {@code welcome}: a new member's are the stricter ones enforced on it. */
    public Limits limits(boolean newMember) {
        return new Limits(
                config.maxTextLength(),
                config.maxFrameBytes(),
                newMember ? config.newMemberRatePerSecond() : config.ratePerSecond(),
                newMember ? config.newMemberRateBurst() : config.rateBurst(),
                config.historyPageMax(),
                config.joinHistory(),
                config.idleTimeout().toMillis());
    }

    /**
     * Takes one command from the user's budget, shared by all its connections to this node (a new member's is the
     * stricter one). Returns 0 when granted, otherwise the milliseconds until the next command is allowed.
     */
    long userBudget(String userId, boolean newMember) {
        return budgets.tryTake(userId, newMember);
    }

    /** Readies the user's budget on this node at sign-in (a first slice of a budget shared across nodes). */
    java.util.concurrent.CompletableFuture<Void> prepareBudget(String userId, boolean newMember) {
        return budgets.prepare(userId, newMember);
    }

    public KindredConfig config() {
        return config;
    }

    public TokenVerifier verifier() {
        return verifier;
    }

    public RoomRegistry rooms() {
        return rooms;
    }

    public SupportStore support() {
        return support;
    }

    public GroupStore groups() {
        return groups;
    }

    public SafetyService safety() {
        return safety;
    }

    public ConnectedUsers users() {
        return users;
    }

    public WireCodec codec() {
        return codec;
    }

    public KindredMetrics metrics() {
        return metrics;
    }

    public LongSupplier nanoTime() {
        return nanoTime;
    }

    /** When each connection's token expires. */
    public TokenExpiries expiries() {
        return expiries;
    }

    Failures failures() {
        return failures;
    }

    RoomCommands roomCommands() {
        return roomCommands;
    }

    SupportCommands supportCommands() {
        return supportCommands;
    }

    GroupCommands groupCommands() {
        return groupCommands;
    }

    SafetyCommands safetyCommands() {
        return safetyCommands;
    }

    QueueCommands queueCommands() {
        return queueCommands;
    }

    RoomAdminCommands roomAdminCommands() {
        return roomAdminCommands;
    }
}
