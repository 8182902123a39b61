package org.kindred.server.session;

import java.util.concurrent.CompletableFuture;
import org.kindred.protocol.ClientMessage;
import org.kindred.protocol.ServerMessage;
import org.kindred.server.safety.CrisisAlerts;
import org.kindred.server.safety.ModeratorQueues;
import org.kindred.server.support.SupportStore;

/**
 * The moderator queues of a session (held messages, notes, ratings, sanctions in force, a member's history, appeals),
 * the member's appeal, and the check-in a moderator offers after a crisis alert. Every list is moderator-only; an
 * appeal and the answer to a check-in are the member's own.
 */
final class QueueCommands {

    private final ModeratorQueues queues;
    private final SupportStore support;
    private final CrisisAlerts crisis;

    QueueCommands(ModeratorQueues queues, SupportStore support, CrisisAlerts crisis) {
        this.queues = queues;
        this.support = support;
        this.crisis = crisis;
    }

    void listHeld(Client client, ClientMessage.ListHeld c) {
        SafetyCommands.moderate(client, c.ref(), () -> queues.held(client.user(), c.cursor(), c.limit(), c.ref()));
    }

    void listNotes(Client client, ClientMessage.ListNotes c) {
        SafetyCommands.moderate(client, c.ref(), () -> queues.notes(client.user(), c.cursor(), c.limit(), c.ref()));
    }

    void listRatings(Client client, ClientMessage.ListRatings c) {
        SafetyCommands.moderate(
                client, c.ref(), () -> queues.ratings(client.user(), c.maxRating(), c.cursor(), c.limit(), c.ref()));
    }

    void listSanctions(Client client, ClientMessage.ListSanctions c) {
        SafetyCommands.moderate(
                client, c.ref(), () -> queues.sanctions(client.user(), c.userId(), c.cursor(), c.limit(), c.ref()));
    }

    void memberHistory(Client client, ClientMessage.MemberHistory c) {
        SafetyCommands.moderate(client, c.ref(), () -> queues.history(client.user(), c));
    }

    void listAppeals(Client client, ClientMessage.ListAppeals c) {
        SafetyCommands.moderate(client, c.ref(), () -> queues.appeals(client.user(), c.cursor(), c.limit(), c.ref()));
    }

    void decideAppeal(Client client, ClientMessage.DecideAppeal c) {
        SafetyCommands.moderate(
                client, c.ref(), () -> queues.decide(client.user(), c.appealId(), c.lift(), c.note(), c.ref()));
    }

    /** A member appeals its sanction; the text is screened like everything a member writes. */
    void appeal(Client client, ClientMessage.Appeal c) {
        crisis.screenUnposted(
                client.user(),
                client.language(),
                "appeal",
                c.text(),
                null,
                CrisisAlerts.Source.APPEAL,
                CrisisAlerts.Helpers.NONE,
                client::reply);
        client.answer(c.ref(), queues.appeal(client.user(), c.sanctionId(), c.text(), c.ref()));
    }

    void checkIn(Client client, ClientMessage.CheckIn c) {
        SafetyCommands.moderate(client, c.ref(), () -> queues.offerCheckIn(client.user(), c.alertId(), c.ref()));
    }

    /**
     * The member answers a check-in: accepted, it becomes a one-to-one session (its reply is {@code session_started},
     * and the moderator gets one too); declined, the reply is {@code done} and the moderator is told.
     */
    void answerCheckIn(Client client, ClientMessage.AnswerCheckIn c) {
        client.answer(
                c.ref(),
                queues.answerCheckIn(client.user(), c.checkInId(), c.accept())
                        .thenCompose(checkIn -> c.accept()
                                ? support.execute(s -> s.openCheckIn(
                                        checkIn.member(),
                                        checkIn.moderator(),
                                        checkIn.checkInId(),
                                        checkIn.language() == null ? "en" : checkIn.language(),
                                        c.ref()))
                                : CompletableFuture.<ServerMessage>completedFuture(
                                        new ServerMessage.Done(c.ref(), "answer_check_in"))));
    }
}
