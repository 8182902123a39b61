package org.kindred.server.session;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.kindred.protocol.ClientMessage;
import org.kindred.protocol.ErrorCode;
import org.kindred.protocol.ServerMessage;
import org.kindred.server.connection.Refusal;
import org.kindred.server.room.RoomAdmin;

/**
 * The moderators' commands on rooms made at run time: create, edit, archive, restore and list them. Moderators only;
 * the rules, the audit and the notice to every node are {@link RoomAdmin}'s, shared with the server API.
 */
final class RoomAdminCommands {

    /** Null on a node without a system of record (some tests): every command is then {@code unavailable}. */
    private final RoomAdmin admin;

    RoomAdminCommands(RoomAdmin admin) {
        this.admin = admin;
    }

    void create(Client client, ClientMessage.CreateRoom c) {
        run(client, c.ref(), () -> admin.create(client.user(), c).thenApply(room -> managed(c.ref(), room)));
    }

    void edit(Client client, ClientMessage.EditRoom c) {
        run(client, c.ref(), () -> admin.edit(client.user(), c).thenApply(room -> managed(c.ref(), room)));
    }

    void archive(Client client, ClientMessage.ArchiveRoom c) {
        run(client, c.ref(), () -> admin.archive(client.user(), c.room()).thenApply(room -> managed(c.ref(), room)));
    }

    void restore(Client client, ClientMessage.RestoreRoom c) {
        run(client, c.ref(), () -> admin.restore(client.user(), c.room()).thenApply(room -> managed(c.ref(), room)));
    }

    void list(Client client, ClientMessage.ListManagedRooms c) {
        run(client, c.ref(), () -> admin.all().thenApply(rooms -> new ServerMessage.ManagedRoomList(c.ref(), rooms)));
    }

    private void run(Client client, String ref, Supplier<CompletableFuture<? extends ServerMessage>> command) {
        SafetyCommands.moderate(
                client,
                ref,
                () -> admin == null
                        ? CompletableFuture.failedFuture(
                                new Refusal(ErrorCode.UNAVAILABLE, "rooms cannot be made on this node"))
                        : command.get());
    }

    private static ServerMessage managed(String ref, org.kindred.protocol.ManagedRoom room) {
        return new ServerMessage.RoomManaged(ref, room);
    }
}
