package org.kindred.server.session;

import java.util.Optional;
import org.kindred.protocol.ClientMessage;
import org.kindred.protocol.ErrorCode;
import org.kindred.protocol.ServerMessage;
import org.kindred.server.connection.Refusal;
import org.kindred.server.room.Room;
import org.kindred.server.room.RoomPolicy;
import org.kindred.server.room.RoomRegistry;
import org.kindred.server.safety.CrisisAlerts;
import org.kindred.server.safety.SafetyService;
import org.kindred.server.safety.SanctionKind;

/**
 * The room commands of a session: list, join, leave, send (through the {@link PostPipeline}), history and typing; and
 * leaving every room when the connection closes. Each room follows the policy of its kind.
 */
final class RoomCommands {

    private final SessionContext context;
    private final RoomRegistry rooms;
    private final SafetyService safety;
    private final RoomAccess access;
    private final PostPipeline pipeline;

    RoomCommands(SessionContext context, RoomAccess access, PostPipeline pipeline) {
        this.context = context;
        this.rooms = context.rooms();
        this.safety = context.safety();
        this.access = access;
        this.pipeline = pipeline;
    }

    void list(Client client, ClientMessage.ListRooms list) {
        client.answer(
                list.ref(),
                rooms.list(client.identity()).thenApply(infos -> new ServerMessage.RoomList(list.ref(), infos)));
    }

    /**
     * Joins a room: its policy lets the connection in (a meeting's state follows the join reply), a ban from the room
     * refuses it, then the room sends the join reply. A re-join on the same connection replaces the membership and
     * reads again from {@code since}; presence stays.
     */
    void join(Client client, ClientMessage.Join join) {
        String roomId = join.room();
        Optional<RoomPolicy> policy = rooms.policyOf(roomId);
        if (policy.isEmpty()) {
            client.refuse(join.ref(), RoomPolicy.notFound(roomId));
            return;
        }
        String userId = client.user().id();
        String connectionId = client.connection().id();
        client.onThread(policy.get().enter(client.identity(), roomId, connectionId), (followUp, error) -> {
            if (error != null) {
                client.answerFailure(join.ref(), error);
                return;
            }
            if (client.closed()) {
                policy.get().left(userId, roomId, connectionId);
                return;
            }
            Optional<Refusal> banned = safety.refusal(userId, SanctionKind.ROOM_BAN, roomId);
            if (banned.isPresent()) {
                client.refuse(join.ref(), banned.get());
                policy.get().left(userId, roomId, connectionId);
                return;
            }
            Room room = rooms.acquire(roomId);
            Client.Joined entry = new Client.Joined(room, client.asMember());
            Client.Joined previous = client.joined.put(roomId, entry);
            if (previous != null) {
                rooms.release(previous.room());
            }
            context.failures()
                    .then(
                            "join",
                            room.join(entry.member(), join.since(), join.epoch(), join.ref()),
                            (ignored, joinError) -> {
                                if (joinError == null) {
                                    followUp.ifPresent(client::reply);
                                    return;
                                }
                                client.connection().execute(() -> {
                                    if (client.joined.remove(roomId, entry)) {
                                        rooms.release(room);
                                    }
                                    policy.get().left(userId, roomId, connectionId);
                                });
                                client.answerFailure(join.ref(), joinError);
                            });
        });
    }

    void leave(Client client, ClientMessage.Leave leave) {
        Client.Joined joined = client.joined.remove(leave.room());
        if (joined == null) {
            // Not in it: room_not_found when the room does not exist for this user, not_in_room otherwise.
            access.inJoinedRoom(client, leave.room(), leave.ref(), notReached -> {});
            return;
        }
        leave(client, joined, true);
        client.reply(new ServerMessage.Left(leave.ref(), leave.room()));
    }

    /** The connection closed: it leaves every room, lingering in each for the presence grace period. */
    void closed(Client client) {
        client.joined.values().forEach(joined -> leave(client, joined, false));
        client.joined.clear();
    }

    private void leave(Client client, Client.Joined joined, boolean onPurpose) {
        Room room = joined.room();
        room.leave(joined.member(), onPurpose);
        rooms.release(room);
        room.policy().left(client.user().id(), room.id(), client.connection().id());
    }

    void send(Client client, ClientMessage.Send send) {
        long start = context.nanoTime().getAsLong();
        int length = send.text().codePointCount(0, send.text().length());
        int limit = context.config().maxTextLength();
        if (length > limit) {
            refused(client, send);
            client.fail(
                    send.ref(), ErrorCode.TEXT_TOO_LONG, "text has " + length + " characters; the limit is " + limit);
            return;
        }
        if (!client.joined.containsKey(send.room())) {
            refused(client, send); // not_in_room or room_not_found follows
        }
        access.inJoinedRoom(
                client, send.room(), send.ref(), joined -> pipeline.post(client, joined.room(), send, start));
    }

    /**
     * An author edits its message in a room it has joined: as long as a send, then the post pipeline's screening.
     */
    void edit(Client client, ClientMessage.EditMessage edit) {
        int length = edit.text().codePointCount(0, edit.text().length());
        int limit = context.config().maxTextLength();
        if (length > limit) {
            client.fail(
                    edit.ref(), ErrorCode.TEXT_TOO_LONG, "text has " + length + " characters; the limit is " + limit);
            return;
        }
        access.inJoinedRoom(client, edit.room(), edit.ref(), joined -> pipeline.edit(client, joined.room(), edit));
    }

    /**
     * A send refused before it reached a room's pipeline (too long, too fast, not in the room): a crisis in it is
     * answered and alerted all the same — to the room's helpers too when the connection is in that room.
     */
    void refused(Client client, ClientMessage.Send send) {
        Client.Joined joined = client.joined.get(send.room());
        if (joined != null) {
            pipeline.refuse(client, send.room(), joined.room().policy(), send);
        } else {
            safety.crisis()
                    .screenUnposted(
                            client.user(),
                            client.language(),
                            send.room(),
                            send.text(),
                            send.clientMsgId(),
                            CrisisAlerts.Source.REFUSED,
                            CrisisAlerts.Helpers.NONE,
                            client::reply);
        }
    }

    void history(Client client, ClientMessage.FetchHistory fetch) {
        access.inJoinedRoom(client, fetch.room(), fetch.ref(), joined -> {
            Optional<Refusal> banned = safety.refusal(client.user().id(), SanctionKind.ROOM_BAN, fetch.room());
            if (banned.isPresent()) {
                client.refuse(fetch.ref(), banned.get());
                return;
            }
            client.answer(
                    fetch.ref(), joined.room().history(client.user().id(), fetch.before(), fetch.limit(), fetch.ref()));
        });
    }

    /** A page of who is present in a joined room, after the client's cursor. */
    void presence(Client client, ClientMessage.FetchPresence fetch) {
        access.inJoinedRoom(
                client,
                fetch.room(),
                fetch.ref(),
                joined -> joined.room().sendPresencePage(joined.member(), fetch.after(), fetch.limit(), fetch.ref()));
    }

    void typing(Client client, ClientMessage.Typing typing) {
        access.inJoinedRoom(client, typing.room(), typing.ref(), joined -> {
            Room room = joined.room();
            Optional<Refusal> refused = safety.postingRefusal(client.user().id(), room.id(), room.policy())
                    .or(() -> room.policy().typingRefusal(client.identity(), room.id()));
            if (refused.isPresent()) {
                client.refuse(typing.ref(), refused.get());
            } else if (!client.invisible()) { // typing would show an invisible member is here
                room.typing(client.user(), typing.active());
            }
        });
    }
}
