package org.kindred.protocol;

import static org.kindred.protocol.InvalidMessageException.required;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * A frame from the server to a client: a reply to a command (carrying that command's {@code ref}) or an event. The JSON
 * {@code type} field selects the kind.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ServerMessage.Welcome.class, name = "welcome"),
    @JsonSubTypes.Type(value = ServerMessage.RoomList.class, name = "rooms"),
    @JsonSubTypes.Type(value = ServerMessage.Joined.class, name = "joined"),
    @JsonSubTypes.Type(value = ServerMessage.Left.class, name = "left"),
    @JsonSubTypes.Type(value = ServerMessage.Ack.class, name = "ack"),
    @JsonSubTypes.Type(value = ServerMessage.ChatMessage.class, name = "message"),
    @JsonSubTypes.Type(value = ServerMessage.History.class, name = "history"),
    @JsonSubTypes.Type(value = ServerMessage.PresenceJoined.class, name = "presence_joined"),
    @JsonSubTypes.Type(value = ServerMessage.PresenceCount.class, name = "presence_count"),
    @JsonSubTypes.Type(value = ServerMessage.PresenceLeft.class, name = "presence_left"),
    @JsonSubTypes.Type(value = ServerMessage.PresenceDiff.class, name = "presence_diff"),
    @JsonSubTypes.Type(value = ServerMessage.Presence.class, name = "presence"),
    @JsonSubTypes.Type(value = ServerMessage.TypingEvent.class, name = "typing"),
    @JsonSubTypes.Type(value = ServerMessage.Error.class, name = "error"),
    @JsonSubTypes.Type(value = ServerMessage.Pong.class, name = "pong"),
    @JsonSubTypes.Type(value = ServerMessage.Refreshed.class, name = "refreshed"),
    @JsonSubTypes.Type(value = ServerMessage.Availability.class, name = "availability"),
    @JsonSubTypes.Type(value = ServerMessage.SupportQueued.class, name = "support_queued"),
    @JsonSubTypes.Type(value = ServerMessage.SupportUnavailable.class, name = "support_unavailable"),
    @JsonSubTypes.Type(value = ServerMessage.SupportCancelled.class, name = "support_cancelled"),
    @JsonSubTypes.Type(value = ServerMessage.SupportOffer.class, name = "support_offer"),
    @JsonSubTypes.Type(value = ServerMessage.OfferWithdrawn.class, name = "offer_withdrawn"),
    @JsonSubTypes.Type(value = ServerMessage.SessionStarted.class, name = "session_started"),
    @JsonSubTypes.Type(value = ServerMessage.SessionInterrupted.class, name = "session_interrupted"),
    @JsonSubTypes.Type(value = ServerMessage.HandoffProposed.class, name = "handoff_proposed"),
    @JsonSubTypes.Type(value = ServerMessage.SessionEnded.class, name = "session_ended"),
    @JsonSubTypes.Type(value = ServerMessage.Done.class, name = "done"),
    @JsonSubTypes.Type(value = ServerMessage.CrisisSupport.class, name = "crisis_support"),
    @JsonSubTypes.Type(value = ServerMessage.Alert.class, name = "alert"),
    @JsonSubTypes.Type(value = ServerMessage.AlertAcked.class, name = "alert_acked"),
    @JsonSubTypes.Type(value = ServerMessage.ReportReceived.class, name = "report_received"),
    @JsonSubTypes.Type(value = ServerMessage.ReportFiled.class, name = "report_filed"),
    @JsonSubTypes.Type(value = ServerMessage.Alerts.class, name = "alerts"),
    @JsonSubTypes.Type(value = ServerMessage.Reports.class, name = "reports"),
    @JsonSubTypes.Type(value = ServerMessage.ReportResolved.class, name = "report_resolved"),
    @JsonSubTypes.Type(value = ServerMessage.AuditEntries.class, name = "audit_entries"),
    @JsonSubTypes.Type(value = ServerMessage.Sanctioned.class, name = "sanctioned"),
    @JsonSubTypes.Type(value = ServerMessage.SanctionLifted.class, name = "sanction_lifted"),
    @JsonSubTypes.Type(value = ServerMessage.MessageDeleted.class, name = "message_deleted"),
    @JsonSubTypes.Type(value = ServerMessage.MessageEdited.class, name = "message_edited"),
    @JsonSubTypes.Type(value = ServerMessage.HeldMessage.class, name = "held_message"),
    @JsonSubTypes.Type(value = ServerMessage.MessageRejected.class, name = "message_rejected"),
    @JsonSubTypes.Type(value = ServerMessage.HeldMessages.class, name = "held_messages"),
    @JsonSubTypes.Type(value = ServerMessage.MentorNotes.class, name = "mentor_notes"),
    @JsonSubTypes.Type(value = ServerMessage.SessionRatings.class, name = "session_ratings"),
    @JsonSubTypes.Type(value = ServerMessage.Sanctions.class, name = "sanctions"),
    @JsonSubTypes.Type(value = ServerMessage.MemberHistoryPage.class, name = "member_history"),
    @JsonSubTypes.Type(value = ServerMessage.AppealReceived.class, name = "appeal_received"),
    @JsonSubTypes.Type(value = ServerMessage.AppealFiled.class, name = "appeal_filed"),
    @JsonSubTypes.Type(value = ServerMessage.Appeals.class, name = "appeals"),
    @JsonSubTypes.Type(value = ServerMessage.AppealDecided.class, name = "appeal_decided"),
    @JsonSubTypes.Type(value = ServerMessage.CheckInSent.class, name = "check_in_sent"),
    @JsonSubTypes.Type(value = ServerMessage.CheckInOffer.class, name = "check_in_offer"),
    @JsonSubTypes.Type(value = ServerMessage.CheckInDeclined.class, name = "check_in_declined"),
    @JsonSubTypes.Type(value = ServerMessage.ReportOutcome.class, name = "report_outcome"),
    @JsonSubTypes.Type(value = ServerMessage.Group.class, name = "group"),
    @JsonSubTypes.Type(value = ServerMessage.GroupList.class, name = "groups"),
    @JsonSubTypes.Type(value = ServerMessage.GroupChanged.class, name = "group_changed"),
    @JsonSubTypes.Type(value = ServerMessage.GroupReminder.class, name = "group_reminder"),
    @JsonSubTypes.Type(value = ServerMessage.GroupState.class, name = "group_state"),
    @JsonSubTypes.Type(value = ServerMessage.RemovedFromGroup.class, name = "removed_from_group"),
    @JsonSubTypes.Type(value = ServerMessage.Attendance.class, name = "attendance"),
    @JsonSubTypes.Type(value = ServerMessage.RoomManaged.class, name = "managed_room"),
    @JsonSubTypes.Type(value = ServerMessage.ManagedRoomList.class, name = "managed_rooms"),
})
public sealed interface ServerMessage {

    /**
     * The answer to a successful {@code hello}.
     *
     * @param ref             the hello's ref
     * @param protocolVersion the protocol version in use
     * @param user            who the client is, as others see it
     * @param roles           all the user's roles
     * @param limits          the limits the server enforces
     * @param sessionId       this connection's id, for support requests
     */
    record Welcome(
            @MayBeAbsent String ref,
            int protocolVersion,
            UserInfo user,
            List<String> roles,
            Limits limits,
            @MayBeAbsent String sessionId)
            implements ServerMessage {
        public Welcome {
            required(user, "user");
            roles = List.copyOf(required(roles, "roles"));
            required(limits, "limits");
        }
    }

    /** The room list. */
    record RoomList(@MayBeAbsent String ref, List<RoomInfo> rooms) implements ServerMessage {
        public RoomList {
            rooms = List.copyOf(required(rooms, "rooms"));
        }
    }

    /**
     * The answer to a join. Live {@link ChatMessage}s follow it with sequence numbers above {@code lastSeq}.
     *
     * @param ref       the join's ref
     * @param room      the room id
     * @param epoch     the room's history epoch; it changes when the room's history is reset
     * @param lastSeq   the sequence number of the newest message in the room (0 when there is none)
     * @param recovered true when {@code since} was given and {@code messages} holds every message after it; false
     *                  when there was no {@code since}, the epoch differed, or the history no longer reaches back that
     *                  far (then {@code messages} is the latest page)
     * @param messages  messages in ascending sequence order
     * @param hasMore   whether older messages than the first of {@code messages} can be paged with {@code history}
     * @param presence  the distinct users in the room now, one entry per user however many devices it uses: all of
     *                  them for a client of protocol version 1, at most the server's joined-list limit for version 2
     * @param online    how many distinct users are in the room now
     * @param presenceNext the cursor to pass to the {@code presence} command for the rest of the list; absent when
     *                  {@code presence} holds everyone
     */
    record Joined(
            @MayBeAbsent String ref,
            String room,
            String epoch,
            long lastSeq,
            boolean recovered,
            List<ChatMessage> messages,
            boolean hasMore,
            List<UserInfo> presence,
            int online,
            @MayBeAbsent String presenceNext)
            implements ServerMessage {
        public Joined {
            required(room, "room");
            required(epoch, "epoch");
            messages = List.copyOf(required(messages, "messages"));
            presence = List.copyOf(required(presence, "presence"));
        }

        /** A reply whose {@code presence} lists everyone: {@code online} is its size. */
        public Joined(
                String ref,
                String room,
                String epoch,
                long lastSeq,
                boolean recovered,
                List<ChatMessage> messages,
                boolean hasMore,
                List<UserInfo> presence) {
            this(ref, room, epoch, lastSeq, recovered, messages, hasMore, presence, presence.size(), null);
        }
    }

    /** The answer to a leave. */
    record Left(@MayBeAbsent String ref, String room) implements ServerMessage {
        public Left {
            required(room, "room");
        }
    }

    /**
     * The answer to a send: the message is stored and will reach every member of the room.
     *
     * @param ref         the send's ref
     * @param room        the room id
     * @param clientMsgId the send's client message id
     * @param id          the message's server id
     * @param seq         the message's sequence number in the room
     * @param ts          the server timestamp, milliseconds since the epoch (UTC)
     * @param duplicate   true when this acknowledges an earlier send with the same client message id, which was not
     *                    delivered again
     */
    record Ack(
            @MayBeAbsent String ref, String room, String clientMsgId, String id, long seq, long ts, boolean duplicate)
            implements ServerMessage {
        public Ack {
            required(room, "room");
            required(clientMsgId, "clientMsgId");
            required(id, "id");
        }
    }

    /**
     * A message posted in a room, live or from history.
     *
     * @param room        the room id
     * @param seq         its sequence number in the room: 1, 2, 3… without gaps
     * @param id          its server id
     * @param author      who posted it
     * @param text        the text
     * @param ts          the server timestamp, milliseconds since the epoch (UTC)
     * @param clientMsgId the author's client message id, so the author's client can match its own sends
     * @param deleted     true for a tombstone: a moderator deleted the message, and {@code text} is empty; absent
     *                    otherwise
     * @param editedAt    when its author last edited it, milliseconds since the epoch (UTC); absent when never edited
     */
    record ChatMessage(
            String room,
            long seq,
            String id,
            UserInfo author,
            String text,
            long ts,
            @MayBeAbsent String clientMsgId,
            @MayBeAbsent Boolean deleted,
            @MayBeAbsent Long editedAt)
            implements ServerMessage {
        public ChatMessage {
            required(room, "room");
            required(id, "id");
            required(author, "author");
            required(text, "text");
            deleted = Boolean.TRUE.equals(deleted) ? Boolean.TRUE : null;
            editedAt = deleted == null ? editedAt : null;
        }

        /** A message as posted. */
        public ChatMessage(
                String room, long seq, String id, UserInfo author, String text, long ts, String clientMsgId) {
            this(room, seq, id, author, text, ts, clientMsgId, null, null);
        }

        /** This message's tombstone: same place in the room, no text (and no trace of an edit). */
        public ChatMessage tombstone() {
            return new ChatMessage(room, seq, id, author, "", ts, clientMsgId, true, null);
        }

        /** This message as its author edited it: same place in the room, the new text, marked edited. */
        public ChatMessage edited(String newText, long at) {
            return new ChatMessage(room, seq, id, author, newText, ts, clientMsgId, null, at);
        }

        /** Whether its author edited it. Not a wire field of its own: {@code editedAt} is. */
        @JsonIgnore
        public boolean isEdited() {
            return editedAt != null;
        }

        /** Whether this is a tombstone. Not a wire field of its own: {@code deleted} is. */
        @JsonIgnore
        public boolean isDeleted() {
            return Boolean.TRUE.equals(deleted);
        }
    }

    /**
     * A page of history, oldest first.
     *
     * @param ref      the history command's ref
     * @param room     the room id
     * @param messages messages in ascending sequence order
     * @param hasMore  whether still older messages exist
     */
    record History(@MayBeAbsent String ref, String room, List<ChatMessage> messages, boolean hasMore)
            implements ServerMessage {
        public History {
            required(room, "room");
            messages = List.copyOf(required(messages, "messages"));
        }
    }

    /** A user entered the room (its first device joined). {@code online} is the room's count after the change. */
    record PresenceJoined(String room, UserInfo user, int online) implements ServerMessage {
        public PresenceJoined {
            required(room, "room");
            required(user, "user");
        }
    }

    /** A user left the room (its last device left). {@code online} is the room's count after the change. */
    record PresenceLeft(String room, UserInfo user, int online) implements ServerMessage {
        public PresenceLeft {
            required(room, "room");
            required(user, "user");
        }
    }

    /**
     * Who entered and who left a busy room during one short interval, as one event (protocol version 2): each user
     * whose presence changed in the interval appears once, in {@code joins} when it is present at the end of it, in
     * {@code leaves} when it is not. Applying it to a list is idempotent.
     *
     * @param room   the room id
     * @param joins  users present at the end of the interval
     * @param leaves users gone at the end of the interval
     * @param online the room's count of distinct users after the changes
     */
    record PresenceDiff(String room, List<UserInfo> joins, List<UserInfo> leaves, int online) implements ServerMessage {
        public PresenceDiff {
            required(room, "room");
            joins = List.copyOf(required(joins, "joins"));
            leaves = List.copyOf(required(leaves, "leaves"));
        }
    }

    /**
     * A page of who is present in a room, the answer to the {@code presence} command (protocol version 2).
     *
     * @param ref    the command's ref
     * @param room   the room id
     * @param users  present users after the command's cursor, in the server's order
     * @param online how many distinct users are in the room now
     * @param next   the cursor of the next page; absent on the last page
     */
    record Presence(
            @MayBeAbsent String ref,
            String room,
            List<UserInfo> users,
            int online,
            @MayBeAbsent String next) implements ServerMessage {
        public Presence {
            required(room, "room");
            users = List.copyOf(required(users, "users"));
        }
    }

    /**
     * How many users are in a room that shows members only a count ({@code presence: count} in the room's
     * configuration): sent instead of {@link PresenceJoined} and {@link PresenceLeft}, and once right after
     * {@link Joined}, whose {@code presence} is then empty. Members who chose to be invisible are not counted.
     */
    record PresenceCount(String room, int online) implements ServerMessage {
        public PresenceCount {
            required(room, "room");
        }
    }

    /** Another user started or stopped typing in a room. */
    record TypingEvent(String room, UserInfo user, boolean active) implements ServerMessage {
        public TypingEvent {
            required(room, "room");
            required(user, "user");
        }
    }

    /**
     * A command failed, or the connection broke a rule.
     *
     * @param ref          the failed command's ref, when it could be read
     * @param code         the stable code, one of {@link ErrorCode#wire()}
     * @param message      a human explanation; never contains message text
     * @param retryable    whether repeating the command later can succeed
     * @param retryAfterMs for {@code rate_limited}, how long to wait; otherwise null
     */
    record Error(
            @MayBeAbsent String ref,
            String code,
            String message,
            boolean retryable,
            @MayBeAbsent Long retryAfterMs) implements ServerMessage {
        public Error {
            required(code, "code");
            required(message, "message");
        }

        /** An error with the given code, its retryable flag and no retry delay. */
        public static Error of(String ref, ErrorCode code, String message) {
            return new Error(ref, code.wire(), message, code.retryable(), null);
        }

        /** The code as an enum constant, if this build knows it. */
        public java.util.Optional<ErrorCode> errorCode() {
            return ErrorCode.fromWire(code);
        }
    }

    /**
     * The answer to {@code refresh}: the connection now lives on the new token.
     *
     * @param validUntil when the new token expires (epoch milliseconds): refresh again before then
     */
    record Refreshed(@MayBeAbsent String ref, long validUntil) implements ServerMessage {}

    /** The answer to a ping. */
    record Pong(@MayBeAbsent String ref) implements ServerMessage {}

    /**
     * A mentor's availability, as the server now holds it: the answer to {@code set_availability}.
     *
     * @param activeSessions sessions the mentor holds now
     */
    record Availability(
            @MayBeAbsent String ref,
            boolean available,
            List<String> conditions,
            List<String> languages,
            int capacity,
            int activeSessions)
            implements ServerMessage {
        public Availability {
            conditions = List.copyOf(required(conditions, "conditions"));
            languages = List.copyOf(required(languages, "languages"));
        }
    }

    /**
     * Where a member's support request stands in the queue: the answer to {@code request_support}, then again (without
     * {@code ref}) whenever its position or estimate changes.
     *
     * @param requestId            the request's id
     * @param position             1 when it is next
     * @param estimatedWaitSeconds how long until a mentor takes it, estimated from recent matches (see the spec)
     * @param offered              whether a mentor is being asked right now
     */
    record SupportQueued(
            @MayBeAbsent String ref,
            String requestId,
            String condition,
            String language,
            int position,
            long estimatedWaitSeconds,
            boolean offered)
            implements ServerMessage {
        public SupportQueued {
            required(requestId, "requestId");
            required(condition, "condition");
            required(language, "language");
        }
    }

    /**
     * No mentor could take the request within the configured wait. The request keeps its place; meanwhile the member
     * is shown the rooms for its condition and where to get urgent help.
     *
     * @param rooms     ids of rooms tagged with the request's condition
     * @param resources crisis resources for the request's language
     */
    record SupportUnavailable(
            String requestId, String message, int position, List<String> rooms, List<CrisisResource> resources)
            implements ServerMessage {
        public SupportUnavailable {
            required(requestId, "requestId");
            required(message, "message");
            rooms = List.copyOf(required(rooms, "rooms"));
            resources = List.copyOf(required(resources, "resources"));
        }
    }

    /** The request is closed without a session: {@code reason} is {@code cancelled} or {@code expired}. */
    record SupportCancelled(@MayBeAbsent String ref, String requestId, String reason) implements ServerMessage {
        public SupportCancelled {
            required(requestId, "requestId");
            required(reason, "reason");
        }
    }

    /**
     * A request is offered to this mentor until {@code expiresAt}; {@code accept_offer} takes it.
     *
     * @param member    who asks, by pseudonym
     * @param note      the member's note, may be null
     * @param sessionId set when this continues an existing session (a hand-off, or a mentor who dropped)
     * @param expiresAt when the offer moves on, milliseconds since the epoch (UTC)
     * @param urgent    true when the member's note reads like a crisis (the member was sent crisis lines and
     *                  moderators were alerted); absent otherwise
     */
    record SupportOffer(
            String requestId,
            String condition,
            String language,
            UserInfo member,
            @MayBeAbsent String note,
            @MayBeAbsent String sessionId,
            long expiresAt,
            @MayBeAbsent Boolean urgent)
            implements ServerMessage {
        public SupportOffer {
            required(requestId, "requestId");
            required(condition, "condition");
            required(language, "language");
            required(member, "member");
            urgent = Boolean.TRUE.equals(urgent) ? Boolean.TRUE : null;
        }

        /** An offer of a request whose note does not read like a crisis. */
        public SupportOffer(
                String requestId,
                String condition,
                String language,
                UserInfo member,
                String note,
                String sessionId,
                long expiresAt) {
            this(requestId, condition, language, member, note, sessionId, expiresAt, null);
        }
    }

    /** An offer is no longer open: {@code reason} is {@code expired}, {@code taken}, {@code cancelled}. */
    record OfferWithdrawn(String requestId, String reason) implements ServerMessage {
        public OfferWithdrawn {
            required(requestId, "requestId");
            required(reason, "reason");
        }
    }

    /**
     * A one-to-one session starts (or continues with a new mentor), sent to both participants. The session id is
     * also its room id: {@code join}, {@code send}, {@code history} and {@code typing} work on it as on a room, and
     * only its two participants may use them.
     *
     * @param ref         the {@code accept_offer}'s ref for the mentor who accepted; null otherwise
     * @param sessionId   the session's id, usable as a room id
     * @param requestId   the request that led to it
     * @param continued   true when the session continues with another mentor (hand-off, or after a drop)
     */
    record SessionStarted(
            @MayBeAbsent String ref,
            String sessionId,
            String requestId,
            UserInfo member,
            UserInfo mentor,
            String condition,
            String language,
            boolean continued)
            implements ServerMessage {
        public SessionStarted {
            required(sessionId, "sessionId");
            required(requestId, "requestId");
            required(member, "member");
            required(mentor, "mentor");
            required(condition, "condition");
            required(language, "language");
        }
    }

    /**
     * The member's mentor has been gone longer than the grace period: the member is back at the front of the queue,
     * and the session will continue with the next mentor who takes it.
     */
    record SessionInterrupted(String sessionId, String requestId, String message) implements ServerMessage {
        public SessionInterrupted {
            required(sessionId, "sessionId");
            required(requestId, "requestId");
            required(message, "message");
        }
    }

    /** The mentor proposes a hand-off; the member answers with {@code answer_handoff}. */
    record HandoffProposed(
            String sessionId,
            UserInfo from,
            @MayBeAbsent UserInfo to,
            @MayBeAbsent String reason) implements ServerMessage {
        public HandoffProposed {
            required(sessionId, "sessionId");
            required(from, "from");
        }
    }

    /**
     * A session ended, sent to both participants.
     *
     * @param endedBy who ended it, or null when the server did
     * @param reason  {@code ended}; {@code expired} (idle too long, or the member gone while waiting for a mentor);
     *                {@code handed_off}, sent only to the previous mentor when another one took the session over
     */
    record SessionEnded(String sessionId, @MayBeAbsent UserInfo endedBy, String reason) implements ServerMessage {
        public SessionEnded {
            required(sessionId, "sessionId");
            required(reason, "reason");
        }
    }

    /**
     * A command with nothing else to report succeeded: {@code cancel_support}'s reply is {@code support_cancelled};
     * this answers {@code decline_offer}, {@code end_session}, {@code rate_session}, {@code mentor_note},
     * {@code propose_handoff}, {@code answer_handoff} and {@code delete_transcript}. Without a ref it tells the
     * mentor who proposed a hand-off the member's answer: {@code handoff_accepted} or {@code handoff_refused}, with the
     * {@code sessionId} it is about.
     */
    record Done(
            @MayBeAbsent String ref,
            String command,
            @MayBeAbsent String sessionId) implements ServerMessage {
        public Done {
            required(command, "command");
        }

        /** A reply to a command, about no particular session. */
        public Done(String ref, String command) {
            this(ref, command, null);
        }
    }

    /**
     * Sent privately to the author of anything that reads like a crisis, at once: where to get help now. Whatever the
     * server does with what was written (posted, held for review, refused, a support request, a report, a mentor's
     * note), the author gets this and the people who can help are alerted; a refusal still stands.
     *
     * @param room      where it was written: the room of a message (posted, held or refused) or of a reported
     *                  message, the session of a mentor's note, {@code support} for a support request's note
     * @param seq       the message's sequence number; 0 when it was not posted
     * @param message   a kind word in the author's language, saying who has been told — or, when nobody who can help
     *                  is connected, saying so and pointing to the crisis lines first
     * @param resources crisis lines for the language the author wrote in
     * @param told      who has been told, each one of {@code moderators}, {@code mentor}, {@code facilitator}; empty
     *                  when nobody who can help is connected (the alert waits for the first moderator)
     * @param source    absent for a posted message; otherwise {@code held}, {@code refused}, {@code support_request},
     *                  {@code report} or {@code mentor_note}
     */
    record CrisisSupport(
            String room,
            long seq,
            String message,
            List<CrisisResource> resources,
            @MayBeAbsent List<String> told,
            @MayBeAbsent String source)
            implements ServerMessage {
        public CrisisSupport {
            required(room, "room");
            required(message, "message");
            resources = List.copyOf(required(resources, "resources"));
            told = told == null ? List.of() : List.copyOf(told);
        }
    }

    /**
     * A high-priority alert: a message reads like a crisis. Sent to connected moderators and, for a one-to-one
     * session, to its mentor. A moderator acknowledges it with {@code ack_alert}.
     *
     * @param alertId   the alert's id
     * @param kind      {@code crisis}
     * @param message   the message that raised it
     * @param language  the language of the phrase that matched
     * @param rule      the phrase or pattern that matched
     * @param createdAt when the alert was raised, milliseconds since the epoch (UTC)
     * @param source     absent for a posted message; otherwise what was written: {@code held} (held for review,
     *                   {@code message.id} is the held id), {@code refused} (the post was refused),
     *                   {@code support_request} (a request's note), {@code report} (a report's comment) or
     *                   {@code mentor_note}; an unposted message has {@code seq} 0
     * @param escalation absent until the alert escalates: 1 when nobody acknowledged it within
     *                   {@code safety.escalateAfter} (sent again to every moderator and experienced mentor), 2 after
     *                   {@code safety.escalateAgainAfter} more
     * @param authorLanguage the language the author reads ({@code hello.language} or the token's {@code locale}), a
     *                   BCP 47 tag: what a check-in offered to it is written in; absent when the author named none
     */
    record Alert(
            String alertId,
            String kind,
            ChatMessage message,
            @MayBeAbsent String language,
            @MayBeAbsent String rule,
            long createdAt,
            @MayBeAbsent String source,
            @MayBeAbsent Integer escalation,
            @MayBeAbsent String authorLanguage)
            implements ServerMessage {
        public Alert {
            required(alertId, "alertId");
            required(kind, "kind");
            required(message, "message");
        }

        /** An alert about a posted message, not escalated. */
        public Alert(String alertId, String kind, ChatMessage message, String language, String rule, long createdAt) {
            this(alertId, kind, message, language, rule, createdAt, null, null, null);
        }

        /** An alert whose author named no language. */
        public Alert(
                String alertId,
                String kind,
                ChatMessage message,
                String language,
                String rule,
                long createdAt,
                String source,
                Integer escalation) {
            this(alertId, kind, message, language, rule, createdAt, source, escalation, null);
        }

        /** This alert at an escalation level. */
        public Alert escalated(int level) {
            return new Alert(alertId, kind, message, language, rule, createdAt, source, level, authorLanguage);
        }
    }

    /**
     * An alert was acknowledged: the reply to {@code ack_alert}, and an event to the other moderators.
     *
     * @param by          the moderator who took it
     * @param timeToAckMs how long the alert waited
     * @param first       false when another moderator had taken it first ({@code by} is that moderator)
     */
    record AlertAcked(
            @MayBeAbsent String ref, String alertId, UserInfo by, long ackedAt, long timeToAckMs, boolean first)
            implements ServerMessage {
        public AlertAcked {
            required(alertId, "alertId");
            required(by, "by");
        }
    }

    /** The answer to {@code report}: the report is in the moderators' queue. */
    record ReportReceived(@MayBeAbsent String ref, String reportId) implements ServerMessage {
        public ReportReceived {
            required(reportId, "reportId");
        }
    }

    /**
     * A report as moderators see it.
     *
     * @param message  a snapshot of the reported message; absent for the report a block files
     * @param context  the messages just before and after it, oldest first
     * @param reporter who reported it: moderators only ever see this; the reported member never does
     * @param status   {@code open} or {@code resolved}
     * @param reportedUserId the user reported (the message's author, or the user blocked)
     * @param reporterLanguage the language the reporter reads ({@code hello.language} or the token's {@code locale}),
     *                 a BCP 47 tag: its outcome is told in it, by whichever node and whenever the report is resolved;
     *                 absent when the reporter named none
     */
    record ReportInfo(
            String reportId,
            String category,
            @MayBeAbsent String comment,
            @MayBeAbsent ChatMessage message,
            List<ChatMessage> context,
            UserInfo reporter,
            long createdAt,
            String status,
            @MayBeAbsent String resolution,
            @MayBeAbsent UserInfo resolvedBy,
            String reportedUserId,
            @MayBeAbsent String reporterLanguage) {
        /** A report whose reporter named no language. */
        public ReportInfo(
                String reportId,
                String category,
                String comment,
                ChatMessage message,
                List<ChatMessage> context,
                UserInfo reporter,
                long createdAt,
                String status,
                String resolution,
                UserInfo resolvedBy,
                String reportedUserId) {
            this(
                    reportId,
                    category,
                    comment,
                    message,
                    context,
                    reporter,
                    createdAt,
                    status,
                    resolution,
                    resolvedBy,
                    reportedUserId,
                    null);
        }

        public ReportInfo {
            required(reportId, "reportId");
            required(category, "category");
            required(reporter, "reporter");
            required(status, "status");
            context = List.copyOf(required(context, "context"));
            if (reportedUserId == null && message != null) {
                reportedUserId = message.author().id();
            }
            required(reportedUserId, "reportedUserId");
        }
    }

    /** A new report, to connected moderators. */
    record ReportFiled(ReportInfo report) implements ServerMessage {
        public ReportFiled {
            required(report, "report");
        }
    }

    /** The answer to {@code list_alerts}: alerts no moderator has acknowledged yet, oldest first. */
    record Alerts(@MayBeAbsent String ref, List<Alert> alerts) implements ServerMessage {
        public Alerts {
            alerts = List.copyOf(required(alerts, "alerts"));
        }
    }

    /** The answer to {@code list_reports}: open reports, oldest first. */
    record Reports(@MayBeAbsent String ref, List<ReportInfo> reports) implements ServerMessage {
        public Reports {
            reports = List.copyOf(required(reports, "reports"));
        }
    }

    /** A report was closed: the reply to {@code resolve_report}, and an event to the other moderators. */
    record ReportResolved(@MayBeAbsent String ref, String reportId, UserInfo by, String resolution)
            implements ServerMessage {
        public ReportResolved {
            required(reportId, "reportId");
            required(by, "by");
            required(resolution, "resolution");
        }
    }

    /**
     * One line of the audit log: who did what to whom, and why; never the text of messages.
     *
     * @param at      when, milliseconds since the epoch (UTC)
     * @param actor   who acted, or null for the server itself (an alert it raised)
     * @param action  for example {@code alert_raised}, {@code alert_acked}, {@code report_filed}, {@code report_resolved}
     * @param target  the user acted upon, or null
     * @param subject the alert, report or message id concerned
     * @param reason  the reason or resolution given, or null
     */
    record AuditEntry(
            long at,
            @MayBeAbsent UserInfo actor,
            String action,
            @MayBeAbsent UserInfo target,
            @MayBeAbsent String room,
            @MayBeAbsent String subject,
            @MayBeAbsent String reason) {
        public AuditEntry {
            required(action, "action");
        }
    }

    /** The answer to {@code audit_log}: entries, newest first. */
    record AuditEntries(@MayBeAbsent String ref, List<AuditEntry> entries) implements ServerMessage {
        public AuditEntries {
            entries = List.copyOf(required(entries, "entries"));
        }
    }

    /**
     * A sanction.
     *
     * @param until when it ends, milliseconds since the epoch (UTC), or null until lifted ({@code warn}: null)
     */
    record SanctionInfo(
            String sanctionId,
            String userId,
            String kind,
            @MayBeAbsent String room,
            String reason,
            UserInfo by,
            long at,
            @MayBeAbsent Long until) {
        public SanctionInfo {
            required(sanctionId, "sanctionId");
            required(userId, "userId");
            required(kind, "kind");
            required(reason, "reason");
            required(by, "by");
        }

        /** Whether it is in force at this time. */
        public boolean activeAt(long millis) {
            return !kind.equals("warn") && (until == null || millis < until);
        }
    }

    /**
     * A sanction was applied: the reply to {@code sanction} (with its ref), and an event to the sanctioned member on
     * every device, which says what happened and why.
     */
    record Sanctioned(@MayBeAbsent String ref, SanctionInfo sanction) implements ServerMessage {
        public Sanctioned {
            required(sanction, "sanction");
        }
    }

    /** A sanction was lifted: the reply to {@code lift_sanction}, and an event to the member. */
    record SanctionLifted(@MayBeAbsent String ref, String sanctionId, String kind) implements ServerMessage {
        public SanctionLifted {
            required(sanctionId, "sanctionId");
            required(kind, "kind");
        }
    }

    /**
     * A moderator deleted a message: everyone in the room replaces it with its tombstone. History and join pages
     * carry the tombstone from then on ({@code deleted: true}, empty text).
     */
    record MessageDeleted(
            String room, long seq, String id, @MayBeAbsent String reason) implements ServerMessage {
        public MessageDeleted {
            required(room, "room");
            required(id, "id");
        }
    }

    /**
     * An author edited its message: everyone in the room replaces its text and marks it edited. History and join pages
     * carry the new text from then on, with {@code editedAt}.
     *
     * @param room     the room or session id
     * @param seq      the edited message's sequence number
     * @param id       the edited message's server id
     * @param author   who wrote it (and edited it: only its author may)
     * @param text     the new text
     * @param editedAt when it was edited, milliseconds since the epoch (UTC)
     */
    record MessageEdited(String room, long seq, String id, UserInfo author, String text, long editedAt)
            implements ServerMessage {
        public MessageEdited {
            required(room, "room");
            required(id, "id");
            required(author, "author");
            required(text, "text");
        }

        /** The event that tells a room of this edited message. */
        public static MessageEdited of(ChatMessage edited) {
            return new MessageEdited(
                    edited.room(), edited.seq(), edited.id(), edited.author(), edited.text(), edited.editedAt());
        }
    }

    /**
     * A message a room's rules held for review, sent to connected moderators: {@code review_held} approves or rejects
     * it.
     *
     * @param rule which rule held it, for example {@code hold_doses}
     */
    record HeldMessage(
            String heldId, String room, UserInfo author, String text, String clientMsgId, String rule, long heldAt)
            implements ServerMessage {
        public HeldMessage {
            required(heldId, "heldId");
            required(room, "room");
            required(author, "author");
            required(text, "text");
            required(clientMsgId, "clientMsgId");
            required(rule, "rule");
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Moderator queues, appeals and check-ins. Every page carries the cursor of the next one, null on the last page.

    /** The answer to {@code list_held}: messages waiting for review, oldest first. */
    record HeldMessages(
            @MayBeAbsent String ref,
            List<HeldMessage> held,
            @MayBeAbsent String nextCursor) implements ServerMessage {
        public HeldMessages {
            held = List.copyOf(required(held, "held"));
        }
    }

    /**
     * A mentor's private note about a session.
     *
     * @param writtenAt when, milliseconds since the epoch (UTC)
     */
    record NoteInfo(String sessionId, String mentorId, long writtenAt, String note) {
        public NoteInfo {
            required(sessionId, "sessionId");
            required(mentorId, "mentorId");
            required(note, "note");
        }
    }

    /** The answer to {@code list_notes}: mentors' notes, oldest first. */
    record MentorNotes(
            @MayBeAbsent String ref,
            List<NoteInfo> notes,
            @MayBeAbsent String nextCursor) implements ServerMessage {
        public MentorNotes {
            notes = List.copyOf(required(notes, "notes"));
        }
    }

    /**
     * A member's rating of a session that ended.
     *
     * @param endedAt when the session ended, milliseconds since the epoch (UTC)
     */
    record RatingInfo(
            String sessionId,
            String memberId,
            List<String> mentorIds,
            long endedAt,
            int rating,
            @MayBeAbsent String comment) {
        public RatingInfo {
            required(sessionId, "sessionId");
            required(memberId, "memberId");
            mentorIds = List.copyOf(required(mentorIds, "mentorIds"));
        }
    }

    /** The answer to {@code list_ratings}: ratings at or below {@code maxRating}, oldest first. */
    record SessionRatings(
            @MayBeAbsent String ref,
            List<RatingInfo> ratings,
            @MayBeAbsent String nextCursor) implements ServerMessage {
        public SessionRatings {
            ratings = List.copyOf(required(ratings, "ratings"));
        }
    }

    /** The answer to {@code list_sanctions}: sanctions in force, oldest first. */
    record Sanctions(
            @MayBeAbsent String ref,
            List<SanctionInfo> sanctions,
            @MayBeAbsent String nextCursor) implements ServerMessage {
        public Sanctions {
            sanctions = List.copyOf(required(sanctions, "sanctions"));
        }
    }

    /** The answer to {@code member_history}: audit entries about one member, newest first. */
    record MemberHistoryPage(
            @MayBeAbsent String ref,
            String userId,
            List<AuditEntry> entries,
            @MayBeAbsent String nextCursor) implements ServerMessage {
        public MemberHistoryPage {
            required(userId, "userId");
            entries = List.copyOf(required(entries, "entries"));
        }
    }

    /**
     * An appeal of a sanction.
     *
     * @param status    {@code open}, {@code upheld} or {@code lifted}
     * @param decidedBy the moderator who decided it; null while open
     * @param note      the moderator's words to the member; may be null
     */
    record AppealInfo(
            String appealId,
            SanctionInfo sanction,
            String text,
            long createdAt,
            String status,
            @MayBeAbsent UserInfo decidedBy,
            @MayBeAbsent Long decidedAt,
            @MayBeAbsent String note) {
        public AppealInfo {
            required(appealId, "appealId");
            required(sanction, "sanction");
            required(text, "text");
            required(status, "status");
        }
    }

    /** The answer to {@code appeal}: it waits for a moderator. */
    record AppealReceived(@MayBeAbsent String ref, String appealId) implements ServerMessage {
        public AppealReceived {
            required(appealId, "appealId");
        }
    }

    /** A member appealed a sanction: sent to the connected moderators. */
    record AppealFiled(AppealInfo appeal) implements ServerMessage {
        public AppealFiled {
            required(appeal, "appeal");
        }
    }

    /** The answer to {@code list_appeals}: appeals waiting for a decision, oldest first. */
    record Appeals(
            @MayBeAbsent String ref,
            List<AppealInfo> appeals,
            @MayBeAbsent String nextCursor) implements ServerMessage {
        public Appeals {
            appeals = List.copyOf(required(appeals, "appeals"));
        }
    }

    /**
     * An appeal was decided: the reply to {@code decide_appeal}, and an event to the member who appealed and to the
     * other moderators.
     *
     * @param outcome {@code upheld} (the sanction stands) or {@code lifted}
     * @param note    the moderator's words to the member, may be null
     */
    record AppealDecided(
            @MayBeAbsent String ref,
            String appealId,
            String sanctionId,
            String outcome,
            @MayBeAbsent String note) implements ServerMessage {
        public AppealDecided {
            required(appealId, "appealId");
            required(sanctionId, "sanctionId");
            required(outcome, "outcome");
        }
    }

    /** The answer to {@code check_in}: the member has been asked. */
    record CheckInSent(@MayBeAbsent String ref, String checkInId, String alertId, UserInfo member)
            implements ServerMessage {
        public CheckInSent {
            required(checkInId, "checkInId");
            required(alertId, "alertId");
            required(member, "member");
        }
    }

    /**
     * A moderator would like to talk with the member privately: sent to the member, who answers
     * {@code answer_check_in}.
     *
     * @param message honest words, in the member's language, saying who is reaching out and why
     */
    record CheckInOffer(String checkInId, UserInfo moderator, String message) implements ServerMessage {
        public CheckInOffer {
            required(checkInId, "checkInId");
            required(moderator, "moderator");
            required(message, "message");
        }
    }

    /** The member declined a check-in: sent to the moderator who offered it. */
    record CheckInDeclined(String checkInId, UserInfo member) implements ServerMessage {
        public CheckInDeclined {
            required(checkInId, "checkInId");
            required(member, "member");
        }
    }

    /** A report this user filed was reviewed: neutral words, never what was done to whom. */
    record ReportOutcome(String reportId, String message) implements ServerMessage {
        public ReportOutcome {
            required(reportId, "reportId");
            required(message, "message");
        }
    }

    /** A moderator did not approve a held message: it will not be posted. Sent to its author. */
    record MessageRejected(
            String room, String clientMsgId, @MayBeAbsent String reason) implements ServerMessage {
        public MessageRejected {
            required(room, "room");
            required(clientMsgId, "clientMsgId");
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Facilitated group sessions. Times are UTC instants in ISO-8601 with a Z.

    /**
     * A scheduled group session as a user sees it, at its current or next meeting.
     *
     * @param groupId         the group's id, for every group command
     * @param title           its title
     * @param topic           its condition or topic
     * @param facilitators    who runs it
     * @param startsAt        the current or next meeting's start
     * @param endsAt          that meeting's end; it closes by itself a grace period after
     * @param lobbyOpensAt    when members may enter that meeting's lobby
     * @param durationMinutes how long each meeting lasts
     * @param capacity        most members at once (facilitators not counted)
     * @param recurrence      {@code none} or {@code weekly}
     * @param timeZone        the zone a weekly meeting keeps its local time in
     * @param registration    whether members must register to enter
     * @param registered      how many members are registered
     * @param youAreRegistered whether the user reading this is registered
     * @param phase           {@code scheduled} (lobby not open yet), {@code lobby} (members wait, cannot post),
     *                        {@code open}, {@code closed} (the last meeting is over) or {@code cancelled}
     * @param room            the meeting's room: {@code join} it to enter, from the lobby's opening
     * @param rules           the group's rules, may be null
     * @param floorOnly       whether only the floor holder and facilitators post while a member holds the floor
     */
    record GroupInfo(
            String groupId,
            String title,
            @MayBeAbsent String topic,
            List<UserInfo> facilitators,
            @MayBeAbsent String startsAt,
            @MayBeAbsent String endsAt,
            @MayBeAbsent String lobbyOpensAt,
            int durationMinutes,
            int capacity,
            @MayBeAbsent String recurrence,
            @MayBeAbsent String timeZone,
            boolean registration,
            int registered,
            boolean youAreRegistered,
            String phase,
            @MayBeAbsent String room,
            @MayBeAbsent String rules,
            boolean floorOnly) {
        public GroupInfo {
            required(groupId, "groupId");
            required(title, "title");
            facilitators = List.copyOf(facilitators);
            required(phase, "phase");
        }
    }

    /**
     * The answer to {@code create_group}, {@code update_group}, {@code cancel_group}, {@code register_group} and
     * {@code unregister_group}: the group as it now is.
     */
    record Group(@MayBeAbsent String ref, GroupInfo group) implements ServerMessage {
        public Group {
            required(group, "group");
        }
    }

    /** The answer to {@code list_groups}: groups that have not ended, soonest first. */
    record GroupList(@MayBeAbsent String ref, List<GroupInfo> groups) implements ServerMessage {
        public GroupList {
            groups = List.copyOf(groups);
        }
    }

    /**
     * A group a user registered for (or is in the lobby or room of) changed: {@code updated} (its schedule or
     * settings), {@code cancelled} (every meeting) or {@code occurrence_cancelled} (one meeting of a weekly group;
     * {@code group} then shows the next).
     *
     * @param occurrence for {@code occurrence_cancelled}, the start of the meeting that will not take place
     * @param reason     the facilitator's reason, for a cancellation
     */
    record GroupChanged(
            GroupInfo group,
            String change,
            @MayBeAbsent String occurrence,
            @MayBeAbsent String reason) implements ServerMessage {
        public GroupChanged {
            required(group, "group");
            required(change, "change");
        }
    }

    /** Sent to each registered, connected member shortly before a meeting starts. */
    record GroupReminder(GroupInfo group, long startsInSeconds) implements ServerMessage {
        public GroupReminder {
            required(group, "group");
        }
    }

    /**
     * Who holds the floor in a group meeting.
     *
     * @param user  the floor holder
     * @param until when the floor expires by itself
     */
    record Floor(UserInfo user, String until) {
        public Floor {
            required(user, "user");
            required(until, "until");
        }
    }

    /**
     * What is pinned above a group meeting's chat: the rules, or one message.
     *
     * @param rules   the group's rules, when they are pinned
     * @param message the pinned message, when a message is pinned
     */
    record Pinned(@MayBeAbsent String rules, @MayBeAbsent ChatMessage message) {}

    /**
     * How a group meeting runs now. Sent to a participant when it joins the meeting's room, and to every participant
     * after each change; each is complete, so a client replaces what it had.
     *
     * @param room            the meeting's room
     * @param groupId         its group
     * @param phase           {@code lobby}, {@code open} or {@code closed}
     * @param startsAt        the meeting's scheduled start
     * @param endsAt          its scheduled end
     * @param locked          only facilitators post
     * @param slowModeSeconds one message per member per this many seconds; 0 when off
     * @param floorOnly       only the floor holder and facilitators post while a member holds the floor
     * @param floor           who holds the floor; null when nobody does
     * @param hands           raised hands, in the order they were raised: the queue to speak
     * @param muted           ids of muted participants
     * @param listenOnly      ids of participants who chose to only listen
     * @param facilitators    ids of those who run the meeting
     * @param pinned          what is pinned; null when nothing is
     * @param participants    how many members are in the meeting (facilitators not counted)
     */
    record GroupState(
            String room,
            String groupId,
            String phase,
            @MayBeAbsent String startsAt,
            @MayBeAbsent String endsAt,
            boolean locked,
            int slowModeSeconds,
            boolean floorOnly,
            @MayBeAbsent Floor floor,
            List<UserInfo> hands,
            List<String> muted,
            List<String> listenOnly,
            List<String> facilitators,
            @MayBeAbsent Pinned pinned,
            int participants)
            implements ServerMessage {
        public GroupState {
            required(room, "room");
            required(groupId, "groupId");
            required(phase, "phase");
            hands = List.copyOf(hands);
            muted = List.copyOf(muted);
            listenOnly = List.copyOf(listenOnly);
            facilitators = List.copyOf(facilitators);
        }
    }

    /**
     * A facilitator took this user out of a group meeting; its connections left the room.
     *
     * @param banned whether it may come back to this group's meetings
     */
    record RemovedFromGroup(
            String groupId, String room, @MayBeAbsent String reason, boolean banned) implements ServerMessage {
        public RemovedFromGroup {
            required(groupId, "groupId");
            required(room, "room");
        }
    }

    /**
     * One participant's attendance at a group meeting.
     *
     * @param firstJoinedAt  when it first entered (lobby included)
     * @param lastLeftAt     when it last left; null while it is still there
     * @param presentSeconds how long it was in the room while the meeting was open
     */
    record Attendee(
            UserInfo user,
            String firstJoinedAt,
            @MayBeAbsent String lastLeftAt,
            long presentSeconds) {
        public Attendee {
            required(user, "user");
            required(firstJoinedAt, "firstJoinedAt");
        }
    }

    /**
     * The answer to {@code attendance}: who attended a meeting (pseudonyms only), in order of arrival; facilitators
     * are not listed.
     *
     * @param openedAt when the facilitator opened it; null if it never opened
     * @param closedAt when it closed; null while it runs
     */
    record Attendance(
            @MayBeAbsent String ref,
            String groupId,
            String room,
            @MayBeAbsent String startsAt,
            @MayBeAbsent String openedAt,
            @MayBeAbsent String closedAt,
            List<Attendee> attendees)
            implements ServerMessage {
        public Attendance {
            required(groupId, "groupId");
            required(room, "room");
            attendees = List.copyOf(attendees);
        }
    }

    // Rooms made at run time (protocol 2 additions: only moderators ever receive these).

    /**
     * The answer to {@code create_room}, {@code edit_room}, {@code archive_room} and {@code restore_room}: the room as
     * it is now stored.
     */
    record RoomManaged(@MayBeAbsent String ref, ManagedRoom room) implements ServerMessage {
        public RoomManaged {
            required(room, "room");
        }
    }

    /** The answer to {@code list_managed_rooms}: every room made at run time, archived ones too, oldest first. */
    record ManagedRoomList(@MayBeAbsent String ref, List<ManagedRoom> rooms) implements ServerMessage {
        public ManagedRoomList {
            rooms = List.copyOf(required(rooms, "rooms"));
        }
    }
}
