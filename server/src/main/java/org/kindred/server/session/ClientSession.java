package org.kindred.server.session;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.kindred.protocol.ClientMessage;
import org.kindred.protocol.CloseCode;
import org.kindred.protocol.DecodeException;
import org.kindred.protocol.ErrorCode;
import org.kindred.protocol.ProtocolVersion;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.UserInfo;
import org.kindred.server.auth.AuthException;
import org.kindred.server.auth.Identity;
import org.kindred.server.limit.TokenBucket;
import org.kindred.server.room.Room;
import org.kindred.server.room.RoomMember;
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
    private final TokenBucket rateLimit;
    /** Rooms this connection joined, by id, in order of joining. */
    private final Map<String, RoomMember> joined = new LinkedHashMap<>();
    private Identity identity;
    private UserInfo user;
    private boolean closed;

    public ClientSession(Connection connection, SessionContext context) {
        this.connection = connection;
        this.context = context;
        this.rateLimit = new TokenBucket(context.config().ratePerSecond(), context.config().rateBurst(),
                context.nanoTime());
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
            reply(new ServerMessage.Error(message.ref(), ErrorCode.RATE_LIMITED.wire(),
                    "too many commands; retry in " + waitMillis + " ms", true, waitMillis));
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
            case ClientMessage.ListRooms list -> context.rooms().list(identity).whenComplete((rooms, error) ->
                    replyOrFail(list.ref(), error, () -> new ServerMessage.RoomList(list.ref(), rooms)));
            case ClientMessage.Join join -> join(join);
            case ClientMessage.Leave leave -> leave(leave);
            case ClientMessage.Send send -> send(send);
            case ClientMessage.FetchHistory fetch -> history(fetch);
            case ClientMessage.Typing typing -> typing(typing);
            case ClientMessage.Ping ping -> reply(new ServerMessage.Pong(ping.ref()));
        }
    }

    /** A binary frame arrived: refused, the connection stays open. */
    public void onBinary() {
        fail(null, ErrorCode.BINARY_NOT_SUPPORTED, "binary frames are not supported; send JSON text frames");
    }

    /** A frame larger than the limit arrived; the stream cannot be read further, so the connection ends. */
    public void onFrameTooLarge() {
        fail(null, ErrorCode.FRAME_TOO_LARGE,
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
        joined.forEach((roomId, member) -> context.rooms().find(roomId).ifPresent(room -> room.leave(member, false)));
        joined.clear();
    }

    private void hello(ClientMessage.Hello hello) {
        if (identity != null) {
            fail(hello.ref(), ErrorCode.ALREADY_AUTHENTICATED, "this connection is already signed in");
            return;
        }
        if (hello.protocolVersion() != null && hello.protocolVersion() != ProtocolVersion.CURRENT) {
            fail(hello.ref(), ErrorCode.UNSUPPORTED_VERSION, "protocol version " + hello.protocolVersion()
                    + " is not supported; this server speaks " + ProtocolVersion.CURRENT);
            close(CloseCode.PROTOCOL_VIOLATION);
            return;
        }
        try {
            identity = context.verifier().verify(hello.token());
        } catch (AuthException e) {
            fail(hello.ref(), e.code(), e.getMessage());
            close(e.code() == ErrorCode.TOKEN_EXPIRED ? CloseCode.TOKEN_EXPIRED : CloseCode.AUTH_FAILED);
            return;
        }
        user = new UserInfo(identity.userId(), identity.pseudonym(), identity.primaryRole().wire());
        reply(new ServerMessage.Welcome(hello.ref(), ProtocolVersion.CURRENT, user, identity.roleNames(),
                context.limits(), connection.id()));
    }

    private void join(ClientMessage.Join join) {
        Room room = room(join.room(), join.ref());
        if (room == null) {
            return;
        }
        // A re-join on the same connection replaces the membership (and re-reads from `since`); presence stays.
        RoomMember joining = new RoomMember(connection, user);
        joined.put(room.id(), joining);
        room.join(joining, join.since(), join.epoch(), join.ref()).whenComplete((ignored, error) -> {
            if (error != null) {
                // Completions may run on another thread; the event loop owns `joined`.
                connection.execute(() -> joined.remove(room.id(), joining));
                replyOrFail(join.ref(), error, null);
            }
        });
    }

    private void leave(ClientMessage.Leave leave) {
        RoomMember member = joined.remove(leave.room());
        if (member == null) {
            notJoined(leave.room(), leave.ref());
            return;
        }
        context.rooms().find(leave.room()).ifPresent(room -> room.leave(member, true));
        reply(new ServerMessage.Left(leave.ref(), leave.room()));
    }

    private void send(ClientMessage.Send send) {
        long start = context.nanoTime().getAsLong();
        Room room = joinedRoom(send.room(), send.ref());
        if (room == null) {
            return;
        }
        int length = send.text().codePointCount(0, send.text().length());
        if (length > context.config().maxTextLength()) {
            fail(send.ref(), ErrorCode.TEXT_TOO_LONG, "text has " + length + " characters; the limit is "
                    + context.config().maxTextLength());
            return;
        }
        if (!room.canPost(identity)) {
            fail(send.ref(), ErrorCode.FORBIDDEN, "only " + String.join(", ", writersOf(room))
                    + " may post in room '" + room.id() + "'");
            return;
        }
        room.publish(user, send.clientMsgId(), send.text(), send.ref()).whenComplete((ack, error) -> {
            replyOrFail(send.ref(), error, () -> ack);
            if (error == null) {
                context.metrics().sendLatency(context.nanoTime().getAsLong() - start);
            }
        });
    }

    private List<String> writersOf(Room room) {
        return room.writers().stream().sorted().toList();
    }

    private void history(ClientMessage.FetchHistory fetch) {
        Room room = joinedRoom(fetch.room(), fetch.ref());
        if (room != null) {
            room.history(fetch.before(), fetch.limit(), fetch.ref())
                    .whenComplete((page, error) -> replyOrFail(fetch.ref(), error, () -> page));
        }
    }

    private void typing(ClientMessage.Typing typing) {
        Room room = joinedRoom(typing.room(), typing.ref());
        if (room != null) {
            room.typing(user, typing.active());
        }
    }

    private Room room(String id, String ref) {
        Room room = context.rooms().find(id).orElse(null);
        if (room == null) {
            fail(ref, ErrorCode.ROOM_NOT_FOUND, "no room '" + id + "'");
        }
        return room;
    }

    private Room joinedRoom(String id, String ref) {
        Room room = room(id, ref);
        if (room != null && !joined.containsKey(id)) {
            notJoined(id, ref);
            return null;
        }
        return room;
    }

    private void notJoined(String id, String ref) {
        if (context.rooms().find(id).isEmpty()) {
            fail(ref, ErrorCode.ROOM_NOT_FOUND, "no room '" + id + "'");
        } else {
            fail(ref, ErrorCode.NOT_IN_ROOM, "join room '" + id + "' first");
        }
    }

    /**
     * Replies with the result, or with a retryable {@code unavailable} when the broker could not serve: the client
     * repeats the command (a send with the same client message id, which is never stored twice).
     */
    private void replyOrFail(String ref, Throwable error, Supplier<ServerMessage> result) {
        if (error == null) {
            if (result != null) {
                reply(result.get());
            }
        } else {
            LOG.debug("command {} failed: {}", ref, error.toString());
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
