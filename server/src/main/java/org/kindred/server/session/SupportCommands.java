package org.kindred.server.session;

import org.kindred.protocol.ClientMessage;
import org.kindred.protocol.ServerMessage;
import org.kindred.server.identity.Role;
import org.kindred.server.safety.CrisisAlerts;
import org.kindred.server.support.SupportStore;

/** The one-to-one support commands of a session, carried out by the support store; mentors' commands need the role. */
final class SupportCommands {

    private final SupportStore support;
    private final CrisisAlerts crisis;

    SupportCommands(SupportStore support, CrisisAlerts crisis) {
        this.support = support;
        this.crisis = crisis;
    }

    void setAvailability(Client client, ClientMessage.SetAvailability c) {
        call(
                client,
                c.ref(),
                Role.MENTOR,
                s -> s.setAvailability(
                        client.user(),
                        client.identity().experienced(),
                        c.available(),
                        c.conditions(),
                        c.languages(),
                        c.capacity(),
                        c.ref()));
    }

    /**
     * A member asks for support. A note that reads like a crisis gets crisis support at once (before
     * {@code support_queued}) and an alert, whatever becomes of the request; the request is then urgent (first in
     * line, offered with {@code urgent}).
     */
    void request(Client client, ClientMessage.RequestSupport c) {
        crisis.screenUnposted(
                client.user(),
                client.language(),
                "support",
                c.note(),
                null,
                CrisisAlerts.Source.SUPPORT_REQUEST,
                CrisisAlerts.Helpers.NONE,
                client::reply);
        call(client, c.ref(), null, s -> s.request(client.user(), c.condition(), c.language(), c.note(), c.ref()));
    }

    void cancel(Client client, ClientMessage.CancelSupport c) {
        call(client, c.ref(), null, s -> s.cancel(client.user(), c.requestId(), c.ref()));
    }

    /** A mentor takes a request; its other devices, which saw the offer too, learn of the session. */
    void accept(Client client, ClientMessage.AcceptOffer c) {
        if (client.lacks(Role.MENTOR, c.ref())) {
            return;
        }
        client.answer(
                c.ref(),
                support.execute(s -> s.accept(client.user(), c.requestId(), c.ref()))
                        .thenApply(reply -> {
                            tellOtherDevices(client, reply);
                            return reply;
                        }));
    }

    private void tellOtherDevices(Client client, ServerMessage reply) {
        if (reply instanceof ServerMessage.SessionStarted started) {
            support.toOtherDevices(
                    client.user().id(),
                    client.connection().id(),
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
    }

    void decline(Client client, ClientMessage.DeclineOffer c) {
        call(client, c.ref(), Role.MENTOR, s -> s.decline(client.user(), c.requestId(), c.ref()));
    }

    void end(Client client, ClientMessage.EndSession c) {
        call(client, c.ref(), null, s -> s.end(client.user(), c.sessionId(), c.ref()));
    }

    void rate(Client client, ClientMessage.RateSession c) {
        call(client, c.ref(), null, s -> s.rate(client.user(), c.sessionId(), c.rating(), c.comment(), c.ref()));
    }

    /** A mentor's note for moderators; one that reads like a crisis alerts them at once. */
    void note(Client client, ClientMessage.MentorNote c) {
        if (client.lacks(Role.MENTOR, c.ref())) {
            return;
        }
        crisis.screenUnposted(
                client.user(),
                client.language(),
                c.sessionId(),
                c.note(),
                null,
                CrisisAlerts.Source.MENTOR_NOTE,
                CrisisAlerts.Helpers.NONE,
                client::reply);
        client.answer(c.ref(), support.execute(s -> s.note(client.user(), c.sessionId(), c.note(), c.ref())));
    }

    void proposeHandoff(Client client, ClientMessage.ProposeHandoff c) {
        call(
                client,
                c.ref(),
                Role.MENTOR,
                s -> s.proposeHandoff(client.user(), c.sessionId(), c.toMentorId(), c.reason(), c.ref()));
    }

    void answerHandoff(Client client, ClientMessage.AnswerHandoff c) {
        call(client, c.ref(), null, s -> s.answerHandoff(client.user(), c.sessionId(), c.consent(), c.ref()));
    }

    void deleteTranscript(Client client, ClientMessage.DeleteTranscript c) {
        call(client, c.ref(), null, s -> s.deleteTranscript(client.user(), c.sessionId(), c.ref()));
    }

    private void call(Client client, String ref, Role requiredRole, SupportStore.Call call) {
        if (requiredRole == null || !client.lacks(requiredRole, ref)) {
            client.answer(ref, support.execute(call));
        }
    }
}
