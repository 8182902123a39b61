package org.kindred.server.group;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kindred.protocol.ErrorCode;
import org.kindred.protocol.ServerMessage.ChatMessage;
import org.kindred.protocol.UserInfo;
import org.kindred.server.connection.Refusal;

/**
 * One meeting of a group, from its lobby's opening: its phase, how its chat runs, the queue to speak and who is there.
 * Mutable, owned by {@link GroupService} under its lock; its fields are what the cluster stores.
 */
@JsonAutoDetect(
        fieldVisibility = Visibility.ANY,
        getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE)
final class Meeting {

    static final String LOBBY = "lobby";
    static final String OPEN = "open";
    static final String CLOSED = "closed";

    private static final DateTimeFormatter ROOM_SUFFIX =
            DateTimeFormatter.ofPattern("yyyyMMdd't'HHmm'z'").withZone(ZoneOffset.UTC);

    long start;
    long end;
    String room;
    String phase = LOBBY;
    long openedAt;
    long closedAt;
    boolean locked;
    int slowModeSeconds;
    boolean floorOnly;
    String floorHolder;
    long floorUntil;
    /** Raised hands, in the order they were raised. */
    List<String> hands = new ArrayList<>();

    Set<String> muted = new LinkedHashSet<>();
    Set<String> listenOnly = new LinkedHashSet<>();
    boolean rulesPinned;
    ChatMessage pinnedMessage;
    /** Everyone in the room now (facilitators too): user id → its connections ("node/connection"). */
    Map<String, Set<String>> present = new LinkedHashMap<>();
    /** Users who entered, by id, so that the state can name them. */
    Map<String, UserInfo> people = new LinkedHashMap<>();
    /** Ids of those present who run the meeting (facilitators, moderators): not counted, not in attendance. */
    Set<String> staff = new LinkedHashSet<>();
    /** Members who entered, in order of arrival. */
    Map<String, Attendance> attendance = new LinkedHashMap<>();

    /** A member's attendance; times in epoch milliseconds. */
    @JsonAutoDetect(
            fieldVisibility = Visibility.ANY,
            getterVisibility = Visibility.NONE,
            isGetterVisibility = Visibility.NONE)
    static final class Attendance {
        long firstJoined;
        /** 0 while present. */
        long lastLeft;

        long presentMillis;
        /** When the current stretch counted as attendance began (present while open); 0 when not counting. */
        long countingSince;
    }

    static Meeting starting(String groupId, long start, long end) {
        Meeting meeting = new Meeting();
        meeting.start = start;
        meeting.end = end;
        meeting.room = roomOf(groupId, start);
        return meeting;
    }

    static String roomOf(String groupId, long start) {
        return groupId + "-" + ROOM_SUFFIX.format(Instant.ofEpochMilli(start));
    }

    boolean isPresent(String userId) {
        return present.containsKey(userId);
    }

    void requirePresent(String userId) {
        if (!isPresent(userId)) {
            throw new Refusal(ErrorCode.NOT_IN_ROOM, "join room '" + room + "' first");
        }
    }

    /** Refuses a participant a facilitator muted, or who chose to only listen. */
    void refuseSilenced(String userId) {
        if (muted.contains(userId)) {
            throw new Refusal(ErrorCode.MUTED, "a facilitator muted you in this meeting");
        }
        if (listenOnly.contains(userId)) {
            throw new Refusal(ErrorCode.LISTEN_ONLY, "you chose to listen only; turn it off to take part");
        }
    }

    /** Members in the room now, facilitators not counted. */
    int participants() {
        return (int) present.keySet().stream().filter(id -> !staff.contains(id)).count();
    }

    /** Starts counting a member's attendance, when the meeting is open. */
    void startCounting(String userId, long now) {
        Attendance a = attendance.get(userId);
        if (a != null && OPEN.equals(phase) && a.countingSince == 0) {
            a.countingSince = now;
        }
    }

    void stopCounting(String userId, long now) {
        Attendance a = attendance.get(userId);
        if (a != null && a.countingSince != 0) {
            a.presentMillis += now - a.countingSince;
            a.countingSince = 0;
        }
    }
}
