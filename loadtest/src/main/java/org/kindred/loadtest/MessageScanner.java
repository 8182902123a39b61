package org.kindred.loadtest;

import java.nio.charset.StandardCharsets;

/**
 * The fast path for {@code message} frames, which fanout receives hundreds of thousands of times a second: reads the
 * room, seq and load-test payload straight from the frame's UTF-8 bytes, with no parser, no buffers and no String per
 * frame (room ids come from a {@link RoomIdCache}).
 *
 * <p>It takes only what the server's codec writes for a {@code ServerMessage.ChatMessage}: {@code "type":"message"}
 * first, then the record's fields in any order, with plain ASCII strings (escapes only where nothing is read),
 * integers, literals and shallow nesting, and validates all of it. Anything else (another type or field, an escape or
 * a non-ASCII byte in the room, the text or a field name, a fraction, a syntax error) makes it decline with the frame
 * untouched, and the caller scans the frame with {@link FrameScanner}, so a frame reads the same either way.
 * One per connection; not thread-safe.
 */
final class MessageScanner {

    private static final byte[] PREFIX = ascii("{\"type\":\"message\",");
    private static final byte[] ROOM = ascii("room");
    private static final byte[] SEQ = ascii("seq");
    private static final byte[] TEXT = ascii("text");
    // The other fields of ChatMessage, which FrameScanner skips too. Any field not listed here means a frame this
    // class does not know, and Jackson reads it.
    private static final byte[] ID = ascii("id");
    private static final byte[] TS = ascii("ts");
    private static final byte[] AUTHOR = ascii("author");
    private static final byte[] DELETED = ascii("deleted");
    private static final byte[] CLIENT_MSG_ID = ascii("clientMsgId");
    private static final byte[] TRUE = ascii("true");
    private static final byte[] FALSE = ascii("false");
    private static final byte[] NULL = ascii("null");
    /** Longer than any load-test payload: such texts (rare in a load test) are left to Jackson. */
    private static final int MAX_TEXT = 128;
    /** Far below every limit of Jackson's (name and number lengths, nesting), so none can refuse what passes here. */
    private static final int MAX_FRAME = 8 * 1024;

    private static final int MAX_DEPTH = 8;
    private static final int MAX_DIGITS = 18;
    private static final int FAIL = -1;

    private enum Field {
        ROOM,
        SEQ,
        TEXT,
        SKIP,
        UNKNOWN
    }

    private final RoomIdCache rooms = new RoomIdCache();
    private final char[] text = new char[MAX_TEXT];
    private byte[] buf;
    private int end;
    /** The value of the last {@link #integer}. */
    private long number;

    /** Fills {@code out} from a {@code message} frame and returns true; or returns false with {@code out} untouched. */
    boolean scan(byte[] bytes, int offset, int length, Frame out) {
        if (length > MAX_FRAME) {
            return false;
        }
        buf = bytes;
        end = offset + length;
        try {
            if (!is(offset, PREFIX)) {
                return false;
            }
            return fields(offset + PREFIX.length, out);
        } finally {
            buf = null; // the frame's array goes back to its pool
        }
    }

    /** Reads the fields after {@code type}, then fills {@code out} once the whole frame checked out. */
    private boolean fields(int p, Frame out) {
        int roomFrom = FAIL;
        int roomTo = FAIL;
        int textFrom = FAIL;
        int textTo = FAIL;
        boolean hasSeq = false;
        long seq = -1;
        while (true) {
            p = ws(p);
            if (at(p) != '"') {
                return false;
            }
            int nameFrom = p + 1;
            int nameTo = plainString(nameFrom);
            if (nameTo == FAIL) {
                return false;
            }
            p = ws(nameTo + 1);
            if (at(p) != ':') {
                return false;
            }
            p = ws(p + 1);
            switch (field(nameFrom, nameTo)) {
                case ROOM -> {
                    if (roomFrom != FAIL || at(p) != '"') {
                        return false;
                    }
                    roomFrom = p + 1;
                    roomTo = plainString(roomFrom);
                    p = roomTo == FAIL ? FAIL : roomTo + 1;
                }
                case SEQ -> {
                    if (hasSeq) {
                        return false;
                    }
                    hasSeq = true;
                    p = integer(p);
                    seq = number;
                }
                case TEXT -> {
                    if (textFrom != FAIL || at(p) != '"') {
                        return false;
                    }
                    textFrom = p + 1;
                    textTo = plainString(textFrom);
                    p = textTo == FAIL || textTo - textFrom > MAX_TEXT ? FAIL : textTo + 1;
                }
                case SKIP -> p = skipValue(p, 0);
                default -> {
                    return false;
                }
            }
            if (p == FAIL) {
                return false;
            }
            p = ws(p);
            int c = at(p);
            if (c == '}') {
                if (ws(p + 1) != end) {
                    return false;
                }
                break;
            }
            if (c != ',') {
                return false;
            }
            p++;
        }
        out.reset();
        out.type = Frame.Type.MESSAGE;
        String room = roomFrom == FAIL ? null : rooms.get(buf, roomFrom, roomTo);
        out.room = room;
        out.message.room = room;
        out.seq = seq;
        out.message.seq = seq;
        if (textFrom != FAIL) {
            int n = textTo - textFrom;
            for (int i = 0; i < n; i++) {
                text[i] = (char) buf[textFrom + i]; // ASCII, checked by plainString
            }
            out.message.lt = Payload.parse(text, 0, n, out.message.payload);
        }
        return true;
    }

    private Field field(int from, int to) {
        return switch (to - from) {
            case 2 -> is(from, ID) || is(from, TS) ? Field.SKIP : Field.UNKNOWN;
            case 3 -> is(from, SEQ) ? Field.SEQ : Field.UNKNOWN;
            case 4 -> is(from, ROOM) ? Field.ROOM : is(from, TEXT) ? Field.TEXT : Field.UNKNOWN;
            case 6 -> is(from, AUTHOR) ? Field.SKIP : Field.UNKNOWN;
            case 7 -> is(from, DELETED) ? Field.SKIP : Field.UNKNOWN;
            case 11 -> is(from, CLIENT_MSG_ID) ? Field.SKIP : Field.UNKNOWN;
            default -> Field.UNKNOWN;
        };
    }

    /** Whether {@code name} is at {@code from}; a plain loop, as names are a few bytes long. */
    private boolean is(int from, byte[] name) {
        if (end - from < name.length) {
            return false;
        }
        for (int i = 0; i < name.length; i++) {
            if (buf[from + i] != name[i]) {
                return false;
            }
        }
        return true;
    }

    /** The byte at {@code p} (0-255), or -1 past the end. */
    private int at(int p) {
        return p < end ? buf[p] & 0xFF : -1;
    }

    private int ws(int p) {
        while (p < end) {
            byte c = buf[p];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                break;
            }
            p++;
        }
        return p;
    }

    /**
     * Finds the closing quote of a string that starts at {@code p}, if its bytes are printable ASCII without escapes
     * (so that they are its chars); else FAIL.
     */
    private int plainString(int p) {
        while (p < end) {
            byte c = buf[p];
            if (c == '"') {
                return p;
            }
            if (c == '\\' || c < 0x20) { // negative: a non-ASCII byte
                return FAIL;
            }
            p++;
        }
        return FAIL;
    }

    /** Skips a value at {@code p}; returns the index after it, or FAIL. */
    private int skipValue(int p, int depth) {
        return switch (at(p)) {
            case '"' -> skipString(p + 1);
            case '{' -> depth == MAX_DEPTH ? FAIL : skipObject(p + 1, depth + 1);
            case '[' -> depth == MAX_DEPTH ? FAIL : skipArray(p + 1, depth + 1);
            case 't' -> literal(p, TRUE);
            case 'f' -> literal(p, FALSE);
            case 'n' -> literal(p, NULL);
            default -> integer(p);
        };
    }

    /** Skips the rest of a string whose content starts at {@code p}: ASCII, valid escapes. */
    private int skipString(int p) {
        while (p < end) {
            byte c = buf[p];
            if (c == '"') {
                return p + 1;
            }
            if (c == '\\') {
                p = escape(p + 1);
                if (p == FAIL) {
                    return FAIL;
                }
            } else if (c < 0x20) { // a control char, or non-ASCII (negative): Jackson checks those
                return FAIL;
            } else {
                p++;
            }
        }
        return FAIL;
    }

    /** Skips the escape whose letter is at {@code p}. */
    private int escape(int p) {
        return switch (at(p)) {
            case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> p + 1;
            case 'u' -> hex(at(p + 1)) && hex(at(p + 2)) && hex(at(p + 3)) && hex(at(p + 4)) ? p + 5 : FAIL;
            default -> FAIL;
        };
    }

    private static boolean hex(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private int skipObject(int p, int depth) {
        p = ws(p);
        if (at(p) == '}') {
            return p + 1;
        }
        while (true) {
            if (at(p) != '"') {
                return FAIL;
            }
            p = skipString(p + 1);
            if (p == FAIL) {
                return FAIL;
            }
            p = ws(p);
            if (at(p) != ':') {
                return FAIL;
            }
            p = skipValue(ws(p + 1), depth);
            if (p == FAIL) {
                return FAIL;
            }
            p = ws(p);
            int c = at(p);
            if (c == '}') {
                return p + 1;
            }
            if (c != ',') {
                return FAIL;
            }
            p = ws(p + 1);
        }
    }

    private int skipArray(int p, int depth) {
        p = ws(p);
        if (at(p) == ']') {
            return p + 1;
        }
        while (true) {
            p = skipValue(p, depth);
            if (p == FAIL) {
                return FAIL;
            }
            p = ws(p);
            int c = at(p);
            if (c == ']') {
                return p + 1;
            }
            if (c != ',') {
                return FAIL;
            }
            p = ws(p + 1);
        }
    }

    private int literal(int p, byte[] word) {
        return is(p, word) ? p + word.length : FAIL;
    }

    /**
     * Reads an integer of at most {@value #MAX_DIGITS} digits into {@link #number}; FAIL for anything else,
     * fractions and exponents included (the server writes none), and for leading zeros, which Jackson refuses.
     */
    private int integer(int p) {
        boolean negative = at(p) == '-';
        if (negative) {
            p++;
        }
        int start = p;
        long v = 0;
        while (p < end && buf[p] >= '0' && buf[p] <= '9') {
            if (p - start == MAX_DIGITS) {
                return FAIL;
            }
            v = v * 10 + (buf[p] - '0');
            p++;
        }
        int digits = p - start;
        if (digits == 0 || (digits > 1 && buf[start] == '0')) {
            return FAIL;
        }
        int c = at(p);
        if (c == '.' || c == 'e' || c == 'E') {
            return FAIL;
        }
        number = negative ? -v : v;
        return p;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
