package org.kindred.server.support;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.kindred.protocol.CrisisResource;
import org.kindred.server.safety.CrisisLines;

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
 * @param crisisResources     where to get urgent help, by BCP 47 language tag ({@code fr-CA}, {@code fr}) or
 *                            {@code *} for the default; chosen by {@link CrisisLines}
 */
public record SupportSettings(
        Duration offerTimeout,
        Duration unavailableAfter,
        Duration mentorGrace,
        int defaultCapacity,
        int maxCapacity,
        Duration idleTimeout,
        Duration transcriptRetention,
        Map<String, List<CrisisResource>> crisisResources) {

    public SupportSettings {
        crisisResources = Map.copyOf(crisisResources);
        CrisisLines.of(crisisResources); // fails fast on a key that is not a language tag
    }

    /**
     * The defaults: offers open 30 s, "no mentor free" after 2 min, a 60 s grace for dropped links, 3 sessions per
     * mentor (at most 5), sessions end after 10 min without a message, transcripts kept 24 h after the end.
     */
    public static SupportSettings defaults() {
        return new SupportSettings(
                Duration.ofSeconds(30),
                Duration.ofMinutes(2),
                Duration.ofSeconds(60),
                3,
                5,
                Duration.ofMinutes(10),
                Duration.ofHours(24),
                CrisisLines.defaultResources());
    }

    /**
     * The crisis resources for a language tag ({@code fr-CA}): RFC 4647 lookup, then any region of the language, then
     * the default ({@code *}), then the international lines. Never empty. See {@link CrisisLines}.
     */
    public List<CrisisResource> resourcesFor(String language) {
        return CrisisLines.of(crisisResources).lookup(language);
    }
}
