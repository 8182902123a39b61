package org.kindred.protocol;

import static org.kindred.protocol.InvalidMessageException.required;

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
        @JsonSubTypes.Type(value = ServerMessage.PresenceLeft.class, name = "presence_left"),
        @JsonSubTypes.Type(value = ServerMessage.TypingEvent.class, name = "typing"),
        @JsonSubTypes.Type(value = ServerMessage.Error.class, name = "error"),
        @JsonSubTypes.Type(value = ServerMessage.Pong.class, name = "pong"),
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
    record Welcome(String ref, int protocolVersion, UserInfo user, List<String> roles, Limits limits, String sessionId)
            implements ServerMessage {
        public Welcome {
            required(user, "user");
            roles = List.copyOf(required(roles, "roles"));
            required(limits, "limits");
        }
    }

    /** The room list. */
    record RoomList(String ref, List<RoomInfo> rooms) implements ServerMessage {
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
     * @param presence  the distinct users in the room now, one entry per user however many devices it uses
     */
    record Joined(String ref, String room, String epoch, long lastSeq, boolean recovered, List<ChatMessage> messages,
                  boolean hasMore, List<UserInfo> presence) implements ServerMessage {
        public Joined {
            required(room, "room");
            required(epoch, "epoch");
            messages = List.copyOf(required(messages, "messages"));
            presence = List.copyOf(required(presence, "presence"));
        }
    }

    /** The answer to a leave. */
    record Left(String ref, String room) implements ServerMessage {
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
    record Ack(String ref, String room, String clientMsgId, String id, long seq, long ts, boolean duplicate)
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
     */
    record ChatMessage(String room, long seq, String id, UserInfo author, String text, long ts, String clientMsgId)
            implements ServerMessage {
        public ChatMessage {
            required(room, "room");
            required(id, "id");
            required(author, "author");
            required(text, "text");
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
    record History(String ref, String room, List<ChatMessage> messages, boolean hasMore) implements ServerMessage {
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
    record Error(String ref, String code, String message, boolean retryable, Long retryAfterMs) implements ServerMessage {
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

    /** The answer to a ping. */
    record Pong(String ref) implements ServerMessage {
    }
}
