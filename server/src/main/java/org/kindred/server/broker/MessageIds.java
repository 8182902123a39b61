package org.kindred.server.broker;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Server ids for messages: random version-4 UUIDs, without the cost of a secure random per message. */
public final class MessageIds {

    private MessageIds() {}

    public static String next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }

    public static String nextEpoch() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
    }
}
