package org.kindred.server.config;

import java.time.Duration;

/**
 * How one-to-one support behaves.
 *
 * @param offerTimeout        how long a mentor has to accept an offer before it moves on
 * @param unavailableAfter    how long a request waits before the member is told no mentor is free (it keeps its place)
 * @param mentorGrace         how long a mentor (or a waiting member) may be disconnected before its sessions go back
 *                            to the queue (or its request is dropped)
 * @param defaultCapacity     sessions a mentor holds at once when it does not say
 * @param maxCapacity         most sessions a mentor may hold at once
 * @param idleTimeout         a session without messages this long ends
 * @param transcriptRetention how long a session's messages are kept after it ends
 */
public record SupportConfig(
        Duration offerTimeout,
        Duration unavailableAfter,
        Duration mentorGrace,
        int defaultCapacity,
        int maxCapacity,
        Duration idleTimeout,
        Duration transcriptRetention) {

    /**
     * The defaults: offers open 30 s, "no mentor free" after 2 min, a 60 s grace for dropped links, 3 sessions per
     * mentor (at most 5), sessions end after 10 min without a message, transcripts kept 24 h after the end.
     */
    public static SupportConfig defaults() {
        return new SupportConfig(
                Duration.ofSeconds(30),
                Duration.ofMinutes(2),
                Duration.ofSeconds(60),
                3,
                5,
                Duration.ofMinutes(10),
                Duration.ofHours(24));
    }
}
