package org.kindred.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.kindred.client.DeliveryTracker.JoinOutcome;
import org.kindred.client.DeliveryTracker.RoomCursor;
import org.kindred.client.Outbox.PendingSend;
import org.kindred.protocol.ClientMessage;
import org.kindred.protocol.CloseCode;
import org.kindred.protocol.DecodeException;
import org.kindred.protocol.ErrorCode;
import org.kindred.protocol.InvalidMessageException;
import org.kindred.protocol.ManagedRoom;
import org.kindred.protocol.ProtocolVersion;
import org.kindred.protocol.RoomInfo;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.ServerMessage.Ack;
import org.kindred.protocol.ServerMessage.Availability;
import org.kindred.protocol.ServerMessage.ChatMessage;
import org.kindred.protocol.ServerMessage.GroupInfo;
import org.kindred.protocol.ServerMessage.History;
import org.kindred.protocol.ServerMessage.Joined;
import org.kindred.protocol.ServerMessage.Left;
import org.kindred.protocol.ServerMessage.Pong;
import org.kindred.protocol.ServerMessage.RoomList;
import org.kindred.protocol.ServerMessage.SessionStarted;
import org.kindred.protocol.ServerMessage.SupportCancelled;
import org.kindred.protocol.ServerMessage.SupportQueued;
import org.kindred.protocol.ServerMessage.Welcome;
import org.kindred.protocol.WireCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection to Kindred that survives network failures: commands return futures completed by their reply, room
 * events reach a {@link KindredListener}, and after an unexpected close the client reconnects, re-joins its rooms
 * from where it stopped and re-sends unacknowledged messages, so that the application sees every chat message of a
 * joined room exactly once and in order.
 *
 * <pre>{@code
 * try (KindredClient client = KindredClient.builder()
 *         .url(URI.create("wss://chat.example.org/ws"))
 *         .tokenSupplier(auth::freshToken)
 *         .listener(new KindredListener() {
 *             public void onMessage(ServerMessage.ChatMessage m) { ui.show(m); }
 *         })
 *         .build()) {
 *     client.connect().get();
 *     client.join("diabetes").get();
 *     client.send("diabetes", "hello").get();
 * }
 * }</pre>
 *
 * <p>Every method may be called from any thread. The client keeps its state on one internal thread; listener
 * callbacks and future completions run on the callback executor, in the order things happened, so that for example
 * the messages of a join reply reach {@link KindredListener#onMessage} before {@link #join} completes. Do not block on
 * a future of this client inside a listener callback.
 *
 * <p>Argument errors (blank room id, over-long clientMsgId) throw at once; everything else fails the returned future
 * with a {@link KindredException}.
 *
 * <p><b>One-to-one support.</b> A member asks with {@link #requestSupport} and hears where its request stands
 * through {@link KindredListener#onSupportStatus}; a mentor makes itself available with {@link #setAvailability},
 * receives {@link KindredListener#onOffer offers} and takes one with {@link #acceptOffer}. Both participants then
 * receive {@link KindredListener#onSessionStarted}. A session id is also a room id: {@link #join}, {@link #send},
 * {@link #history} and {@link #typing} work on it as on any room (only its two participants may use it), and the
 * client re-joins it after a reconnect like any joined room.
 *
 * <p><b>Safety.</b> When a message the user wrote reads like a crisis, the server answers privately with
 * {@link KindredListener#onCrisisSupport}: show it at once. Any member may {@link #report} a message to the moderators.
 * Moderators receive {@link KindredListener#onAlert alerts} and {@link KindredListener#onReportFiled new reports}, take
 * an alert with {@link #ackAlert} (those raised while they were away: {@link #listAlerts}), work through
 * {@link #listReports} with {@link #resolveReport}, read the
 * {@link #auditLog}, {@link #sanction} a member (and {@link #liftSanction lift} it) and {@link #deleteMessage delete}
 * a message. A sanctioned member hears what happened and why through {@link KindredListener#onSanctioned}; show it.
 * A room's content rules may hold a message for review: its {@link #send} fails with {@code held_for_review};
 * moderators receive it through {@link KindredListener#onHeldMessage} and answer with {@link #reviewHeld}.
 * Any member may {@link #block} another user: from then on neither receives the other's messages, presence or typing.
 *
 * <p><b>Deleted messages.</b> Everyone in a room hears of a deletion through
 * {@link KindredListener#onMessageDeleted}; join and {@link #history} pages then carry the message's tombstone, a
 * {@link ChatMessage} whose {@link ChatMessage#isDeleted() isDeleted()} is true and whose text is empty. The client
 * delivers each {@code seq} of a room once: a tombstone that a resume replays for a message already delivered is not
 * delivered again through {@link KindredListener#onMessage}, so apps track deletions through
 * {@link KindredListener#onMessageDeleted}.
 *
 * <p><b>Edited messages.</b> An author may {@link #editMessage edit} its own message within the server's edit window;
 * everyone in the room hears of it through {@link KindredListener#onMessageEdited}, and join and {@link #history} pages
 * then carry the new text, marked {@link ChatMessage#isEdited() edited}.
 *
 * <p><b>Group sessions.</b> A facilitator schedules a group with {@link #createGroup} (a {@link GroupSchedule}); members
 * find it with {@link #listGroups}, {@link #registerGroup register} for reminders, and {@link #join} the meeting's
 * {@link GroupInfo#room() room} once its lobby opens. The facilitator {@link #openGroup opens} and
 * {@link #closeGroup closes} the meeting and runs it ({@link #setGroupChat}, {@link #mute}, {@link #removeParticipant},
 * {@link #pin}, {@link #giveFloor}); members {@link #raiseHand raise a hand} to speak or {@link #listenOnly only
 * listen}. How the meeting runs now reaches {@link KindredListener#onGroupState} and stays readable through
 * {@link #groupState(String)}. A send the meeting's rules refuse ({@code muted}, {@code chat_locked},
 * {@code slow_mode}, {@code not_your_turn}, {@code listen_only}, {@code group_not_open}, {@code group_closed}) fails at
 * once and is not sent again; a user removed from a meeting is not taken back into its room on reconnect. A meeting
 * that closed (or banned the user) while the client was reconnecting refuses the re-join: the refusal reaches
 * {@link KindredListener#onError} and the client forgets the room and its state.
 */
public final class KindredClient implements AutoCloseable {

    /** Default interval between pings: 20 s. */
    public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(20);
    /** Default time a command waits for its reply: 10 s. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** Default number of times a send is transmitted when the server refuses it with a retryable error: 5. */
    public static final int DEFAULT_MAX_SEND_ATTEMPTS = 5;

    /** The close code reported when the connection was lost without a close frame, or the client gave up on it. */
    static final int CLOSE_ABNORMAL = 1006;

    private static final int CLOSE_NORMAL = 1000;
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(1);
    private static final ReconnectPolicy SEND_RETRY_BACKOFF = ReconnectPolicy.defaults();
    private static final Logger log = LoggerFactory.getLogger(KindredClient.class);
    private static final AtomicInteger CLIENT_IDS = new AtomicInteger();

    private enum State {
        /** Not connected; {@link #connect()} starts. */
        IDLE,
        /** The first connection of a session is being opened (trying each URL once). */
        CONNECTING,
        /** The session dropped; waiting for the backoff or opening a new connection. */
        RECONNECTING,
        /** Welcomed again after a drop; re-joining rooms before re-sending. */
        RESUMING,
        /** Connected, every room joined, sends go out at once. */
        READY,
        /** {@link #close()} was called. */
        CLOSED
    }

    private final List<URI> urls;
    private final Supplier<String> tokenSupplier;
    private final boolean invisible;
    /** The BCP 47 tag hello names as the language the user reads; null: the token's locale, else the server's. */
    private final String language;

    private final KindredListener listener;
    private final ReconnectPolicy reconnect;
    private final Duration pingInterval;
    private final Duration requestTimeout;
    private final int maxSendAttempts;
    private final RandomGenerator random;

    private final ScheduledThreadPoolExecutor loop;
    private volatile Thread loopThread;
    private final Executor events;
    private final ExecutorService ownedEvents;
    private final HttpClient http;
    private final WireCodec codec = new WireCodec();
    private final AtomicLong refs = new AtomicLong();
    private final SupportCommands support = new SupportCommands(this::nextRef, this::supportCall);
    private final SafetyCommands safety = new SafetyCommands(this::nextRef, this::call);
    private final GroupCommands groups = new GroupCommands(this::nextRef, this::call);
    /** The latest group_state per joined room; written on the loop thread, read from any thread. */
    private final Map<String, ServerMessage.GroupState> groupStates = new ConcurrentHashMap<>();

    // Everything below is touched on the loop thread only.
    private final PendingRequests pending = new PendingRequests(System::nanoTime);
    private final DeliveryTracker rooms = new DeliveryTracker();
    private final Outbox outbox = new Outbox();
    private final List<CompletableFuture<Welcome>> connectWaiters = new ArrayList<>();
    private State state = State.IDLE;
    /** Identifies the current connection attempt; events of older connections are ignored. */
    private long generation;

    private WebSocketConnection connection;
    private Welcome welcome;
    private int urlIndex;
    private int urlsTried;
    private int reconnectAttempts;
    private int rejoinsLeft;
    private ScheduledFuture<?> pingTimer;
    /** Renews the token on the live connection a little before it expires ({@code refresh}). */
    private ScheduledFuture<?> refreshTimer;
    /** The token the current connection signed in or last refreshed with (loop thread). */
    private String liveToken;

    private ScheduledFuture<?> reconnectTimer;
    /** Whether the member list of each joined room is loaded in full (every page) rather than its first page. */
    private final boolean exactPresence;
    /** The member list of each joined room. */
    private final PresenceLists presenceLists = new PresenceLists();
    /** The one pending retry of sends the server refused with a retryable error; later sends wait behind it. */
    private ScheduledFuture<?> sendRetry;

    private KindredClient(Builder builder) {
        this.urls = builder.urls;
        this.tokenSupplier = builder.tokenSupplier;
        this.invisible = builder.invisible;
        this.language = builder.language;
        this.listener = builder.listener;
        this.reconnect = builder.reconnect;
        this.pingInterval = builder.pingInterval;
        this.requestTimeout = builder.requestTimeout;
        this.maxSendAttempts = builder.maxSendAttempts;
        this.exactPresence = builder.exactPresence;
        this.random = builder.random != null ? builder.random : RandomGenerator.getDefault();
        int id = CLIENT_IDS.incrementAndGet();
        this.loop = new ScheduledThreadPoolExecutor(
                1,
                task -> loopThread = Thread.ofPlatform()
                        .daemon()
                        .name("kindred-client-" + id)
                        .unstarted(task));
        this.loop.setRemoveOnCancelPolicy(true);
        this.loop.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        if (builder.executor != null) {
            this.events = builder.executor;
            this.ownedEvents = null;
        } else {
            this.ownedEvents = Executors.newSingleThreadExecutor(
                    Thread.ofPlatform().daemon().name("kindred-events-" + id).factory());
            this.events = ownedEvents;
        }
        this.http = HttpClient.newBuilder().connectTimeout(requestTimeout).build();
    }

    /** A builder; {@link Builder#url} (or {@link Builder#urls}) and a token are required. */
    public static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Public API

    /**
     * Opens the session: connects to the first reachable URL, sends {@code hello} with a token from the token
     * supplier and completes with the server's {@code welcome}. When already connected, completes with the current
     * welcome; while reconnecting, completes once the session is ready again.
     *
     * <p>Fails with a {@link KindredException}: the server's error (for example {@code token_invalid}),
     * {@link KindredException#CONNECTION_CLOSED} for a terminal close code, or {@link KindredException#CONNECT_FAILED}
     * when no URL could be reached. The client then stays disconnected; {@code connect()} may be called again.
     */
    public CompletableFuture<Welcome> connect() {
        CompletableFuture<Welcome> result = new CompletableFuture<>();
        onLoop(result, () -> {
            switch (state) {
                case CLOSED -> fail(result, KindredException.clientClosed());
                case READY -> complete(result, welcome);
                case IDLE -> {
                    connectWaiters.add(result);
                    state = State.CONNECTING;
                    urlsTried = 0;
                    openConnection();
                }
                case CONNECTING, RECONNECTING, RESUMING -> connectWaiters.add(result);
            }
        });
        return result;
    }

    /**
     * Joins a room. Completes with the server's reply once its messages (the room's recent history) were delivered
     * to {@link KindredListener#onMessage}. From then on the room's messages are delivered, and the room is re-joined
     * after every reconnect until {@link #leave}. Joining a room again is harmless and delivers only what is new.
     * Fails with {@link KindredException#CONNECTION_CLOSED} when the connection drops before the reply (the room is
     * then not joined), and with {@link KindredException#NOT_CONNECTED} while the client is reconnecting.
     *
     * @throws IllegalArgumentException when the room id is blank or too long
     */
    public CompletableFuture<Joined> join(String room) {
        String ref = nextRef();
        validate(() -> new ClientMessage.Join(ref, room, null, null));
        CompletableFuture<Joined> result = new CompletableFuture<>();
        onLoop(result, () -> {
            if (!sessionOpen()) {
                fail(result, notConnected());
                return;
            }
            Optional<RoomCursor> cursor = rooms.cursor(room);
            var join = new ClientMessage.Join(
                    ref,
                    room,
                    cursor.map(RoomCursor::lastSeq).orElse(null),
                    cursor.map(RoomCursor::epoch).orElse(null));
            request(join, Joined.class).whenComplete((joined, error) -> {
                if (error != null) {
                    fail(result, error);
                    return;
                }
                deliver(rooms.joined(joined));
                loadEveryMember(joined).thenRun(() -> complete(result, joined));
            });
        });
        return result;
    }

    /**
     * Leaves a room: its events stop and it is no longer re-joined. Completes when the server confirmed, or at once
     * when there is no connection (there is nothing to leave on the server then). Fails only when the server refused
     * with a retryable error; the room then stays joined.
     *
     * @throws IllegalArgumentException when the room id is blank or too long
     */
    public CompletableFuture<Void> leave(String room) {
        String ref = nextRef();
        var leave = validate(() -> new ClientMessage.Leave(ref, room));
        CompletableFuture<Void> result = new CompletableFuture<>();
        onLoop(result, () -> {
            if (!sessionOpen()) {
                forgetRoom(room);
                complete(result, null);
                return;
            }
            request(leave, Left.class).whenComplete((left, error) -> {
                Throwable cause = unwrap(error);
                boolean closed =
                        cause instanceof KindredException k && k.code().equals(KindredException.CONNECTION_CLOSED);
                if (error == null || closed || !(cause instanceof KindredException k && k.retryable())) {
                    forgetRoom(room);
                }
                if (error == null || closed) {
                    complete(result, null);
                } else {
                    fail(result, cause);
                }
            });
        });
        return result;
    }

    /**
     * Posts a message with a new random {@code clientMsgId}. See {@link #send(String, String, String)}.
     *
     * @throws IllegalArgumentException when the room id or text is blank, or the room id too long
     */
    public CompletableFuture<Ack> send(String room, String text) {
        return send(room, UUID.randomUUID().toString(), text);
    }

    /**
     * Posts a message to a joined room. Completes with the server's ack (with {@code duplicate: true} when the server
     * had already posted this {@code clientMsgId}). The send survives reconnects: it is sent again with the same
     * {@code clientMsgId} after the rooms were re-joined, in the order sends were made, and the server never posts it
     * twice. A send refused with a retryable error ({@code rate_limited} after {@code retryAfterMs},
     * {@code unavailable}, {@code internal}) is repeated with backoff, at most {@code maxSendAttempts} times in all.
     * A send answered {@code outcome_unknown} (the server's store stopped answering after it took the message, which
     * may be stored and delivered) is repeated with backoff, with the same {@code clientMsgId}, until it is
     * acknowledged or refused with an error that is not retryable, whatever {@code maxSendAttempts} says: the future
     * never fails as "not sent" for a message others may be reading.
     * Any other refusal fails the future at once with the server's code ({@link KindredException#errorCode()}).
     *
     * <p><b>Group meetings.</b> In a group meeting's room the facilitator's rules may refuse a send: {@code muted},
     * {@code chat_locked}, {@code slow_mode}, {@code not_your_turn}, {@code listen_only}, {@code group_not_open},
     * {@code group_closed}. These fail the future at once and the client does not send the message again (the rule,
     * not the network, said no); later sends to the room go out as usual. For {@code slow_mode},
     * {@link KindredException#retryAfterMs()} says when the member may post again. When a facilitator removes the user
     * from the meeting, its sends to the room that were not yet acknowledged fail with {@code removed_from_group}.
     *
     * <p>The user's own message also arrives through {@link KindredListener#onMessage}, like everyone's, with the same
     * {@code clientMsgId}: before or after this future completes (the server sends the room's {@code message} and the
     * {@code ack} separately, in either order).
     *
     * <p>Sends to one room go out one at a time, each after the previous one is acknowledged or has failed, so a
     * member's messages keep the order they were written in even when some are refused and retried. Sends to different
     * rooms do not wait for each other.
     *
     * <p><b>Held messages.</b> A room's content rules may hold a message for a moderator's review (for example one
     * that names a medication dose): the future then fails with {@code held_for_review}, which is not retryable, and
     * the client does not send it again (sending it again would only be held again). The message is not lost: the app
     * may keep showing it as "waiting for review". If a moderator approves it, it arrives through
     * {@link KindredListener#onMessage} as a normal message, from this user, with the same {@code clientMsgId}
     * (no ack comes for it); if not, {@link KindredListener#onMessageRejected} names its room and
     * {@code clientMsgId}, with the moderator's reason.
     *
     * <p>The request timeout counts from the latest transmission: while the client is reconnecting, a send waits.
     * After a {@link KindredException#TIMEOUT timeout} the message may still have been posted; sending it again with
     * the same {@code clientMsgId} is safe. Cancelling the future withdraws a send that was not transmitted yet.
     *
     * @param clientMsgId an id unique per user, at most 64 characters
     * @throws IllegalArgumentException when an argument is blank or too long
     */
    public CompletableFuture<Ack> send(String room, String clientMsgId, String text) {
        validate(() -> new ClientMessage.Send(null, room, clientMsgId, text));
        CompletableFuture<Ack> result = new CompletableFuture<>();
        onLoop(result, () -> {
            if (state != State.READY && state != State.RESUMING && state != State.RECONNECTING) {
                fail(result, notConnected());
                return;
            }
            outbox.add(room, clientMsgId, text, result);
            pump();
        });
        return result;
    }

    /**
     * Renews the token of the live connection with a fresh one from the token supplier ({@code refresh}). The client
     * does it by itself at 90% of the token's life; without it the server closes the connection with 4101 when the
     * token expires. Fails with {@code token_invalid} for a token of another user or other roles.
     */
    public CompletableFuture<ServerMessage.Refreshed> refresh() {
        CompletableFuture<String> token = new CompletableFuture<>();
        onLoop(
                token,
                () -> token.complete(Objects.requireNonNull(tokenSupplier.get(), "the token supplier returned null")));
        return token.thenCompose(this::refresh);
    }

    /** Renews the token of the live connection with this one ({@code refresh}). */
    public CompletableFuture<ServerMessage.Refreshed> refresh(String token) {
        Objects.requireNonNull(token, "token");
        return call(new ClientMessage.Refresh(nextRef(), token), ServerMessage.Refreshed.class, Function.identity())
                .thenApply(refreshed -> {
                    loop.execute(() -> {
                        liveToken = token;
                        scheduleRefresh(generation, refreshed.validUntil());
                    });
                    return refreshed;
                });
    }

    /** Refreshes at 90% of the time left, at least a second from now; a token without {@code exp} is never renewed. */
    private void scheduleRefresh(long gen, long validUntilMillis) {
        cancel(refreshTimer);
        if (validUntilMillis <= 0 || validUntilMillis == Long.MAX_VALUE) {
            return;
        }
        long left = validUntilMillis - System.currentTimeMillis();
        long delay = Math.max(1000, Math.min(left * 9 / 10, left - 5000));
        refreshTimer = loop.schedule(
                () -> {
                    if (gen == generation && sessionOpen()) {
                        refresh().whenComplete((r, e) -> {
                            if (e != null) {
                                log.warn("token refresh failed: {}", unwrap(e).toString());
                            }
                        });
                    }
                },
                delay,
                TimeUnit.MILLISECONDS);
    }

    /** The {@code exp} of a JWT in epoch milliseconds, read without verifying (the server does); 0 if unreadable. */
    static long tokenExpiry(String token) {
        String[] parts = token == null ? new String[0] : token.split("\\.");
        if (parts.length < 2) {
            return 0;
        }
        try {
            String json = new String(
                    java.util.Base64.getUrlDecoder().decode(parts[1]), java.nio.charset.StandardCharsets.UTF_8);
            java.util.regex.Matcher exp =
                    java.util.regex.Pattern.compile("\"exp\"\\s*:\\s*(\\d+)").matcher(json);
            return exp.find() ? Long.parseLong(exp.group(1)) * 1000 : 0;
        } catch (IllegalArgumentException e) {
            return 0;
        }
    }

    /**
     * Who is in a joined room, as the client knows it now: the server's count, and the members the client knows —
     * everyone when {@link RoomPresence#complete()}. By default the client keeps what costs nothing more: the first
     * members the join reply lists (everyone in a small room) and the changes since; with
     * {@link Builder#exactPresence(boolean) exactPresence(true)} it loads every page on join and keeps the full list.
     * Empty when the room is not joined.
     */
    public Optional<RoomPresence> members(String room) {
        return Optional.ofNullable(room).flatMap(presenceLists::get);
    }

    /**
     * A page of who is present in a joined room, in the server's order. The page also updates {@link #members}.
     *
     * @param after the {@code next} cursor of the previous page ({@link Joined#presenceNext()} after the join reply);
     *              null for the start
     * @param limit how many users at most; null for the server's page size
     * @throws IllegalArgumentException when the room id is blank, the cursor empty or the limit below 1
     */
    public CompletableFuture<ServerMessage.Presence> presencePage(String room, String after, Integer limit) {
        String ref = nextRef();
        return call(
                validate(() -> new ClientMessage.FetchPresence(ref, room, after, limit)),
                ServerMessage.Presence.class,
                Function.identity());
    }

    /**
     * With {@link Builder#exactPresence}, loads the pages of members the join reply left out; completes (never fails)
     * once they are in or could not be read, which is logged (loop thread).
     */
    private CompletableFuture<Void> loadEveryMember(Joined joined) {
        if (!exactPresence || joined.presenceNext() == null) {
            return CompletableFuture.completedFuture(null);
        }
        return loadPresence(joined.room(), joined.presenceNext()).handle((loaded, error) -> {
            if (error != null) {
                log.warn(
                        "could not load every member of room {}: {}",
                        joined.room(),
                        unwrap(error).toString());
            }
            return null;
        });
    }

    /** Loads every page of a room's members after a cursor, in order (loop thread). */
    private CompletableFuture<Void> loadPresence(String room, String cursor) {
        presenceLists.pagingStarted(room);
        return request(new ClientMessage.FetchPresence(nextRef(), room, cursor, null), ServerMessage.Presence.class)
                .thenCompose(page -> page.next() == null
                        ? CompletableFuture.completedFuture(null)
                        : loadPresence(room, page.next()));
    }

    /** The rooms the user can see, with their online counts. */
    public CompletableFuture<List<RoomInfo>> listRooms() {
        return call(new ClientMessage.ListRooms(nextRef()), RoomList.class, RoomList::rooms);
    }

    /**
     * A page of a joined room's history, oldest first. The page goes to the caller only, not to the listener. A
     * message a moderator deleted is in it as its tombstone ({@link ChatMessage#isDeleted()}, empty text); messages
     * of a user blocked either way are left out.
     *
     * @param before only messages with a lower sequence number; null for the newest
     * @param limit  how many messages at most; null for the server's page size
     * @throws IllegalArgumentException when the room id is blank or a number is out of range
     */
    public CompletableFuture<History> history(String room, Long before, Integer limit) {
        String ref = nextRef();
        return call(
                validate(() -> new ClientMessage.FetchHistory(ref, room, before, limit)),
                History.class,
                Function.identity());
    }

    /**
     * Tells the room that the user started or stopped typing. Fire and forget: dropped when not connected; an error
     * reaches {@link KindredListener#onError}.
     *
     * @throws IllegalArgumentException when the room id is blank or too long
     */
    public void typing(String room, boolean active) {
        String ref = nextRef();
        var typing = validate(() -> new ClientMessage.Typing(ref, room, active));
        onLoop(() -> {
            if (sessionOpen()) {
                connection.send(codec.encode(typing));
            }
        });
    }

    // ---------------------------------------------------------------------------------------------------------------
    // One-to-one support

    /**
     * A mentor says whether it takes one-to-one sessions now. Completes with the availability as the server holds
     * it (the server caps the capacity). Needs the mentor role; otherwise fails with {@code forbidden}.
     *
     * <p>The client remembers the last availability set with {@code available = true} that it sent, and sets it again
     * by itself after every automatic reconnect (the server forgets a mentor's availability when its last connection
     * closes), reporting the server's answer to {@link KindredListener#onAvailabilityRestored}. The memory is cleared
     * by {@code setAvailability(false, ...)} (even when not connected), by a non-retryable refusal from the server and
     * when the session ends ({@link #close()}, or the client gives up reconnecting); a new {@link #connect()} starts
     * without it. When the connection drops before the reply, the future fails but the availability is still set
     * again after the reconnect.
     *
     * @param available  true to take requests, false to stop (sessions in progress go on)
     * @param conditions condition tags covered, for example {@code diabetes}; at least one when available
     * @param languages  language codes spoken, for example {@code en}; at least one when available
     * @param capacity   sessions held at once; null for the server's default
     * @throws IllegalArgumentException when available without a condition or language, a list holds a null or blank
     *                                  entry, or the capacity is below 1
     */
    public CompletableFuture<Availability> setAvailability(
            boolean available, List<String> conditions, List<String> languages, Integer capacity) {
        return support.setAvailability(available, conditions, languages, capacity);
    }

    /**
     * A member asks for a one-to-one session. Completes with where the request stands in the queue; later changes
     * reach {@link KindredListener#onSupportStatus}, a long wait {@link KindredListener#onSupportUnavailable}, and the
     * match {@link KindredListener#onSessionStarted}. Fails with {@code already_requested} while another request of
     * the member is open.
     *
     * @param condition the condition to talk about, one of the rooms' condition tags
     * @param language  the language to talk in, for example {@code en}
     * @param note      a short note for the mentor (at most 500 characters), or null
     * @throws IllegalArgumentException when the condition or language is blank, or the note too long
     */
    public CompletableFuture<SupportQueued> requestSupport(String condition, String language, String note) {
        return support.requestSupport(condition, language, note);
    }

    /**
     * A member withdraws its open request. Completes with the server's confirmation (reason {@code cancelled}); a
     * session waiting for its next mentor ends with it. Fails with {@code request_not_found} when the request is no
     * longer open (for example it was just matched).
     *
     * @throws IllegalArgumentException when the request id is blank
     */
    public CompletableFuture<SupportCancelled> cancelSupport(String requestId) {
        return support.cancelSupport(requestId);
    }

    /**
     * A mentor takes a request it was {@link KindredListener#onOffer offered}. Completes with the session; the same
     * object then also reaches {@link KindredListener#onSessionStarted}, so that an app may handle every session in
     * the listener alone. Fails with {@code offer_taken} when another mentor was first, {@code request_not_found}
     * when the request is gone, {@code at_capacity} when the mentor holds as many sessions as it can.
     *
     * @throws IllegalArgumentException when the request id is blank
     */
    public CompletableFuture<SessionStarted> acceptOffer(String requestId) {
        return support.acceptOffer(requestId);
    }

    /**
     * A mentor passes on an offered request, which moves on to another mentor.
     *
     * @throws IllegalArgumentException when the request id is blank
     */
    public CompletableFuture<Void> declineOffer(String requestId) {
        return support.declineOffer(requestId);
    }

    /**
     * Either participant ends a session. Both then receive {@link KindredListener#onSessionEnded}; the session's room
     * stays joined until {@link #leave}.
     *
     * @throws IllegalArgumentException when the session id is blank
     */
    public CompletableFuture<Void> endSession(String sessionId) {
        return support.endSession(sessionId);
    }

    /**
     * The member rates a session that has ended.
     *
     * @param rating  1 (poor) to 5 (great)
     * @param comment a short comment (at most 500 characters), or null
     * @throws IllegalArgumentException when the session id is blank, the rating out of range or the comment too long
     */
    public CompletableFuture<Void> rateSession(String sessionId, int rating, String comment) {
        return support.rateSession(sessionId, rating, comment);
    }

    /**
     * A mentor of the session leaves a private note for moderators, for example about a risk it noticed.
     *
     * @param note the note, at most 500 characters
     * @throws IllegalArgumentException when the session id or note is blank, or the note too long
     */
    public CompletableFuture<Void> mentorNote(String sessionId, String note) {
        return support.mentorNote(sessionId, note);
    }

    /**
     * The session's mentor proposes to hand it over. The member receives {@link KindredListener#onHandoffProposed}
     * and answers; the answer reaches this mentor as {@link KindredListener#onDone} ({@code handoff_accepted} or
     * {@code handoff_refused}).
     *
     * @param toMentorId the mentor to hand over to, or null for the next fitting available mentor
     * @param reason     why, shown to the member (at most 500 characters), or null
     * @throws IllegalArgumentException when the session id or mentor id is blank, or the reason too long
     */
    public CompletableFuture<Void> proposeHandoff(String sessionId, String toMentorId, String reason) {
        return support.proposeHandoff(sessionId, toMentorId, reason);
    }

    /**
     * The member consents to, or refuses, a proposed hand-off. With consent the session goes to the front of the
     * queue and continues with the next mentor who takes it ({@link KindredListener#onSessionStarted} with
     * {@code continued: true}); the current mentor stays until then.
     *
     * @throws IllegalArgumentException when the session id is blank
     */
    public CompletableFuture<Void> answerHandoff(String sessionId, boolean consent) {
        return support.answerHandoff(sessionId, consent);
    }

    /**
     * A participant deletes the session's stored messages now, for both participants.
     *
     * @throws IllegalArgumentException when the session id is blank
     */
    public CompletableFuture<Void> deleteTranscript(String sessionId) {
        return support.deleteTranscript(sessionId);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Safety

    /**
     * Reports a message to the moderators: a message of a room, or of a one-to-one session the user takes part in.
     * Completes with the report's id once it is in the moderators' queue. The reported member never learns who
     * reported it. Fails with {@code message_not_found} when the room no longer keeps that message.
     *
     * @param room     the room (or session) id
     * @param seq      the message's sequence number in it, at least 1
     * @param category one of {@link ClientMessage#REPORT_CATEGORIES}: {@code harassment}, {@code self_harm},
     *                 {@code spam}, {@code misinformation}, {@code other}
     * @param comment  what the user wants moderators to know (at most 500 characters), or null
     * @throws IllegalArgumentException when the room id is blank or too long, the sequence number below 1, the
     *                                  category not a known one, or the comment too long
     */
    public CompletableFuture<ServerMessage.ReportReceived> report(
            String room, long seq, String category, String comment) {
        return safety.report(room, seq, category, comment);
    }

    /**
     * A moderator takes charge of a crisis {@link KindredListener#onAlert alert}. Completes with the acknowledgement
     * that stands: {@code first} is false, and {@code by} names the other moderator, when someone was quicker. The
     * other moderators receive it through {@link KindredListener#onAlertAcked}. For moderators only: the server
     * refuses others ({@code forbidden}); fails with {@code alert_not_found} for an unknown alert.
     *
     * @throws IllegalArgumentException when the alert id is blank
     */
    public CompletableFuture<ServerMessage.AlertAcked> ackAlert(String alertId) {
        return safety.ackAlert(alertId);
    }

    /**
     * A moderator lists the crisis alerts nobody has acknowledged yet, oldest first: what happened while it was signed
     * out. Call it after {@link #connect}; new alerts then arrive through {@link KindredListener#onAlert}. For
     * moderators only: the server refuses others ({@code forbidden}).
     */
    public CompletableFuture<List<ServerMessage.Alert>> listAlerts() {
        return safety.listAlerts();
    }

    /**
     * A moderator lists the open reports, oldest first, each with a snapshot of the reported message, the messages
     * around it and who reported it. New reports then arrive through {@link KindredListener#onReportFiled}. For
     * moderators only: the server refuses others ({@code forbidden}).
     */
    public CompletableFuture<List<ServerMessage.ReportInfo>> listReports() {
        return safety.listReports();
    }

    /**
     * A moderator closes a report, saying what was done. Completes with the server's confirmation; the other
     * moderators receive it through {@link KindredListener#onReportResolved}. For moderators only: the server refuses
     * others ({@code forbidden}); fails with {@code report_not_found} for an unknown report.
     *
     * @param resolution what was done, at most 500 characters
     * @throws IllegalArgumentException when the report id or resolution is blank, or the resolution too long
     */
    public CompletableFuture<ServerMessage.ReportResolved> resolveReport(String reportId, String resolution) {
        return safety.resolveReport(reportId, resolution);
    }

    /**
     * A moderator reads the audit log, newest first: who raised, acknowledged, filed or resolved what, never the text
     * of messages. For moderators only: the server refuses others ({@code forbidden}).
     *
     * @param limit how many entries at most, 1 to 1000; null for 100
     * @throws IllegalArgumentException when the limit is out of range
     */
    public CompletableFuture<List<ServerMessage.AuditEntry>> auditLog(Integer limit) {
        return safety.auditLog(limit);
    }

    /**
     * A moderator sanctions a member. Completes with the sanction as the server recorded it, with the
     * {@link ServerMessage.SanctionInfo#sanctionId() id} that {@link #liftSanction} needs. The member is shown the
     * sanction and its reason on every device ({@link KindredListener#onSanctioned}). For moderators only: the server
     * refuses others ({@code forbidden}).
     *
     * @param userId          the member's user id
     * @param kind            one of {@link ClientMessage#SANCTION_KINDS}: {@code warn} (the reason is shown, nothing
     *                        else changes), {@code timeout} (read-only everywhere), {@code restrict} (the rooms
     *                        read-only; one-to-one sessions and support still open), {@code room_ban} (out of one
     *                        room), {@code service_ban} (signed out everywhere and refused)
     * @param room            the room, for {@code room_ban}; otherwise null
     * @param reason          why, shown to the member; at most 500 characters
     * @param durationSeconds how long: required for {@code timeout}, 60 to 604800 (one week); for the other kinds at
     *                        least 1, or null for until lifted
     * @throws IllegalArgumentException when the user id or reason is blank, the kind not a known one, the room missing
     *                                  for a room ban, the reason too long or the duration out of range
     */
    public CompletableFuture<ServerMessage.SanctionInfo> sanction(
            String userId, String kind, String room, String reason, Long durationSeconds) {
        return safety.sanction(userId, kind, room, reason, durationSeconds);
    }

    /**
     * A moderator lifts a sanction before it ends. Completes once the server lifted it; the member hears of it through
     * {@link KindredListener#onSanctionLifted}. For moderators only: the server refuses others ({@code forbidden});
     * fails with {@code sanction_not_found} when no sanction with that id is in force (unknown, expired or lifted).
     *
     * @param sanctionId the id from {@link #sanction} (or from the audit log)
     * @param reason     why, at most 500 characters, or null; recorded in the audit log
     * @throws IllegalArgumentException when the sanction id is blank or the reason too long
     */
    public CompletableFuture<Void> liftSanction(String sanctionId, String reason) {
        return safety.liftSanction(sanctionId, reason);
    }

    /**
     * A moderator deletes a message, or an author its own. Completes once the server replaced it with its tombstone; everyone in the room,
     * this client included if it joined the room, then hears of it through {@link KindredListener#onMessageDeleted},
     * and later join and history pages carry the tombstone ({@link ChatMessage#isDeleted()}, empty text). A moderator
     * deletes any message; an author its own (the room then hears no reason and nothing is audited); the server refuses
     * others ({@code forbidden}); fails with {@code room_not_found} for an unknown room and {@code message_not_found}
     * when the room no longer keeps that message.
     *
     * @param room   the room (or one-to-one session) id; it need not be joined
     * @param seq    the message's sequence number in it, at least 1
     * @param reason why, at most 500 characters; for a moderator's deletion shown to the room and recorded in the audit
     *               log
     * @throws IllegalArgumentException when the room id is blank or too long, the sequence number below 1, or the
     *                                  reason blank or too long
     */
    public CompletableFuture<Void> deleteMessage(String room, long seq, String reason) {
        return safety.deleteMessage(room, seq, reason);
    }

    /**
     * Edits this user's own message, within the server's edit window ({@code editWindow}, 15 minutes by default).
     * Completes once the server replaced the text; everyone in the room, this client included, then hears of it through
     * {@link KindredListener#onMessageEdited}, and later join and history pages carry the new text marked edited. The
     * new text is screened as a send is. Fails with {@code forbidden} (someone else's message, or the room's content
     * rules refuse the text), {@code edit_window_closed} (too old: delete it instead), {@code message_not_found} (not
     * kept, or deleted), {@code not_in_room}, {@code sanctioned} or {@code text_too_long}.
     *
     * @param room the joined room (or one-to-one session) id
     * @param seq  the message's sequence number in it, at least 1
     * @param text the new text, not blank
     * @throws IllegalArgumentException when the room id is blank or too long, the sequence number below 1, or the
     *                                  text blank
     */
    public CompletableFuture<Void> editMessage(String room, long seq, String text) {
        return safety.editMessage(room, seq, text);
    }

    /**
     * Blocks a user: from then on neither user receives the other's messages, presence or typing, in any room or
     * session (join and history pages leave the other's messages out too), and they are never matched one to one.
     * Completes once the server recorded it. The blocked user is not told; the block files a report for the
     * moderators. Open to every signed-in user.
     *
     * @param userId  the user to block (for example a message's {@code author().id()}); not this user
     * @param comment what moderators should know (at most 500 characters), or null
     * @throws IllegalArgumentException when the user id is blank or the comment too long
     */
    public CompletableFuture<Void> block(String userId, String comment) {
        return safety.block(userId, comment);
    }

    /**
     * Lifts this user's block of another: new messages, presence and typing of each other reach both again. Completes
     * once the server recorded it (also when the user was not blocked).
     *
     * @throws IllegalArgumentException when the user id is blank
     */
    public CompletableFuture<Void> unblock(String userId) {
        return safety.unblock(userId);
    }

    /**
     * A moderator reviews a message a room's content rules held ({@link KindredListener#onHeldMessage}). Approved, the
     * message is posted as its author sent it, with the same {@code clientMsgId}, and everyone in the room receives it
     * as a normal message; rejected, it is not posted and its author receives
     * {@link KindredListener#onMessageRejected} with {@code note} as the reason. Completes once the server recorded the
     * review (in the audit log too). For moderators only: the server refuses others ({@code forbidden}); fails with
     * {@code held_not_found} when no held message has that id (unknown, expired, or already reviewed by another
     * moderator).
     *
     * @param heldId  the id from {@link ServerMessage.HeldMessage#heldId()}
     * @param approve true to post the message, false to reject it
     * @param note    at most 500 characters, or null; with a rejection, shown to the author; recorded in the audit log
     * @throws IllegalArgumentException when the held id is blank or the note too long
     */
    public CompletableFuture<Void> reviewHeld(String heldId, boolean approve, String note) {
        return safety.reviewHeld(heldId, approve, note);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Moderator queues, appeals and check-ins (docs/protocol.md#moderator-queues). Every list is for moderators only
    // (others fail with forbidden), paged: pass null as cursor for the first page, then the page's nextCursor() until
    // it is null; limit 1 to 200, or null for 50. Reading a queue is recorded in the audit log.

    /** Messages held for review and not yet reviewed, oldest first, on every node. */
    public CompletableFuture<ServerMessage.HeldMessages> listHeld(String cursor, Integer limit) {
        return safety.listHeld(cursor, limit);
    }

    /** Mentors' private notes about sessions, oldest first. */
    public CompletableFuture<ServerMessage.MentorNotes> listNotes(String cursor, Integer limit) {
        return safety.listNotes(cursor, limit);
    }

    /**
     * Ratings of ended sessions at or below {@code maxRating} (1 to 5, null for 2), oldest first.
     */
    public CompletableFuture<ServerMessage.SessionRatings> listRatings(
            Integer maxRating, String cursor, Integer limit) {
        return safety.listRatings(maxRating, cursor, limit);
    }

    /** Sanctions in force (warnings excluded), oldest first; only one member's when {@code userId} is not null. */
    public CompletableFuture<ServerMessage.Sanctions> listSanctions(String userId, String cursor, Integer limit) {
        return safety.listSanctions(userId, cursor, limit);
    }

    /**
     * One member's moderation history: the audit entries about it, newest first.
     *
     * @param actions only these actions (for example {@code sanction_applied}), or null for all
     * @param since   only entries at or after this time (ms, UTC), or null
     * @param until   only entries before this time (ms, UTC), or null
     */
    public CompletableFuture<ServerMessage.MemberHistoryPage> memberHistory(
            String userId, List<String> actions, Long since, Long until, String cursor, Integer limit) {
        return safety.memberHistory(userId, actions, since, until, cursor, limit);
    }

    /**
     * This member appeals one of its sanctions still in force (or a warning), once; completes with the appeal's id.
     * The text is screened for crisis language like everything a member writes. The decision arrives through
     * {@link KindredListener#onAppealDecided}. Fails with {@code sanction_not_found} (not its own, unknown, lifted or
     * over) or {@code already_appealed}.
     */
    public CompletableFuture<String> appeal(String sanctionId, String text) {
        return safety.appeal(sanctionId, text);
    }

    /** Appeals waiting for a decision, oldest first. */
    public CompletableFuture<ServerMessage.Appeals> listAppeals(String cursor, Integer limit) {
        return safety.listAppeals(cursor, limit);
    }

    /**
     * Decides an appeal: {@code lift} lifts the sanction on every node, otherwise it stands; the member is told, with
     * {@code note}. Fails with {@code appeal_not_found} when it is unknown or another moderator decided it first.
     */
    public CompletableFuture<ServerMessage.AppealDecided> decideAppeal(String appealId, boolean lift, String note) {
        return safety.decideAppeal(appealId, lift, note);
    }

    /**
     * The moderator who acknowledged a crisis alert offers its author a private check-in; the member receives
     * {@link KindredListener#onCheckInOffer}. If it accepts, both receive {@link KindredListener#onSessionStarted}
     * (condition {@code check_in}); if it declines, {@link KindredListener#onCheckInDeclined}. Fails with
     * {@code alert_not_found}, or {@code forbidden} when this moderator did not acknowledge the alert.
     */
    public CompletableFuture<ServerMessage.CheckInSent> checkIn(String alertId) {
        return safety.checkIn(alertId);
    }

    /**
     * The member answers a moderator's check-in: accepted, completes with the session that starts (a one-to-one session
     * with the moderator, private like support); declined, with empty. Fails with {@code check_in_not_found}.
     */
    public CompletableFuture<java.util.Optional<ServerMessage.SessionStarted>> answerCheckIn(
            String checkInId, boolean accept) {
        return safety.answerCheckIn(checkInId, accept);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Rooms made at run time (moderators only; docs/protocol.md, "Rooms made at run time")

    /**
     * A moderator makes a room, listed on every node within a second. Completes with the room as stored. Fails with
     * {@code forbidden} for other roles, {@code room_exists} when the id is taken (in the configuration file too) and
     * {@code invalid_field} for a bad id (or one of a session {@code s-} or meeting {@code g-}) or setting.
     *
     * @throws IllegalArgumentException when the id or the title is missing or blank
     */
    public CompletableFuture<ManagedRoom> createRoom(String room, RoomSettings settings) {
        if (settings == null) {
            throw new IllegalArgumentException("missing field 'settings'");
        }
        ClientMessage.CreateRoom command = validate(() -> new ClientMessage.CreateRoom(
                nextRef(),
                room,
                settings.title(),
                settings.description(),
                settings.tags(),
                settings.writers(),
                settings.rules(),
                settings.presence(),
                settings.audience()));
        return call(command, ServerMessage.RoomManaged.class, ServerMessage.RoomManaged::room);
    }

    /**
     * A moderator edits a room made at run time, archived or not: the settings given replace the room's. Fails with
     * {@code room_not_found}, {@code forbidden} (also for a room of the configuration file) or {@code invalid_field}.
     */
    public CompletableFuture<ManagedRoom> editRoom(String room, RoomSettings changes) {
        if (changes == null) {
            throw new IllegalArgumentException("missing field 'changes'");
        }
        ClientMessage.EditRoom command = validate(() -> new ClientMessage.EditRoom(
                nextRef(),
                room,
                changes.title(),
                changes.description(),
                changes.tags(),
                changes.writers(),
                changes.rules(),
                changes.presence(),
                changes.audience()));
        return call(command, ServerMessage.RoomManaged.class, ServerMessage.RoomManaged::room);
    }

    /**
     * A moderator archives a room made at run time: its members read a system message and are taken out; it is no
     * longer listed nor joinable; its history is kept.
     */
    public CompletableFuture<ManagedRoom> archiveRoom(String room) {
        ClientMessage.ArchiveRoom command = validate(() -> new ClientMessage.ArchiveRoom(nextRef(), room));
        return call(command, ServerMessage.RoomManaged.class, ServerMessage.RoomManaged::room);
    }

    /** A moderator restores an archived room: listed and joinable again, with its history. */
    public CompletableFuture<ManagedRoom> restoreRoom(String room) {
        ClientMessage.RestoreRoom command = validate(() -> new ClientMessage.RestoreRoom(nextRef(), room));
        return call(command, ServerMessage.RoomManaged.class, ServerMessage.RoomManaged::room);
    }

    /** Every room made at run time, archived ones too, oldest first (moderators only). */
    public CompletableFuture<List<ManagedRoom>> listManagedRooms() {
        return call(
                new ClientMessage.ListManagedRooms(nextRef()),
                ServerMessage.ManagedRoomList.class,
                ServerMessage.ManagedRoomList::rooms);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Facilitated group sessions

    /**
     * A facilitator (or a moderator) schedules a group session. Completes with the group as the server created it;
     * its {@link GroupInfo#room() room} is the room of its first meeting. The creator becomes its first facilitator.
     * Fails with {@code forbidden} for other roles and {@code invalid_field} when the start is in the past.
     *
     * @param schedule the group's settings, from {@link GroupSchedule#of}; times are sent in UTC, to the second
     * @throws IllegalArgumentException when a setting is missing or out of range (for example a duration that is not
     *                                  whole minutes, or not 10 to 480 minutes)
     */
    public CompletableFuture<GroupInfo> createGroup(GroupSchedule schedule) {
        return groups.createGroup(schedule);
    }

    /**
     * A facilitator of the group (or a moderator) changes it. Only the settings given change (start from
     * {@link GroupSchedule#changes()}); a meeting in progress keeps its times, and changes of start, duration,
     * recurrence and zone apply from the next meeting. Registered members receive {@link KindredListener#onGroupChanged}.
     * Completes with the group as it now is.
     *
     * @throws IllegalArgumentException when the group id is blank or a setting is out of range
     */
    public CompletableFuture<GroupInfo> updateGroup(String groupId, GroupSchedule changes) {
        return groups.updateGroup(groupId, changes);
    }

    /**
     * A facilitator of the group (or a moderator) cancels every meeting of the group. Registered members and those in
     * the current meeting receive {@link KindredListener#onGroupChanged} with the reason. Completes with the group,
     * now in phase {@code cancelled}.
     *
     * @param reason why, shown to members, at most 500 characters
     * @throws IllegalArgumentException when the group id or reason is blank, or the reason too long
     */
    public CompletableFuture<GroupInfo> cancelGroup(String groupId, String reason) {
        return groups.cancelGroup(groupId, reason);
    }

    /**
     * A facilitator of a weekly group (or a moderator) cancels one meeting; the others take place. Completes with the
     * group, which then shows its next meeting. Fails with {@code invalid_field} when no meeting starts then.
     *
     * @param occurrence the start of the meeting to skip, as in {@link GroupInfo#startsAt()}
     * @param reason     why, shown to members, at most 500 characters
     * @throws IllegalArgumentException when the group id or reason is blank, the occurrence missing, or the reason too
     *                                  long
     */
    public CompletableFuture<GroupInfo> cancelMeeting(String groupId, Instant occurrence, String reason) {
        return groups.cancelMeeting(groupId, occurrence, reason);
    }

    /**
     * The group sessions whose next meeting has not ended, soonest first, each saying whether this user is
     * registered.
     *
     * @param topic only groups about this topic; null for all
     */
    public CompletableFuture<List<GroupInfo>> listGroups(String topic) {
        return groups.listGroups(topic);
    }

    /**
     * Registers this user for a group (every meeting of a weekly one): it then receives
     * {@link KindredListener#onGroupReminder reminders} and {@link KindredListener#onGroupChanged changes}, and may
     * enter a group that requires registration. Registering twice is harmless. Completes with the group. Fails with
     * {@code group_full} when registrations are capped and full, {@code group_not_found} or {@code group_closed}.
     *
     * @throws IllegalArgumentException when the group id is blank
     */
    public CompletableFuture<GroupInfo> registerGroup(String groupId) {
        return groups.registerGroup(groupId);
    }

    /**
     * Withdraws this user's registration, freeing its place. Completes with the group.
     *
     * @throws IllegalArgumentException when the group id is blank
     */
    public CompletableFuture<GroupInfo> unregisterGroup(String groupId) {
        return groups.unregisterGroup(groupId);
    }

    /**
     * A facilitator opens the current meeting: members in its lobby may post. Allowed once the lobby is open
     * ({@code group_not_open} before); opening twice is harmless. Everyone in the room receives a new
     * {@link KindredListener#onGroupState state}.
     *
     * @throws IllegalArgumentException when the group id is blank
     */
    public CompletableFuture<Void> openGroup(String groupId) {
        return groups.openGroup(groupId);
    }

    /**
     * A facilitator closes the current meeting: nobody may post any more, members may stay and read, and its
     * attendance is final. A weekly group's next meeting becomes current.
     *
     * @throws IllegalArgumentException when the group id is blank
     */
    public CompletableFuture<Void> closeGroup(String groupId) {
        return groups.closeGroup(groupId);
    }

    /**
     * A facilitator changes how the current meeting's chat runs; a null argument leaves that setting as it is.
     * Facilitators are exempt from all three.
     *
     * @param locked    true: only facilitators post (members' sends fail with {@code chat_locked})
     * @param slowMode  one message per member per this period, whole seconds up to an hour
     *                  (sends fail with {@code slow_mode}); {@link Duration#ZERO} turns it off
     * @param floorOnly true: while a member holds the floor, other members' sends fail with {@code not_your_turn}
     * @throws IllegalArgumentException when the group id is blank, every setting is null, or the slow mode is not
     *                                  whole seconds or over an hour
     */
    public CompletableFuture<Void> setGroupChat(String groupId, Boolean locked, Duration slowMode, Boolean floorOnly) {
        return groups.setGroupChat(groupId, locked, slowMode, floorOnly);
    }

    /**
     * A facilitator mutes a participant of the current meeting: it may read but its sends, typing and raised hand are
     * refused ({@code muted}); its hand is lowered. It applies on entry when the user is not in the meeting yet.
     * Fails with {@code invalid_field} for a facilitator.
     *
     * @throws IllegalArgumentException when the group or user id is blank
     */
    public CompletableFuture<Void> mute(String groupId, String userId) {
        return groups.mute(groupId, userId, true);
    }

    /**
     * A facilitator lets a muted participant post again.
     *
     * @throws IllegalArgumentException when the group or user id is blank
     */
    public CompletableFuture<Void> unmute(String groupId, String userId) {
        return groups.mute(groupId, userId, false);
    }

    /**
     * A facilitator takes a participant out of the current meeting, on every device: it receives
     * {@link KindredListener#onRemovedFromGroup}. Without a ban it may enter again; with one it may not enter any
     * meeting of this group (also when it is not present now).
     *
     * @param reason why, shown to the participant, at most 500 characters
     * @throws IllegalArgumentException when the group id, user id or reason is blank, or the reason too long
     */
    public CompletableFuture<Void> removeParticipant(String groupId, String userId, boolean ban, String reason) {
        return groups.removeParticipant(groupId, userId, ban, reason);
    }

    /**
     * A facilitator of the group (or a moderator) lets a member it banned ({@link #removeParticipant} with a ban) come
     * back to the group's meetings; at any time, meeting or not.
     *
     * @throws IllegalArgumentException when an id is blank
     */
    public CompletableFuture<Void> liftGroupBan(String groupId, String userId) {
        return groups.liftGroupBan(groupId, userId);
    }

    /**
     * This user chooses to only listen in the current meeting (or stops): meanwhile its sends, typing and raised hand
     * are refused ({@code listen_only}); turning it on lowers its hand and gives back the floor.
     *
     * @throws IllegalArgumentException when the group id is blank
     */
    public CompletableFuture<Void> listenOnly(String groupId, boolean on) {
        return groups.listenOnly(groupId, on);
    }

    /**
     * A facilitator pins a message of the current meeting above its chat, in place of what was pinned. Fails with
     * {@code message_not_found} when the meeting's room has no such message.
     *
     * @param seq the message's sequence number in the meeting's room, at least 1
     * @throws IllegalArgumentException when the group id is blank or the sequence number below 1
     */
    public CompletableFuture<Void> pin(String groupId, long seq) {
        return groups.pin(groupId, seq);
    }

    /**
     * A facilitator pins the group's rules above the chat (as each meeting's lobby does by default). Fails with
     * {@code invalid_field} when the group has no rules.
     *
     * @throws IllegalArgumentException when the group id is blank
     */
    public CompletableFuture<Void> pinRules(String groupId) {
        return groups.pin(groupId, null);
    }

    /**
     * A facilitator takes down what is pinned.
     *
     * @throws IllegalArgumentException when the group id is blank
     */
    public CompletableFuture<Void> unpin(String groupId) {
        return groups.unpin(groupId);
    }

    /**
     * This member asks to speak: it joins the end of the queue ({@link ServerMessage.GroupState#hands()}); raising it
     * twice is harmless. Refused in the lobby ({@code group_not_open}), when muted, listening only, or holding the
     * floor, and for facilitators.
     *
     * @throws IllegalArgumentException when the group id is blank
     */
    public CompletableFuture<Void> raiseHand(String groupId) {
        return groups.raiseHand(groupId, true);
    }

    /**
     * This member leaves the queue to speak.
     *
     * @throws IllegalArgumentException when the group id is blank
     */
    public CompletableFuture<Void> lowerHand(String groupId) {
        return groups.raiseHand(groupId, false);
    }

    /**
     * A facilitator gives the floor to a participant present in the meeting, in place of whoever held it, for the
     * server's floor time; the participant leaves the queue. Fails with {@code invalid_field} when it is not present.
     *
     * @throws IllegalArgumentException when the group or user id is blank or missing
     */
    public CompletableFuture<Void> giveFloor(String groupId, String userId) {
        return groups.giveFloor(groupId, userId);
    }

    /**
     * A facilitator gives the floor to the first raised hand. Fails with {@code invalid_field} when no hand is
     * raised.
     *
     * @throws IllegalArgumentException when the group id is blank
     */
    public CompletableFuture<Void> giveFloorToNext(String groupId) {
        return groups.giveFloorToNext(groupId);
    }

    /**
     * A facilitator takes the floor back: nobody holds it.
     *
     * @throws IllegalArgumentException when the group id is blank
     */
    public CompletableFuture<Void> takeFloor(String groupId) {
        return groups.takeFloor(groupId);
    }

    /**
     * A facilitator of the group (or a moderator) reads who attended its latest meeting that opened (or the current
     * one): members only, by pseudonym, in order of arrival, with the time each was present while it was open.
     *
     * @throws IllegalArgumentException when the group id is blank
     */
    public CompletableFuture<ServerMessage.Attendance> attendance(String groupId) {
        return groups.latestAttendance(groupId);
    }

    /**
     * A facilitator of the group (or a moderator) reads who attended one meeting (of the group's last 52).
     *
     * @param occurrence the meeting's start, as in {@link GroupInfo#startsAt()}
     * @throws IllegalArgumentException when the group id is blank or the occurrence missing
     */
    public CompletableFuture<ServerMessage.Attendance> attendance(String groupId, Instant occurrence) {
        return groups.attendance(groupId, occurrence);
    }

    /**
     * How a group meeting this client joined runs now: the latest {@link ServerMessage.GroupState} the server sent for
     * the room (on entry and after every change). Empty when the room is not a group meeting, not joined, was left, or
     * this user was removed from it.
     *
     * @param room the meeting's room, as in {@link GroupInfo#room()}
     */
    public Optional<ServerMessage.GroupState> groupState(String room) {
        return Optional.ofNullable(room).map(groupStates::get);
    }

    /**
     * Closes the session for good: sends a normal close frame, stops reconnecting, fails every pending future with
     * {@link KindredException#CLIENT_CLOSED} and releases the client's threads. Waits at most about a second for the
     * close frame to go out. Calling it again does nothing.
     */
    @Override
    public void close() {
        CompletableFuture<Void> flushed = new CompletableFuture<>();
        try {
            loop.execute(() -> shutDown(flushed));
        } catch (RejectedExecutionException alreadyClosed) {
            return;
        }
        if (Thread.currentThread() != loopThread) {
            flushed.completeOnTimeout(null, CLOSE_GRACE.toMillis() * 2, TimeUnit.MILLISECONDS)
                    .join();
        }
        loop.shutdown();
        if (ownedEvents != null) {
            ownedEvents.shutdown();
        }
        http.shutdownNow();
    }

    @Override
    public String toString() {
        return "KindredClient{urls=" + urls + ", reconnect=" + reconnect + ", pingInterval=" + pingInterval
                + ", requestTimeout=" + requestTimeout + ", maxSendAttempts=" + maxSendAttempts + '}';
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Connection life cycle (loop thread)

    private void openConnection() {
        reconnectTimer = null;
        long gen = ++generation;
        URI url = urls.get(urlIndex);
        String token;
        try {
            token = Objects.requireNonNull(tokenSupplier.get(), "the token supplier returned null");
            liveToken = token;
        } catch (RuntimeException e) {
            log.warn("token supplier failed: {}", e.toString());
            connectionEnded(gen, CLOSE_ABNORMAL, "token supplier failed", e);
            return;
        }
        log.debug("connecting to {}", url);
        WebSocketConnection.open(http, url, requestTimeout, new ConnectionEvents(gen))
                .whenComplete((opened, error) -> onLoop(() -> {
                    if (gen != generation) {
                        if (opened != null) {
                            opened.abort();
                        }
                    } else if (error != null) {
                        Throwable cause = unwrap(error);
                        connectionEnded(gen, CLOSE_ABNORMAL, cause.toString(), cause);
                    } else {
                        connection = opened;
                        request(
                                        new ClientMessage.Hello(
                                                nextRef(),
                                                token,
                                                ProtocolVersion.CURRENT,
                                                invisible ? true : null,
                                                language),
                                        Welcome.class)
                                .whenComplete((welcomed, helloError) -> welcomed(gen, welcomed, helloError));
                    }
                }));
    }

    private void welcomed(long gen, Welcome welcomed, Throwable error) {
        if (gen != generation) {
            return;
        }
        if (error != null) {
            Throwable cause = unwrap(error);
            Optional<ServerMessage.Error> refusal =
                    cause instanceof KindredException k && !k.retryable() ? k.serverError() : Optional.empty();
            connectionEnded(
                    gen,
                    refusal.map(KindredClient::closeCodeFor).orElse(CLOSE_ABNORMAL),
                    refusal.map(ServerMessage.Error::code).orElse("no welcome: " + cause.getMessage()),
                    cause);
            return;
        }
        welcome = welcomed;
        startPings(gen, welcomed);
        scheduleRefresh(gen, tokenExpiry(liveToken));
        if (state == State.CONNECTING) {
            becomeReady();
        } else {
            state = State.RESUMING;
            restoreAvailability(gen);
            rejoinRooms(gen);
        }
    }

    /** Sets the mentor's availability again after a reconnect, if the app had set one. */
    private void restoreAvailability(long gen) {
        support.availabilityToRestore(nextRef())
                .ifPresent(command -> request(command, Availability.class).whenComplete((availability, error) -> {
                    if (gen != generation) {
                        return; // dropped again: sent again after the next reconnect
                    }
                    if (error == null) {
                        emit(l -> l.onAvailabilityRestored(availability));
                    } else if (SupportCommands.isRefusal(error)) {
                        support.restoreRefused(command);
                        ServerMessage.Error refusal =
                                ((KindredException) unwrap(error)).serverError().orElseThrow();
                        emit(l -> l.onError(refusal));
                    } else {
                        log.warn(
                                "could not set the availability again: {}",
                                unwrap(error).getMessage());
                    }
                }));
    }

    private void rejoinRooms(long gen) {
        Map<String, RoomCursor> cursors = rooms.cursors();
        rejoinsLeft = cursors.size();
        if (rejoinsLeft == 0) {
            becomeReady();
            return;
        }
        cursors.forEach((room, cursor) -> request(
                        new ClientMessage.Join(nextRef(), room, cursor.lastSeq(), cursor.epoch()), Joined.class)
                .whenComplete((joined, error) -> rejoined(gen, room, joined, error)));
    }

    private void rejoined(long gen, String room, Joined joined, Throwable error) {
        if (gen != generation) {
            return;
        }
        if (error == null) {
            JoinOutcome outcome = rooms.joined(joined);
            deliver(outcome);
            emit(l -> l.onResumed(room, outcome.recovered()));
            var unused = loadEveryMember(joined);
        } else if (unwrap(error) instanceof KindredException k
                && k.serverError().isPresent()
                && !k.retryable()) {
            log.warn("could not re-join room {}: {}", room, k.code());
            forgetRoom(room);
            emit(l -> l.onError(k.serverError().get()));
        } else {
            // Without this room the session is incomplete: start over on a new connection.
            connectionEnded(
                    gen, CLOSE_ABNORMAL, "re-join failed: " + unwrap(error).getMessage(), unwrap(error));
            return;
        }
        if (--rejoinsLeft == 0) {
            becomeReady();
        }
    }

    private void becomeReady() {
        state = State.READY;
        reconnectAttempts = 0;
        Welcome current = welcome;
        emit(l -> l.onConnected(current));
        connectWaiters.forEach(waiter -> complete(waiter, current));
        connectWaiters.clear();
        cancelSendRetry();
        pump();
    }

    /**
     * The current connection ended: closed by the server, failed, or abandoned by the client. Decides whether to try
     * the next URL, reconnect after a backoff, or give up.
     */
    private void connectionEnded(long gen, int code, String reason, Throwable cause) {
        if (gen != generation || state == State.CLOSED) {
            return;
        }
        generation++;
        if (connection != null) {
            connection.abort();
            connection = null;
        }
        cancel(pingTimer);
        cancel(refreshTimer);
        boolean terminal = !CloseCode.shouldReconnect(code);
        boolean wasUp = state == State.READY || state == State.RESUMING;
        log.debug("connection ended: {} {}", code, reason);
        pending.failAll(KindredException.connectionClosed(code, reason, !terminal));
        urlIndex = (urlIndex + 1) % urls.size();
        KindredException failure = cause instanceof KindredException k
                ? k
                : terminal
                        ? KindredException.connectionClosed(code, reason, false)
                        : KindredException.connectFailed(code, reason, cause);
        if (state == State.CONNECTING) {
            if (!terminal && ++urlsTried < urls.size()) {
                openConnection();
            } else {
                giveUp(failure);
            }
            return;
        }
        Optional<Duration> delay = terminal ? Optional.empty() : reconnect.delay(reconnectAttempts++, random);
        if (wasUp || delay.isEmpty()) {
            emit(l -> l.onDisconnected(code, reason, delay.isPresent()));
        }
        if (delay.isEmpty()) {
            giveUp(failure);
            return;
        }
        state = State.RECONNECTING;
        cancelSendRetry();
        outbox.requeueAll();
        log.debug("reconnecting in {}", delay.get());
        reconnectTimer = loop.schedule(this::openConnection, delay.get().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops the session: back to {@link State#IDLE}, every waiting future fails. */
    private void giveUp(KindredException failure) {
        state = State.IDLE;
        failSession(failure);
    }

    private void shutDown(CompletableFuture<Void> flushed) {
        if (state == State.CLOSED) {
            flushed.complete(null);
            return;
        }
        boolean hadSession = state == State.READY || state == State.RESUMING || state == State.RECONNECTING;
        state = State.CLOSED;
        generation++;
        cancel(pingTimer);
        cancel(refreshTimer);
        cancel(reconnectTimer);
        KindredException closed = KindredException.clientClosed();
        pending.failAll(closed);
        failSession(closed);
        if (hadSession) {
            emit(l -> l.onDisconnected(CLOSE_NORMAL, "client closed", false));
        }
        WebSocketConnection open = connection;
        connection = null;
        if (open == null) {
            flushed.complete(null);
        } else {
            open.close(CLOSE_NORMAL, "client closed")
                    .completeOnTimeout(null, CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS)
                    .whenComplete((ignored, error) -> {
                        open.abort();
                        flushed.complete(null);
                    });
        }
    }

    private void failSession(KindredException failure) {
        outbox.drain().forEach(send -> fail(send.future, failure));
        connectWaiters.forEach(waiter -> fail(waiter, failure));
        connectWaiters.clear();
        rooms.clear();
        groupStates.clear();
        support.forgetAvailability();
    }

    private void startPings(long gen, Welcome welcomed) {
        long interval = pingInterval.toMillis();
        long idle = welcomed.limits().idleTimeoutMillis();
        if (idle > 0 && interval >= idle) {
            interval = Math.max(1, idle / 2);
        }
        pingTimer = loop.scheduleAtFixedRate(
                () -> {
                    if (gen == generation && sessionOpen()) {
                        request(new ClientMessage.Ping(nextRef()), Pong.class).whenComplete((pong, error) -> {
                            if (unwrap(error) instanceof KindredException k
                                    && k.code().equals(KindredException.TIMEOUT)) {
                                connectionEnded(gen, CLOSE_ABNORMAL, "no pong in time", k);
                            }
                        });
                    }
                },
                interval,
                interval,
                TimeUnit.MILLISECONDS);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Frames and commands (loop thread)

    /** Receives the events of one connection and hands them to the loop thread. */
    private final class ConnectionEvents implements WebSocketConnection.Handler {
        private final long gen;

        ConnectionEvents(long gen) {
            this.gen = gen;
        }

        @Override
        public void onText(String text) {
            onLoop(() -> received(gen, text));
        }

        @Override
        public void onClose(int code, String reason) {
            onLoop(() -> connectionEnded(gen, code, reason, null));
        }

        @Override
        public void onFailure(Throwable error) {
            onLoop(() -> connectionEnded(gen, CLOSE_ABNORMAL, error.toString(), error));
        }
    }

    private void received(long gen, String text) {
        if (gen != generation) {
            return;
        }
        ServerMessage message;
        try {
            message = codec.decodeServer(text);
        } catch (DecodeException e) {
            log.warn("ignoring a frame that does not decode: {} ({})", e.code().wire(), e.getMessage());
            return;
        }
        switch (message) {
            case ChatMessage m -> {
                if (rooms.accept(m)) {
                    emit(l -> l.onMessage(m));
                }
            }
            case ServerMessage.MessageDeleted e -> emit(l -> l.onMessageDeleted(e));
            case ServerMessage.MessageEdited e -> emit(l -> l.onMessageEdited(e));
            case ServerMessage.PresenceJoined e -> {
                presenceLists.arrived(e.room(), e.user(), e.online());
                emit(l -> l.onPresenceJoined(e));
            }
            case ServerMessage.PresenceLeft e -> {
                presenceLists.left(e.room(), e.user(), e.online());
                emit(l -> l.onPresenceLeft(e));
            }
            case ServerMessage.PresenceDiff e -> {
                presenceLists.diff(e);
                emit(l -> l.onPresenceDiff(e));
            }
            case ServerMessage.PresenceCount e -> {
                presenceLists.counted(e);
                emit(l -> l.onPresenceCount(e));
            }
            case ServerMessage.Presence r -> {
                presenceLists.page(r);
                reply(r.ref(), r);
            }
            case ServerMessage.TypingEvent e -> emit(l -> l.onTyping(e));
            case ServerMessage.Error e -> {
                if (e.ref() == null || !pending.fail(e.ref(), KindredException.of(e))) {
                    emit(l -> l.onError(e));
                }
            }
            case Welcome r -> reply(r.ref(), r);
            case RoomList r -> reply(r.ref(), r);
            case Joined r -> {
                presenceLists.joined(r);
                reply(r.ref(), r);
            }
            case Left r -> reply(r.ref(), r);
            case Ack r -> reply(r.ref(), r);
            case History r -> reply(r.ref(), r);
            case Pong r -> reply(r.ref(), r);
            case ServerMessage.Refreshed r -> reply(r.ref(), r);
            case Availability r -> reply(r.ref(), r);
            case SupportQueued r -> replyOrEmit(r.ref(), r, l -> l.onSupportStatus(r));
            case SupportCancelled r -> replyOrEmit(r.ref(), r, l -> l.onSupportCancelled(r));
            case ServerMessage.Done r -> replyOrEmit(r.ref(), r, l -> l.onDone(r));
            case SessionStarted r -> {
                // The accepting mentor's future completes first, then every session start reaches the listener.
                if (r.ref() != null) {
                    pending.complete(r.ref(), r);
                }
                emit(l -> l.onSessionStarted(r));
            }
            case ServerMessage.SupportUnavailable e -> emit(l -> l.onSupportUnavailable(e));
            case ServerMessage.SupportOffer e -> emit(l -> l.onOffer(e));
            case ServerMessage.OfferWithdrawn e -> emit(l -> l.onOfferWithdrawn(e));
            case ServerMessage.SessionInterrupted e -> emit(l -> l.onSessionInterrupted(e));
            case ServerMessage.HandoffProposed e -> emit(l -> l.onHandoffProposed(e));
            case ServerMessage.SessionEnded e -> emit(l -> l.onSessionEnded(e));
            case ServerMessage.CrisisSupport e -> emit(l -> l.onCrisisSupport(e));
            case ServerMessage.Alert e -> emit(l -> l.onAlert(e));
            case ServerMessage.AlertAcked r -> replyOrEmit(r.ref(), r, l -> l.onAlertAcked(r));
            case ServerMessage.ReportReceived r -> reply(r.ref(), r);
            case ServerMessage.ReportFiled e -> emit(l -> l.onReportFiled(e));
            case ServerMessage.Alerts r -> reply(r.ref(), r);
            case ServerMessage.Reports r -> reply(r.ref(), r);
            case ServerMessage.ReportResolved r -> replyOrEmit(r.ref(), r, l -> l.onReportResolved(r));
            case ServerMessage.AuditEntries r -> reply(r.ref(), r);
            case ServerMessage.Sanctioned r -> replyOrEmit(r.ref(), r, l -> l.onSanctioned(r));
            case ServerMessage.SanctionLifted r -> replyOrEmit(r.ref(), r, l -> l.onSanctionLifted(r));
            case ServerMessage.HeldMessage e -> emit(l -> l.onHeldMessage(e));
            case ServerMessage.MessageRejected e -> emit(l -> l.onMessageRejected(e));
            case ServerMessage.HeldMessages r -> reply(r.ref(), r);
            case ServerMessage.MentorNotes r -> reply(r.ref(), r);
            case ServerMessage.SessionRatings r -> reply(r.ref(), r);
            case ServerMessage.Sanctions r -> reply(r.ref(), r);
            case ServerMessage.MemberHistoryPage r -> reply(r.ref(), r);
            case ServerMessage.Appeals r -> reply(r.ref(), r);
            case ServerMessage.AppealReceived r -> reply(r.ref(), r);
            case ServerMessage.CheckInSent r -> reply(r.ref(), r);
            case ServerMessage.AppealDecided r -> replyOrEmit(r.ref(), r, l -> l.onAppealDecided(r));
            case ServerMessage.AppealFiled e -> emit(l -> l.onAppealFiled(e));
            case ServerMessage.CheckInOffer e -> emit(l -> l.onCheckInOffer(e));
            case ServerMessage.CheckInDeclined e -> emit(l -> l.onCheckInDeclined(e));
            case ServerMessage.ReportOutcome e -> emit(l -> l.onReportOutcome(e));
            case ServerMessage.Group r -> reply(r.ref(), r);
            case ServerMessage.GroupList r -> reply(r.ref(), r);
            case ServerMessage.Attendance r -> reply(r.ref(), r);
            case ServerMessage.RoomManaged r -> reply(r.ref(), r);
            case ServerMessage.ManagedRoomList r -> reply(r.ref(), r);
            case ServerMessage.GroupChanged e -> emit(l -> l.onGroupChanged(e));
            case ServerMessage.GroupReminder e -> emit(l -> l.onGroupReminder(e));
            case ServerMessage.GroupState e -> {
                // Only for joined rooms: a state that crosses a leave must not bring the room back.
                if (rooms.cursor(e.room()).isPresent()) {
                    groupStates.put(e.room(), e);
                }
                emit(l -> l.onGroupState(e));
            }
            case ServerMessage.RemovedFromGroup e -> {
                removedFromGroup(e);
                emit(l -> l.onRemovedFromGroup(e));
            }
        }
    }

    /** The room is no longer joined: not re-joined after a reconnect, and its group state is gone. */
    private void forgetRoom(String room) {
        rooms.forget(room);
        presenceLists.forget(room);
        groupStates.remove(room);
    }

    /**
     * The server took this user out of a group meeting and its connections left the room: forget the room (so that a
     * reconnect does not enter it again) and fail its unsent messages, which could never be posted there now.
     */
    private void removedFromGroup(ServerMessage.RemovedFromGroup event) {
        forgetRoom(event.room());
        KindredException removed = KindredException.removedFromGroup(event);
        outbox.removeRoom(event.room()).forEach(send -> fail(send.future, removed));
    }

    /** A frame that answers a command when it carries a pending ref, and is an event otherwise. */
    private void replyOrEmit(String ref, ServerMessage message, Consumer<KindredListener> event) {
        if (ref == null || !pending.complete(ref, message)) {
            emit(event);
        }
    }

    private void reply(String ref, ServerMessage reply) {
        if (ref == null || !pending.complete(ref, reply)) {
            log.debug("no command waits for this {} (ref {})", reply.getClass().getSimpleName(), ref);
        }
    }

    /** Sends a command on the current connection; the future completes on the loop thread with its typed reply. */
    private <T extends ServerMessage> CompletableFuture<T> request(ClientMessage command, Class<T> replyType) {
        CompletableFuture<ServerMessage> reply = pending.register(
                command.ref(), requestTimeout, command.getClass().getSimpleName());
        loop.schedule(pending::expire, requestTimeout.toMillis() + 1, TimeUnit.MILLISECONDS);
        connection.send(codec.encode(command));
        return reply.thenApply(r -> {
            if (!replyType.isInstance(r)) {
                throw KindredException.unexpectedReply(r);
            }
            return replyType.cast(r);
        });
    }

    private <T extends ServerMessage, R> CompletableFuture<R> call(
            ClientMessage command, Class<T> replyType, Function<T, R> result) {
        return call(command, replyType, result, sent -> {});
    }

    private <T extends ServerMessage> CompletableFuture<T> supportCall(
            ClientMessage command, Class<T> replyType, Consumer<Boolean> beforeSend) {
        return call(command, replyType, Function.identity(), beforeSend);
    }

    /** Sends a command if a session is open; {@code beforeSend} first learns, on the loop thread, whether it does. */
    private <T extends ServerMessage, R> CompletableFuture<R> call(
            ClientMessage command, Class<T> replyType, Function<T, R> result, Consumer<Boolean> beforeSend) {
        CompletableFuture<R> future = new CompletableFuture<>();
        onLoop(future, () -> {
            beforeSend.accept(sessionOpen());
            if (!sessionOpen()) {
                fail(future, notConnected());
                return;
            }
            request(command, replyType).whenComplete((reply, error) -> {
                if (error != null) {
                    fail(future, error);
                } else {
                    complete(future, result.apply(reply));
                }
            });
        });
        return future;
    }

    private void transmit(PendingSend send) {
        String ref = nextRef();
        send.ref = ref;
        send.status = Outbox.Status.IN_FLIGHT;
        request(new ClientMessage.Send(ref, send.room, send.clientMsgId, send.text), Ack.class)
                .whenComplete((ack, error) -> sent(send, ref, ack, error));
    }

    private void sent(PendingSend send, String ref, Ack ack, Throwable error) {
        if (!ref.equals(send.ref) || !outbox.contains(send)) {
            return;
        }
        if (error == null) {
            outbox.remove(send);
            complete(send.future, ack);
            pump();
            return;
        }
        Throwable cause = unwrap(error);
        if (cause instanceof KindredException k && k.code().equals(KindredException.CONNECTION_CLOSED)) {
            send.status = Outbox.Status.QUEUED; // sent again once the session is resumed
        } else if (cause instanceof KindredException k
                && k.serverError().isPresent()
                && k.retryable()
                && (mayBeStored(send, k) || ++send.refusals < maxSendAttempts)) {
            // One retry for every refused send, in their original order: sends refused by one outage (or one rate
            // limit) go out again as they were written, not each on its own timer.
            send.status = Outbox.Status.QUEUED;
            if (sendRetry == null) {
                long delay = k.retryAfterMs()
                        .orElseGet(() -> SEND_RETRY_BACKOFF
                                .delay(send.refusals - 1, random)
                                .orElseThrow()
                                .toMillis());
                sendRetry = loop.schedule(this::retrySends, delay, TimeUnit.MILLISECONDS);
            }
        } else {
            outbox.remove(send);
            fail(send.future, cause);
            pump();
        }
    }

    /**
     * Whether this send may have been stored although it was refused: the server answered {@code outcome_unknown} to
     * this or an earlier transmission of it. Such a send is resent with its client message id until it is acknowledged
     * or refused for good, however many times that takes: giving up would report as not sent a message that others may
     * be reading.
     */
    private static boolean mayBeStored(Outbox.PendingSend send, KindredException refusal) {
        if (ErrorCode.OUTCOME_UNKNOWN.wire().equals(refusal.code())) {
            send.mayBeStored = true;
        }
        if (send.mayBeStored) {
            send.refusals++; // for the backoff
        }
        return send.mayBeStored;
    }

    private void retrySends() {
        sendRetry = null;
        pump();
    }

    /**
     * Transmits what may go now: per room, the next send once the previous one is acknowledged, so a member's messages
     * keep their order; nothing while refused sends wait for their retry.
     */
    private void pump() {
        if (state == State.READY && sendRetry == null) {
            outbox.sendable().forEach(this::transmit);
        }
    }

    private void cancelSendRetry() {
        cancel(sendRetry);
        sendRetry = null;
    }

    private void deliver(JoinOutcome outcome) {
        for (ChatMessage message : outcome.toDeliver()) {
            emit(l -> l.onMessage(message));
        }
    }

    private boolean sessionOpen() {
        return state == State.READY || state == State.RESUMING;
    }

    private KindredException notConnected() {
        return state == State.CLOSED ? KindredException.clientClosed() : KindredException.notConnected();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Threads

    private void onLoop(Runnable task) {
        try {
            loop.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.error("unexpected failure in the Kindred client", e);
                }
            });
        } catch (RejectedExecutionException closed) {
            log.debug("client closed, event dropped");
        }
    }

    private void onLoop(CompletableFuture<?> result, Runnable task) {
        try {
            loop.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.error("unexpected failure in the Kindred client", e);
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException closed) {
            result.completeExceptionally(KindredException.clientClosed());
        }
    }

    private void emit(Consumer<KindredListener> event) {
        dispatch(() -> {
            try {
                event.accept(listener);
            } catch (RuntimeException e) {
                log.warn("a KindredListener callback threw", e);
            }
        });
    }

    private <T> void complete(CompletableFuture<T> future, T value) {
        dispatch(() -> future.complete(value));
    }

    private void fail(CompletableFuture<?> future, Throwable error) {
        Throwable cause = unwrap(error);
        dispatch(() -> future.completeExceptionally(cause));
    }

    /** Runs a task on the callback executor, in submission order; inline if the executor refuses it. */
    private void dispatch(Runnable task) {
        try {
            events.execute(task);
        } catch (RejectedExecutionException e) {
            task.run();
        }
    }

    private String nextRef() {
        return "r" + refs.incrementAndGet();
    }

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    private static <T extends ClientMessage> T validate(Supplier<T> command) {
        try {
            return command.get();
        } catch (InvalidMessageException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The close code reported when the server refused {@code hello}: the terminal code that matches the error. */
    private static int closeCodeFor(ServerMessage.Error error) {
        return error.errorCode()
                .map(code -> switch (code) {
                    case TOKEN_EXPIRED -> CloseCode.TOKEN_EXPIRED.code();
                    case SANCTIONED -> CloseCode.BANNED.code();
                    case UNSUPPORTED_VERSION,
                            ALREADY_AUTHENTICATED,
                            BAD_JSON,
                            UNKNOWN_TYPE,
                            MISSING_FIELD,
                            INVALID_FIELD -> CloseCode.PROTOCOL_VIOLATION.code();
                    default -> CloseCode.AUTH_FAILED.code();
                })
                .orElse(CloseCode.AUTH_FAILED.code());
    }

    // ---------------------------------------------------------------------------------------------------------------

    /**
     * Builds a {@link KindredClient}. Essentials: {@link #url} or {@link #urls}, {@link #token} or
     * {@link #tokenSupplier}, {@link #listener}. The rest has defaults.
     */
    public static final class Builder {
        private List<URI> urls = List.of();
        private Supplier<String> tokenSupplier;
        private boolean invisible;
        private String language;
        private KindredListener listener = new KindredListener() {};
        private ReconnectPolicy reconnect = ReconnectPolicy.defaults();
        private Duration pingInterval = DEFAULT_PING_INTERVAL;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private int maxSendAttempts = DEFAULT_MAX_SEND_ATTEMPTS;
        private Executor executor;
        private RandomGenerator random;
        private boolean exactPresence;

        private Builder() {}

        /**
         * Whether {@link KindredClient#members} keeps every member of each joined room: the client then asks for every
         * page of a large room's members on join (one {@code presence} command per page) and applies the presence
         * events to the full list. Default false: the count, the first members the join reply lists (everyone in a
         * small room) and the changes since, at no extra cost.
         */
        public Builder exactPresence(boolean exactPresence) {
            this.exactPresence = exactPresence;
            return this;
        }

        /** The server's WebSocket URL, for example {@code wss://chat.example.org/ws}. Required (or {@link #urls}). */
        public Builder url(URI url) {
            return urls(List.of(Objects.requireNonNull(url, "url")));
        }

        /**
         * Several URLs of the same service. The client connects to the first; when a connection fails or drops it
         * tries the next, round-robin. Required (or {@link #url}).
         */
        public Builder urls(List<URI> urls) {
            Objects.requireNonNull(urls, "urls");
            for (URI url : urls) {
                Objects.requireNonNull(url, "urls: " + urls + " (expected: no null)");
            }
            this.urls = List.copyOf(urls);
            return this;
        }

        /** A fixed token (a signed JWT). Required (or {@link #tokenSupplier}). */
        public Builder token(String token) {
            Objects.requireNonNull(token, "token");
            return tokenSupplier(() -> token);
        }

        /**
         * Where to get a token; called on every (re)connect, on the client's thread, so it should answer quickly
         * (return a cached token refreshed elsewhere). Required (or {@link #token}).
         */
        public Builder tokenSupplier(Supplier<String> tokenSupplier) {
            this.tokenSupplier = Objects.requireNonNull(tokenSupplier, "tokenSupplier");
            return this;
        }

        /**
         * Whether to be invisible: the user reads and posts, but is neither listed nor counted in any room's presence,
         * and its typing is not shown (hello's {@code invisible}; every reconnect asks again). Default false.
         */
        public Builder invisible(boolean invisible) {
            this.invisible = invisible;
            return this;
        }

        /**
         * The language the user reads, a BCP 47 tag such as {@code fr} or {@code fr-CA} (hello's {@code language};
         * every reconnect names it again): the server writes its own texts — error messages, crisis support, a
         * report's outcome — in it when it has them, and picks crisis lines by its region. Default none: the token's
         * {@code locale} claim, else the server's default (English).
         *
         * @throws IllegalArgumentException if the tag is not a BCP 47 tag with a two- or three-letter language
         */
        public Builder language(String language) {
            Objects.requireNonNull(language, "language");
            this.language = org.kindred.protocol.LanguageTags.canonical(language)
                    .orElseThrow(() -> new IllegalArgumentException(
                            "language: '" + language + "' (expected: a BCP 47 language tag such as fr or fr-CA)"));
            return this;
        }

        /** The language the user reads, as a {@link java.util.Locale} ({@code Locale.CANADA_FRENCH}); see above. */
        public Builder language(java.util.Locale locale) {
            return language(Objects.requireNonNull(locale, "locale").toLanguageTag());
        }

        /** Receives the client's events. Default: a listener that ignores everything. */
        public Builder listener(KindredListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * When to reconnect after an unexpected close. Default {@link ReconnectPolicy#defaults()}: 200 ms doubling up
         * to 10 s, with full jitter, forever. {@link ReconnectPolicy#none()} never reconnects.
         */
        public Builder reconnect(ReconnectPolicy reconnect) {
            this.reconnect = Objects.requireNonNull(reconnect, "reconnect");
            return this;
        }

        /**
         * How often to send {@code ping}, which keeps the connection from idling out and detects a dead one (no pong
         * within the request timeout). Shortened to half the server's idle timeout when that is smaller. Default
         * {@link #DEFAULT_PING_INTERVAL 20 s}.
         */
        public Builder pingInterval(Duration pingInterval) {
            this.pingInterval = Objects.requireNonNull(pingInterval, "pingInterval");
            return this;
        }

        /**
         * How long a command waits for its reply, and a connection attempt for its handshake. Default
         * {@link #DEFAULT_REQUEST_TIMEOUT 10 s}.
         */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
            return this;
        }

        /**
         * How many times in all a send is transmitted when the server refuses it with a retryable error. Resending
         * after a reconnect does not count, and a send the server answered {@code outcome_unknown} is resent until it
         * is acknowledged, beyond this limit. Default {@link #DEFAULT_MAX_SEND_ATTEMPTS 5}.
         */
        public Builder maxSendAttempts(int maxSendAttempts) {
            this.maxSendAttempts = maxSendAttempts;
            return this;
        }

        /**
         * Where listener callbacks and future completions run. They are submitted in order; use a single-threaded
         * executor to see them in order. Default: one thread owned by the client, stopped by {@link #close()}.
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** The source of reconnect jitter, for reproducible tests. Default {@link RandomGenerator#getDefault()}. */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * Checks the settings and builds a client, not yet connected.
         *
         * @throws IllegalArgumentException naming the first setting that is missing or out of range
         */
        public KindredClient build() {
            if (urls.isEmpty()) {
                throw new IllegalArgumentException("urls: [] (expected: at least one)");
            }
            for (URI url : urls) {
                String scheme = url.getScheme();
                if (!"ws".equalsIgnoreCase(scheme) && !"wss".equalsIgnoreCase(scheme)) {
                    throw new IllegalArgumentException("url: " + url + " (expected: a ws:// or wss:// URL)");
                }
            }
            if (tokenSupplier == null) {
                throw new IllegalArgumentException("token: none (expected: token(String) or tokenSupplier(Supplier))");
            }
            requirePositive(pingInterval, "pingInterval");
            requirePositive(requestTimeout, "requestTimeout");
            if (maxSendAttempts < 1) {
                throw new IllegalArgumentException("maxSendAttempts: " + maxSendAttempts + " (expected: >= 1)");
            }
            return new KindredClient(this);
        }

        private static void requirePositive(Duration duration, String name) {
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(name + ": " + duration + " (expected: > 0)");
            }
        }
    }
}
