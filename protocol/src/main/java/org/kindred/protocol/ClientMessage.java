package org.kindred.protocol;

import static org.kindred.protocol.InvalidMessageException.check;
import static org.kindred.protocol.InvalidMessageException.required;
import static org.kindred.protocol.InvalidMessageException.requiredText;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

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
        @JsonSubTypes.Type(value = ClientMessage.Typing.class, name = "typing"),
        @JsonSubTypes.Type(value = ClientMessage.Ping.class, name = "ping"),
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
     * @param protocolVersion the protocol version the client speaks; null means {@link ProtocolVersion#CURRENT}
     */
    record Hello(String ref, String token, Integer protocolVersion) implements ClientMessage {
        public Hello {
            checkRef(ref);
        }
    }

    /** Asks for the list of rooms. */
    record ListRooms(String ref) implements ClientMessage {
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
    record Join(String ref, String room, Long since, String epoch) implements ClientMessage {
        public Join {
            checkRef(ref);
            checkRoom(room);
            check(since == null || since >= 0, "field 'since' must be >= 0");
        }
    }

    /** Leaves a room: no more events from it on this connection. */
    record Leave(String ref, String room) implements ClientMessage {
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
    record Send(String ref, String room, String clientMsgId, String text) implements ClientMessage {
        public Send {
            checkRef(ref);
            checkRoom(room);
            requiredText(clientMsgId, "clientMsgId");
            check(clientMsgId.length() <= MAX_CLIENT_MSG_ID_LENGTH,
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
    record FetchHistory(String ref, String room, Long before, Integer limit) implements ClientMessage {
        public FetchHistory {
            checkRef(ref);
            checkRoom(room);
            check(before == null || before >= 1, "field 'before' must be >= 1");
            check(limit == null || limit >= 1, "field 'limit' must be >= 1");
        }
    }

    /** Says that the user started ({@code active: true}) or stopped typing in a joined room; never stored. */
    record Typing(String ref, String room, Boolean active) implements ClientMessage {
        public Typing {
            checkRef(ref);
            checkRoom(room);
            required(active, "active");
        }
    }

    /** Asks for a {@link ServerMessage.Pong}; keeps the connection from idling out. */
    record Ping(String ref) implements ClientMessage {
        public Ping {
            checkRef(ref);
        }
    }

    private static void checkRef(String ref) {
        check(ref == null || ref.length() <= MAX_REF_LENGTH, "field 'ref' is longer than " + MAX_REF_LENGTH + " characters");
    }

    private static void checkRoom(String room) {
        requiredText(room, "room");
        check(room.length() <= MAX_ROOM_ID_LENGTH, "field 'room' is longer than " + MAX_ROOM_ID_LENGTH + " characters");
    }
}
