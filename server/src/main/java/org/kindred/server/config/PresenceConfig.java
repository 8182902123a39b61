package org.kindred.server.config;

import java.time.Duration;

/**
 * How rooms tell who is present to clients of protocol version 2 (clients of version 1 get the whole list and an event
 * per change, as before).
 *
 * @param joinedListLimit most users a {@code joined} reply lists; the rest are paged with the {@code presence} command
 * @param pageMax         most users one {@code presence} page holds (also the page size when the client gives none)
 * @param batchAbove      a room with more users present than this tells arrivals and departures in batches
 * @param batchInterval   how long one batch collects changes before it goes out as one {@code presence_diff}
 */
public record PresenceConfig(int joinedListLimit, int pageMax, int batchAbove, Duration batchInterval) {

    public static final int DEFAULT_JOINED_LIST_LIMIT = 50;
    public static final int DEFAULT_PAGE_MAX = 500;
    public static final int DEFAULT_BATCH_ABOVE = 100;
    public static final Duration DEFAULT_BATCH_INTERVAL = Duration.ofMillis(250);

    /** 50 users in {@code joined}, pages of up to 500, batches of 250 ms in rooms of more than 100. */
    public static PresenceConfig defaults() {
        return new PresenceConfig(
                DEFAULT_JOINED_LIST_LIMIT, DEFAULT_PAGE_MAX, DEFAULT_BATCH_ABOVE, DEFAULT_BATCH_INTERVAL);
    }
}
