package org.kindred.server.session;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import org.kindred.protocol.ErrorCode;
import org.kindred.protocol.ProtocolVersion;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.UserInfo;
import org.kindred.server.connection.Connection;
import org.kindred.server.connection.EncodedFrame;
import org.kindred.server.connection.Refusal;
import org.kindred.server.identity.Identity;
import org.kindred.server.identity.Role;
import org.kindred.server.room.Room;
import org.kindred.server.room.RoomMember;
import org.kindred.server.safety.ErrorTexts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection as the command handlers see it: who it is, the rooms it joined, and how its commands are answered.
 * Its state belongs to the connection's thread (the session is called from one thread at a time); answers may be sent
 * from any thread.
 */
final class Client {

    private static final Logger LOG = LoggerFactory.getLogger(Client.class);

    /** A room this connection is in, as the room knows it. */
    record Joined(Room room, RoomMember member) {}

    private final Connection connection;
    private final SessionContext context;
    /**
     * Rooms this connection joined, by id, in order of joining. Connection thread only. Sized for the one or two rooms
     * most connections are in (the default table of 16 slots would be most of the map's memory on an idle node).
     */
    final Map<String, Joined> joined = new LinkedHashMap<>(2);

    private Identity identity;
    private UserInfo user;
    /** A member first seen recently: stricter limits, no links or contact details in rooms. */
    private volatile boolean newMember;
    /** The connection asked in {@code hello} not to be listed nor counted in any room's presence. */
    private boolean invisible;

    private boolean closed;
    /** The protocol version the client announced in {@code hello}. */
    private int protocolVersion = ProtocolVersion.OLDEST;
    /**
     * The BCP 47 tag of the language the member reads ({@code hello.language}, else the token's {@code locale}
     * claim), or null when it named none: the server's texts to this connection are written in it.
     */
    private volatile String language;

    Client(Connection connection, SessionContext context) {
        this.connection = connection;
        this.context = context;
    }

    Connection connection() {
        return connection;
    }

    Identity identity() {
        return identity;
    }

    UserInfo user() {
        return user;
    }

    boolean signedIn() {
        return identity != null;
    }

    void signIn(Identity identity) {
        this.identity = identity;
        this.user = identity.toUserInfo();
        connection.signedIn();
    }

    int protocolVersion() {
        return protocolVersion;
    }

    void speak(int version) {
        protocolVersion = version;
    }

    /**
     * This connection in a room: whether it gets paged presence follows its protocol version; an invisible user's
     * connection is not listed.
     */
    RoomMember asMember() {
        return new RoomMember(connection, user, protocolVersion >= ProtocolVersion.PAGED_PRESENCE, !invisible());
    }

    boolean newMember() {
        return newMember;
    }

    void markNew() {
        newMember = true;
    }

    /** The language the member reads, a BCP 47 tag; null when it named none (the server's default applies). */
    String language() {
        return language;
    }

    void speakLanguage(String tag) {
        language = tag;
    }

    boolean invisible() {
        return invisible;
    }

    void markInvisible() {
        invisible = true;
    }

    boolean closed() {
        return closed;
    }

    void markClosed() {
        closed = true;
    }

    /**
     * Sends a message to this connection (from any thread); an error is counted by its code and written in the
     * member's language.
     */
    void reply(ServerMessage message) {
        ServerMessage sent = message;
        if (message instanceof ServerMessage.Error error) {
            error.errorCode().ifPresent(context.metrics()::error);
            sent = ErrorTexts.translated(error, language);
        }
        connection.send(EncodedFrame.forOne(context.codec().encode(sent)));
    }

    void refuse(String ref, Refusal refusal) {
        reply(refusal.toError(ref));
    }

    void fail(String ref, ErrorCode code, String message) {
        reply(ServerMessage.Error.of(ref, code, message));
    }

    /** Refuses a command that needs a role this user does not have; returns whether it did. */
    boolean lacks(Role role, String ref) {
        if (identity.has(role)) {
            return false;
        }
        fail(ref, ErrorCode.FORBIDDEN, "only a " + role.wire() + " may do this");
        return true;
    }

    /** Answers a command with the outcome of its work: the reply, the refusal, or a retryable {@code unavailable}. */
    void answer(String ref, CompletionStage<? extends ServerMessage> outcome) {
        context.failures().then("reply", outcome, (reply, error) -> {
            if (error != null) {
                answerFailure(ref, error);
            } else {
                reply(reply);
            }
        });
    }

    /**
     * Answers a command that failed: a refusal as it says, anything else with a retryable {@code unavailable} — the
     * state could not be reached, and the client repeats the command (a send with the same client message id, which
     * is never stored twice).
     */
    void answerFailure(String ref, Throwable error) {
        Refusal.in(error).ifPresentOrElse(refusal -> refuse(ref, refusal), () -> {
            LOG.debug("command {} failed: {}", ref, error.toString());
            fail(ref, ErrorCode.UNAVAILABLE, "the server cannot store or read this right now; retry");
        });
    }

    /**
     * Continues with the outcome of some work on this connection's thread: at once when it is already done (the
     * caller is on that thread), otherwise after what is already queued there.
     */
    <T> void onThread(CompletionStage<T> work, BiConsumer<? super T, ? super Throwable> next) {
        CompletableFuture<T> future = work.toCompletableFuture();
        if (future.isDone()) {
            T value = null;
            Throwable error = null;
            try {
                value = future.join();
            } catch (CompletionException | CancellationException e) {
                error = e;
            }
            next.accept(value, error);
            return;
        }
        context.failures()
                .then("command step", future, (value, error) -> connection.execute(() -> next.accept(value, error)));
    }
}
