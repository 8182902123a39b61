package org.kindred.server.group;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.kindred.protocol.ErrorCode;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.UserInfo;
import org.kindred.server.connection.Refusal;

/**
 * Who is in a meeting: entering (phase, ban, registration and capacity), leaving, the connections of dead nodes; and
 * what a node checks on its own copy of the state without a command — whether a member may post now.
 */
public final class MeetingAccess {

    private final GroupLedger book;

    MeetingAccess(GroupLedger book) {
        this.book = book;
    }

    /**
     * A connection enters a meeting's room: checks that it may (phase, ban, registration, capacity) and counts it
     * present. Idempotent per connection. Returns the meeting's state for the newcomer.
     *
     * @param connection this connection, unique in the cluster (node id and connection id)
     */
    public ServerMessage.GroupState enter(Actor actor, String room, String connection) {
        return book.locked(now -> {
            GroupRecord g = book.groups.get(GroupLedger.groupOf(room));
            if (g == null) {
                throw new Refusal(ErrorCode.ROOM_NOT_FOUND, "no room '" + room + "'");
            }
            book.refresh(g, now);
            Meeting m = g.currentWithRoom(room);
            if (m == null) {
                long upcoming = g.upcomingStart(now, book.settings.closeGrace().toMillis());
                if (g.held(room) || g.cancelled) {
                    throw new Refusal(ErrorCode.GROUP_CLOSED, "this meeting is over");
                }
                if (upcoming != -1 && Meeting.roomOf(g.id, upcoming).equals(room)) {
                    throw new Refusal(
                            ErrorCode.GROUP_NOT_OPEN,
                            "the lobby opens at "
                                    + GroupViews.iso(upcoming
                                            - book.settings.lobbyBefore().toMillis()));
                }
                throw new Refusal(ErrorCode.ROOM_NOT_FOUND, "no room '" + room + "'");
            }
            boolean staff = g.runBy(actor);
            if (!staff) {
                if (g.banned.contains(actor.id())) {
                    throw new Refusal(ErrorCode.REMOVED_FROM_GROUP, "a facilitator removed you from this group");
                }
                if (g.registration && !g.registered.containsKey(actor.id())) {
                    throw new Refusal(
                            ErrorCode.REGISTRATION_REQUIRED,
                            "this group asks members to register first: send register_group");
                }
                if (!m.isPresent(actor.id()) && m.participants() >= g.capacity) {
                    throw new Refusal(ErrorCode.GROUP_FULL, "this meeting is full (" + g.capacity + " members)");
                }
            }
            boolean arrives = !m.isPresent(actor.id());
            m.present.computeIfAbsent(actor.id(), id -> new LinkedHashSet<>()).add(connection);
            m.people.put(actor.id(), actor.user());
            if (staff) {
                m.staff.add(actor.id());
                if (g.isFacilitator(actor.id())) {
                    g.facilitators.replaceAll(f -> f.id().equals(actor.id()) ? actor.user() : f);
                }
            } else {
                Meeting.Attendance a = m.attendance.computeIfAbsent(actor.id(), id -> {
                    Meeting.Attendance first = new Meeting.Attendance();
                    first.firstJoined = now;
                    return first;
                });
                a.lastLeft = 0;
                m.startCounting(actor.id(), now);
                if (arrives) {
                    book.toStaff(g, m);
                }
            }
            return book.views.state(g, m);
        });
    }

    /** A connection left a meeting's room (or closed). */
    public void left(String userId, String room, String connection) {
        book.lock.lock();
        try {
            GroupRecord g = book.groups.get(GroupLedger.groupOf(room));
            Meeting m = g == null ? null : g.currentWithRoom(room);
            Set<String> connections = m == null ? null : m.present.get(userId);
            if (connections != null && connections.remove(connection) && connections.isEmpty()) {
                book.gone(g, m, userId, book.clock.millis());
            }
        } finally {
            book.lock.unlock();
        }
    }

    /** The connections of nodes that died are gone from every meeting. */
    public void nodesGone(Set<String> nodes) {
        book.lock.lock();
        try {
            for (GroupRecord g : book.groups.values()) {
                nodesGone(g.id, nodes);
            }
        } finally {
            book.lock.unlock();
        }
    }

    /** Connections of these nodes (they died) leave one group's meeting. */
    public void nodesGone(String groupId, Set<String> nodes) {
        book.lock.lock();
        try {
            long now = book.clock.millis();
            GroupRecord found = book.groups.get(groupId);
            for (GroupRecord g : found == null ? List.<GroupRecord>of() : List.of(found)) {
                Meeting m = g.meeting;
                for (String userId : m == null ? List.<String>of() : List.copyOf(m.present.keySet())) {
                    Set<String> connections = m.present.get(userId);
                    if (connections.removeIf(c -> nodes.contains(GroupLedger.nodeOf(c))) && connections.isEmpty()) {
                        book.gone(g, m, userId, now);
                    }
                }
            }
        } finally {
            book.lock.unlock();
        }
    }

    /** The groups with a connection of one of these nodes in their meeting now. */
    public List<String> groupsWith(Set<String> nodes) {
        book.lock.lock();
        try {
            return book.groups.values().stream()
                    .filter(g -> g.meeting != null
                            && g.meeting.present.values().stream()
                                    .anyMatch(cs -> cs.stream().anyMatch(c -> nodes.contains(GroupLedger.nodeOf(c)))))
                    .map(g -> g.id)
                    .toList();
        } finally {
            book.lock.unlock();
        }
    }

    /** The nodes that have connections in a meeting now. */
    public Set<String> nodesPresent() {
        book.lock.lock();
        try {
            Set<String> nodes = new LinkedHashSet<>();
            book.groups.values().stream()
                    .filter(g -> g.meeting != null)
                    .forEach(g -> g.meeting
                            .present
                            .values()
                            .forEach(cs -> cs.forEach(c -> nodes.add(GroupLedger.nodeOf(c)))));
            return nodes;
        } finally {
            book.lock.unlock();
        }
    }

    /**
     * Whether this user may post in this meeting room now. Returns the slow-mode period that applies to it (0 when
     * none: no slow mode, or it runs the meeting); a refusal is thrown.
     */
    public int checkPost(String room, Actor actor) {
        book.lock.lock();
        try {
            GroupRecord g = book.groups.get(GroupLedger.groupOf(room));
            Meeting m = g == null ? null : g.currentWithRoom(room);
            if (m == null) {
                if (g != null && (g.held(room) || g.cancelled)) {
                    throw new Refusal(ErrorCode.GROUP_CLOSED, "this meeting is over");
                }
                throw new Refusal(ErrorCode.ROOM_NOT_FOUND, "no room '" + room + "'");
            }
            if (!m.isPresent(actor.id())) {
                throw new Refusal(ErrorCode.NOT_IN_ROOM, "join room '" + room + "' first");
            }
            if (g.runBy(actor)) {
                return 0;
            }
            if (!Meeting.OPEN.equals(m.phase)) {
                throw new Refusal(
                        ErrorCode.GROUP_NOT_OPEN,
                        "you are in the lobby: the facilitator has not " + "opened the meeting yet");
            }
            m.refuseSilenced(actor.id());
            if (m.locked) {
                throw new Refusal(
                        ErrorCode.CHAT_LOCKED, "the facilitator locked the chat: only facilitators " + "post for now");
            }
            if (m.floorOnly && m.floorHolder != null && !m.floorHolder.equals(actor.id())) {
                throw new Refusal(
                        ErrorCode.NOT_YOUR_TURN, "another member has the floor; raise your hand " + "to speak next");
            }
            return m.slowModeSeconds;
        } finally {
            book.lock.unlock();
        }
    }

    /** Whether this is the room of a meeting (current or past) of a group. */
    public boolean isMeetingRoom(String room) {
        book.lock.lock();
        try {
            GroupRecord g = book.groups.get(GroupLedger.groupOf(room));
            return g != null && (g.currentWithRoom(room) != null || g.held(room));
        } finally {
            book.lock.unlock();
        }
    }

    /** The room of the group's meeting that is on now. */
    public Optional<String> currentRoom(String groupId) {
        book.lock.lock();
        try {
            GroupRecord g = book.groups.get(groupId);
            return g == null || g.meeting == null ? Optional.empty() : Optional.of(g.meeting.room);
        } finally {
            book.lock.unlock();
        }
    }

    /** The facilitators of the group a meeting room belongs to: they hear of a crisis in it. */
    public List<String> facilitatorsOf(String room) {
        book.lock.lock();
        try {
            GroupRecord g = book.groups.get(GroupLedger.groupOf(room));
            return g == null
                    ? List.of()
                    : g.facilitators.stream().map(UserInfo::id).toList();
        } finally {
            book.lock.unlock();
        }
    }

    /** Meetings in their lobby or open now. */
    public int meetingsOn() {
        book.lock.lock();
        try {
            return (int)
                    book.groups.values().stream().filter(g -> g.meeting != null).count();
        } finally {
            book.lock.unlock();
        }
    }

    /** Members in meetings now, facilitators not counted. */
    public int participants() {
        book.lock.lock();
        try {
            return book.groups.values().stream()
                    .filter(g -> g.meeting != null)
                    .mapToInt(g -> g.meeting.participants())
                    .sum();
        } finally {
            book.lock.unlock();
        }
    }
}
