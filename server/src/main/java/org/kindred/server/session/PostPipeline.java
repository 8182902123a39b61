package org.kindred.server.session;

import java.util.Optional;
import org.kindred.protocol.ClientMessage;
import org.kindred.protocol.ErrorCode;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.ServerMessage.ChatMessage;
import org.kindred.server.connection.Refusal;
import org.kindred.server.room.MessageEdits;
import org.kindred.server.room.Room;
import org.kindred.server.room.RoomPolicy;
import org.kindred.server.safety.CrisisAlerts;
import org.kindred.server.safety.CrisisDetector.CrisisHit;
import org.kindred.server.safety.SafetyService;

/**
 * The one order every post goes through, whatever the room:
 *
 * <ol>
 *   <li>the author's sanctions (a timeout, a restriction where the room's kind lets it apply, a ban from the room);
 *   <li>the room's policy: who may post here, a session still open, a meeting's controls and its slow-mode turn;
 *   <li>the room's content rules, for plain members: refused, or held for a moderator's review;
 *   <li>publishing: stored and ordered, then delivered to the room;
 *   <li>after the post: crisis support to its author (before the ack), the ack, then the alert; the feature's
 *       bookkeeping (a session is not idle).
 * </ol>
 *
 * A step that refuses ends the post with its refusal; a turn taken by the room's policy goes back when the message is
 * not published after all. Crisis language never stops a message, and never lifts a refusal: it makes people look.
 * A refused post that reads like a crisis still sends its author crisis support and raises the alert, before the
 * refusal ({@link #refuse}).
 */
final class PostPipeline {

    private final SessionContext context;
    private final SafetyService safety;
    private final CrisisAlerts crisis;
    private final MessageEdits edits;

    PostPipeline(SessionContext context) {
        this.context = context;
        this.safety = context.safety();
        this.crisis = safety.crisis();
        this.edits = context.rooms().edits(context.config().editWindow());
    }

    void post(Client client, Room room, ClientMessage.Send send, long startNanos) {
        RoomPolicy policy = room.policy();
        Optional<Refusal> sanctioned = safety.postingRefusal(client.user().id(), room.id(), policy);
        if (sanctioned.isPresent()) {
            refuse(client, room.id(), policy, send);
            client.refuse(send.ref(), sanctioned.get());
            return;
        }
        client.onThread(policy.mayPost(client.identity(), room.id(), send.clientMsgId()), (grant, refused) -> {
            if (refused != null) {
                refuse(client, room.id(), policy, send);
                client.answerFailure(send.ref(), refused);
                return;
            }
            Optional<SafetyService.Caught> caught =
                    safety.contentCheck(room.rules(), client.identity(), client.newMember(), send.text());
            if (caught.isEmpty()) {
                publish(client, room, send, grant, startNanos);
                return;
            }
            grant.giveBack();
            if (caught.get().rule().holds()) {
                hold(client, room, send, caught.get());
            } else {
                refuse(client, room.id(), policy, send);
                client.fail(send.ref(), ErrorCode.FORBIDDEN, caught.get().why());
            }
        });
    }

    /**
     * An author edits its message: the new text goes through the same screening as a post — sanctions, the room's
     * content rules (which refuse an edit they would hold: an edit is never held, the message keeps its old text), crisis
     * detection (support to the author and an alert, the edit goes through) — then replaces the old one everywhere.
     */
    void edit(Client client, Room room, ClientMessage.EditMessage edit) {
        RoomPolicy policy = room.policy();
        Optional<Refusal> sanctioned = safety.postingRefusal(client.user().id(), room.id(), policy);
        if (sanctioned.isPresent()) {
            screenRefused(client, room.id(), policy, edit.text());
            client.refuse(edit.ref(), sanctioned.get());
            return;
        }
        Optional<SafetyService.Caught> caught =
                safety.contentCheck(room.rules(), client.identity(), client.newMember(), edit.text());
        if (caught.isPresent()) {
            screenRefused(client, room.id(), policy, edit.text());
            client.fail(
                    edit.ref(),
                    ErrorCode.FORBIDDEN,
                    caught.get().rule().holds()
                            ? caught.get().why() + "; an edit is not held for review: the message keeps its text"
                            : caught.get().why());
            return;
        }
        Optional<CrisisHit> hit = crisis.screen(edit.text());
        context.failures()
                .then("edit", edits.edit(room.id(), edit.seq(), client.user().id(), edit.text()), (edited, error) -> {
                    if (error != null) {
                        screenRefused(client, room.id(), policy, edit.text());
                        client.answerFailure(edit.ref(), error);
                        return;
                    }
                    CrisisAlerts.Helpers helpers = helpers(policy, room.id(), client);
                    hit.ifPresent(h -> client.reply(
                            crisis.supportFor(edited, h, CrisisAlerts.Source.POSTED, helpers, client.language())));
                    client.reply(new ServerMessage.Done(edit.ref(), "edit_message"));
                    hit.ifPresent(h -> crisis.raise(edited, h, CrisisAlerts.Source.POSTED, helpers, client.language()));
                });
    }

    /**
     * A post about to be refused (or that cannot be published): when it reads like a crisis, its author gets crisis
     * support and the room's helpers and moderators the alert all the same, before the refusal. The refusal stands.
     */
    void refuse(Client client, String roomId, RoomPolicy policy, ClientMessage.Send send) {
        crisis.screenUnposted(
                client.user(),
                client.language(),
                roomId,
                send.text(),
                send.clientMsgId(),
                CrisisAlerts.Source.REFUSED,
                helpers(policy, roomId, client),
                client::reply);
    }

    /** An edit about to be refused: as {@link #refuse}, crisis language in it is answered and alerted all the same. */
    private void screenRefused(Client client, String roomId, RoomPolicy policy, String text) {
        crisis.screenUnposted(
                client.user(),
                client.language(),
                roomId,
                text,
                null,
                CrisisAlerts.Source.REFUSED,
                helpers(policy, roomId, client),
                client::reply);
    }

    static CrisisAlerts.Helpers helpers(RoomPolicy policy, String roomId, Client client) {
        return new CrisisAlerts.Helpers(
                policy.crisisHelpers(roomId, client.user().id()), policy.crisisHelperWord());
    }

    private void publish(Client client, Room room, ClientMessage.Send send, RoomPolicy.Grant grant, long startNanos) {
        Optional<CrisisHit> hit = crisis.screen(send.text());
        context.failures()
                .then("post", room.publish(client.user(), send.clientMsgId(), send.text()), (stored, error) -> {
                    if (error != null) {
                        grant.giveBack();
                        refuse(client, room.id(), room.policy(), send);
                        client.answerFailure(send.ref(), error);
                        return;
                    }
                    ChatMessage message = stored.message();
                    Optional<CrisisHit> alert = stored.duplicate() ? Optional.empty() : hit;
                    CrisisAlerts.Helpers helpers = helpers(room.policy(), room.id(), client);
                    // The author hears first, before the ack and before anyone is alerted.
                    alert.ifPresent(h -> client.reply(
                            crisis.supportFor(message, h, CrisisAlerts.Source.POSTED, helpers, client.language())));
                    client.reply(new ServerMessage.Ack(
                            send.ref(),
                            room.id(),
                            send.clientMsgId(),
                            message.id(),
                            message.seq(),
                            message.ts(),
                            stored.duplicate()));
                    alert.ifPresent(
                            h -> crisis.raise(message, h, CrisisAlerts.Source.POSTED, helpers, client.language()));
                    context.metrics().sendLatency(context.nanoTime().getAsLong() - startNanos);
                    room.policy().posted(room.id());
                });
    }

    /** Holds a post for review; one that reads like a crisis still reaches its author's helpers at once. */
    private void hold(Client client, Room room, ClientMessage.Send send, SafetyService.Caught caught) {
        Optional<CrisisHit> hit = crisis.screen(send.text());
        context.failures()
                .then(
                        "hold",
                        safety.hold(
                                client.user(),
                                room.id(),
                                send.clientMsgId(),
                                send.text(),
                                caught.rule().wire()),
                        (held, error) -> {
                            if (error != null) {
                                refuse(client, room.id(), room.policy(), send);
                                client.answerFailure(send.ref(), error);
                                return;
                            }
                            hit.ifPresent(h -> crisis.answer(
                                    CrisisAlerts.pending(held),
                                    h,
                                    CrisisAlerts.Source.HELD,
                                    helpers(room.policy(), room.id(), client),
                                    client.language(),
                                    client::reply));
                            client.refuse(send.ref(), new Refusal(ErrorCode.HELD_FOR_REVIEW, caught.why()));
                        });
    }
}
