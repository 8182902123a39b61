package org.kindred.server.group;

import java.time.Instant;
import java.util.List;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.ServerMessage.GroupInfo;
import org.kindred.protocol.UserInfo;
import org.kindred.server.config.GroupConfig;

/** Turns the groups' state into what users are shown. */
final class GroupViews {

    private final GroupConfig settings;

    GroupViews(GroupConfig settings) {
        this.settings = settings;
    }

    /** A time on the wire: UTC, to the second (docs/groups.md), whatever millisecond it was recorded at. */
    static String iso(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis)
                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                .toString();
    }

    /** The group at its current or next meeting, as one viewer sees it. */
    GroupInfo info(GroupRecord g, String viewerId, long now) {
        return info(g, g.registered.containsKey(viewerId), now);
    }

    /** The group as a registered member (or anyone else) sees it: the same for all of them, encoded once. */
    GroupInfo info(GroupRecord g, boolean registeredViewer, long now) {
        long start;
        String phase;
        if (g.meeting != null) {
            start = g.meeting.start;
            phase = g.cancelled ? "cancelled" : g.meeting.phase;
        } else {
            long upcoming = g.upcomingStart(now, settings.closeGrace().toMillis());
            if (upcoming == -1) {
                start = g.pastRooms.isEmpty() ? g.firstStart : g.doneThrough;
                phase = g.cancelled ? "cancelled" : Meeting.CLOSED;
            } else {
                start = upcoming;
                phase = g.cancelled
                        ? "cancelled"
                        : now >= start - settings.lobbyBefore().toMillis() ? Meeting.LOBBY : "scheduled";
            }
        }
        long end = g.meeting != null ? g.meeting.end : start + g.durationMillis();
        return new GroupInfo(
                g.id,
                g.title,
                g.topic,
                g.facilitators,
                iso(start),
                iso(end),
                iso(start - settings.lobbyBefore().toMillis()),
                g.durationMinutes,
                g.capacity,
                g.recurrence,
                g.timeZone,
                g.registration,
                g.registered.size(),
                registeredViewer,
                phase,
                Meeting.roomOf(g.id, start),
                g.rules,
                g.floorOnly);
    }

    /** How a meeting runs now. */
    ServerMessage.GroupState state(GroupRecord g, Meeting m) {
        ServerMessage.Floor floor =
                m.floorHolder == null ? null : new ServerMessage.Floor(person(m, m.floorHolder), iso(m.floorUntil));
        ServerMessage.Pinned pinned = m.rulesPinned && g.rules != null
                ? new ServerMessage.Pinned(g.rules, null)
                : m.pinnedMessage != null ? new ServerMessage.Pinned(null, m.pinnedMessage) : null;
        List<UserInfo> hands = m.hands.stream().map(id -> person(m, id)).toList();
        List<String> facilitators = g.facilitators.stream().map(UserInfo::id).toList();
        return new ServerMessage.GroupState(
                m.room,
                g.id,
                m.phase,
                iso(m.start),
                iso(m.end),
                m.locked,
                m.slowModeSeconds,
                m.floorOnly,
                floor,
                hands,
                List.copyOf(m.muted),
                List.copyOf(m.listenOnly),
                facilitators,
                pinned,
                m.participants());
    }

    /** Who attended a meeting, in order of arrival. */
    ServerMessage.Attendance attendance(GroupRecord g, Meeting m, long now, String ref) {
        List<ServerMessage.Attendee> attendees = m.attendance.entrySet().stream()
                .map(entry -> {
                    Meeting.Attendance a = entry.getValue();
                    long counting = a.countingSince == 0 ? 0 : now - a.countingSince;
                    return new ServerMessage.Attendee(
                            person(m, entry.getKey()),
                            iso(a.firstJoined),
                            a.lastLeft == 0 ? null : iso(a.lastLeft),
                            (a.presentMillis + counting) / 1000);
                })
                .toList();
        return new ServerMessage.Attendance(
                ref,
                g.id,
                m.room,
                iso(m.start),
                m.openedAt == 0 ? null : iso(m.openedAt),
                m.closedAt == 0 ? null : iso(m.closedAt),
                attendees);
    }

    static UserInfo person(Meeting m, String userId) {
        UserInfo known = m.people.get(userId);
        return known != null ? known : unknown(userId);
    }

    /** A user never seen in a meeting: its id, and no pseudonym of its own. */
    static UserInfo unknown(String userId) {
        return new UserInfo(userId, "Member", "member");
    }
}
