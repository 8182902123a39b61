package org.kindred.loadtest;

/** The JSON of the few commands the load generator sends, written by hand (no object mapping on the hot path). */
final class Commands {

    private Commands() {}

    static String hello(String token) {
        return "{\"type\":\"hello\",\"ref\":\"h\",\"token\":" + quote(token) + ",\"protocolVersion\":2}";
    }

    static String listRooms() {
        return "{\"type\":\"list_rooms\",\"ref\":\"r\"}";
    }

    /** A join; {@code since < 0} joins fresh, otherwise resumes from {@code since} in {@code epoch}. */
    static String join(String room, int roomIndex, long since, String epoch) {
        StringBuilder sb = new StringBuilder(96)
                .append("{\"type\":\"join\",\"ref\":\"j")
                .append(roomIndex)
                .append("\",\"room\":")
                .append(quote(room));
        if (since >= 0) {
            sb.append(",\"since\":").append(since);
            if (epoch != null) {
                sb.append(",\"epoch\":").append(quote(epoch));
            }
        }
        return sb.append('}').toString();
    }

    static String leave(String room, int roomIndex) {
        return "{\"type\":\"leave\",\"ref\":\"l" + roomIndex + "\",\"room\":" + quote(room) + "}";
    }

    static String send(String room, String clientMsgId, String text, long publisherSeq) {
        return new StringBuilder(128)
                .append("{\"type\":\"send\",\"ref\":\"s")
                .append(publisherSeq)
                .append("\",\"room\":")
                .append(quote(room))
                .append(",\"clientMsgId\":")
                .append(quote(clientMsgId))
                .append(",\"text\":")
                .append(quote(text))
                .append('}')
                .toString();
    }

    /** A mentor takes one-to-one sessions: {@code capacity} at once, of this condition and language. */
    static String setAvailability(String condition, String language, int capacity) {
        return "{\"type\":\"set_availability\",\"ref\":\"v\",\"available\":true,\"conditions\":[" + quote(condition)
                + "],\"languages\":[" + quote(language) + "],\"capacity\":" + capacity + "}";
    }

    static String requestSupport(String condition, String language) {
        return "{\"type\":\"request_support\",\"ref\":\"q\",\"condition\":" + quote(condition) + ",\"language\":"
                + quote(language) + "}";
    }

    static String acceptOffer(String requestId) {
        return "{\"type\":\"accept_offer\",\"ref\":\"a\",\"requestId\":" + quote(requestId) + "}";
    }

    /** Joins a session's room; ref {@code js} tells its {@code joined} from the rooms' ({@code j0}, {@code j1}, ...). */
    static String joinSession(String sessionId) {
        return "{\"type\":\"join\",\"ref\":\"js\",\"room\":" + quote(sessionId) + "}";
    }

    static String endSession(String sessionId) {
        return "{\"type\":\"end_session\",\"ref\":\"e\",\"sessionId\":" + quote(sessionId) + "}";
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /** The number after a one-letter ref prefix ({@code "s42"} → 42), or -1. */
    static long refNumber(String ref, char prefix) {
        if (ref == null || ref.length() < 2 || ref.charAt(0) != prefix) {
            return -1;
        }
        long v = 0;
        for (int i = 1; i < ref.length(); i++) {
            char c = ref.charAt(i);
            if (c < '0' || c > '9' || i > 18) {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
