package org.kindred.server.session;

import java.util.Optional;
import java.util.function.Consumer;
import org.kindred.protocol.ErrorCode;
import org.kindred.server.room.RoomPolicy;
import org.kindred.server.room.RoomRegistry;

/**
 * Whether a room exists for a user, as the policy of the room's kind says (to a user who may not use a room, it does
 * not exist: {@code room_not_found}), and, for commands that need it, whether this connection is in it
 * ({@code not_in_room}). A policy may ask the cluster; the action then runs on the connection's thread.
 */
final class RoomAccess {

    private final RoomRegistry rooms;

    RoomAccess(RoomRegistry rooms) {
        this.rooms = rooms;
    }

    /** Runs an action with the room's policy once this user may use the room. */
    void whenAdmitted(Client client, String roomId, String ref, Consumer<RoomPolicy> action) {
        Optional<RoomPolicy> policy = rooms.policyOf(roomId);
        if (policy.isEmpty()) {
            client.refuse(ref, RoomPolicy.notFound(roomId));
            return;
        }
        client.onThread(policy.get().admits(client.identity(), roomId), (admitted, error) -> {
            if (error != null) {
                client.answerFailure(ref, error);
            } else if (!admitted) {
                client.refuse(ref, RoomPolicy.notFound(roomId));
            } else {
                action.accept(policy.get());
            }
        });
    }

    /** Runs an action on the room this connection is in, once this user may still use it. */
    void inJoinedRoom(Client client, String roomId, String ref, Consumer<Client.Joined> action) {
        whenAdmitted(client, roomId, ref, policy -> {
            Client.Joined joined = client.joined.get(roomId);
            if (joined == null) {
                client.fail(ref, ErrorCode.NOT_IN_ROOM, "join room '" + roomId + "' first");
            } else {
                action.accept(joined);
            }
        });
    }
}
