package org.kindred.protocol;

import static org.kindred.protocol.InvalidMessageException.check;
import static org.kindred.protocol.InvalidMessageException.required;
import static org.kindred.protocol.InvalidMessageException.requiredText;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * A command from a client to the server. Every command may carry a {@code ref}, any short string the client picks;
 * the reply or error it causes echoes it. The JSON {@code type} field selects the command.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ClientMessage.Hello.class, name = "hello"),
    @JsonSubTypes.Type(value = ClientMessage.ListRooms.class, name = "list_rooms"),
    @JsonSubTypes.Type(value = ClientMessage.Join.class, name = "join"),
    @JsonSubTypes.Type(value = ClientMessage.Leave.class, name = "leave"),
    @JsonSubTypes.Type(value = ClientMessage.Send.class, name = "send"),
    @JsonSubTypes.Type(value = ClientMessage.FetchHistory.class, name = "history"),
    @JsonSubTypes.Type(value = ClientMessage.FetchPresence.class, name = "presence"),
    @JsonSubTypes.Type(value = ClientMessage.Typing.class, name = "typing"),
    @JsonSubTypes.Type(value = ClientMessage.Ping.class, name = "ping"),
    @JsonSubTypes.Type(value = ClientMessage.Refresh.class, name = "refresh"),
    @JsonSubTypes.Type(value = ClientMessage.SetAvailability.class, name = "set_availability"),
    @JsonSubTypes.Type(value = ClientMessage.RequestSupport.class, name = "request_support"),
    @JsonSubTypes.Type(value = ClientMessage.CancelSupport.class, name = "cancel_support"),
    @JsonSubTypes.Type(value = ClientMessage.AcceptOffer.class, name = "accept_offer"),
    @JsonSubTypes.Type(value = ClientMessage.DeclineOffer.class, name = "decline_offer"),
    @JsonSubTypes.Type(value = ClientMessage.EndSession.class, name = "end_session"),
    @JsonSubTypes.Type(value = ClientMessage.RateSession.class, name = "rate_session"),
    @JsonSubTypes.Type(value = ClientMessage.MentorNote.class, name = "mentor_note"),
    @JsonSubTypes.Type(value = ClientMessage.ProposeHandoff.class, name = "propose_handoff"),
    @JsonSubTypes.Type(value = ClientMessage.AnswerHandoff.class, name = "answer_handoff"),
    @JsonSubTypes.Type(value = ClientMessage.DeleteTranscript.class, name = "delete_transcript"),
    @JsonSubTypes.Type(value = ClientMessage.Report.class, name = "report"),
    @JsonSubTypes.Type(value = ClientMessage.AckAlert.class, name = "ack_alert"),
    @JsonSubTypes.Type(value = ClientMessage.ListAlerts.class, name = "list_alerts"),
    @JsonSubTypes.Type(value = ClientMessage.ListReports.class, name = "list_reports"),
    @JsonSubTypes.Type(value = ClientMessage.ResolveReport.class, name = "resolve_report"),
    @JsonSubTypes.Type(value = ClientMessage.ReadAudit.class, name = "audit_log"),
    @JsonSubTypes.Type(value = ClientMessage.Sanction.class, name = "sanction"),
    @JsonSubTypes.Type(value = ClientMessage.LiftSanction.class, name = "lift_sanction"),
    @JsonSubTypes.Type(value = ClientMessage.DeleteMessage.class, name = "delete_message"),
    @JsonSubTypes.Type(value = ClientMessage.EditMessage.class, name = "edit_message"),
    @JsonSubTypes.Type(value = ClientMessage.Block.class, name = "block"),
    @JsonSubTypes.Type(value = ClientMessage.Unblock.class, name = "unblock"),
    @JsonSubTypes.Type(value = ClientMessage.ReviewHeld.class, name = "review_held"),
    @JsonSubTypes.Type(value = ClientMessage.ListHeld.class, name = "list_held"),
    @JsonSubTypes.Type(value = ClientMessage.ListNotes.class, name = "list_notes"),
    @JsonSubTypes.Type(value = ClientMessage.ListRatings.class, name = "list_ratings"),
    @JsonSubTypes.Type(value = ClientMessage.ListSanctions.class, name = "list_sanctions"),
    @JsonSubTypes.Type(value = ClientMessage.MemberHistory.class, name = "member_history"),
    @JsonSubTypes.Type(value = ClientMessage.Appeal.class, name = "appeal"),
    @JsonSubTypes.Type(value = ClientMessage.ListAppeals.class, name = "list_appeals"),
    @JsonSubTypes.Type(value = ClientMessage.DecideAppeal.class, name = "decide_appeal"),
    @JsonSubTypes.Type(value = ClientMessage.CheckIn.class, name = "check_in"),
    @JsonSubTypes.Type(value = ClientMessage.AnswerCheckIn.class, name = "answer_check_in"),
    @JsonSubTypes.Type(value = ClientMessage.CreateGroup.class, name = "create_group"),
    @JsonSubTypes.Type(value = ClientMessage.UpdateGroup.class, name = "update_group"),
    @JsonSubTypes.Type(value = ClientMessage.CancelGroup.class, name = "cancel_group"),
    @JsonSubTypes.Type(value = ClientMessage.ListGroups.class, name = "list_groups"),
    @JsonSubTypes.Type(value = ClientMessage.RegisterGroup.class, name = "register_group"),
    @JsonSubTypes.Type(value = ClientMessage.UnregisterGroup.class, name = "unregister_group"),
    @JsonSubTypes.Type(value = ClientMessage.OpenGroup.class, name = "open_group"),
    @JsonSubTypes.Type(value = ClientMessage.CloseGroup.class, name = "close_group"),
    @JsonSubTypes.Type(value = ClientMessage.SetGroupChat.class, name = "set_group_chat"),
    @JsonSubTypes.Type(value = ClientMessage.Mute.class, name = "mute"),
    @JsonSubTypes.Type(value = ClientMessage.RemoveParticipant.class, name = "remove_participant"),
    @JsonSubTypes.Type(value = ClientMessage.LiftGroupBan.class, name = "lift_group_ban"),
    @JsonSubTypes.Type(value = ClientMessage.ListenOnly.class, name = "listen_only"),
    @JsonSubTypes.Type(value = ClientMessage.Pin.class, name = "pin"),
    @JsonSubTypes.Type(value = ClientMessage.Unpin.class, name = "unpin"),
    @JsonSubTypes.Type(value = ClientMessage.RaiseHand.class, name = "raise_hand"),
    @JsonSubTypes.Type(value = ClientMessage.GiveFloor.class, name = "give_floor"),
    @JsonSubTypes.Type(value = ClientMessage.TakeFloor.class, name = "take_floor"),
    @JsonSubTypes.Type(value = ClientMessage.ReadAttendance.class, name = "attendance"),
    @JsonSubTypes.Type(value = ClientMessage.CreateRoom.class, name = "create_room"),
    @JsonSubTypes.Type(value = ClientMessage.EditRoom.class, name = "edit_room"),
    @JsonSubTypes.Type(value = ClientMessage.ArchiveRoom.class, name = "archive_room"),
    @JsonSubTypes.Type(value = ClientMessage.RestoreRoom.class, name = "restore_room"),
    @JsonSubTypes.Type(value = ClientMessage.ListManagedRooms.class, name = "list_managed_rooms"),
})
public sealed interface ClientMessage {

    /** Longest {@code ref} accepted, in characters. */
    int MAX_REF_LENGTH = 64;
    /** Longest {@code clientMsgId} accepted, in characters. */
    int MAX_CLIENT_MSG_ID_LENGTH = 64;
    /** Longest room id accepted, in characters. */
    int MAX_ROOM_ID_LENGTH = 64;

    /** The client's correlation id for this command, echoed by its reply or error; may be null. */
    String ref();

    /**
     * Starts the session: the first command on every connection.
     *
     * @param ref             correlation id, may be null
     * @param token           a signed JWT naming the user
     * @param protocolVersion the protocol version the client speaks; null means {@link ProtocolVersion#OLDEST} (1)
     * @param invisible       {@code true}: this connection reads and posts but is never listed nor counted in any
     *                        room's presence, and its typing is not shown; null or false: visible
     * @param language        the BCP 47 tag of the language (and region) the member reads, such as {@code fr-CA}: the
     *                        server writes its own texts (errors, crisis support, outcomes) in it when it has them,
     *                        and picks crisis lines by its region; null: the token's {@code locale} claim, else the
     *                        server's default
     */
    record Hello(
            @MayBeAbsent String ref,
            String token,
            @MayBeAbsent Integer protocolVersion,
            @MayBeAbsent Boolean invisible,
            @MayBeAbsent String language)
            implements ClientMessage {
        public Hello {
            checkRef(ref);
            check(
                    language == null || LanguageTags.canonical(language).isPresent(),
                    "field 'language' must be a BCP 47 language tag such as fr or fr-CA");
        }

        /** A visible hello. */
        public Hello(String ref, String token, Integer protocolVersion) {
            this(ref, token, protocolVersion, null, null);
        }

        /** A hello in the server's default language (or the token's). */
        public Hello(String ref, String token, Integer protocolVersion, Boolean invisible) {
            this(ref, token, protocolVersion, invisible, null);
        }

        /** Whether the connection asked to be invisible. */
        public boolean wantsInvisible() {
            return Boolean.TRUE.equals(invisible);
        }
    }

    /** Asks for the list of rooms. */
    record ListRooms(@MayBeAbsent String ref) implements ClientMessage {
        public ListRooms {
            checkRef(ref);
        }
    }

    /**
     * Joins a room. With {@code since}, the reply carries every message after that sequence number if the room still
     * has them ({@code recovered: true}); otherwise the latest page.
     *
     * @param ref   correlation id, may be null
     * @param room  the room id
     * @param since the last sequence number the client has seen in this room, or null
     * @param epoch the room epoch the client saw with {@code since}, or null; a different epoch means the room's
     *              history was reset and nothing can be recovered
     */
    record Join(
            @MayBeAbsent String ref,
            String room,
            @MayBeAbsent Long since,
            @MayBeAbsent String epoch) implements ClientMessage {
        public Join {
            checkRef(ref);
            checkRoom(room);
            check(since == null || since >= 0, "field 'since' must be >= 0");
        }
    }

    /** Leaves a room: no more events from it on this connection. */
    record Leave(@MayBeAbsent String ref, String room) implements ClientMessage {
        public Leave {
            checkRef(ref);
            checkRoom(room);
        }
    }

    /**
     * Posts a message to a room the connection has joined.
     *
     * @param ref         correlation id, may be null
     * @param room        the room id
     * @param clientMsgId an id the client picks, unique per user; resending it returns the original ack and never
     *                    delivers the message twice
     * @param text        the message text
     */
    record Send(@MayBeAbsent String ref, String room, String clientMsgId, String text) implements ClientMessage {
        public Send {
            checkRef(ref);
            checkRoom(room);
            requiredText(clientMsgId, "clientMsgId");
            check(
                    clientMsgId.length() <= MAX_CLIENT_MSG_ID_LENGTH,
                    "field 'clientMsgId' is longer than " + MAX_CLIENT_MSG_ID_LENGTH + " characters");
            requiredText(text, "text");
        }
    }

    /**
     * Pages back through a joined room's history.
     *
     * @param ref    correlation id, may be null
     * @param room   the room id
     * @param before return messages with a sequence number below this one; null means the newest
     * @param limit  how many messages at most; null means the server's page size
     */
    record FetchHistory(
            @MayBeAbsent String ref,
            String room,
            @MayBeAbsent Long before,
            @MayBeAbsent Integer limit) implements ClientMessage {
        public FetchHistory {
            checkRef(ref);
            checkRoom(room);
            check(before == null || before >= 1, "field 'before' must be >= 1");
            check(limit == null || limit >= 1, "field 'limit' must be >= 1");
        }
    }

    /**
     * Pages through who is present in a joined room, in the server's order (protocol version 2): the rest of the list a
     * {@code joined} reply cut short.
     *
     * @param ref   correlation id, may be null
     * @param room  a room this connection has joined
     * @param after the {@code next} cursor of the previous page ({@code joined.presenceNext} for the first); null for
     *              the start of the list
     * @param limit at most this many users; null for the server's page size (never more than its maximum)
     */
    record FetchPresence(
            @MayBeAbsent String ref,
            String room,
            @MayBeAbsent String after,
            @MayBeAbsent Integer limit) implements ClientMessage {
        /** The longest cursor a client can have been given (a user id is at most this long). */
        public static final int MAX_CURSOR_LENGTH = 256;

        public FetchPresence {
            checkRef(ref);
            checkRoom(room);
            check(
                    after == null || !after.isEmpty() && after.length() <= MAX_CURSOR_LENGTH,
                    "field 'after' must be a cursor the server gave (1 to " + MAX_CURSOR_LENGTH + " characters)");
            check(limit == null || limit >= 1, "field 'limit' must be >= 1");
        }
    }

    /** Says that the user started ({@code active: true}) or stopped typing in a joined room; never stored. */
    record Typing(@MayBeAbsent String ref, String room, Boolean active) implements ClientMessage {
        public Typing {
            checkRef(ref);
            checkRoom(room);
            required(active, "active");
        }
    }

    /**
     * Renews the token of a signed-in connection before it expires: the new token must name the same user with the same
     * roles. Without it, the server closes the connection with 4101 when the token expires.
     *
     * @param ref   correlation id, may be null
     * @param token a fresh signed JWT for the same user
     */
    record Refresh(@MayBeAbsent String ref, String token) implements ClientMessage {
        public Refresh {
            checkRef(ref);
            check(token != null && !token.isBlank(), "field 'token' is required");
        }
    }

    /** Asks for a {@link ServerMessage.Pong}; keeps the connection from idling out. */
    record Ping(@MayBeAbsent String ref) implements ClientMessage {
        public Ping {
            checkRef(ref);
        }
    }

    /** Longest support request note, comment or mentor note accepted, in characters. */
    int MAX_NOTE_LENGTH = 500;

    /**
     * A mentor says whether it takes one-to-one sessions now, and which.
     *
     * @param ref        correlation id, may be null
     * @param available  true to take requests, false to stop (sessions in progress go on)
     * @param conditions condition tags it covers, for example {@code diabetes}; required when available
     * @param languages  language codes it speaks, for example {@code en}; required when available
     * @param capacity   sessions it can hold at once; null means the server's default, and the server's maximum caps
     *                   it
     */
    record SetAvailability(
            @MayBeAbsent String ref,
            Boolean available,
            @MayBeAbsent java.util.List<String> conditions,
            @MayBeAbsent java.util.List<String> languages,
            @MayBeAbsent Integer capacity)
            implements ClientMessage {
        public SetAvailability {
            checkRef(ref);
            required(available, "available");
            conditions = conditions == null ? java.util.List.of() : java.util.List.copyOf(conditions);
            languages = languages == null ? java.util.List.of() : java.util.List.copyOf(languages);
            check(!available || !conditions.isEmpty(), "field 'conditions' must name at least one condition");
            check(!available || !languages.isEmpty(), "field 'languages' must name at least one language");
            check(capacity == null || capacity >= 1, "field 'capacity' must be >= 1");
        }
    }

    /**
     * A member asks for a one-to-one session with a peer mentor.
     *
     * @param ref       correlation id, may be null
     * @param condition the condition to talk about, one of the rooms' condition tags
     * @param language  the language to talk in, for example {@code en}
     * @param note      a short note for the mentor, may be null
     */
    record RequestSupport(
            @MayBeAbsent String ref,
            String condition,
            String language,
            @MayBeAbsent String note) implements ClientMessage {
        public RequestSupport {
            checkRef(ref);
            requiredText(condition, "condition");
            requiredText(language, "language");
            checkNote(note, "note");
        }
    }

    /** A member withdraws its open support request. */
    record CancelSupport(@MayBeAbsent String ref, String requestId) implements ClientMessage {
        public CancelSupport {
            checkRef(ref);
            requiredText(requestId, "requestId");
        }
    }

    /** A mentor takes a request it was offered. */
    record AcceptOffer(@MayBeAbsent String ref, String requestId) implements ClientMessage {
        public AcceptOffer {
            checkRef(ref);
            requiredText(requestId, "requestId");
        }
    }

    /** A mentor passes on a request it was offered; the request moves on to another mentor. */
    record DeclineOffer(@MayBeAbsent String ref, String requestId) implements ClientMessage {
        public DeclineOffer {
            checkRef(ref);
            requiredText(requestId, "requestId");
        }
    }

    /** Either participant ends a one-to-one session. */
    record EndSession(@MayBeAbsent String ref, String sessionId) implements ClientMessage {
        public EndSession {
            checkRef(ref);
            requiredText(sessionId, "sessionId");
        }
    }

    /**
     * The member rates a session that ended.
     *
     * @param rating  1 (poor) to 5 (great)
     * @param comment a short comment, may be null
     */
    record RateSession(
            @MayBeAbsent String ref,
            String sessionId,
            Integer rating,
            @MayBeAbsent String comment) implements ClientMessage {
        public RateSession {
            checkRef(ref);
            requiredText(sessionId, "sessionId");
            required(rating, "rating");
            check(rating >= 1 && rating <= 5, "field 'rating' must be 1 to 5");
            checkNote(comment, "comment");
        }
    }

    /** The mentor leaves a private note about a session for moderators, for example a risk it noticed. */
    record MentorNote(@MayBeAbsent String ref, String sessionId, String note) implements ClientMessage {
        public MentorNote {
            checkRef(ref);
            requiredText(sessionId, "sessionId");
            requiredText(note, "note");
            checkNote(note, "note");
        }
    }

    /**
     * The mentor proposes to hand the session to another mentor (a named one, or the next fitting one). The member
     * must consent; the conversation and its history stay.
     *
     * @param toMentorId the mentor to hand over to, or null for the next fitting available mentor
     * @param reason     why, shown to the member, may be null
     */
    record ProposeHandoff(
            @MayBeAbsent String ref,
            String sessionId,
            @MayBeAbsent String toMentorId,
            @MayBeAbsent String reason) implements ClientMessage {
        public ProposeHandoff {
            checkRef(ref);
            requiredText(sessionId, "sessionId");
            checkNote(reason, "reason");
        }
    }

    /** The member consents to, or refuses, a proposed hand-off. */
    record AnswerHandoff(@MayBeAbsent String ref, String sessionId, Boolean consent) implements ClientMessage {
        public AnswerHandoff {
            checkRef(ref);
            requiredText(sessionId, "sessionId");
            required(consent, "consent");
        }
    }

    /** A participant asks for the session's transcript to be deleted now, for both participants. */
    record DeleteTranscript(@MayBeAbsent String ref, String sessionId) implements ClientMessage {
        public DeleteTranscript {
            checkRef(ref);
            requiredText(sessionId, "sessionId");
        }
    }

    /** Report categories. */
    java.util.Set<String> REPORT_CATEGORIES =
            java.util.Set.of("harassment", "self_harm", "spam", "misinformation", "other");

    /**
     * A member reports a message (in a room, or in a one-to-one session it takes part in) to the moderators. The
     * reported member never learns who reported it.
     *
     * @param room     the room (or session) id
     * @param seq      the message's sequence number in it
     * @param category one of {@code harassment}, {@code self_harm}, {@code spam}, {@code misinformation}, {@code other}
     * @param comment  what the reporter wants moderators to know, may be null
     */
    record Report(
            @MayBeAbsent String ref,
            String room,
            Long seq,
            String category,
            @MayBeAbsent String comment) implements ClientMessage {
        public Report {
            checkRef(ref);
            checkRoom(room);
            required(seq, "seq");
            check(seq >= 1, "field 'seq' must be >= 1");
            requiredText(category, "category");
            check(
                    REPORT_CATEGORIES.contains(category),
                    "field 'category' must be one of harassment, self_harm, " + "spam, misinformation, other");
            checkNote(comment, "comment");
        }
    }

    /** A moderator takes charge of a crisis alert; the time it took is measured. */
    record AckAlert(@MayBeAbsent String ref, String alertId) implements ClientMessage {
        public AckAlert {
            checkRef(ref);
            requiredText(alertId, "alertId");
        }
    }

    /**
     * A moderator asks for the alerts nobody has acknowledged yet, oldest first: what it missed while signed out.
     */
    record ListAlerts(@MayBeAbsent String ref) implements ClientMessage {
        public ListAlerts {
            checkRef(ref);
        }
    }

    /** A moderator asks for the open reports, oldest first. */
    record ListReports(@MayBeAbsent String ref) implements ClientMessage {
        public ListReports {
            checkRef(ref);
        }
    }

    /** A moderator closes a report, saying what was done. */
    record ResolveReport(@MayBeAbsent String ref, String reportId, String resolution) implements ClientMessage {
        public ResolveReport {
            checkRef(ref);
            requiredText(reportId, "reportId");
            requiredText(resolution, "resolution");
            checkNote(resolution, "resolution");
        }
    }

    /** A moderator reads the audit log, newest first. {@code limit} null means 100. */
    record ReadAudit(@MayBeAbsent String ref, @MayBeAbsent Integer limit) implements ClientMessage {
        public ReadAudit {
            checkRef(ref);
            check(limit == null || limit >= 1 && limit <= 1000, "field 'limit' must be 1 to 1000");
        }
    }

    /** Sanction kinds. */
    java.util.Set<String> SANCTION_KINDS = java.util.Set.of("warn", "timeout", "restrict", "room_ban", "service_ban");

    /**
     * A moderator sanctions a member, with a reason the member is shown.
     *
     * @param userId          the member
     * @param kind            {@code warn} (a message only), {@code timeout} (read-only everywhere, 60 s to 1 week),
     *                        {@code restrict} (rooms read-only; one-to-one support still open), {@code room_ban} (out of
     *                        one room), {@code service_ban} (signed out everywhere and refused)
     * @param room            the room, for {@code room_ban}
     * @param reason          why, shown to the member
     * @param durationSeconds how long; required for {@code timeout}; null means until lifted for the others
     */
    record Sanction(
            @MayBeAbsent String ref,
            String userId,
            String kind,
            @MayBeAbsent String room,
            String reason,
            @MayBeAbsent Long durationSeconds)
            implements ClientMessage {
        public Sanction {
            checkRef(ref);
            requiredText(userId, "userId");
            requiredText(kind, "kind");
            check(
                    SANCTION_KINDS.contains(kind),
                    "field 'kind' must be one of warn, timeout, restrict, room_ban, service_ban");
            requiredText(reason, "reason");
            checkNote(reason, "reason");
            if (kind.equals("room_ban")) {
                checkRoom(room);
            }
            if (kind.equals("timeout")) {
                required(durationSeconds, "durationSeconds");
                check(
                        durationSeconds >= 60 && durationSeconds <= 7 * 24 * 3600,
                        "field 'durationSeconds' must be 60 to 604800 for a timeout");
            }
            check(durationSeconds == null || durationSeconds >= 1, "field 'durationSeconds' must be >= 1");
        }
    }

    /** A moderator lifts a sanction early. */
    record LiftSanction(
            @MayBeAbsent String ref,
            String sanctionId,
            @MayBeAbsent String reason) implements ClientMessage {
        public LiftSanction {
            checkRef(ref);
            requiredText(sanctionId, "sanctionId");
            checkNote(reason, "reason");
        }
    }

    /** A moderator deletes a message from a room (or a session): everyone sees its tombstone instead. */
    record DeleteMessage(@MayBeAbsent String ref, String room, Long seq, String reason) implements ClientMessage {
        public DeleteMessage {
            checkRef(ref);
            checkRoom(room);
            required(seq, "seq");
            check(seq >= 1, "field 'seq' must be >= 1");
            requiredText(reason, "reason");
            checkNote(reason, "reason");
        }
    }

    /**
     * An author replaces the text of its own message, within the server's edit window: everyone sees the new text,
     * marked edited.
     *
     * @param ref  correlation id, may be null
     * @param room the room id, or a one-to-one session's id
     * @param seq  the message's sequence number in that room
     * @param text the new text
     */
    record EditMessage(@MayBeAbsent String ref, String room, Long seq, String text) implements ClientMessage {
        public EditMessage {
            checkRef(ref);
            checkRoom(room);
            required(seq, "seq");
            check(seq >= 1, "field 'seq' must be >= 1");
            requiredText(text, "text");
        }
    }

    /**
     * A member blocks another user: neither sees the other's messages, presence or typing anywhere, and they are
     * never matched one to one. A block also files a report for moderators.
     *
     * @param comment what moderators should know, may be null
     */
    record Block(
            @MayBeAbsent String ref,
            String userId,
            @MayBeAbsent String comment) implements ClientMessage {
        public Block {
            checkRef(ref);
            requiredText(userId, "userId");
            checkNote(comment, "comment");
        }
    }

    /** A member lifts its block of another user. */
    record Unblock(@MayBeAbsent String ref, String userId) implements ClientMessage {
        public Unblock {
            checkRef(ref);
            requiredText(userId, "userId");
        }
    }

    // -----------------------------------------------------------------------------------------------------------
    // Moderator queues, appeals and check-ins (docs/protocol.md#moderator-queues)

    /** Most items one page of a moderator queue holds; {@code limit} absent means {@link #DEFAULT_PAGE}. */
    int MAX_PAGE = 200;

    int DEFAULT_PAGE = 50;
    /** Longest paging cursor accepted, in characters (cursors come from the server's {@code nextCursor}). */
    int MAX_CURSOR_LENGTH = 200;
    /** Longest appeal text, in characters. */
    int MAX_APPEAL_LENGTH = 2000;

    /** A moderator lists the messages held for review, oldest first, one page at a time. */
    record ListHeld(
            @MayBeAbsent String ref,
            @MayBeAbsent String cursor,
            @MayBeAbsent Integer limit) implements ClientMessage {
        public ListHeld {
            checkRef(ref);
            checkPage(cursor, limit);
        }
    }

    /** A moderator lists mentors' private notes about sessions, oldest first. */
    record ListNotes(
            @MayBeAbsent String ref,
            @MayBeAbsent String cursor,
            @MayBeAbsent Integer limit) implements ClientMessage {
        public ListNotes {
            checkRef(ref);
            checkPage(cursor, limit);
        }
    }

    /**
     * A moderator lists the low ratings of ended sessions, oldest first.
     *
     * @param maxRating the highest rating listed, 1 to 5; null means 2
     */
    record ListRatings(
            @MayBeAbsent String ref,
            @MayBeAbsent Integer maxRating,
            @MayBeAbsent String cursor,
            @MayBeAbsent Integer limit)
            implements ClientMessage {
        public ListRatings {
            checkRef(ref);
            check(maxRating == null || maxRating >= 1 && maxRating <= 5, "field 'maxRating' must be 1 to 5");
            checkPage(cursor, limit);
        }
    }

    /**
     * A moderator lists the sanctions in force, oldest first.
     *
     * @param userId only this member's, or null for everyone's
     */
    record ListSanctions(
            @MayBeAbsent String ref,
            @MayBeAbsent String userId,
            @MayBeAbsent String cursor,
            @MayBeAbsent Integer limit) implements ClientMessage {
        public ListSanctions {
            checkRef(ref);
            check(userId == null || !userId.isBlank(), "field 'userId' must not be blank");
            checkPage(cursor, limit);
        }
    }

    /**
     * A moderator reads one member's moderation history: the audit entries about it, newest first.
     *
     * @param actions only entries with one of these actions (for example {@code sanction_applied}), or null for all
     * @param since   only entries at or after this time (ms, UTC), or null
     * @param until   only entries before this time (ms, UTC), or null
     */
    record MemberHistory(
            @MayBeAbsent String ref,
            String userId,
            @MayBeAbsent List<String> actions,
            @MayBeAbsent Long since,
            @MayBeAbsent Long until,
            @MayBeAbsent String cursor,
            @MayBeAbsent Integer limit)
            implements ClientMessage {
        public MemberHistory {
            checkRef(ref);
            requiredText(userId, "userId");
            if (actions != null) {
                check(actions.size() <= 20, "field 'actions' holds more than 20 actions");
                check(
                        actions.stream().noneMatch(a -> a == null || a.isBlank()),
                        "field 'actions' holds a blank action");
                actions = List.copyOf(actions);
            }
            check(since == null || since >= 0, "field 'since' must be >= 0");
            check(until == null || since == null || until > since, "field 'until' must be after 'since'");
            checkPage(cursor, limit);
        }
    }

    /** A sanctioned member appeals one of its sanctions, once, saying why. */
    record Appeal(@MayBeAbsent String ref, String sanctionId, String text) implements ClientMessage {
        public Appeal {
            checkRef(ref);
            requiredText(sanctionId, "sanctionId");
            requiredText(text, "text");
            check(
                    text.length() <= MAX_APPEAL_LENGTH,
                    "field 'text' is longer than " + MAX_APPEAL_LENGTH + " characters");
        }
    }

    /** A moderator lists the appeals waiting for a decision, oldest first. */
    record ListAppeals(
            @MayBeAbsent String ref,
            @MayBeAbsent String cursor,
            @MayBeAbsent Integer limit) implements ClientMessage {
        public ListAppeals {
            checkRef(ref);
            checkPage(cursor, limit);
        }
    }

    /**
     * A moderator decides an appeal: the sanction is lifted, or it stands.
     *
     * @param lift true lifts the sanction; false upholds it
     * @param note what the member is told, may be null
     */
    record DecideAppeal(
            @MayBeAbsent String ref,
            String appealId,
            Boolean lift,
            @MayBeAbsent String note) implements ClientMessage {
        public DecideAppeal {
            checkRef(ref);
            requiredText(appealId, "appealId");
            required(lift, "lift");
            checkNote(note, "note");
        }
    }

    /**
     * The moderator who acknowledged a crisis alert offers its author a private check-in: a one-to-one session the
     * member may accept or decline.
     */
    record CheckIn(@MayBeAbsent String ref, String alertId) implements ClientMessage {
        public CheckIn {
            checkRef(ref);
            requiredText(alertId, "alertId");
        }
    }

    /** The member accepts or declines a moderator's check-in. */
    record AnswerCheckIn(@MayBeAbsent String ref, String checkInId, Boolean accept) implements ClientMessage {
        public AnswerCheckIn {
            checkRef(ref);
            requiredText(checkInId, "checkInId");
            required(accept, "accept");
        }
    }

    /** A moderator approves (it is posted as sent) or rejects a message held for review. */
    record ReviewHeld(
            @MayBeAbsent String ref,
            String heldId,
            Boolean approve,
            @MayBeAbsent String note) implements ClientMessage {
        public ReviewHeld {
            checkRef(ref);
            requiredText(heldId, "heldId");
            required(approve, "approve");
            checkNote(note, "note");
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Facilitated group sessions

    /** Longest group title accepted, in characters. */
    int MAX_TITLE_LENGTH = 100;
    /** Longest group rules text accepted, in characters. */
    int MAX_RULES_LENGTH = 2000;
    /** Shortest group session, in minutes. */
    int MIN_GROUP_MINUTES = 10;
    /** Longest group session, in minutes. */
    int MAX_GROUP_MINUTES = 480;
    /** Largest group capacity accepted. */
    int MAX_GROUP_CAPACITY = 1000;
    /** Longest slow-mode period, in seconds. */
    int MAX_SLOW_MODE_SECONDS = 3600;
    /** Recurrences of a group session: once, or every week at the same local time. */
    java.util.Set<String> RECURRENCES = java.util.Set.of("none", "weekly");

    /**
     * A facilitator (or a moderator) schedules a group session. Times are UTC instants in ISO-8601 with a {@code Z}.
     *
     * @param title           what members see in the list
     * @param topic           the condition or topic, for example {@code long-covid}
     * @param startsAt        the first meeting's start, for example {@code 2026-12-03T18:00:00Z}; must be in the future
     * @param durationMinutes how long each meeting lasts, 10 to 480
     * @param capacity        most members at once (facilitators not counted); null means the server's default
     * @param recurrence      {@code none} (the default) or {@code weekly}
     * @param timeZone        an IANA zone, for example {@code Europe/Paris}: a weekly meeting keeps its local time
     *                        across daylight-saving changes; null means UTC
     * @param registration    whether members must register to enter (registration is then capped by capacity);
     *                        null means false
     * @param rules           the group's rules, shown in the lobby and pinned by default; may be null
     * @param floorOnly       whether, while a member holds the floor, only that member and facilitators may post; null
     *                        means false
     * @param facilitators    co-facilitators' user ids, who may run the session too; may be null
     */
    record CreateGroup(
            @MayBeAbsent String ref,
            String title,
            String topic,
            String startsAt,
            Integer durationMinutes,
            @MayBeAbsent Integer capacity,
            @MayBeAbsent String recurrence,
            @MayBeAbsent String timeZone,
            @MayBeAbsent Boolean registration,
            @MayBeAbsent String rules,
            @MayBeAbsent Boolean floorOnly,
            @MayBeAbsent java.util.List<String> facilitators)
            implements ClientMessage {
        public CreateGroup {
            checkRef(ref);
            checkTitle(requiredText(title, "title"));
            requiredText(topic, "topic");
            checkInstant(requiredText(startsAt, "startsAt"), "startsAt");
            required(durationMinutes, "durationMinutes");
            checkGroupFields(durationMinutes, capacity, recurrence, timeZone, rules);
            facilitators = facilitators == null ? null : java.util.List.copyOf(facilitators);
        }
    }

    /**
     * A facilitator of the group (or a moderator) changes a scheduled group session; a null field stays as it is.
     * Registered members receive {@code group_changed}. A meeting in progress keeps its start; the change applies from
     * the next one.
     */
    record UpdateGroup(
            @MayBeAbsent String ref,
            String groupId,
            @MayBeAbsent String title,
            @MayBeAbsent String topic,
            @MayBeAbsent String startsAt,
            @MayBeAbsent Integer durationMinutes,
            @MayBeAbsent Integer capacity,
            @MayBeAbsent String recurrence,
            @MayBeAbsent String timeZone,
            @MayBeAbsent Boolean registration,
            @MayBeAbsent String rules,
            @MayBeAbsent Boolean floorOnly,
            @MayBeAbsent java.util.List<String> facilitators)
            implements ClientMessage {
        public UpdateGroup {
            checkRef(ref);
            requiredText(groupId, "groupId");
            if (title != null) {
                checkTitle(requiredText(title, "title"));
            }
            if (topic != null) {
                requiredText(topic, "topic");
            }
            if (startsAt != null) {
                checkInstant(startsAt, "startsAt");
            }
            checkGroupFields(durationMinutes, capacity, recurrence, timeZone, rules);
            facilitators = facilitators == null ? null : java.util.List.copyOf(facilitators);
        }
    }

    /**
     * A facilitator of the group (or a moderator) cancels it: the whole series, or with {@code occurrence} one meeting
     * of a weekly group. Registered members and anyone in the lobby receive {@code group_changed}.
     *
     * @param occurrence the start of the one meeting to cancel (as {@code startsAt} in {@code group}); null cancels
     *                   every meeting
     * @param reason     why, shown to members
     */
    record CancelGroup(
            @MayBeAbsent String ref,
            String groupId,
            @MayBeAbsent String occurrence,
            String reason) implements ClientMessage {
        public CancelGroup {
            checkRef(ref);
            requiredText(groupId, "groupId");
            if (occurrence != null) {
                checkInstant(occurrence, "occurrence");
            }
            requiredText(reason, "reason");
            checkNote(reason, "reason");
        }
    }

    /** Lists the group sessions that have not ended, soonest first; with a topic, only those about it. */
    record ListGroups(@MayBeAbsent String ref, @MayBeAbsent String topic) implements ClientMessage {
        public ListGroups {
            checkRef(ref);
        }
    }

    /** A member registers for a group session (for every meeting of a weekly group), and gets its reminders. */
    record RegisterGroup(@MayBeAbsent String ref, String groupId) implements ClientMessage {
        public RegisterGroup {
            checkRef(ref);
            requiredText(groupId, "groupId");
        }
    }

    /** A member withdraws its registration, freeing its place. */
    record UnregisterGroup(@MayBeAbsent String ref, String groupId) implements ClientMessage {
        public UnregisterGroup {
            checkRef(ref);
            requiredText(groupId, "groupId");
        }
    }

    /** A facilitator opens the current meeting: members in the lobby may post. Allowed once the lobby is open. */
    record OpenGroup(@MayBeAbsent String ref, String groupId) implements ClientMessage {
        public OpenGroup {
            checkRef(ref);
            requiredText(groupId, "groupId");
        }
    }

    /** A facilitator closes the current meeting: it takes no more messages; attendance is final. */
    record CloseGroup(@MayBeAbsent String ref, String groupId) implements ClientMessage {
        public CloseGroup {
            checkRef(ref);
            requiredText(groupId, "groupId");
        }
    }

    /**
     * A facilitator changes how the current meeting's chat runs; a null field stays as it is.
     *
     * @param locked          true: only facilitators post
     * @param slowModeSeconds one message per member per this many seconds (facilitators exempt); 0 turns it off
     * @param floorOnly       true: while a member holds the floor, only that member and facilitators post
     */
    record SetGroupChat(
            @MayBeAbsent String ref,
            String groupId,
            @MayBeAbsent Boolean locked,
            @MayBeAbsent Integer slowModeSeconds,
            @MayBeAbsent Boolean floorOnly)
            implements ClientMessage {
        public SetGroupChat {
            checkRef(ref);
            requiredText(groupId, "groupId");
            check(
                    slowModeSeconds == null || (slowModeSeconds >= 0 && slowModeSeconds <= MAX_SLOW_MODE_SECONDS),
                    "field 'slowModeSeconds' must be 0 to " + MAX_SLOW_MODE_SECONDS);
            check(
                    locked != null || slowModeSeconds != null || floorOnly != null,
                    "give at least one of 'locked', 'slowModeSeconds', 'floorOnly'");
        }
    }

    /** A facilitator mutes (or unmutes) a participant of the current meeting: it can read but not post. */
    record Mute(@MayBeAbsent String ref, String groupId, String userId, Boolean muted) implements ClientMessage {
        public Mute {
            checkRef(ref);
            requiredText(groupId, "groupId");
            requiredText(userId, "userId");
            required(muted, "muted");
        }
    }

    /**
     * A facilitator removes a participant from the current meeting; with {@code ban}, it may not come back to any
     * meeting of this group.
     *
     * @param reason why, shown to the participant
     */
    record RemoveParticipant(
            @MayBeAbsent String ref,
            String groupId,
            String userId,
            @MayBeAbsent Boolean ban,
            String reason) implements ClientMessage {
        public RemoveParticipant {
            checkRef(ref);
            requiredText(groupId, "groupId");
            requiredText(userId, "userId");
            requiredText(reason, "reason");
            checkNote(reason, "reason");
        }
    }

    /**
     * A facilitator of the group (or a moderator) lets a member it banned from the group's meetings come back, at any
     * time, meeting or not.
     */
    record LiftGroupBan(@MayBeAbsent String ref, String groupId, String userId) implements ClientMessage {
        public LiftGroupBan {
            checkRef(ref);
            requiredText(groupId, "groupId");
            requiredText(userId, "userId");
        }
    }

    /** A member chooses to only listen in the current meeting (or stops): it cannot post or raise a hand meanwhile. */
    record ListenOnly(@MayBeAbsent String ref, String groupId, Boolean on) implements ClientMessage {
        public ListenOnly {
            checkRef(ref);
            requiredText(groupId, "groupId");
            required(on, "on");
        }
    }

    /**
     * A facilitator pins a message of the current meeting, or with no {@code seq} the group's rules, above the chat.
     *
     * @param seq the message's sequence number in the meeting's room; null pins the rules
     */
    record Pin(
            @MayBeAbsent String ref,
            String groupId,
            @MayBeAbsent Long seq) implements ClientMessage {
        public Pin {
            checkRef(ref);
            requiredText(groupId, "groupId");
            check(seq == null || seq >= 1, "field 'seq' must be >= 1");
        }
    }

    /** A facilitator takes down what is pinned. */
    record Unpin(@MayBeAbsent String ref, String groupId) implements ClientMessage {
        public Unpin {
            checkRef(ref);
            requiredText(groupId, "groupId");
        }
    }

    /** A participant raises its hand to speak (it joins the end of the queue), or lowers it. */
    record RaiseHand(@MayBeAbsent String ref, String groupId, Boolean raised) implements ClientMessage {
        public RaiseHand {
            checkRef(ref);
            requiredText(groupId, "groupId");
            required(raised, "raised");
        }
    }

    /**
     * A facilitator gives the floor to a participant, or with no {@code userId} to the first in the queue. It replaces
     * whoever held it, and expires after the server's floor time.
     */
    record GiveFloor(
            @MayBeAbsent String ref,
            String groupId,
            @MayBeAbsent String userId) implements ClientMessage {
        public GiveFloor {
            checkRef(ref);
            requiredText(groupId, "groupId");
        }
    }

    /** A facilitator takes the floor back: nobody holds it. */
    record TakeFloor(@MayBeAbsent String ref, String groupId) implements ClientMessage {
        public TakeFloor {
            checkRef(ref);
            requiredText(groupId, "groupId");
        }
    }

    /**
     * A facilitator of the group (or a moderator) reads who attended a meeting and for how long.
     *
     * @param occurrence the meeting's start; null means the latest meeting that opened
     */
    record ReadAttendance(
            @MayBeAbsent String ref,
            String groupId,
            @MayBeAbsent String occurrence) implements ClientMessage {
        public ReadAttendance {
            checkRef(ref);
            requiredText(groupId, "groupId");
            if (occurrence != null) {
                checkInstant(occurrence, "occurrence");
            }
        }
    }

    // Rooms made at run time (protocol 2 additions: moderators only; an older client never sends them).

    /** The values of a room's {@code presence}: members see who is here ({@code names}) or only how many. */
    java.util.List<String> ROOM_PRESENCE = java.util.List.of("names", "count");

    /**
     * A moderator makes a room, stored and listed on every node within a second. The server checks the id (1-64 of
     * a-z, 0-9, '-', '_'; not a session's {@code s-} nor a meeting's {@code g-}), the title (1-80 characters), roles,
     * rules and claim names, and answers {@code managed_room}; an id that is taken gets {@code room_exists}.
     *
     * @param room        the new room's id
     * @param title       what clients show
     * @param description what the room is for, including its rules in brief; null means none
     * @param tags        condition tags; null means none
     * @param writers     roles that may post; null or empty means everyone who may read it
     * @param rules       content rules by wire name; null means the server's default rules, empty means none
     * @param presence    {@code names} (the default) or {@code count}
     * @param audience    who may read it; null means everyone
     */
    record CreateRoom(
            @MayBeAbsent String ref,
            String room,
            String title,
            @MayBeAbsent String description,
            @MayBeAbsent java.util.List<String> tags,
            @MayBeAbsent java.util.List<String> writers,
            @MayBeAbsent java.util.List<String> rules,
            @MayBeAbsent String presence,
            @MayBeAbsent RoomAudienceInfo audience)
            implements ClientMessage {
        public CreateRoom {
            checkRef(ref);
            checkRoom(room);
            requiredText(title, "title");
            checkRoomFields(presence);
            tags = copyOrNull(tags);
            writers = copyOrNull(writers);
            rules = copyOrNull(rules);
        }
    }

    /**
     * A moderator edits a room made at run time (archived or not): a field that is null stays as it is; one that is
     * sent replaces the room's. Every node applies the change within a second. Answered by {@code managed_room}.
     */
    record EditRoom(
            @MayBeAbsent String ref,
            String room,
            @MayBeAbsent String title,
            @MayBeAbsent String description,
            @MayBeAbsent java.util.List<String> tags,
            @MayBeAbsent java.util.List<String> writers,
            @MayBeAbsent java.util.List<String> rules,
            @MayBeAbsent String presence,
            @MayBeAbsent RoomAudienceInfo audience)
            implements ClientMessage {
        public EditRoom {
            checkRef(ref);
            checkRoom(room);
            if (title != null) {
                requiredText(title, "title");
            }
            checkRoomFields(presence);
            tags = copyOrNull(tags);
            writers = copyOrNull(writers);
            rules = copyOrNull(rules);
        }
    }

    /**
     * A moderator archives a room made at run time: its members read a system message and are taken out; it is no
     * longer listed nor joinable; its history is kept. Answered by {@code managed_room}.
     */
    record ArchiveRoom(@MayBeAbsent String ref, String room) implements ClientMessage {
        public ArchiveRoom {
            checkRef(ref);
            checkRoom(room);
        }
    }

    /** A moderator restores an archived room: listed and joinable again, with its history. Answered by {@code managed_room}. */
    record RestoreRoom(@MayBeAbsent String ref, String room) implements ClientMessage {
        public RestoreRoom {
            checkRef(ref);
            checkRoom(room);
        }
    }

    /** A moderator lists every room made at run time, archived ones too, oldest first. Answered by {@code managed_rooms}. */
    record ListManagedRooms(@MayBeAbsent String ref) implements ClientMessage {
        public ListManagedRooms {
            checkRef(ref);
        }
    }

    private static void checkRoomFields(String presence) {
        check(presence == null || ROOM_PRESENCE.contains(presence), "field 'presence' must be names or count");
    }

    private static <T> java.util.List<T> copyOrNull(java.util.List<T> values) {
        return values == null ? null : java.util.List.copyOf(values);
    }

    private static void checkTitle(String title) {
        check(title.length() <= MAX_TITLE_LENGTH, "field 'title' is longer than " + MAX_TITLE_LENGTH + " characters");
    }

    private static void checkGroupFields(
            Integer durationMinutes, Integer capacity, String recurrence, String timeZone, String rules) {
        check(
                durationMinutes == null
                        || (durationMinutes >= MIN_GROUP_MINUTES && durationMinutes <= MAX_GROUP_MINUTES),
                "field 'durationMinutes' must be " + MIN_GROUP_MINUTES + " to " + MAX_GROUP_MINUTES);
        check(
                capacity == null || (capacity >= 1 && capacity <= MAX_GROUP_CAPACITY),
                "field 'capacity' must be 1 to " + MAX_GROUP_CAPACITY);
        check(recurrence == null || RECURRENCES.contains(recurrence), "field 'recurrence' must be none or weekly");
        check(
                rules == null || rules.length() <= MAX_RULES_LENGTH,
                "field 'rules' is longer than " + MAX_RULES_LENGTH + " characters");
        if (timeZone != null) {
            try {
                java.time.ZoneId.of(timeZone);
            } catch (java.time.DateTimeException e) {
                check(false, "field 'timeZone' is not a known time zone; use an IANA name such as Europe/Paris");
            }
        }
    }

    /** A UTC instant in ISO-8601 ending in Z: the wire's one format for group times. */
    private static void checkInstant(String value, String field) {
        boolean valid = value.endsWith("Z");
        if (valid) {
            try {
                java.time.Instant.parse(value);
            } catch (java.time.format.DateTimeParseException e) {
                valid = false;
            }
        }
        check(valid, "field '" + field + "' must be a UTC time such as 2026-12-03T18:00:00Z");
    }

    private static void checkNote(String note, String field) {
        check(
                note == null || note.length() <= MAX_NOTE_LENGTH,
                "field '" + field + "' is longer than " + MAX_NOTE_LENGTH + " characters");
    }

    private static void checkPage(String cursor, Integer limit) {
        check(
                cursor == null || !cursor.isBlank() && cursor.length() <= MAX_CURSOR_LENGTH,
                "field 'cursor' must be a cursor from 'nextCursor'");
        check(limit == null || limit >= 1 && limit <= MAX_PAGE, "field 'limit' must be 1 to " + MAX_PAGE);
    }

    private static void checkRef(String ref) {
        check(
                ref == null || ref.length() <= MAX_REF_LENGTH,
                "field 'ref' is longer than " + MAX_REF_LENGTH + " characters");
    }

    private static void checkRoom(String room) {
        requiredText(room, "room");
        check(room.length() <= MAX_ROOM_ID_LENGTH, "field 'room' is longer than " + MAX_ROOM_ID_LENGTH + " characters");
    }
}
