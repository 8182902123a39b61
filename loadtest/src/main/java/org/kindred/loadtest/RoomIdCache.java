package org.kindred.loadtest;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The room ids of one connection's frames as Strings, made once: a room id whose bytes match one seen before gets the
 * same String back, so a {@code message} frame costs no String for its room. A connection is in a few rooms; when it
 * sees more than {@link #SIZE}, the oldest entry makes room.
 */
final class RoomIdCache {

    static final int SIZE = 8;

    private final byte[][] bytes = new byte[SIZE][];
    private final String[] ids = new String[SIZE];
    /** Checked first: consecutive frames mostly share a room. */
    private int last;

    private int next;

    /** The id spelled by the ASCII bytes {@code buf[from, to)}. */
    String get(byte[] buf, int from, int to) {
        if (matches(last, buf, from, to)) {
            return ids[last];
        }
        for (int i = 0; i < SIZE; i++) {
            if (matches(i, buf, from, to)) {
                last = i;
                return ids[i];
            }
        }
        String id = new String(buf, from, to - from, StandardCharsets.US_ASCII);
        bytes[next] = Arrays.copyOfRange(buf, from, to);
        ids[next] = id;
        last = next;
        next = (next + 1) % SIZE;
        return id;
    }

    private boolean matches(int i, byte[] buf, int from, int to) {
        byte[] b = bytes[i];
        return b != null && b.length == to - from && Arrays.equals(b, 0, b.length, buf, from, to);
    }
}
