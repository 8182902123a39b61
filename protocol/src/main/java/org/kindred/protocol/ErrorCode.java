package org.kindred.protocol;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every error the server can answer with, in one place. The {@link #wire() wire} string is stable: clients may switch
 * on it. {@link #retryable()} tells a client whether repeating the same command later can succeed.
 */
public enum ErrorCode {
    /** The frame is not valid JSON, or not a JSON object. */
    BAD_JSON("bad_json", false),
    /** The {@code type} field names no command of this protocol version. */
    UNKNOWN_TYPE("unknown_type", false),
    /** A required field is absent or null. */
    MISSING_FIELD("missing_field", false),
    /** A field has the wrong JSON type or a value outside its range. */
    INVALID_FIELD("invalid_field", false),
    /** A message text is longer than the server's {@code maxTextLength}. */
    TEXT_TOO_LONG("text_too_long", false),
    /** A frame is larger than the server's {@code maxFrameBytes}; the connection is then closed with 1009. */
    FRAME_TOO_LARGE("frame_too_large", false),
    /** A binary frame was sent; Kindred speaks JSON text frames only. */
    BINARY_NOT_SUPPORTED("binary_not_supported", false),
    /** A command other than {@code hello} came before a successful {@code hello}. */
    NOT_AUTHENTICATED("not_authenticated", false),
    /** A second {@code hello} on an authenticated connection. */
    ALREADY_AUTHENTICATED("already_authenticated", false),
    /** {@code hello} carried no token; the connection is then closed with {@link CloseCode#AUTH_FAILED}. */
    TOKEN_MISSING("token_missing", false),
    /** The token is malformed, badly signed, signed with an unexpected algorithm or lacks a required claim. */
    TOKEN_INVALID("token_invalid", false),
    /** The token has expired (or is not yet valid); get a fresh one, then reconnect. */
    TOKEN_EXPIRED("token_expired", false),
    /** The token names a role Kindred does not know. */
    UNKNOWN_ROLE("unknown_role", false),
    /** The client asked for a protocol version this server does not speak. */
    UNSUPPORTED_VERSION("unsupported_version", false),
    /** No room has that id. */
    ROOM_NOT_FOUND("room_not_found", false),
    /** A room with that id exists already (made at run time, archived or not, or in the configuration file). */
    ROOM_EXISTS("room_exists", false),
    /** The command needs the connection to have joined the room first. */
    NOT_IN_ROOM("not_in_room", false),
    /** The user's roles do not allow this command here. */
    FORBIDDEN("forbidden", false),
    /** The member already has an open support request; cancel it first. */
    ALREADY_REQUESTED("already_requested", false),
    /** No open support request or offer has that id (it was matched, cancelled or withdrawn). */
    REQUEST_NOT_FOUND("request_not_found", false),
    /** Another mentor took the request first. */
    OFFER_TAKEN("offer_taken", false),
    /** No one-to-one session with that id is visible to this user. */
    SESSION_NOT_FOUND("session_not_found", false),
    /** The session has ended; it takes no more messages (feedback is still welcome). */
    SESSION_ENDED("session_ended", false),
    /** The mentor holds as many sessions as its capacity allows. */
    AT_CAPACITY("at_capacity", false),
    /** No message with that sequence number is kept in that room (never posted, or no longer in its history). */
    MESSAGE_NOT_FOUND("message_not_found", false),
    /** The message is older than the server's edit window (or edits are off): it can only be deleted now. */
    EDIT_WINDOW_CLOSED("edit_window_closed", false),
    /** No report has that id. */
    REPORT_NOT_FOUND("report_not_found", false),
    /** No alert has that id (or it is older than the audit retention). */
    ALERT_NOT_FOUND("alert_not_found", false),
    /** A moderator's sanction forbids this now (a timeout, a restriction, a ban); the message says until when. */
    SANCTIONED("sanctioned", false),
    /** No active sanction has that id. */
    SANCTION_NOT_FOUND("sanction_not_found", false),
    /**
     * The room's rules hold this message for a moderator's review: it is not posted yet. If approved it appears in
     * the room as sent (same client message id); if not, the author receives {@code message_rejected}.
     */
    HELD_FOR_REVIEW("held_for_review", false),
    /** No held message has that id (already reviewed, or expired). */
    HELD_NOT_FOUND("held_not_found", false),
    /** No appeal waiting for a decision has that id (unknown, or decided already). */
    APPEAL_NOT_FOUND("appeal_not_found", false),
    /** The member appealed this sanction already: a sanction is appealed once. */
    ALREADY_APPEALED("already_appealed", false),
    /** No check-in waiting for this member's answer has that id (unknown, answered already, or not its own). */
    CHECK_IN_NOT_FOUND("check_in_not_found", false),
    /** No group session has that id, or it is not visible to this user. */
    GROUP_NOT_FOUND("group_not_found", false),
    /** The group session is at capacity: no place to register for, or to enter. */
    GROUP_FULL("group_full", false),
    /** The group session asks members to register first, and this user has not. */
    REGISTRATION_REQUIRED("registration_required", false),
    /**
     * The group session has not opened: its lobby is not open yet, or members wait in the lobby (they can read the
     * rules but not post) until the facilitator opens it.
     */
    GROUP_NOT_OPEN("group_not_open", false),
    /** The group session is over (closed or cancelled): it takes no more messages or entries. */
    GROUP_CLOSED("group_closed", false),
    /** A facilitator removed this user from this group session and barred it from coming back. */
    REMOVED_FROM_GROUP("removed_from_group", false),
    /** A facilitator muted this user in this group session. */
    MUTED("muted", false),
    /** The facilitator locked the chat: only facilitators post until it is unlocked. */
    CHAT_LOCKED("chat_locked", false),
    /** The group session is in slow mode: one message per member per period; {@code retryAfterMs} says when. */
    SLOW_MODE("slow_mode", false),
    /** Another member holds the floor and the session lets only the floor holder and facilitators post. */
    NOT_YOUR_TURN("not_your_turn", false),
    /** This user chose to listen only in this group session; turn it off to post or raise a hand. */
    LISTEN_ONLY("listen_only", false),
    /**
     * A {@code hello} for a user who already has {@code maxConnectionsPerUser} connections to this node; the
     * connection is then closed with 4105. Close one of the others first.
     */
    TOO_MANY_CONNECTIONS("too_many_connections", false),
    /** Too many commands too fast; wait {@code retryAfterMs} and repeat. */
    RATE_LIMITED("rate_limited", true),
    /**
     * The server cannot serve the command right now (for example its store is unreachable) and did nothing: a
     * {@code send} answered so was not stored. Repeat it later.
     */
    UNAVAILABLE("unavailable", true),
    /**
     * A {@code send} whose outcome the server cannot know: its store stopped answering (a timeout, a dropped connection)
     * after the message was handed to it, so it may have been stored and delivered, or not. Resend it with the same
     * {@code clientMsgId} until an {@code ack} (with {@code duplicate: true} if the first try was stored) or a refusal
     * that is not retryable; never report such a message as not sent. Unlike {@code unavailable}, which says nothing was
     * stored.
     */
    OUTCOME_UNKNOWN("outcome_unknown", true),
    /** An unexpected server fault; repeating may succeed. */
    INTERNAL("internal", true);

    private static final Map<String, ErrorCode> BY_WIRE =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(ErrorCode::wire, Function.identity()));

    private final String wire;
    private final boolean retryable;

    ErrorCode(String wire, boolean retryable) {
        this.wire = wire;
        this.retryable = retryable;
    }

    /** The code as written on the wire, for example {@code "rate_limited"}. */
    public String wire() {
        return wire;
    }

    /** Whether repeating the same command later can succeed. */
    public boolean retryable() {
        return retryable;
    }

    /** The code with this wire string, if this build knows it; empty for null. */
    public static Optional<ErrorCode> fromWire(String wire) {
        return wire == null ? Optional.empty() : Optional.ofNullable(BY_WIRE.get(wire));
    }
}
