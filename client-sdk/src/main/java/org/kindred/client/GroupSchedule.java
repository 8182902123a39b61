package org.kindred.client;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * What a facilitator sets of a group session, for {@link KindredClient#createGroup} and
 * {@link KindredClient#updateGroup}. Immutable: start with {@link #of} (a new group) or {@link #changes()} (an update)
 * and add settings with the {@code with…} methods. A null field means "the server's default" when creating and
 * "unchanged" when updating.
 *
 * <pre>{@code
 * GroupSchedule circle = GroupSchedule.of("Long COVID evening circle", "long-covid",
 *                 Instant.parse("2026-12-03T18:00:00Z"), Duration.ofMinutes(60))
 *         .withWeekly(true).withTimeZone(ZoneId.of("Europe/Paris"))
 *         .withCapacity(12).withRules("Be kind. One voice at a time.");
 * }</pre>
 *
 * <p>Times go on the wire as UTC instants to the second (a fraction of a second is dropped). Arguments are checked
 * when the command is made: out-of-range values throw {@link IllegalArgumentException} from {@code createGroup} or
 * {@code updateGroup}.
 *
 * @param title        what members see in the list, at most 100 characters
 * @param topic        the condition or topic, for example {@code long-covid}
 * @param startsAt     the first meeting's start; in the future
 * @param duration     how long each meeting lasts: whole minutes, 10 to 480
 * @param capacity     most members at once (facilitators not counted), 1 to 1000
 * @param weekly       true: a meeting every week at the same local time in {@code timeZone}; false: one meeting
 * @param timeZone     the zone whose local time a weekly meeting keeps across daylight-saving changes; null is UTC
 * @param registration whether members must register to enter (registrations are then capped by capacity)
 * @param rules        the group's rules, shown in the lobby and pinned by default, at most 2000 characters
 * @param floorOnly    whether, while a member holds the floor, only that member and facilitators may post
 * @param facilitators co-facilitators' user ids, who may run the session too
 */
public record GroupSchedule(
        String title,
        String topic,
        Instant startsAt,
        Duration duration,
        Integer capacity,
        Boolean weekly,
        ZoneId timeZone,
        Boolean registration,
        String rules,
        Boolean floorOnly,
        List<String> facilitators) {

    public GroupSchedule {
        facilitators = facilitators == null ? null : List.copyOf(facilitators);
    }

    /** A new group's required settings; the rest is the server's default until set. */
    public static GroupSchedule of(String title, String topic, Instant startsAt, Duration duration) {
        return new GroupSchedule(title, topic, startsAt, duration, null, null, null, null, null, null, null);
    }

    /** No change at all, for {@link KindredClient#updateGroup}: set only what changes. */
    public static GroupSchedule changes() {
        return new GroupSchedule(null, null, null, null, null, null, null, null, null, null, null);
    }

    /** With this title. */
    public GroupSchedule withTitle(String title) {
        return new GroupSchedule(
                title,
                topic,
                startsAt,
                duration,
                capacity,
                weekly,
                timeZone,
                registration,
                rules,
                floorOnly,
                facilitators);
    }

    /** With this topic. */
    public GroupSchedule withTopic(String topic) {
        return new GroupSchedule(
                title,
                topic,
                startsAt,
                duration,
                capacity,
                weekly,
                timeZone,
                registration,
                rules,
                floorOnly,
                facilitators);
    }

    /** With this start (of the first meeting, or when updating, of the next one). */
    public GroupSchedule withStartsAt(Instant startsAt) {
        return new GroupSchedule(
                title,
                topic,
                startsAt,
                duration,
                capacity,
                weekly,
                timeZone,
                registration,
                rules,
                floorOnly,
                facilitators);
    }

    /** With this length of each meeting. */
    public GroupSchedule withDuration(Duration duration) {
        return new GroupSchedule(
                title,
                topic,
                startsAt,
                duration,
                capacity,
                weekly,
                timeZone,
                registration,
                rules,
                floorOnly,
                facilitators);
    }

    /** With this capacity. */
    public GroupSchedule withCapacity(int capacity) {
        return new GroupSchedule(
                title,
                topic,
                startsAt,
                duration,
                capacity,
                weekly,
                timeZone,
                registration,
                rules,
                floorOnly,
                facilitators);
    }

    /** Weekly meetings (true) or a single one (false). */
    public GroupSchedule withWeekly(boolean weekly) {
        return new GroupSchedule(
                title,
                topic,
                startsAt,
                duration,
                capacity,
                weekly,
                timeZone,
                registration,
                rules,
                floorOnly,
                facilitators);
    }

    /** With this time zone, for weekly meetings. */
    public GroupSchedule withTimeZone(ZoneId timeZone) {
        return new GroupSchedule(
                title,
                topic,
                startsAt,
                duration,
                capacity,
                weekly,
                timeZone,
                registration,
                rules,
                floorOnly,
                facilitators);
    }

    /** Whether members must register to enter. */
    public GroupSchedule withRegistration(boolean registration) {
        return new GroupSchedule(
                title,
                topic,
                startsAt,
                duration,
                capacity,
                weekly,
                timeZone,
                registration,
                rules,
                floorOnly,
                facilitators);
    }

    /** With these rules. */
    public GroupSchedule withRules(String rules) {
        return new GroupSchedule(
                title,
                topic,
                startsAt,
                duration,
                capacity,
                weekly,
                timeZone,
                registration,
                rules,
                floorOnly,
                facilitators);
    }

    /** Whether only the floor holder and facilitators post while a member holds the floor. */
    public GroupSchedule withFloorOnly(boolean floorOnly) {
        return new GroupSchedule(
                title,
                topic,
                startsAt,
                duration,
                capacity,
                weekly,
                timeZone,
                registration,
                rules,
                floorOnly,
                facilitators);
    }

    /** With these co-facilitators (user ids). */
    public GroupSchedule withFacilitators(List<String> facilitators) {
        return new GroupSchedule(
                title,
                topic,
                startsAt,
                duration,
                capacity,
                weekly,
                timeZone,
                registration,
                rules,
                floorOnly,
                facilitators);
    }
}
