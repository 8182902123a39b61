package org.kindred.client;

import org.kindred.protocol.ServerMessage;

/**
 * Receives a {@link KindredClient}'s events. Every method does nothing by default; override the ones you need.
 *
 * <p>Methods are called one at a time, in the order the events happened, on the client's callback executor (by
 * default one thread owned by the client). A method that throws is logged and does not stop later events. Do not
 * block in a callback waiting for a future of the same client: the future is completed on the same executor.
 *
 * <p>Connection life cycle: {@link #onConnected} when a session is ready (after {@code connect()}, and after every
 * automatic reconnect once every room was re-joined, each with {@link #onResumed}); {@link #onDisconnected} when it
 * drops, telling whether the client will reconnect by itself.
 *
 * <p>One-to-one support: frames that answer a command (they carry its {@code ref}) complete that command's future;
 * the same kinds of frames sent on the server's own account (without {@code ref}) come here: queue updates
 * ({@link #onSupportStatus}), offers to a mentor ({@link #onOffer}), session starts and ends, hand-offs. After a
 * reconnect the server tells again where an open request stands ({@link #onSupportStatus}) and which sessions are in
 * progress ({@link #onSessionStarted}), so the same session may be reported more than once: key sessions by
 * {@code sessionId}.
 *
 * <p>Safety: {@link #onCrisisSupport} tells the user where to get help when a message they wrote reads like a
 * crisis. Moderators (and, for a one-to-one session, its mentor) receive {@link #onAlert alerts}; moderators also
 * hear of new reports, and of alerts and reports another moderator handled. A member a moderator sanctioned hears
 * what happened and why ({@link #onSanctioned}), and when it is lifted ({@link #onSanctionLifted}). Moderators
 * receive messages held for review ({@link #onHeldMessage}); the author of one a moderator rejected hears of it
 * ({@link #onMessageRejected}). Replies to the app's own safety commands complete their futures instead.
 */
public interface KindredListener {

    /**
     * A chat message, live or from the history a join returned. Called exactly once per message of a joined room, in
     * ascending {@code seq} order per room, across reconnects. After a room's history was reset (new epoch) the
     * sequence starts again from the new history.
     *
     * <p>A message a moderator deleted comes from join (and {@link KindredClient#history history}) pages as its
     * tombstone: {@link ServerMessage.ChatMessage#isDeleted() isDeleted()} is true and the text is empty; show a
     * note in its place. Since each {@code seq} is delivered once, a tombstone that a resume replays for a message
     * already delivered is not delivered again: the app learns of that deletion through {@link #onMessageDeleted}.
     * Messages of a user this user blocked, or who blocked it, never arrive: expect gaps in {@code seq}.
     */
    default void onMessage(ServerMessage.ChatMessage message) {}

    /**
     * A moderator deleted a message of a joined room ({@code room()}, {@code seq()}, {@code id()}, and the
     * moderator's {@code reason()}): replace the message with a note that a moderator removed it. Sent to everyone in
     * the room, the author included. Later join and history pages carry the message's tombstone
     * ({@link ServerMessage.ChatMessage#isDeleted()}). A deletion that happened while the client was disconnected is
     * not announced here: only a tombstone for a message not yet delivered reaches {@link #onMessage} on resume.
     */
    default void onMessageDeleted(ServerMessage.MessageDeleted event) {}

    /**
     * An author edited its message in a joined room ({@code room()}, {@code seq()}, {@code id()}, {@code author()}, the
     * new {@code text()} and {@code editedAt()}): replace the message's text and show it as edited. Sent to everyone in
     * the room, the author's devices included (not to users who blocked the author or whom it blocked). Later join and
     * history pages carry the new text with {@link ServerMessage.ChatMessage#isEdited() isEdited()}. An edit made while
     * the client was disconnected is not announced here: reading the page again shows it.
     */
    default void onMessageEdited(ServerMessage.MessageEdited event) {}

    /** A user entered a joined room. */
    default void onPresenceJoined(ServerMessage.PresenceJoined event) {}

    /** A user left a joined room. */
    default void onPresenceLeft(ServerMessage.PresenceLeft event) {}

    /**
     * Who entered and who left a busy joined room during the server's last short interval, as one event (rooms above
     * the server's batching size; smaller rooms send {@link #onPresenceJoined} and {@link #onPresenceLeft}). The client
     * has already applied it to {@link KindredClient#members}.
     */
    default void onPresenceDiff(ServerMessage.PresenceDiff event) {}

    /**
     * How many users are in a joined room that shows only a count (its {@code joined.presence} is empty): once after
     * the join, then instead of {@link #onPresenceJoined} and {@link #onPresenceLeft}.
     */
    default void onPresenceCount(ServerMessage.PresenceCount event) {}

    /** Another user started or stopped typing in a joined room. */
    default void onTyping(ServerMessage.TypingEvent event) {}

    /**
     * An error that no pending command is waiting for: an error without {@code ref}, an error about a {@code typing}
     * command, or the failure to re-join a room after a reconnect (the room is then no longer joined).
     */
    default void onError(ServerMessage.Error error) {}

    /** A session is ready: the server welcomed the client and, after a reconnect, every room was re-joined. */
    default void onConnected(ServerMessage.Welcome welcome) {}

    /**
     * The connection closed or could not be re-established.
     *
     * @param closeCode     the WebSocket close code; 1006 when the network failed without a close frame
     * @param reason        the close reason, possibly empty
     * @param willReconnect true when the client reconnects by itself; false when it stopped (terminal close code,
     *                      reconnect attempts exhausted, or {@link KindredClient#close()})
     */
    default void onDisconnected(int closeCode, String reason, boolean willReconnect) {}

    /**
     * A room was re-joined after a reconnect. Messages missed while disconnected were delivered through
     * {@link #onMessage} just before this call.
     *
     * @param room      the room id
     * @param recovered true when every missed message was recovered; false when some could not be (the room's history
     *                  no longer reached back far enough, or was reset)
     */
    default void onResumed(String room, boolean recovered) {}

    // ---------------------------------------------------------------------------------------------------------------
    // One-to-one support

    /**
     * Where the member's support request stands now: its position, estimated wait, or that a mentor is being asked.
     * Sent whenever that changes and after a reconnect; the first status is the reply to
     * {@link KindredClient#requestSupport} (it comes here only if that command had already timed out).
     */
    default void onSupportStatus(ServerMessage.SupportQueued status) {}

    /**
     * No mentor could take the member's request within the server's wait. The request keeps its place; show the
     * suggested rooms for its condition and the crisis resources.
     */
    default void onSupportUnavailable(ServerMessage.SupportUnavailable event) {}

    /**
     * The member's request closed without a session on the server's account, for example {@code expired} after the
     * member was away too long. A cancel the app asked for completes {@link KindredClient#cancelSupport} instead.
     */
    default void onSupportCancelled(ServerMessage.SupportCancelled event) {}

    /**
     * A request is offered to this mentor until {@code expiresAt}: answer with {@link KindredClient#acceptOffer} or
     * {@link KindredClient#declineOffer}. With a {@code sessionId} it continues an existing session (a hand-off, or a
     * mentor who dropped).
     */
    default void onOffer(ServerMessage.SupportOffer offer) {}

    /** An offer is no longer open: it {@code expired}, was {@code taken} by another mentor, or {@code cancelled}. */
    default void onOfferWithdrawn(ServerMessage.OfferWithdrawn event) {}

    /**
     * A one-to-one session starts, or continues with a new mentor ({@code continued: true}). Both participants get
     * it: the member always as an event; the mentor who accepted gets the same object here right after its
     * {@link KindredClient#acceptOffer} future completed with it. After a reconnect the server reports sessions in
     * progress again (then with {@code continued: false}), so this may be called more than once per session.
     *
     * <p>The session id is also a room id: {@link KindredClient#join join} it to receive the conversation (and its
     * history), then use {@link KindredClient#send send}, {@link KindredClient#history history} and
     * {@link KindredClient#typing typing} with it; only the two participants may.
     */
    default void onSessionStarted(ServerMessage.SessionStarted event) {}

    /**
     * The member's mentor was gone longer than the grace period: the member is first in line for the next mentor and
     * the conversation stays; {@link #onSessionStarted} follows when another mentor takes it.
     */
    default void onSessionInterrupted(ServerMessage.SessionInterrupted event) {}

    /** The member's mentor proposes a hand-off: answer with {@link KindredClient#answerHandoff}. */
    default void onHandoffProposed(ServerMessage.HandoffProposed event) {}

    /**
     * A session ended for this participant: {@code ended} by a participant, {@code expired} when idle too long, or
     * {@code handed_off} for the mentor who handed it over. The session's room stays joined until
     * {@link KindredClient#leave}.
     */
    default void onSessionEnded(ServerMessage.SessionEnded event) {}

    /**
     * A {@code done} the app did not ask for: to a mentor who proposed a hand-off, the member's answer
     * ({@code command} is {@code handoff_accepted} or {@code handoff_refused}).
     */
    default void onDone(ServerMessage.Done event) {}

    /**
     * After a reconnect, the client set the mentor's availability again (see
     * {@link KindredClient#setAvailability}); this is the server's answer. A refusal reaches {@link #onError}.
     */
    default void onAvailabilityRestored(ServerMessage.Availability availability) {}

    // ---------------------------------------------------------------------------------------------------------------
    // Safety

    /**
     * The server read a message this user just wrote as a crisis, and answers privately with where to get help now:
     * show it to the user at once, and gently. {@code message} is a kind word to show as it is; {@code resources}
     * are crisis lines for the language the user wrote in, to show with their contacts. The user's message was posted
     * as usual and people who can help have been alerted; nothing here should read as a rebuke or a refusal.
     */
    default void onCrisisSupport(ServerMessage.CrisisSupport event) {}

    /**
     * A high-priority alert: a message reads like a crisis. Sent to moderators and, for a one-to-one session, to its
     * mentor. A moderator takes charge with {@link KindredClient#ackAlert}.
     */
    default void onAlert(ServerMessage.Alert alert) {}

    /**
     * Another moderator acknowledged an alert: {@code by} took charge of it. The reply to this client's own
     * {@link KindredClient#ackAlert} completes that future instead (it comes here only if the command had already
     * timed out).
     */
    default void onAlertAcked(ServerMessage.AlertAcked event) {}

    /** A member filed a new report; to moderators. {@link KindredClient#listReports} lists every open one. */
    default void onReportFiled(ServerMessage.ReportFiled event) {}

    /**
     * Another moderator resolved a report. The reply to this client's own {@link KindredClient#resolveReport}
     * completes that future instead (it comes here only if the command had already timed out).
     */
    default void onReportResolved(ServerMessage.ReportResolved event) {}

    /**
     * A moderator sanctioned this user: show it, with what it means and why ({@code sanction().reason()}). By
     * {@code kind()}: {@code warn}, only the message; {@code timeout}, the user can read but not post or type anywhere
     * until {@code until()}; {@code restrict}, rooms are read-only for the user, one-to-one sessions and support still
     * work; {@code room_ban}, the user was taken out of {@code room()} and cannot join it again; {@code service_ban},
     * the server closes the connection right after this (close code 4102, and the client stops). {@code until()} null
     * means until a moderator lifts it. Sent to every device of the user; commands the sanction forbids fail with
     * {@code sanctioned}. The reply to this client's own {@link KindredClient#sanction} completes that future
     * instead.
     */
    default void onSanctioned(ServerMessage.Sanctioned event) {}

    /**
     * A moderator lifted a sanction of this user ({@code sanctionId()}, {@code kind()}): what it forbade is allowed
     * again. The reply to this client's own {@link KindredClient#liftSanction} completes that future instead.
     */
    default void onSanctionLifted(ServerMessage.SanctionLifted event) {}

    /**
     * A room's content rules held a message for review ({@code rule()}, for example {@code hold_doses}); to
     * moderators, on every connected device. Show it with its author, room and text, and answer with
     * {@link KindredClient#reviewHeld} using {@code heldId()}. Another moderator may review it first: the review then
     * fails with {@code held_not_found}.
     */
    default void onHeldMessage(ServerMessage.HeldMessage event) {}

    /**
     * A moderator rejected a message of this user that a room's rules held for review: it will not be posted. It is
     * the send that failed with {@code held_for_review}, identified by {@code room()} and {@code clientMsgId()}; stop
     * showing it as waiting, and show {@code reason()} (the moderator's note) if there is one. An approved message
     * arrives through {@link #onMessage} instead, with the same {@code clientMsgId}.
     */
    default void onMessageRejected(ServerMessage.MessageRejected event) {}

    /** A member appealed a sanction (moderators only); decide it with {@link KindredClient#decideAppeal}. */
    default void onAppealFiled(ServerMessage.AppealFiled event) {}

    /**
     * An appeal was decided: this member's (show the outcome and the note), or, for a moderator, one decided by another
     * moderator.
     */
    default void onAppealDecided(ServerMessage.AppealDecided event) {}

    /**
     * A moderator would like to talk with this member privately after something it wrote: show {@code message()} and
     * let the member accept or decline with {@link KindredClient#answerCheckIn}.
     */
    default void onCheckInOffer(ServerMessage.CheckInOffer event) {}

    /** The member declined this moderator's check-in. */
    default void onCheckInDeclined(ServerMessage.CheckInDeclined event) {}

    /** A report this user filed was looked into: show {@code message()}; it never says what was done to whom. */
    default void onReportOutcome(ServerMessage.ReportOutcome event) {}

    // ---------------------------------------------------------------------------------------------------------------
    // Facilitated group sessions

    /**
     * A group this user registered for (or is in) changed: {@code change()} is {@code updated} (show the new
     * {@code group()}), {@code cancelled} (every meeting; show {@code reason()}) or {@code occurrence_cancelled} (the
     * meeting at {@code occurrence()} will not take place; {@code group()} shows the next one).
     */
    default void onGroupChanged(ServerMessage.GroupChanged event) {}

    /**
     * A group this user registered for starts in {@code startsInSeconds()}: a good moment to offer to
     * {@link KindredClient#join join} {@code group().room()} (its lobby opens before the start).
     */
    default void onGroupReminder(ServerMessage.GroupReminder event) {}

    /**
     * How a group meeting this connection joined runs now, sent on entry and after every change. Each state is
     * complete: redraw from it (phase, who is muted or listening only, the queue of raised hands, who holds the floor
     * and until when, what is pinned) rather than merging. {@link KindredClient#groupState(String)} keeps the latest
     * per room, so an app may also read it when it needs it, for example to disable the input box while the phase is
     * {@code lobby} or {@code closed}, the chat is {@code locked}, or this user is muted.
     */
    default void onGroupState(ServerMessage.GroupState event) {}

    /**
     * A facilitator removed this user from a group meeting ({@code banned()}: from every meeting of the group). Its
     * connections already left {@code room()}; the client has forgotten the room: it will not re-join it after a
     * reconnect, its {@link KindredClient#groupState group state} is gone, and sends to it that were not yet
     * acknowledged failed with {@code removed_from_group}. Tell the user, with {@code reason()}, and leave the
     * meeting's screen. Without a ban the user may {@link KindredClient#join join} again if it chooses to.
     */
    default void onRemovedFromGroup(ServerMessage.RemovedFromGroup event) {}
}
