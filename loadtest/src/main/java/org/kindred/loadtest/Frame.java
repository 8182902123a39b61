package org.kindred.loadtest;

import java.util.ArrayList;
import java.util.List;

/**
 * The few fields the load generator needs from one server frame, filled by {@link FrameReader} and reused frame after
 * frame on one connection (never shared between threads).
 */
public final class Frame {

    public enum Type {
        WELCOME,
        JOINED,
        LEFT,
        ACK,
        MESSAGE,
        ERROR,
        ROOMS,
        PONG,
        /** One-to-one support (the support scenario). */
        AVAILABILITY,
        SUPPORT_QUEUED,
        SUPPORT_OFFER,
        SESSION_STARTED,
        SESSION_ENDED,
        DONE,
        OTHER
    }

    /** A {@code message}: live, or inside {@code joined}. */
    public static final class Msg {
        public String room;
        public long seq = -1;
        /** Whether {@link #payload} holds a parsed load-test payload. */
        public boolean lt;

        public final Payload.Parsed payload = new Payload.Parsed();

        void reset() {
            room = null;
            seq = -1;
            lt = false;
        }
    }

    /** One entry of a {@code rooms} reply. */
    public record RoomInfo(String id, boolean writable) {}

    public Type type = Type.OTHER;
    public String ref;
    public String room;
    public long seq = -1;
    public String code;
    public boolean duplicate;
    public String epoch;
    public long lastSeq = -1;
    public boolean recovered;
    /** For support frames: the request and the session they are about. */
    public String requestId;

    public String sessionId;
    /** For {@code message} frames: the message itself. */
    public final Msg message = new Msg();
    /** For {@code joined}: the messages it carries, {@link #messageCount} of them (the list holds pooled objects). */
    final List<Msg> messages = new ArrayList<>();

    public int messageCount;
    public final List<RoomInfo> rooms = new ArrayList<>();

    void reset() {
        type = Type.OTHER;
        ref = null;
        room = null;
        seq = -1;
        code = null;
        duplicate = false;
        epoch = null;
        lastSeq = -1;
        recovered = false;
        requestId = null;
        sessionId = null;
        message.reset();
        messageCount = 0;
        rooms.clear();
    }

    public Msg joinedMessage(int i) {
        return messages.get(i);
    }

    Msg nextJoinedMessage() {
        if (messageCount == messages.size()) {
            messages.add(new Msg());
        }
        Msg m = messages.get(messageCount++);
        m.reset();
        return m;
    }

    static Type typeOf(String t) {
        return switch (t) {
            case "message" -> Type.MESSAGE;
            case "ack" -> Type.ACK;
            case "welcome" -> Type.WELCOME;
            case "joined" -> Type.JOINED;
            case "left" -> Type.LEFT;
            case "error" -> Type.ERROR;
            case "rooms" -> Type.ROOMS;
            case "pong" -> Type.PONG;
            case "availability" -> Type.AVAILABILITY;
            case "support_queued" -> Type.SUPPORT_QUEUED;
            case "support_offer" -> Type.SUPPORT_OFFER;
            case "session_started" -> Type.SESSION_STARTED;
            case "session_ended" -> Type.SESSION_ENDED;
            case "done" -> Type.DONE;
            default -> Type.OTHER;
        };
    }
}
