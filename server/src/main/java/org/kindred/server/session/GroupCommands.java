package org.kindred.server.session;

import org.kindred.protocol.ClientMessage;
import org.kindred.server.group.Actor;
import org.kindred.server.group.GroupStore;
import org.kindred.server.room.RoomRegistry;

/**
 * The group session commands of a session, carried out by the group store: scheduling, registering, and what
 * facilitators and participants do in a meeting. Who may do what is the group service's rule.
 */
final class GroupCommands {

    private final GroupStore groups;
    private final RoomRegistry rooms;

    GroupCommands(GroupStore groups, RoomRegistry rooms) {
        this.groups = groups;
        this.rooms = rooms;
    }

    void create(Client client, ClientMessage.CreateGroup c) {
        change(client, c.ref(), s -> s.scheduling().create(actor(client), c));
    }

    void update(Client client, ClientMessage.UpdateGroup c) {
        change(client, c.ref(), s -> s.scheduling().update(actor(client), c));
    }

    void cancel(Client client, ClientMessage.CancelGroup c) {
        change(client, c.ref(), s -> s.scheduling().cancel(actor(client), c));
    }

    void list(Client client, ClientMessage.ListGroups c) {
        client.answer(
                c.ref(), groups.read(s -> s.scheduling().list(client.user().id(), c.topic(), c.ref())));
    }

    void register(Client client, ClientMessage.RegisterGroup c) {
        change(client, c.ref(), s -> s.scheduling().register(client.user(), c.groupId(), c.ref()));
    }

    void unregister(Client client, ClientMessage.UnregisterGroup c) {
        change(client, c.ref(), s -> s.scheduling().unregister(client.user(), c.groupId(), c.ref()));
    }

    void open(Client client, ClientMessage.OpenGroup c) {
        change(client, c.ref(), s -> s.controls().open(actor(client), c.groupId(), c.ref()));
    }

    void close(Client client, ClientMessage.CloseGroup c) {
        change(client, c.ref(), s -> s.controls().close(actor(client), c.groupId(), c.ref()));
    }

    void setChat(Client client, ClientMessage.SetGroupChat c) {
        change(client, c.ref(), s -> s.controls().setChat(actor(client), c));
    }

    void mute(Client client, ClientMessage.Mute c) {
        change(client, c.ref(), s -> s.controls().mute(actor(client), c.groupId(), c.userId(), c.muted(), c.ref()));
    }

    void remove(Client client, ClientMessage.RemoveParticipant c) {
        change(client, c.ref(), s -> s.controls().remove(actor(client), c));
    }

    void liftBan(Client client, ClientMessage.LiftGroupBan c) {
        change(client, c.ref(), s -> s.controls().liftBan(actor(client), c.groupId(), c.userId(), c.ref()));
    }

    void listenOnly(Client client, ClientMessage.ListenOnly c) {
        change(client, c.ref(), s -> s.controls().listenOnly(actor(client), c.groupId(), c.on(), c.ref()));
    }

    /** Pins the rules, or a message read from the meeting's room first. */
    void pin(Client client, ClientMessage.Pin c) {
        var room = c.seq() == null ? java.util.Optional.<String>empty() : groups.currentRoom(c.groupId());
        if (room.isEmpty()) {
            change(client, c.ref(), s -> s.controls().pin(actor(client), c.groupId(), c.seq(), null, c.ref()));
            return;
        }
        client.answer(
                c.ref(),
                rooms.around(room.get(), c.seq(), 0)
                        .thenCompose(found -> groups.execute(s -> s.controls()
                                .pin(
                                        actor(client),
                                        c.groupId(),
                                        c.seq(),
                                        found.stream()
                                                .filter(m -> m.seq() == c.seq())
                                                .findFirst()
                                                .orElse(null),
                                        c.ref()))));
    }

    void unpin(Client client, ClientMessage.Unpin c) {
        change(client, c.ref(), s -> s.controls().unpin(actor(client), c.groupId(), c.ref()));
    }

    void raiseHand(Client client, ClientMessage.RaiseHand c) {
        change(client, c.ref(), s -> s.controls().raiseHand(actor(client), c.groupId(), c.raised(), c.ref()));
    }

    void giveFloor(Client client, ClientMessage.GiveFloor c) {
        change(client, c.ref(), s -> s.controls().giveFloor(actor(client), c.groupId(), c.userId(), c.ref()));
    }

    void takeFloor(Client client, ClientMessage.TakeFloor c) {
        change(client, c.ref(), s -> s.controls().takeFloor(actor(client), c.groupId(), c.ref()));
    }

    void readAttendance(Client client, ClientMessage.ReadAttendance c) {
        client.answer(
                c.ref(),
                groups.read(s -> s.controls().attendance(actor(client), c.groupId(), c.occurrence(), c.ref())));
    }

    private void change(Client client, String ref, GroupStore.Call call) {
        client.answer(ref, groups.execute(call));
    }

    private static Actor actor(Client client) {
        return Actor.of(client.identity());
    }
}
