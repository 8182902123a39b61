package org.kindred.server.session;

import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.kindred.protocol.ClientMessage;
import org.kindred.protocol.CloseCode;
import org.kindred.protocol.DecodeException;
import org.kindred.protocol.ErrorCode;
import org.kindred.protocol.LanguageTags;
import org.kindred.protocol.ProtocolVersion;
import org.kindred.protocol.ServerMessage;
import org.kindred.server.auth.SignedIn;
import org.kindred.server.config.KindredConfig;
import org.kindred.server.connection.ConnectedUsers;
import org.kindred.server.connection.Connection;
import org.kindred.server.connection.Refusal;
import org.kindred.server.identity.Identity;
import org.kindred.server.identity.Role;
import org.kindred.server.limit.TokenBucket;
import org.kindred.server.safety.SanctionKind;

/**
 * One client's session: each text frame is decoded, rate limited, checked for sign-in, then handed to the handler of
 * its feature (rooms, support, groups, safety). The rules live in the features; the handlers turn commands into calls.
 *
 * <p>The transport calls it from one thread at a time (the connection's event loop), so its state is in plain fields;
 * work that completes elsewhere comes back to that thread through {@link Connection#execute}. Rooms may send to the
 * connection from any thread; that is the connection's concern.
 */
public final class ClientSession {

    private final SessionContext context;
    private final Client client;
    /**
     * The command budget of this connection before it signs in; dropped once it has (the user's budget, shared by its
     * connections, counts from then on), so an idle member holds no bucket of its own.
     */
    private TokenBucket rateLimit;
    /** When this connection's token stops keeping it open; moved by {@code refresh}. */
    private TokenExpiries.Entry expiry;

    public ClientSession(Connection connection, SessionContext context) {
        this.context = context;
        this.client = new Client(connection, context);
        KindredConfig config = context.config();
        this.rateLimit = new TokenBucket(config.ratePerSecond(), config.rateBurst(), context.nanoTime());
    }

    public boolean isAuthenticated() {
        return client.signedIn();
    }

    /** A text frame arrived. */
    public void onText(byte[] utf8) {
        if (client.closed()) {
            return;
        }
        ClientMessage message;
        try {
            message = context.codec().decodeClient(utf8);
        } catch (DecodeException e) {
            client.reply(e.toError());
            return;
        }
        long waitMillis =
                client.signedIn() ? context.userBudget(client.user().id(), client.newMember()) : rateLimit.tryAcquire();
        if (waitMillis > 0) {
            if (message instanceof ClientMessage.Send send && client.signedIn()) {
                context.roomCommands().refused(client, send);
            }
            client.refuse(
                    message.ref(),
                    new Refusal(
                            ErrorCode.RATE_LIMITED, "too many commands; retry in " + waitMillis + " ms", waitMillis));
        } else if (message instanceof ClientMessage.Hello hello) {
            hello(hello);
        } else if (!client.signedIn()) {
            client.fail(message.ref(), ErrorCode.NOT_AUTHENTICATED, "send 'hello' with a token first");
        } else {
            dispatch(message);
        }
    }

    private void dispatch(ClientMessage message) {
        RoomCommands rooms = context.roomCommands();
        SupportCommands support = context.supportCommands();
        GroupCommands groups = context.groupCommands();
        SafetyCommands safety = context.safetyCommands();
        QueueCommands queues = context.queueCommands();
        RoomAdminCommands roomAdmin = context.roomAdminCommands();
        Client c = client;
        switch (message) {
            case ClientMessage.Hello m -> hello(m);
            case ClientMessage.Ping m -> c.reply(new ServerMessage.Pong(m.ref()));
            case ClientMessage.Refresh m -> refresh(m);
            case ClientMessage.ListRooms m -> rooms.list(c, m);
            case ClientMessage.Join m -> rooms.join(c, m);
            case ClientMessage.Leave m -> rooms.leave(c, m);
            case ClientMessage.Send m -> rooms.send(c, m);
            case ClientMessage.EditMessage m -> rooms.edit(c, m);
            case ClientMessage.FetchHistory m -> rooms.history(c, m);
            case ClientMessage.FetchPresence m -> rooms.presence(c, m);
            case ClientMessage.Typing m -> rooms.typing(c, m);
            case ClientMessage.SetAvailability m -> support.setAvailability(c, m);
            case ClientMessage.RequestSupport m -> support.request(c, m);
            case ClientMessage.CancelSupport m -> support.cancel(c, m);
            case ClientMessage.AcceptOffer m -> support.accept(c, m);
            case ClientMessage.DeclineOffer m -> support.decline(c, m);
            case ClientMessage.EndSession m -> support.end(c, m);
            case ClientMessage.RateSession m -> support.rate(c, m);
            case ClientMessage.MentorNote m -> support.note(c, m);
            case ClientMessage.ProposeHandoff m -> support.proposeHandoff(c, m);
            case ClientMessage.AnswerHandoff m -> support.answerHandoff(c, m);
            case ClientMessage.DeleteTranscript m -> support.deleteTranscript(c, m);
            case ClientMessage.CreateGroup m -> groups.create(c, m);
            case ClientMessage.UpdateGroup m -> groups.update(c, m);
            case ClientMessage.CancelGroup m -> groups.cancel(c, m);
            case ClientMessage.ListGroups m -> groups.list(c, m);
            case ClientMessage.RegisterGroup m -> groups.register(c, m);
            case ClientMessage.UnregisterGroup m -> groups.unregister(c, m);
            case ClientMessage.OpenGroup m -> groups.open(c, m);
            case ClientMessage.CloseGroup m -> groups.close(c, m);
            case ClientMessage.SetGroupChat m -> groups.setChat(c, m);
            case ClientMessage.Mute m -> groups.mute(c, m);
            case ClientMessage.RemoveParticipant m -> groups.remove(c, m);
            case ClientMessage.LiftGroupBan m -> groups.liftBan(c, m);
            case ClientMessage.ListenOnly m -> groups.listenOnly(c, m);
            case ClientMessage.Pin m -> groups.pin(c, m);
            case ClientMessage.Unpin m -> groups.unpin(c, m);
            case ClientMessage.RaiseHand m -> groups.raiseHand(c, m);
            case ClientMessage.GiveFloor m -> groups.giveFloor(c, m);
            case ClientMessage.TakeFloor m -> groups.takeFloor(c, m);
            case ClientMessage.ReadAttendance m -> groups.readAttendance(c, m);
            case ClientMessage.Report m -> safety.report(c, m);
            case ClientMessage.Block m -> safety.block(c, m);
            case ClientMessage.Unblock m -> safety.unblock(c, m);
            case ClientMessage.AckAlert m -> safety.ackAlert(c, m);
            case ClientMessage.ListAlerts m -> safety.listAlerts(c, m);
            case ClientMessage.ListReports m -> safety.listReports(c, m);
            case ClientMessage.ResolveReport m -> safety.resolveReport(c, m);
            case ClientMessage.ReadAudit m -> safety.readAudit(c, m);
            case ClientMessage.Sanction m -> safety.sanction(c, m);
            case ClientMessage.LiftSanction m -> safety.liftSanction(c, m);
            case ClientMessage.DeleteMessage m -> safety.deleteMessage(c, m);
            case ClientMessage.ReviewHeld m -> safety.reviewHeld(c, m);
            case ClientMessage.ListHeld m -> queues.listHeld(c, m);
            case ClientMessage.ListNotes m -> queues.listNotes(c, m);
            case ClientMessage.ListRatings m -> queues.listRatings(c, m);
            case ClientMessage.ListSanctions m -> queues.listSanctions(c, m);
            case ClientMessage.MemberHistory m -> queues.memberHistory(c, m);
            case ClientMessage.Appeal m -> queues.appeal(c, m);
            case ClientMessage.ListAppeals m -> queues.listAppeals(c, m);
            case ClientMessage.DecideAppeal m -> queues.decideAppeal(c, m);
            case ClientMessage.CheckIn m -> queues.checkIn(c, m);
            case ClientMessage.AnswerCheckIn m -> queues.answerCheckIn(c, m);
            case ClientMessage.CreateRoom m -> roomAdmin.create(c, m);
            case ClientMessage.EditRoom m -> roomAdmin.edit(c, m);
            case ClientMessage.ArchiveRoom m -> roomAdmin.archive(c, m);
            case ClientMessage.RestoreRoom m -> roomAdmin.restore(c, m);
            case ClientMessage.ListManagedRooms m -> roomAdmin.list(c, m);
        }
    }

    /**
     * Signs the connection in: the protocol version, the token, a ban from the service; then {@code welcome}, the
     * stricter limits of a new member, and the features hear of the user's first connection on this node.
     */
    private void hello(ClientMessage.Hello hello) {
        if (client.signedIn()) {
            client.fail(hello.ref(), ErrorCode.ALREADY_AUTHENTICATED, "this connection is already signed in");
            return;
        }
        // The hello's own errors (an expired token, a ban) already read in the language it names.
        client.speakLanguage(
                hello.language() == null
                        ? null
                        : LanguageTags.canonical(hello.language()).orElseThrow());
        int version = hello.protocolVersion() == null ? ProtocolVersion.OLDEST : hello.protocolVersion();
        if (!ProtocolVersion.isSupported(version)) {
            client.fail(
                    hello.ref(),
                    ErrorCode.UNSUPPORTED_VERSION,
                    "protocol version " + version + " is not supported; this server speaks " + ProtocolVersion.OLDEST
                            + " to " + ProtocolVersion.CURRENT);
            close(CloseCode.PROTOCOL_VIOLATION);
            return;
        }
        Identity identity;
        SignedIn signedIn;
        try {
            signedIn = context.verifier().signIn(hello.token());
            identity = signedIn.identity();
        } catch (Refusal refused) {
            client.refuse(hello.ref(), refused);
            close(refused.code() == ErrorCode.TOKEN_EXPIRED ? CloseCode.TOKEN_EXPIRED : CloseCode.AUTH_FAILED);
            return;
        }
        Optional<Refusal> banned = context.safety().refusal(identity.userId(), SanctionKind.SERVICE_BAN, null);
        if (banned.isPresent()) {
            client.refuse(hello.ref(), banned.get());
            close(CloseCode.BANNED);
            return;
        }
        // The user's budget is readied (a first slice of a budget shared across nodes) before the welcome, so that
        // the commands right after it are not refused while a slice is on its way.
        var ready = isNewMember(identity)
                .exceptionally(error -> {
                    context.failures().record("new member check", error);
                    return false;
                })
                .thenCompose(isNew -> context.prepareBudget(identity.userId(), Boolean.TRUE.equals(isNew))
                        .thenApply(prepared -> isNew));
        client.onThread(ready, (isNew, error) -> {
            if (error != null) {
                context.failures().record("new member check", error);
            }
            if (!client.closed()) {
                welcome(hello, signedIn, Boolean.TRUE.equals(isNew));
            }
        });
    }

    /**
     * Whether a plain member is new (first seen less than the new-member period ago), known before {@code welcome} so
     * that the limits it announces are the ones enforced; false for staff, when the period is zero, or when the store
     * cannot say (the member then gets the ordinary limits).
     */
    private java.util.concurrent.CompletionStage<Boolean> isNewMember(Identity identity) {
        KindredConfig config = context.config();
        if (!identity.plainMember() || config.newMemberPeriod().isZero()) {
            return java.util.concurrent.CompletableFuture.completedFuture(false);
        }
        return context.safety().isNewMember(identity.userId(), config.newMemberPeriod());
    }

    /** Signs in: {@code welcome} with the limits this connection is held to, then the features hear of the user. */
    private void welcome(ClientMessage.Hello hello, SignedIn signedIn, boolean newMember) {
        Identity identity = signedIn.identity();
        int most = context.config().maxConnectionsPerUser();
        if (context.users().count(identity.userId()) >= most) {
            client.fail(
                    hello.ref(),
                    ErrorCode.TOO_MANY_CONNECTIONS,
                    "you already have " + most + " connections to this server; close one of them first");
            close(CloseCode.TOO_MANY_CONNECTIONS);
            return;
        }
        client.signIn(identity);
        rateLimit = null;
        client.speak(hello.protocolVersion() == null ? ProtocolVersion.OLDEST : hello.protocolVersion());
        if (client.language() == null) {
            client.speakLanguage(identity.locale().orElse(null));
        }
        if (newMember) {
            client.markNew();
        }
        if (hello.wantsInvisible()) {
            client.markInvisible();
        }
        // The hello counts against the user's budget too: a new connection is not a fresh allowance.
        long ignored = context.userBudget(identity.userId(), newMember);
        expireAt(signedIn);
        client.reply(new ServerMessage.Welcome(
                hello.ref(),
                client.protocolVersion(),
                client.user(),
                identity.roleNames(),
                context.limits(newMember),
                client.connection().id()));
        String userId = identity.userId();
        Set<String> helps = helps(identity);
        boolean first = context.users().add(userId, client.connection(), helps);
        if (!helps.isEmpty()) {
            context.safety().helpersChanged();
        }
        if (first) {
            context.support().connected(client.user());
        }
    }

    /**
     * Moves the connection onto a fresh token of the same user with the same roles; a refused token leaves it on its old
     * one.
     */
    private void refresh(ClientMessage.Refresh refresh) {
        SignedIn signedIn;
        try {
            signedIn = context.verifier().signIn(refresh.token());
        } catch (Refusal refused) {
            client.refuse(refresh.ref(), refused);
            return;
        }
        Identity current = client.identity();
        if (!signedIn.identity().userId().equals(current.userId())) {
            client.fail(refresh.ref(), ErrorCode.TOKEN_INVALID, "the new token names another user");
            return;
        }
        if (!signedIn.identity().roles().equals(current.roles())) {
            client.fail(
                    refresh.ref(),
                    ErrorCode.TOKEN_INVALID,
                    "the new token has other roles; sign in again with it on a new connection");
            return;
        }
        expireAt(signedIn);
        client.reply(new ServerMessage.Refreshed(
                refresh.ref(),
                signedIn.validUntil().equals(Instant.MAX)
                        ? Long.MAX_VALUE
                        : signedIn.validUntil().toEpochMilli()));
    }

    private void expireAt(SignedIn signedIn) {
        context.expiries().forget(expiry);
        expiry = context.expiries()
                .track(signedIn.validUntil(), () -> client.connection().execute(this::onTokenExpired));
    }

    /** The token's time is up and no {@code refresh} came: the client must come back with a fresh token. */
    private void onTokenExpired() {
        if (client.closed()) {
            return;
        }
        client.fail(null, ErrorCode.TOKEN_EXPIRED, "token expired; send 'refresh' with a fresh token before it does");
        close(CloseCode.TOKEN_EXPIRED);
    }

    /** How a user can help with a crisis: what {@code crisis_support} may say was told, who escalations reach. */
    private static Set<String> helps(Identity identity) {
        Set<String> kinds = new HashSet<>();
        if (identity.has(Role.MODERATOR)) {
            kinds.add(ConnectedUsers.MODERATOR);
        }
        if (identity.has(Role.MENTOR)) {
            kinds.add(ConnectedUsers.MENTOR);
            if (identity.experienced()) {
                kinds.add(ConnectedUsers.EXPERIENCED_MENTOR);
            }
        }
        if (identity.has(Role.FACILITATOR)) {
            kinds.add(ConnectedUsers.FACILITATOR);
        }
        return kinds;
    }

    /** A binary frame arrived: refused, the connection stays open. */
    public void onBinary() {
        client.fail(null, ErrorCode.BINARY_NOT_SUPPORTED, "binary frames are not supported; send JSON text frames");
    }

    /** A frame larger than the limit arrived; the stream cannot be read further, so the connection ends. */
    public void onFrameTooLarge() {
        client.fail(
                null,
                ErrorCode.FRAME_TOO_LARGE,
                "frame larger than " + context.config().maxFrameBytes() + " bytes; closing");
        close(CloseCode.MESSAGE_TOO_BIG);
    }

    /** The authentication timeout passed; closes the connection unless it authenticated. */
    public void onAuthTimeout() {
        if (!client.signedIn()) {
            close(CloseCode.AUTH_TIMEOUT);
        }
    }

    /** Nothing arrived for the idle timeout. */
    public void onIdle() {
        close(CloseCode.IDLE_TIMEOUT);
    }

    /** The connection is gone: its rooms let the user linger for the grace period. */
    public void onClosed() {
        client.markClosed();
        context.expiries().forget(expiry);
        if (!client.signedIn()) {
            return;
        }
        if (context.users().remove(client.user().id(), client.connection())) {
            context.support().disconnected(client.user().id());
            if (!client.identity().plainMember()) {
                context.safety().helpersChanged();
            }
        }
        context.roomCommands().closed(client);
    }

    private void close(CloseCode code) {
        client.markClosed();
        client.connection().close(code);
    }
}
