package org.kindred.server.group;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.kindred.protocol.UserInfo;

/**
 * A scheduled group: what its facilitator set, who registered, and its meetings. Mutable, owned by
 * {@link GroupService} under its lock; its fields are what the cluster stores.
 */
@JsonAutoDetect(
        fieldVisibility = Visibility.ANY,
        getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE)
final class GroupRecord {

    private static final long WEEK_MILLIS = 7L * 24 * 3600 * 1000;
    /** Meetings whose attendance is kept. */
    static final int KEPT_MEETINGS = 52;

    String id;
    String title;
    String topic;
    List<UserInfo> facilitators = new ArrayList<>();
    /** The first meeting's start, epoch milliseconds. */
    long firstStart;

    int durationMinutes;
    int capacity;
    String recurrence = "none";
    String timeZone = "UTC";
    boolean registration;
    String rules;
    boolean floorOnly;
    boolean cancelled;
    /** Starts of single meetings that were cancelled. */
    TreeSet<Long> skipped = new TreeSet<>();

    Map<String, UserInfo> registered = new LinkedHashMap<>();
    /** Members removed with a ban: they may not enter any meeting of this group. */
    Set<String> banned = new LinkedHashSet<>();
    /** The start of the latest meeting that closed: meetings starting at or before it are over. */
    long doneThrough = Long.MIN_VALUE;
    /** The start of the latest meeting whose reminder went out. */
    long remindedFor = Long.MIN_VALUE;
    /** The meeting whose lobby opened and that has not closed; null between meetings. */
    Meeting meeting;
    /** Rooms of closed meetings, oldest first, at most {@link #KEPT_MEETINGS}; the meetings are archived. */
    List<String> pastRooms = new ArrayList<>();

    boolean weekly() {
        return "weekly".equals(recurrence);
    }

    long durationMillis() {
        return durationMinutes * 60_000L;
    }

    /** The first meeting start after {@code after} that was not cancelled; -1 when there is none. */
    long nextStart(long after) {
        if (!weekly()) {
            return firstStart > after && !skipped.contains(firstStart) ? firstStart : -1;
        }
        ZonedDateTime first = Instant.ofEpochMilli(firstStart).atZone(ZoneId.of(timeZone));
        // Start a week early: daylight-saving shifts move local-time meetings by an hour either way. From there, at
        // most two weeks are not after `after`, and each skipped meeting costs one more.
        long week = after < firstStart ? 0 : Math.max(0, (after - firstStart) / WEEK_MILLIS - 1);
        for (int i = 0; i <= skipped.size() + 3; i++, week++) {
            long start = first.plusWeeks(week).toInstant().toEpochMilli();
            if (start > after && !skipped.contains(start)) {
                return start;
            }
        }
        return -1;
    }

    /** Whether {@code start} is a meeting of this group (cancelled or not). */
    boolean isOccurrence(long start) {
        if (!weekly()) {
            return start == firstStart;
        }
        ZonedDateTime first = Instant.ofEpochMilli(firstStart).atZone(ZoneId.of(timeZone));
        long week = start < firstStart ? 0 : Math.max(0, (start - firstStart) / WEEK_MILLIS - 1);
        for (int i = 0; i < 3; i++, week++) {
            if (first.plusWeeks(week).toInstant().toEpochMilli() == start) {
                return true;
            }
        }
        return false;
    }

    /** The meeting that is on, or the next one's start (after any meeting that closed); -1 when there is none. */
    long upcomingStart(long now, long closeGraceMillis) {
        if (meeting != null) {
            return meeting.start;
        }
        long start = nextStart(doneThrough);
        while (start != -1 && start + durationMillis() + closeGraceMillis <= now) {
            start = nextStart(start); // a meeting whose time passed while no node ran it
        }
        return start;
    }

    boolean isFacilitator(String userId) {
        return facilitators.stream().anyMatch(f -> f.id().equals(userId));
    }

    /** Whether the actor runs this group: one of its facilitators, or a moderator. */
    boolean runBy(Actor actor) {
        return actor.moderator() || (actor.facilitator() && isFacilitator(actor.id()));
    }

    /** The meeting on now, if this is its room. */
    Meeting currentWithRoom(String room) {
        return meeting != null && meeting.room.equals(room) ? meeting : null;
    }

    /** Whether this is the room of a meeting that closed (among the last kept). */
    boolean held(String room) {
        return pastRooms.contains(room);
    }

    /** Records a closed meeting's room; returns the rooms that fell out of the last kept. */
    List<String> keep(String room) {
        pastRooms.add(room);
        List<String> dropped = new ArrayList<>();
        while (pastRooms.size() > KEPT_MEETINGS) {
            dropped.add(pastRooms.remove(0));
        }
        return dropped;
    }
}
