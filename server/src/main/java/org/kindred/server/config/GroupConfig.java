package org.kindred.server.config;

import java.time.Duration;

/**
 * How group sessions run on this server.
 *
 * @param defaultCapacity members a group takes when its facilitator gives no capacity
 * @param lobbyBefore     how long before a meeting's start members may enter its lobby
 * @param closeGrace      how long after a meeting's end it closes by itself, if its facilitator did not close it
 * @param reminderBefore  how long before a meeting's start registered members are reminded
 * @param floorTime       how long a member holds the floor before it returns by itself
 */
public record GroupConfig(
        int defaultCapacity, Duration lobbyBefore, Duration closeGrace, Duration reminderBefore, Duration floorTime) {

    /** 20 members, lobby 15 min before, closes 10 min after the end, reminder 10 min before, floor for 3 min. */
    public static GroupConfig defaults() {
        return new GroupConfig(
                20, Duration.ofMinutes(15), Duration.ofMinutes(10), Duration.ofMinutes(10), Duration.ofMinutes(3));
    }
}
