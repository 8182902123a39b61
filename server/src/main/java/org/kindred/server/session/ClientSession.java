package org.kindred.server.session;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.kindred.protocol.ClientMessage;
import org.kindred.protocol.CloseCode;
import org.kindred.protocol.DecodeException;
import org.kindred.protocol.ErrorCode;
import org.kindred.protocol.ProtocolVersion;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.ServerMessage.ChatMessage;
import org.kindred.protocol.UserInfo;
import org.kindred.server.config.RoomRule;
import org.kindred.server.connection.Connection;
import org.kindred.server.connection.EncodedFrame;
import org.kindred.server.connection.Refusal;
import org.kindred.server.group.Actor;
import org.kindred.server.group.GroupStore;
import org.kindred.server.identity.Identity;
import org.kindred.server.identity.Role;
import org.kindred.server.limit.TokenBucket;
import org.kindred.server.room.Room;
import org.kindred.server.room.RoomMember;
import org.kindred.server.room.RoomRegistry;
import org.kindred.server.safety.ContentRules;
import org.kindred.server.safety.CrisisDetector;
import org.kindred.server.safety.SanctionKind;
import org.kindred.server.support.SupportStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's session: it authenticates the connection, applies the rate limit and carries out each command.
 *
 * <p>The transport calls it from one thread at a time (the connection's event loop), so it keeps its state in plain
 * fields; work that completes elsewhere (the broker's replies) comes back to that thread through
 * {@link Connection#execute}. Rooms may send to the connection from any thread; that is the connection's concern.
 */
public final class ClientSession {

    private static final Logger LOG = LoggerFactory.getLogger(ClientSession.class);

    private final Connection connection;
    private final SessionContext context;
    private TokenBucket rateLimit;
    /** A member first seen recently: stricter limits, no links or contact details in rooms. */
    private boolean newMember;
    /** Rooms this connection joined, by id, in order of joining. */
    private final Map<String, RoomMember> joined = new LinkedHashMap<>();

    private Identity identity;
    private UserInfo user;
    private boolean closed;

    public ClientSession(Connection connection, SessionContext context) {
        this.connection = connection;
        this.context = context;
        this.rateLimit = new TokenBucket(
                context.config().ratePerSecond(), context.config().rateBurst(), context.nanoTime());
    }

    public boolean isAuthenticated() {
        return identity != null;
    }

    /** A text frame arrived. */
    public void onText(byte[] utf8) {
        if (closed) {
            return;
        }
        ClientMessage message;
        try {
            message = context.codec().decodeClient(utf8);
        } catch (DecodeException e) {
            reply(e.toError());
            return;
        }
        long waitMillis = rateLimit.tryAcquire();
        if (waitMillis > 0) {
            reply(new ServerMessage.Error(
                    message.ref(),
                    ErrorCode.RATE_LIMITED.wire(),
                    "too many commands; retry in " + waitMillis + " ms",
                    true,
                    waitMillis));
            return;
        }
        if (identity == null && !(message instanceof ClientMessage.Hello)) {
            fail(message.ref(), ErrorCode.NOT_AUTHENTICATED, "send 'hello' with a token first");
            return;
        }
        handle(message);
    }

    private void handle(ClientMessage message) {
        switch (message) {
            case ClientMessage.Hello hello -> hello(hello);
            case ClientMessage.ListRooms list ->
                context.rooms()
                        .list(identity)
                        .whenComplete((rooms, error) ->
                                replyOrFail(list.ref(), error, () -> new ServerMessage.RoomList(list.ref(), rooms)));
            case ClientMessage.Join join -> join(join);
            case ClientMessage.Leave leave -> leave(leave);
            case ClientMessage.Send send -> send(send);
            case ClientMessage.FetchHistory fetch -> history(fetch);
            case ClientMessage.Typing typing -> typing(typing);
            case ClientMessage.Ping ping -> reply(new ServerMessage.Pong(ping.ref()));
            case ClientMessage.SetAvailability c ->
                support(
                        c.ref(),
                        Role.MENTOR,
                        s -> s.setAvailability(
                                user,
                                identity.experienced(),
                                c.available(),
                                c.conditions(),
                                c.languages(),
                                c.capacity(),
                                c.ref()));
            case ClientMessage.RequestSupport c ->
                support(c.ref(), null, s -> s.request(user, c.condition(), c.language(), c.note(), c.ref()));
            case ClientMessage.CancelSupport c -> support(c.ref(), null, s -> s.cancel(user, c.requestId(), c.ref()));
            case ClientMessage.AcceptOffer c -> acceptOffer(c);
            case ClientMessage.DeclineOffer c ->
                support(c.ref(), Role.MENTOR, s -> s.decline(user, c.requestId(), c.ref()));
            case ClientMessage.EndSession c -> support(c.ref(), null, s -> s.end(user, c.sessionId(), c.ref()));
            case ClientMessage.RateSession c ->
                support(c.ref(), null, s -> s.rate(user, c.sessionId(), c.rating(), c.comment(), c.ref()));
            case ClientMessage.MentorNote c ->
                support(c.ref(), Role.MENTOR, s -> s.note(user, c.sessionId(), c.note(), c.ref()));
            case ClientMessage.ProposeHandoff c ->
                support(
                        c.ref(),
                        Role.MENTOR,
                        s -> s.proposeHandoff(user, c.sessionId(), c.toMentorId(), c.reason(), c.ref()));
            case ClientMessage.AnswerHandoff c ->
                support(c.ref(), null, s -> s.answerHandoff(user, c.sessionId(), c.consent(), c.ref()));
            case ClientMessage.DeleteTranscript c ->
                support(c.ref(), null, s -> s.deleteTranscript(user, c.sessionId(), c.ref()));
            case ClientMessage.Report c -> report(c);
            case ClientMessage.AckAlert c ->
                moderate(c.ref(), () -> context.safety().acknowledge(user, c.alertId(), c.ref()));
            case ClientMessage.ListAlerts c ->
                moderate(c.ref(), () -> context.safety().openAlerts(c.ref()));
            case ClientMessage.ListReports c ->
                moderate(c.ref(), () -> context.safety().openReports(c.ref()));
            case ClientMessage.ResolveReport c ->
                moderate(c.ref(), () -> context.safety().resolve(user, c.reportId(), c.resolution(), c.ref()));
            case ClientMessage.ReadAudit c ->
                moderate(c.ref(), () -> context.safety().auditLog(c.limit(), c.ref()));
            case ClientMessage.Sanction c ->
                moderate(c.ref(), () -> context.safety().sanction(user, c));
            case ClientMessage.LiftSanction c ->
                moderate(c.ref(), () -> context.safety().lift(user, c.sanctionId(), c.reason(), c.ref()));
            case ClientMessage.DeleteMessage c -> deleteMessage(c);
            case ClientMessage.Block c ->
                context.safety()
                        .block(user, c.userId(), c.comment(), c.ref())
                        .whenComplete((done, error) -> replyOrFail(c.ref(), error, () -> done));
            case ClientMessage.Unblock c ->
                context.safety()
                        .unblock(user, c.userId(), c.ref())
                        .whenComplete((done, error) -> replyOrFail(c.ref(), error, () -> done));
            case ClientMessage.CreateGroup c ->
                group(c.ref(), s -> s.scheduling().create(actor(), c));
            case ClientMessage.UpdateGroup c ->
                group(c.ref(), s -> s.scheduling().update(actor(), c));
            case ClientMessage.CancelGroup c ->
                group(c.ref(), s -> s.scheduling().cancel(actor(), c));
            case ClientMessage.ListGroups c ->
                context.groups()
                        .read(s -> s.scheduling().list(user.id(), c.topic(), c.ref()))
                        .whenComplete((reply, error) -> replyOrFail(c.ref(), error, () -> reply));
            case ClientMessage.RegisterGroup c ->
                group(c.ref(), s -> s.scheduling().register(user, c.groupId(), c.ref()));
            case ClientMessage.UnregisterGroup c ->
                group(c.ref(), s -> s.scheduling().unregister(user, c.groupId(), c.ref()));
            case ClientMessage.OpenGroup c -> group(c.ref(), s -> s.controls().open(actor(), c.groupId(), c.ref()));
            case ClientMessage.CloseGroup c -> group(c.ref(), s -> s.controls().close(actor(), c.groupId(), c.ref()));
            case ClientMessage.SetGroupChat c ->
                group(c.ref(), s -> s.controls().setChat(actor(), c));
            case ClientMessage.Mute c ->
                group(c.ref(), s -> s.controls().mute(actor(), c.groupId(), c.userId(), c.muted(), c.ref()));
            case ClientMessage.RemoveParticipant c ->
                group(c.ref(), s -> s.controls().remove(actor(), c));
            case ClientMessage.LiftGroupBan c ->
                group(c.ref(), s -> s.controls().liftBan(actor(), c.groupId(), c.userId(), c.ref()));
            case ClientMessage.ListenOnly c ->
                group(c.ref(), s -> s.controls().listenOnly(actor(), c.groupId(), c.on(), c.ref()));
            case ClientMessage.Pin c -> pin(c);
            case ClientMessage.Unpin c -> group(c.ref(), s -> s.controls().unpin(actor(), c.groupId(), c.ref()));
            case ClientMessage.RaiseHand c ->
                group(c.ref(), s -> s.controls().raiseHand(actor(), c.groupId(), c.raised(), c.ref()));
            case ClientMessage.GiveFloor c ->
                group(c.ref(), s -> s.controls().giveFloor(actor(), c.groupId(), c.userId(), c.ref()));
            case ClientMessage.TakeFloor c ->
                group(c.ref(), s -> s.controls().takeFloor(actor(), c.groupId(), c.ref()));
            case ClientMessage.ReadAttendance c ->
                context.groups()
                        .read(s -> s.controls().attendance(actor(), c.groupId(), c.occurrence(), c.ref()))
                        .whenComplete((reply, error) -> replyOrFail(c.ref(), error, () -> reply));
            case ClientMessage.ReviewHeld c ->
                moderate(
                        c.ref(),
                        () -> context.safety()
                                .takeForReview(c.heldId())
                                .thenCompose(held -> (c.approve()
                                                ? postHeld(held)
                                                : CompletableFuture.completedFuture(null))
                                        .thenCompose(ignored ->
                                                context.safety().reviewed(user, held, c.approve(), c.note())))
                                .thenApply(ignored -> new ServerMessage.Done(c.ref(), "review_held")));
        }
    }

    /** A moderator's command. */
    private void moderate(String ref, Supplier<CompletableFuture<? extends ServerMessage>> command) {
        if (!identity.has(Role.MODERATOR)) {
            fail(ref, ErrorCode.FORBIDDEN, "only a moderator may do this");
            return;
        }
        command.get().whenComplete((reply, error) -> replyOrFail(ref, error, () -> reply));
    }

    /** A moderator deletes a message in any room, or in a session (acting on a report). */
    private void deleteMessage(ClientMessage.DeleteMessage delete) {
        moderate(delete.ref(), () -> {
            boolean known = isSession(delete.room())
                    || context.rooms().find(delete.room()).isPresent()
                    || (isMeeting(delete.room()) && context.groups().isMeetingRoom(delete.room()));
            if (!known) {
                return CompletableFuture.failedFuture(
                        new Refusal(ErrorCode.ROOM_NOT_FOUND, "no room '" + delete.room() + "'"));
            }
            return context.rooms()
                    .redact(delete.room(), delete.seq(), delete.reason())
                    .thenCompose(tombstone -> context.safety()
                            .deleted(user, delete.room(), delete.seq(), tombstone, delete.reason(), delete.ref()));
        });
    }

    private void report(ClientMessage.Report report) {
        withRoom(
                report.room(),
                report.ref(),
                false,
                room -> room.around(report.seq(), 2)
                        .thenCompose(around -> context.safety()
                                .report(user, report.seq(), around, report.category(), report.comment(), report.ref()))
                        .whenComplete((received, error) -> replyOrFail(report.ref(), error, () -> received)));
    }

    /** A mentor takes a request; its other devices, which saw the offer too, learn of the session. */
    private void acceptOffer(ClientMessage.AcceptOffer accept) {
        if (lacks(Role.MENTOR, accept.ref())) {
            return;
        }
        context.support()
                .execute(s -> s.accept(user, accept.requestId(), accept.ref()))
                .whenComplete((reply, error) -> {
                    replyOrFail(accept.ref(), error, () -> reply);
                    if (reply instanceof ServerMessage.SessionStarted started) {
                        context.support()
                                .toOtherDevices(
                                        user.id(),
                                        connection.id(),
                                        new ServerMessage.SessionStarted(
                                                null,
                                                started.sessionId(),
                                                started.requestId(),
                                                started.member(),
                                                started.mentor(),
                                                started.condition(),
                                                started.language(),
                                                started.continued()));
                    }
                });
    }

    private void support(String ref, Role requiredRole, SupportStore.Call call) {
        if (requiredRole != null && lacks(requiredRole, ref)) {
            return;
        }
        context.support().execute(call).whenComplete((reply, error) -> replyOrFail(ref, error, () -> reply));
    }

    /** Refuses a command that needs a role this user does not have; returns whether it did. */
    private boolean lacks(Role role, String ref) {
        if (identity.has(role)) {
            return false;
        }
        fail(ref, ErrorCode.FORBIDDEN, "only a " + role.wire() + " may do this");
        return true;
    }

    private void group(String ref, GroupStore.Call call) {
        context.groups().execute(call).whenComplete((reply, error) -> replyOrFail(ref, error, () -> reply));
    }

    /** The user as group commands see it: whether it facilitates, whether it moderates. */
    private Actor actor() {
        return new Actor(user, identity.has(Role.FACILITATOR), identity.has(Role.MODERATOR));
    }

    /** Pins the rules, or a message read from the meeting's room first. */
    private void pin(ClientMessage.Pin pin) {
        Optional<String> room =
                pin.seq() == null ? Optional.empty() : context.groups().currentRoom(pin.groupId());
        if (room.isEmpty()) {
            group(pin.ref(), s -> s.controls().pin(actor(), pin.groupId(), pin.seq(), null, pin.ref()));
            return;
        }
        context.rooms()
                .meeting(room.get())
                .around(pin.seq(), 0)
                .thenCompose(found -> context.groups()
                        .execute(s -> s.controls()
                                .pin(
                                        actor(),
                                        pin.groupId(),
                                        pin.seq(),
                                        found.stream()
                                                .filter(m -> m.seq() == pin.seq())
                                                .findFirst()
                                                .orElse(null),
                                        pin.ref())))
                .whenComplete((reply, error) -> replyOrFail(pin.ref(), error, () -> reply));
    }

    /** A binary frame arrived: refused, the connection stays open. */
    public void onBinary() {
        fail(null, ErrorCode.BINARY_NOT_SUPPORTED, "binary frames are not supported; send JSON text frames");
    }

    /** A frame larger than the limit arrived; the stream cannot be read further, so the connection ends. */
    public void onFrameTooLarge() {
        fail(
                null,
                ErrorCode.FRAME_TOO_LARGE,
                "frame larger than " + context.config().maxFrameBytes() + " bytes; closing");
        close(CloseCode.MESSAGE_TOO_BIG);
    }

    /** The authentication timeout passed; closes the connection unless it authenticated. */
    public void onAuthTimeout() {
        if (identity == null) {
            close(CloseCode.AUTH_TIMEOUT);
        }
    }

    /** Nothing arrived for the idle timeout. */
    public void onIdle() {
        close(CloseCode.IDLE_TIMEOUT);
    }

    /** The connection is gone: its rooms let the user linger for the grace period. */
    public void onClosed() {
        closed = true;
        if (user != null && context.users().remove(user.id(), connection)) {
            context.support().disconnected(user.id());
        }
        joined.forEach((roomId, member) -> {
            context.rooms().existing(roomId).ifPresent(room -> room.leave(member, false));
            if (isMeeting(roomId)) {
                context.groups().left(user.id(), roomId, connection.id());
            }
        });
        joined.clear();
    }

    private void hello(ClientMessage.Hello hello) {
        if (identity != null) {
            fail(hello.ref(), ErrorCode.ALREADY_AUTHENTICATED, "this connection is already signed in");
            return;
        }
        if (hello.protocolVersion() != null && hello.protocolVersion() != ProtocolVersion.CURRENT) {
            fail(
                    hello.ref(),
                    ErrorCode.UNSUPPORTED_VERSION,
                    "protocol version " + hello.protocolVersion() + " is not supported; this server speaks "
                            + ProtocolVersion.CURRENT);
            close(CloseCode.PROTOCOL_VIOLATION);
            return;
        }
        try {
            identity = context.verifier().verify(hello.token());
        } catch (Refusal e) {
            fail(hello.ref(), e.code(), e.getMessage());
            close(e.code() == ErrorCode.TOKEN_EXPIRED ? CloseCode.TOKEN_EXPIRED : CloseCode.AUTH_FAILED);
            return;
        }
        Optional<ServerMessage.SanctionInfo> ban =
                context.safety().sanctionInForce(identity.userId(), SanctionKind.SERVICE_BAN, null);
        if (ban.isPresent()) {
            fail(hello.ref(), ErrorCode.SANCTIONED, describe(ban.get(), "you are banned from this service"));
            close(CloseCode.BANNED);
            identity = null;
            return;
        }
        user = new UserInfo(
                identity.userId(), identity.pseudonym(), identity.primaryRole().wire());
        reply(new ServerMessage.Welcome(
                hello.ref(), ProtocolVersion.CURRENT, user, identity.roleNames(), context.limits(), connection.id()));
        if (identity.roles().equals(java.util.Set.of(Role.MEMBER))
                && !context.config().newMemberPeriod().isZero()) {
            context.safety()
                    .isNewMember(user.id(), context.config().newMemberPeriod())
                    .whenComplete((isNew, error) -> {
                        if (error == null && isNew) {
                            connection.execute(() -> {
                                newMember = true;
                                rateLimit = new TokenBucket(
                                        context.config().newMemberRatePerSecond(),
                                        context.config().newMemberRateBurst(),
                                        context.nanoTime());
                            });
                        }
                    });
        }
        boolean first = identity.has(Role.MODERATOR)
                ? context.users().addModerator(user.id(), connection)
                : context.users().add(user.id(), connection);
        if (first) {
            context.support().connected(user);
        }
    }

    private void join(ClientMessage.Join join) {
        if (isMeeting(join.room())) {
            // Entering a meeting is a group command: phase, ban, registration and capacity are checked cluster-wide.
            String key = context.groups().connectionKey(connection.id());
            context.groups()
                    .execute(s -> s.access().enter(actor(), join.room(), key))
                    .whenComplete((state, error) -> connection.execute(() -> {
                        if (error != null) {
                            replyOrFail(join.ref(), error, null);
                        } else if (closed) {
                            context.groups().left(user.id(), join.room(), connection.id());
                        } else {
                            enter(join, context.rooms().meeting(join.room()), (ServerMessage.GroupState) state);
                        }
                    }));
            return;
        }
        withRoom(join.room(), join.ref(), false, room -> enter(join, room, null));
    }

    /** Joins a room this user may enter; a meeting's state follows the join reply. */
    private void enter(ClientMessage.Join join, Room room, ServerMessage.GroupState meetingState) {
        Optional<ServerMessage.SanctionInfo> ban = sanction(SanctionKind.ROOM_BAN, room.id());
        if (ban.isPresent()) {
            fail(join.ref(), ErrorCode.SANCTIONED, describe(ban.get(), "you are banned from this room"));
            if (meetingState != null) {
                context.groups().left(user.id(), room.id(), connection.id());
            }
            return;
        }
        // A re-join on the same connection replaces the membership (and re-reads from `since`); presence stays.
        RoomMember joining = new RoomMember(connection, user);
        joined.put(room.id(), joining);
        room.join(joining, join.since(), join.epoch(), join.ref()).whenComplete((ignored, error) -> {
            if (error != null) {
                // Completions may run on another thread; the event loop owns `joined`.
                connection.execute(() -> joined.remove(room.id(), joining));
                if (meetingState != null) {
                    context.groups().left(user.id(), room.id(), connection.id());
                }
                replyOrFail(join.ref(), error, null);
            } else if (meetingState != null) {
                reply(meetingState);
            }
        });
    }

    private void leave(ClientMessage.Leave leave) {
        RoomMember member = joined.remove(leave.room());
        if (member == null) {
            withRoom(leave.room(), leave.ref(), true, room -> {});
            return;
        }
        context.rooms().existing(leave.room()).ifPresent(room -> room.leave(member, true));
        if (isMeeting(leave.room())) {
            context.groups().left(user.id(), leave.room(), connection.id());
        }
        reply(new ServerMessage.Left(leave.ref(), leave.room()));
    }

    private void send(ClientMessage.Send send) {
        long start = context.nanoTime().getAsLong();
        int length = send.text().codePointCount(0, send.text().length());
        if (length > context.config().maxTextLength()) {
            fail(
                    send.ref(),
                    ErrorCode.TEXT_TOO_LONG,
                    "text has " + length + " characters; the limit is "
                            + context.config().maxTextLength());
            return;
        }
        withRoom(send.room(), send.ref(), true, room -> {
            if (refusedToPost(room, send.ref())) {
                return;
            }
            boolean session = isSession(room.id());
            int slowModeSeconds = 0;
            if (isMeeting(room.id())) {
                try {
                    slowModeSeconds = context.groups().checkPost(room.id(), actor());
                } catch (Refusal refused) {
                    reply(refused.toError(send.ref()));
                    return;
                }
            }
            if (!session && refusedByRules(room, send)) {
                return;
            }
            if (session && !context.support().isOpen(room.id())) {
                fail(send.ref(), ErrorCode.SESSION_ENDED, "this session has ended");
                return;
            }
            if (!room.canPost(identity)) {
                fail(
                        send.ref(),
                        ErrorCode.FORBIDDEN,
                        "only " + String.join(", ", writersOf(room)) + " may post in room '" + room.id() + "'");
                return;
            }
            if (slowModeSeconds == 0) {
                post(room, send, start, () -> {});
                return;
            }
            int period = slowModeSeconds;
            context.groups()
                    .takeTurn(room.id(), user.id(), send.clientMsgId(), period)
                    .whenComplete((waitMs, error) -> connection.execute(() -> {
                        if (error != null) {
                            replyOrFail(send.ref(), error, null);
                        } else if (waitMs > 0) {
                            reply(new ServerMessage.Error(
                                    send.ref(),
                                    ErrorCode.SLOW_MODE.wire(),
                                    "slow mode: one " + "message every " + period + " s; your next in "
                                            + (waitMs + 999) / 1000 + " s",
                                    false,
                                    waitMs));
                        } else {
                            post(
                                    room,
                                    send,
                                    start,
                                    () -> context.groups().giveBackTurn(room.id(), user.id(), send.clientMsgId()));
                        }
                    }));
        });
    }

    /** Publishes a message that passed every check; crisis language reaches its author's helpers. */
    private void post(Room room, ClientMessage.Send send, long start, Runnable onFailure) {
        boolean session = isSession(room.id());
        Optional<CrisisDetector.CrisisHit> crisis = context.safety().screen(send.text());
        room.publish(user, send.clientMsgId(), send.text(), send.ref()).whenComplete((ack, error) -> {
            ChatMessage posted = error == null && crisis.isPresent() && !ack.duplicate()
                    ? new ChatMessage(ack.room(), ack.seq(), ack.id(), user, send.text(), ack.ts(), ack.clientMsgId())
                    : null;
            if (posted != null) {
                // The author hears first, before the ack and before anyone is alerted.
                reply(context.safety().supportFor(posted, crisis.get()));
            }
            replyOrFail(send.ref(), error, () -> ack);
            if (posted != null) {
                context.safety().raise(posted, crisis.get());
            }
            if (error == null) {
                context.metrics().sendLatency(context.nanoTime().getAsLong() - start);
                if (session) {
                    context.support().touched(room.id());
                }
            } else {
                onFailure.run();
            }
        });
    }

    private List<String> writersOf(Room room) {
        return room.writers().stream().sorted().toList();
    }

    private void history(ClientMessage.FetchHistory fetch) {
        withRoom(fetch.room(), fetch.ref(), true, room -> {
            Optional<ServerMessage.SanctionInfo> ban = sanction(SanctionKind.ROOM_BAN, room.id());
            if (ban.isPresent()) {
                fail(fetch.ref(), ErrorCode.SANCTIONED, describe(ban.get(), "you are banned from this room"));
                return;
            }
            room.history(user.id(), fetch.before(), fetch.limit(), fetch.ref())
                    .whenComplete((page, error) -> replyOrFail(fetch.ref(), error, () -> page));
        });
    }

    private void typing(ClientMessage.Typing typing) {
        withRoom(typing.room(), typing.ref(), true, room -> {
            if (refusedToPost(room, typing.ref())) {
                return;
            }
            if (isMeeting(room.id())) {
                try {
                    context.groups().checkPost(room.id(), actor());
                } catch (Refusal refused) {
                    reply(refused.toError(typing.ref()));
                    return;
                }
            }
            room.typing(user, typing.active());
        });
    }

    /**
     * Applies the room's content rules to a post by a plain member (mentors, facilitators and moderators are trusted):
     * refuses it, or holds it for review. Returns true when the post must not go on now.
     */
    private boolean refusedByRules(Room room, ClientMessage.Send send) {
        boolean plainMember = identity.roles().equals(java.util.Set.of(Role.MEMBER));
        if (!plainMember) {
            return false;
        }
        Optional<String> refusal = Optional.empty();
        if (newMember && room.rules().contains(RoomRule.NEW_MEMBER_CONTACTS)) {
            refusal = ContentRules.refusalForNewMember(send.text());
        }
        if (refusal.isEmpty() && room.rules().contains(RoomRule.NO_LINKS)) {
            refusal = ContentRules.refusalOfLinks(send.text());
        }
        if (refusal.isPresent()) {
            fail(send.ref(), ErrorCode.FORBIDDEN, refusal.get());
            return true;
        }
        if (room.rules().contains(RoomRule.HOLD_DOSES) && ContentRules.namesDose(send.text())) {
            Optional<CrisisDetector.CrisisHit> crisis = context.safety().screen(send.text());
            context.safety()
                    .hold(user, room.id(), send.clientMsgId(), send.text(), "hold_doses")
                    .whenComplete((held, error) -> {
                        if (error != null) {
                            replyOrFail(send.ref(), error, null);
                            return;
                        }
                        // A held message that reads like a crisis still reaches its author's helpers at once.
                        crisis.ifPresent(hit -> {
                            ChatMessage pending = new ChatMessage(
                                    room.id(), 0, held.heldId(), user, send.text(), held.heldAt(), send.clientMsgId());
                            reply(context.safety().supportFor(pending, hit));
                            context.safety().raise(pending, hit);
                        });
                        fail(
                                send.ref(),
                                ErrorCode.HELD_FOR_REVIEW,
                                "this room asks a moderator to review messages "
                                        + "that name medication doses; it will appear once approved");
                    });
            return true;
        }
        return false;
    }

    /** Posts an approved held message as its author sent it; puts it back on hold when that fails. */
    private CompletableFuture<?> postHeld(ServerMessage.HeldMessage held) {
        return context.rooms()
                .find(held.room())
                .map(room -> (CompletableFuture<?>) room.publish(held.author(), held.clientMsgId(), held.text(), null)
                        .exceptionallyCompose(error -> context.safety()
                                .putBack(held)
                                .thenCompose(ignored -> CompletableFuture.failedFuture(error))))
                .orElseGet(() -> CompletableFuture.completedFuture(null));
    }

    /** A sanction of this kind in force for this user (for room bans, in that room). */
    private Optional<ServerMessage.SanctionInfo> sanction(SanctionKind kind, String room) {
        return context.safety().sanctionInForce(user.id(), kind, room);
    }

    /** Refuses a post (or typing) that a timeout, a restriction or a room ban forbids. */
    private boolean refusedToPost(Room room, String ref) {
        Optional<ServerMessage.SanctionInfo> timeout = sanction(SanctionKind.TIMEOUT, null);
        Optional<ServerMessage.SanctionInfo> restricted =
                isSession(room.id()) ? Optional.empty() : sanction(SanctionKind.RESTRICT, null);
        Optional<ServerMessage.SanctionInfo> banned = sanction(SanctionKind.ROOM_BAN, room.id());
        if (timeout.isPresent()) {
            fail(ref, ErrorCode.SANCTIONED, describe(timeout.get(), "you are in a timeout: you can read but not post"));
        } else if (restricted.isPresent()) {
            fail(
                    ref,
                    ErrorCode.SANCTIONED,
                    describe(restricted.get(), "rooms are read-only for you; one-to-one support " + "is still open"));
        } else if (banned.isPresent()) {
            fail(ref, ErrorCode.SANCTIONED, describe(banned.get(), "you are banned from this room"));
        } else {
            return false;
        }
        return true;
    }

    private static String describe(ServerMessage.SanctionInfo sanction, String what) {
        return what + (sanction.until() == null ? "" : " until " + java.time.Instant.ofEpochMilli(sanction.until()))
                + ", because: " + sanction.reason();
    }

    private static boolean isSession(String roomId) {
        return roomId.startsWith(RoomRegistry.SESSION_PREFIX);
    }

    /** A group meeting's room (configured rooms come first, should one be named alike). */
    private boolean isMeeting(String roomId) {
        return roomId.startsWith(RoomRegistry.MEETING_PREFIX)
                && context.rooms().find(roomId).isEmpty();
    }

    /**
     * Runs an action on a room this user may use: a configured room, or a one-to-one session it takes part in (any
     * other does not exist for it: {@code room_not_found}). With {@code joinedOnly}, the connection must have joined
     * it ({@code not_in_room}). Checking a session may take a trip to the cluster's state; the action then runs on
     * this connection's thread, after what is already queued there.
     */
    private void withRoom(String id, String ref, boolean joinedOnly, Consumer<Room> action) {
        if (isMeeting(id)) {
            Room meeting = context.groups().isMeetingRoom(id) ? context.rooms().meeting(id) : null;
            useRoom(id, meeting, ref, joinedOnly, action);
            return;
        }
        if (!isSession(id)) {
            useRoom(id, context.rooms().find(id).orElse(null), ref, joinedOnly, action);
            return;
        }
        context.support()
                .canAccess(user.id(), id)
                .whenComplete((allowed, error) -> connection.execute(() -> useRoom(
                        id, error == null && allowed ? context.rooms().session(id) : null, ref, joinedOnly, action)));
    }

    private void useRoom(String id, Room room, String ref, boolean joinedOnly, Consumer<Room> action) {
        if (room == null) {
            fail(ref, ErrorCode.ROOM_NOT_FOUND, "no room '" + id + "'");
        } else if (joinedOnly && !joined.containsKey(id)) {
            fail(ref, ErrorCode.NOT_IN_ROOM, "join room '" + id + "' first");
        } else {
            action.accept(room);
        }
    }

    /**
     * Replies with the result, or with a retryable {@code unavailable} when the broker could not serve: the client
     * repeats the command (a send with the same client message id, which is never stored twice).
     */
    private void replyOrFail(String ref, Throwable error, Supplier<ServerMessage> result) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause == null) {
            if (result != null) {
                reply(result.get());
            }
        } else if (cause instanceof Refusal refused) {
            reply(refused.toError(ref));
        } else {
            LOG.debug("command {} failed: {}", ref, cause.toString());
            fail(ref, ErrorCode.UNAVAILABLE, "the server cannot store or read this right now; retry");
        }
    }

    private void fail(String ref, ErrorCode code, String message) {
        reply(ServerMessage.Error.of(ref, code, message));
    }

    private void reply(ServerMessage message) {
        if (message instanceof ServerMessage.Error error) {
            error.errorCode().ifPresent(context.metrics()::error);
        }
        connection.send(new EncodedFrame(context.codec().encode(message)));
    }

    private void close(CloseCode code) {
        closed = true;
        connection.close(code);
    }
}
