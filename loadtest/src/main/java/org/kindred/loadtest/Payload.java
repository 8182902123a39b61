package org.kindred.loadtest;

/**
 * The text of every message the load generator posts: {@code lt <run>-<publisher> <publisherSeq> <time>}, for example
 * {@code lt 3f9a2c-17 42 81234567890123}.
 *
 * <ul>
 *   <li>{@code run}: six hex digits drawn per process, so that messages of another load-test process (or run) in the
 *       same room are recognised as foreign and kept out of this process's loss accounting;</li>
 *   <li>{@code publisher}: the publisher's index in this process;</li>
 *   <li>{@code publisherSeq}: 1, 2, 3, ... per publisher, in send order;</li>
 *   <li>{@code time}: the send time, {@code System.nanoTime()} of this JVM ({@code --clock nano}, the default), or
 *       microseconds since the epoch ({@code --clock epoch}) so that processes on one host can compare.</li>
 * </ul>
 *
 * Parsing works on a char range (Jackson's text buffer), so a received message costs no String for its text.
 */
public final class Payload {

    private Payload() {}

    /** The fields of one parsed payload; reused. */
    public static final class Parsed {
        public int run;
        public int publisher;
        public long publisherSeq;
        public long time;
        long scratch;
    }

    public static String format(int run, int publisher, long publisherSeq, long time) {
        StringBuilder sb = new StringBuilder(40).append("lt ");
        String hex = Integer.toHexString(run);
        for (int i = hex.length(); i < 6; i++) {
            sb.append('0');
        }
        return sb.append(hex)
                .append('-')
                .append(publisher)
                .append(' ')
                .append(publisherSeq)
                .append(' ')
                .append(time)
                .toString();
    }

    /** Parses {@code text}; false (and {@code out} undefined) if it is not a load-test payload. */
    public static boolean parse(CharSequence text, Parsed out) {
        char[] chars = text.toString().toCharArray();
        return parse(chars, 0, chars.length, out);
    }

    /** Parses {@code buf[off, off+len)}; false (and {@code out} undefined) if it is not a load-test payload. */
    public static boolean parse(char[] buf, int off, int len, Parsed out) {
        int end = off + len;
        if (len < 10 || buf[off] != 'l' || buf[off + 1] != 't' || buf[off + 2] != ' ') {
            return false;
        }
        int i = off + 3;
        int run = 0;
        int digits = 0;
        for (; i < end && buf[i] != '-'; i++, digits++) {
            int d = Character.digit(buf[i], 16);
            if (d < 0 || digits >= 8) {
                return false;
            }
            run = (run << 4) | d;
        }
        if (digits == 0 || i >= end) {
            return false;
        }
        i++; // '-'
        int next = number(buf, i, end, out, false);
        if (next < 0 || next >= end || buf[next] != ' ' || out.scratch > Integer.MAX_VALUE) {
            return false;
        }
        out.run = run;
        out.publisher = (int) out.scratch;
        next = number(buf, next + 1, end, out, false);
        if (next < 0 || next >= end || buf[next] != ' ') {
            return false;
        }
        out.publisherSeq = out.scratch;
        next = number(buf, next + 1, end, out, true);
        if (next != end) {
            return false;
        }
        out.time = out.scratch;
        return true;
    }

    /** Reads a decimal number at {@code i}; returns the index after it, or -1. */
    private static int number(char[] buf, int i, int end, Parsed out, boolean signed) {
        boolean negative = false;
        if (signed && i < end && buf[i] == '-') {
            negative = true;
            i++;
        }
        int start = i;
        long v = 0;
        for (; i < end && buf[i] >= '0' && buf[i] <= '9'; i++) {
            if (i - start >= 18) {
                return -1;
            }
            v = v * 10 + (buf[i] - '0');
        }
        if (i == start) {
            return -1;
        }
        out.scratch = negative ? -v : v;
        return i;
    }
}
