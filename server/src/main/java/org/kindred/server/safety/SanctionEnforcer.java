package org.kindred.server.safety;

import org.kindred.protocol.CloseCode;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.ServerMessage.SanctionInfo;
import org.kindred.protocol.WireCodec;
import org.kindred.server.connection.ConnectedUsers;
import org.kindred.server.connection.EncodedFrame;
import org.kindred.server.room.RoomRegistry;

/**
 * Carries out a sanction on this node, where the member is connected: tells it what happened and why, takes it out of
 * a room it was banned from, closes its connections when it is banned from the service. Every node runs it for every
 * sanction; each acts on its own connections.
 */
public final class SanctionEnforcer {

    private final ConnectedUsers users;
    private final RoomRegistry rooms;
    private final WireCodec codec;

    public SanctionEnforcer(ConnectedUsers users, RoomRegistry rooms, WireCodec codec) {
        this.users = users;
        this.rooms = rooms;
        this.codec = codec;
    }

    public void applied(SanctionInfo sanction) {
        users.send(sanction.userId(), new EncodedFrame(codec.encode(new ServerMessage.Sanctioned(null, sanction))));
        switch (SanctionKind.fromWire(sanction.kind())) {
            case ROOM_BAN -> rooms.existing(sanction.room()).ifPresent(room -> room.evict(sanction.userId()));
            case SERVICE_BAN -> users.closeAll(sanction.userId(), CloseCode.BANNED);
            case WARN, TIMEOUT, RESTRICT -> {
                // told above; timeouts and restrictions are checked on each command
            }
        }
    }

    public void lifted(SanctionInfo sanction) {
        users.send(
                sanction.userId(),
                new EncodedFrame(
                        codec.encode(new ServerMessage.SanctionLifted(null, sanction.sanctionId(), sanction.kind()))));
    }
}
