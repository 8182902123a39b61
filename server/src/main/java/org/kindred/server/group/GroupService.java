package org.kindred.server.group;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import org.kindred.protocol.ClientMessage;
import org.kindred.protocol.ErrorCode;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.ServerMessage.ChatMessage;
import org.kindred.protocol.ServerMessage.Done;
import org.kindred.protocol.ServerMessage.Group;
import org.kindred.protocol.UserInfo;

/**
 * Facilitated group sessions on this node: schedules, the meeting each one leads to, facilitator controls, turns to
 * speak and attendance ({@code docs/groups.md}). Every change happens under one lock; events go out through
 * {@link Notifier} while it is held (sending never blocks). Time comes from a clock and {@link #tick()} is called
 * every second, so tests move time instead of waiting.
 *
 * <p>A meeting's lifecycle: its lobby opens {@code lobbyBefore} its start (members enter, read the rules, cannot post);
 * a facilitator opens it; a facilitator closes it, or it closes by itself {@code closeGrace} after its end. Each
 * meeting has its own room, so nothing said in one is shown in the next.
 */
public final class GroupService {

    /** Delivers an event to every connection of a user. */
    @FunctionalInterface
    public interface Notifier {
        void notify(String userId, ServerMessage event);
    }

    /** What the service needs of meeting rooms. */
    @FunctionalInterface
    public interface MeetingRooms {
        /** Takes every connection of a user out of a meeting's room, on every node. */
        void evict(String room, String userId);
    }

    /** Where facilitators' sanctions go: the safety audit log, next to moderators' actions. */
    @FunctionalInterface
    public interface Audit {
        void record(ServerMessage.AuditEntry entry);
    }

    private static final String CO_FACILITATOR = "Co-facilitator";

    private final GroupSettings settings;
    private final Notifier notifier;
    private final MeetingRooms rooms;
    private final Audit audit;
    private final Clock clock;
    private final GroupViews views;
    private final ReentrantLock lock = new ReentrantLock();
    private final ObjectMapper json = new ObjectMapper();
    private Map<String, GroupRecord> groups = new LinkedHashMap<>();

    public GroupService(GroupSettings settings, Notifier notifier, MeetingRooms rooms, Audit audit, Clock clock) {
        this.settings = settings;
        this.notifier = notifier;
        this.rooms = rooms;
        this.audit = audit;
        this.clock = clock;
        this.views = new GroupViews(settings);
    }

    @FunctionalInterface
    private interface Action<T> {
        T run(long now) throws GroupException;
    }

    private <T> T locked(Action<T> action) throws GroupException {
        lock.lock();
        try {
            return action.run(clock.millis());
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Scheduling

    /** A facilitator or a moderator schedules a group; it becomes its first facilitator. */
    public Group create(Actor actor, ClientMessage.CreateGroup c) throws GroupException {
        return locked(now -> {
            if (!actor.facilitator() && !actor.moderator()) {
                throw new GroupException(ErrorCode.FORBIDDEN, "only a facilitator or a moderator may schedule a group");
            }
            GroupRecord g = new GroupRecord();
            g.id = "g-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
            g.title = c.title();
            g.topic = c.topic();
            g.facilitators.add(actor.user());
            addCoFacilitators(g, c.facilitators());
            g.firstStart = futureStart(c.startsAt(), now);
            g.durationMinutes = c.durationMinutes();
            g.capacity = c.capacity() != null ? c.capacity() : settings.defaultCapacity();
            g.recurrence = c.recurrence() != null ? c.recurrence() : "none";
            g.timeZone = c.timeZone() != null ? c.timeZone() : "UTC";
            g.registration = Boolean.TRUE.equals(c.registration());
            g.rules = c.rules();
            g.floorOnly = Boolean.TRUE.equals(c.floorOnly());
            groups.put(g.id, g);
            refresh(g, now);
            return new Group(c.ref(), views.info(g, actor.id(), now));
        });
    }

    /** A facilitator of the group changes it; a meeting in progress keeps its times. */
    public Group update(Actor actor, ClientMessage.UpdateGroup c) throws GroupException {
        return locked(now -> {
            GroupRecord g = runnable(actor, c.groupId());
            if (c.title() != null) {
                g.title = c.title();
            }
            if (c.topic() != null) {
                g.topic = c.topic();
            }
            if (c.startsAt() != null) {
                g.firstStart = futureStart(c.startsAt(), now);
            }
            if (c.durationMinutes() != null) {
                g.durationMinutes = c.durationMinutes();
            }
            if (c.capacity() != null) {
                g.capacity = c.capacity();
            }
            if (c.recurrence() != null) {
                g.recurrence = c.recurrence();
            }
            if (c.timeZone() != null) {
                g.timeZone = c.timeZone();
            }
            if (c.registration() != null) {
                g.registration = c.registration();
            }
            if (c.rules() != null) {
                g.rules = c.rules().isBlank() ? null : c.rules();
            }
            if (c.floorOnly() != null) {
                g.floorOnly = c.floorOnly();
            }
            if (c.facilitators() != null) {
                // The list names the co-facilitators: the group's first facilitator stays.
                g.facilitators.removeIf(f -> f != g.facilitators.get(0) && !c.facilitators().contains(f.id()));
                addCoFacilitators(g, c.facilitators());
            }
            refresh(g, now);
            for (String member : g.registered.keySet()) {
                if (!member.equals(actor.id())) {
                    notifier.notify(member, new ServerMessage.GroupChanged(views.info(g, member, now), "updated", null,
                            null));
                }
            }
            if (g.meeting != null) {
                broadcast(g, g.meeting);
            }
            return new Group(c.ref(), views.info(g, actor.id(), now));
        });
    }

    /** A facilitator of the group cancels it, or one meeting of a weekly group. */
    public Group cancel(Actor actor, ClientMessage.CancelGroup c) throws GroupException {
        return locked(now -> {
            GroupRecord g = runnable(actor, c.groupId());
            Long occurrence = c.occurrence() == null ? null : Instant.parse(c.occurrence()).toEpochMilli();
            boolean whole = occurrence == null || !g.weekly();
            if (occurrence != null && (!g.isOccurrence(occurrence) || occurrence <= g.doneThrough
                    || occurrence + g.durationMillis() <= now)) {
                throw new GroupException(ErrorCode.INVALID_FIELD, "no meeting of this group that is still to come "
                        + "starts at " + c.occurrence());
            }
            Set<String> told = new LinkedHashSet<>(g.registered.keySet());
            if (g.meeting != null && (whole || g.meeting.start == occurrence)) {
                told.addAll(g.meeting.present.keySet());
                close(g, g.meeting, now);
            }
            if (whole) {
                g.cancelled = true;
            } else {
                g.skipped.add(occurrence);
            }
            refresh(g, now);
            audit.record(new ServerMessage.AuditEntry(now, actor.user(), whole ? "group_cancelled" : "meeting_cancelled",
                    null, null, g.id, c.reason()));
            for (String user : told) {
                notifier.notify(user, new ServerMessage.GroupChanged(views.info(g, user, now),
                        whole ? "cancelled" : "occurrence_cancelled", whole ? null : c.occurrence(), c.reason()));
            }
            return new Group(c.ref(), views.info(g, actor.id(), now));
        });
    }

    /** Groups with a meeting still to come or on now, soonest first; with a topic, only those about it. */
    public ServerMessage.GroupList list(String viewerId, String topic, String ref) {
        lock.lock();
        try {
            long now = clock.millis();
            long grace = settings.closeGrace().toMillis();
            List<ServerMessage.GroupInfo> listed = groups.values().stream()
                    .filter(g -> !g.cancelled && (topic == null || topic.equals(g.topic)))
                    .filter(g -> g.upcomingStart(now, grace) != -1)
                    .sorted(Comparator.comparingLong(g -> g.upcomingStart(now, grace)))
                    .map(g -> views.info(g, viewerId, now))
                    .toList();
            return new ServerMessage.GroupList(ref, listed);
        } finally {
            lock.unlock();
        }
    }

    /** A member registers (idempotent); with registration required, places are capped by capacity. */
    public Group register(UserInfo user, String groupId, String ref) throws GroupException {
        return locked(now -> {
            GroupRecord g = existing(groupId);
            if (g.cancelled || g.upcomingStart(now, settings.closeGrace().toMillis()) == -1) {
                throw new GroupException(ErrorCode.GROUP_CLOSED, "this group has no more meetings");
            }
            if (g.banned.contains(user.id())) {
                throw new GroupException(ErrorCode.REMOVED_FROM_GROUP, "a facilitator removed you from this group");
            }
            if (!g.registered.containsKey(user.id()) && g.registration && g.registered.size() >= g.capacity) {
                throw new GroupException(ErrorCode.GROUP_FULL, "all " + g.capacity + " places are taken");
            }
            g.registered.put(user.id(), user);
            return new Group(ref, views.info(g, user.id(), now));
        });
    }

    /** A member withdraws its registration. */
    public Group unregister(UserInfo user, String groupId, String ref) throws GroupException {
        return locked(now -> {
            GroupRecord g = existing(groupId);
            g.registered.remove(user.id());
            return new Group(ref, views.info(g, user.id(), now));
        });
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Entering and leaving a meeting's room

    /**
     * A connection enters a meeting's room: checks that it may (phase, ban, registration, capacity) and counts it
     * present. Idempotent per connection. Returns the meeting's state for the newcomer.
     *
     * @param connection this connection, unique in the cluster (node id and connection id)
     */
    public ServerMessage.GroupState enter(Actor actor, String room, String connection) throws GroupException {
        return locked(now -> {
            GroupRecord g = groups.get(groupOf(room));
            if (g == null) {
                throw new GroupException(ErrorCode.ROOM_NOT_FOUND, "no room '" + room + "'");
            }
            refresh(g, now);
            Meeting m = g.meetingWithRoom(room);
            if (m == null || Meeting.CLOSED.equals(m.phase)) {
                long upcoming = g.upcomingStart(now, settings.closeGrace().toMillis());
                if (m == null && !g.cancelled && upcoming != -1 && Meeting.roomOf(g.id, upcoming).equals(room)) {
                    throw new GroupException(ErrorCode.GROUP_NOT_OPEN, "the lobby opens at "
                            + GroupViews.iso(upcoming - settings.lobbyBefore().toMillis()));
                }
                if (m == null && !g.cancelled) {
                    throw new GroupException(ErrorCode.ROOM_NOT_FOUND, "no room '" + room + "'");
                }
                throw new GroupException(ErrorCode.GROUP_CLOSED, "this meeting is over");
            }
            boolean staff = g.runBy(actor);
            if (!staff) {
                if (g.banned.contains(actor.id())) {
                    throw new GroupException(ErrorCode.REMOVED_FROM_GROUP, "a facilitator removed you from this group");
                }
                if (g.registration && !g.registered.containsKey(actor.id())) {
                    throw new GroupException(ErrorCode.REGISTRATION_REQUIRED,
                            "this group asks members to register first: send register_group");
                }
                if (!m.isPresent(actor.id()) && m.participants() >= g.capacity) {
                    throw new GroupException(ErrorCode.GROUP_FULL, "this meeting is full (" + g.capacity
                            + " members)");
                }
            }
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
            }
            return views.state(g, m);
        });
    }

    /** A connection left a meeting's room (or closed). */
    public void left(String userId, String room, String connection) {
        lock.lock();
        try {
            GroupRecord g = groups.get(groupOf(room));
            Meeting m = g == null ? null : g.meetingWithRoom(room);
            Set<String> connections = m == null ? null : m.present.get(userId);
            if (connections != null && connections.remove(connection) && connections.isEmpty()) {
                gone(g, m, userId, clock.millis());
            }
        } finally {
            lock.unlock();
        }
    }

    /** The connections of nodes that died are gone from every meeting. */
    public void nodesGone(Set<String> nodes) {
        lock.lock();
        try {
            long now = clock.millis();
            for (GroupRecord g : groups.values()) {
                for (Meeting m : meetings(g)) {
                    for (String userId : List.copyOf(m.present.keySet())) {
                        Set<String> connections = m.present.get(userId);
                        if (connections.removeIf(c -> nodes.contains(nodeOf(c))) && connections.isEmpty()) {
                            gone(g, m, userId, now);
                        }
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** The nodes that have connections in a meeting now. */
    public Set<String> nodesPresent() {
        lock.lock();
        try {
            Set<String> nodes = new LinkedHashSet<>();
            groups.values().forEach(g -> meetings(g).forEach(m ->
                    m.present.values().forEach(cs -> cs.forEach(c -> nodes.add(nodeOf(c))))));
            return nodes;
        } finally {
            lock.unlock();
        }
    }

    private static List<Meeting> meetings(GroupRecord g) {
        List<Meeting> all = new ArrayList<>(g.past);
        if (g.meeting != null) {
            all.add(g.meeting);
        }
        return all;
    }

    private static String nodeOf(String connection) {
        int slash = connection.indexOf('/');
        return slash < 0 ? connection : connection.substring(0, slash);
    }

    /** A user's last connection left the room: its attendance stops, its hand and floor go. */
    private void gone(GroupRecord g, Meeting m, String userId, long now) {
        m.present.remove(userId);
        m.staff.remove(userId);
        m.stopCounting(userId, now);
        Meeting.Attendance a = m.attendance.get(userId);
        if (a != null && !Meeting.CLOSED.equals(m.phase)) {
            a.lastLeft = now; // after the close, attendance is final
        }
        boolean changed = m.hands.remove(userId);
        if (userId.equals(m.floorHolder)) {
            m.floorHolder = null;
            changed = true;
        }
        if (changed) {
            broadcast(g, m);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Running a meeting

    /** A facilitator opens the meeting whose lobby is open: members may post. */
    public Done open(Actor actor, String groupId, String ref) throws GroupException {
        return locked(now -> {
            GroupRecord g = runnable(actor, groupId);
            Meeting m = current(g, now);
            if (!Meeting.OPEN.equals(m.phase)) {
                m.phase = Meeting.OPEN;
                m.openedAt = now;
                m.attendance.keySet().stream().filter(m::isPresent).forEach(id -> m.startCounting(id, now));
                broadcast(g, m);
            }
            return new Done(ref, "open_group");
        });
    }

    /** A facilitator closes the meeting: no more posts; attendance is final. */
    public Done close(Actor actor, String groupId, String ref) throws GroupException {
        return locked(now -> {
            GroupRecord g = runnable(actor, groupId);
            close(g, current(g, now), now);
            return new Done(ref, "close_group");
        });
    }

    private void close(GroupRecord g, Meeting m, long now) {
        m.phase = Meeting.CLOSED;
        m.closedAt = now;
        m.present.keySet().forEach(id -> {
            m.stopCounting(id, now);
            Meeting.Attendance a = m.attendance.get(id);
            if (a != null) {
                a.lastLeft = now;
            }
        });
        m.floorHolder = null;
        m.hands.clear();
        broadcast(g, m);
        g.meeting = null;
        g.doneThrough = Math.max(g.doneThrough, m.start);
        g.keep(m);
    }

    /** A facilitator changes how the chat runs: lock, slow mode, floor only. */
    public Done setChat(Actor actor, ClientMessage.SetGroupChat c) throws GroupException {
        return locked(now -> {
            GroupRecord g = runnable(actor, c.groupId());
            Meeting m = current(g, now);
            if (c.locked() != null) {
                m.locked = c.locked();
            }
            if (c.slowModeSeconds() != null) {
                m.slowModeSeconds = c.slowModeSeconds();
            }
            if (c.floorOnly() != null) {
                m.floorOnly = c.floorOnly();
            }
            broadcast(g, m);
            return new Done(c.ref(), "set_group_chat");
        });
    }

    /** A facilitator mutes or unmutes a participant (present or not yet); muting lowers its hand. */
    public Done mute(Actor actor, String groupId, String userId, boolean muted, String ref) throws GroupException {
        return locked(now -> {
            GroupRecord g = runnable(actor, groupId);
            Meeting m = current(g, now);
            notStaff(g, m, userId, "muted");
            if (muted) {
                m.muted.add(userId);
                m.hands.remove(userId);
                if (userId.equals(m.floorHolder)) {
                    m.floorHolder = null;
                }
            } else {
                m.muted.remove(userId);
            }
            audit.record(new ServerMessage.AuditEntry(now, actor.user(), muted ? "participant_muted"
                    : "participant_unmuted", GroupViews.person(m, userId), m.room, g.id, null));
            broadcast(g, m);
            return new Done(ref, "mute");
        });
    }

    /** A facilitator removes a participant from the meeting, and with a ban from every meeting of the group. */
    public Done remove(Actor actor, ClientMessage.RemoveParticipant c) throws GroupException {
        return locked(now -> {
            GroupRecord g = runnable(actor, c.groupId());
            Meeting m = current(g, now);
            notStaff(g, m, c.userId(), "removed");
            boolean ban = Boolean.TRUE.equals(c.ban());
            if (ban) {
                g.banned.add(c.userId());
                g.registered.remove(c.userId());
            }
            audit.record(new ServerMessage.AuditEntry(now, actor.user(), ban ? "participant_banned"
                    : "participant_removed", GroupViews.person(m, c.userId()), m.room, g.id, c.reason()));
            if (m.isPresent(c.userId())) {
                notifier.notify(c.userId(), new ServerMessage.RemovedFromGroup(g.id, m.room, c.reason(), ban));
                rooms.evict(m.room, c.userId());
                gone(g, m, c.userId(), now);
            }
            broadcast(g, m);
            return new Done(c.ref(), "remove_participant");
        });
    }

    /** A participant chooses to only listen, or stops; listening lowers its hand and gives back the floor. */
    public Done listenOnly(Actor actor, String groupId, boolean on, String ref) throws GroupException {
        return locked(now -> {
            GroupRecord g = existing(groupId);
            Meeting m = current(g, now);
            present(m, actor.id());
            if (on) {
                m.listenOnly.add(actor.id());
                m.hands.remove(actor.id());
                if (actor.id().equals(m.floorHolder)) {
                    m.floorHolder = null;
                }
            } else {
                m.listenOnly.remove(actor.id());
            }
            broadcast(g, m);
            return new Done(ref, "listen_only");
        });
    }

    /**
     * A facilitator pins a message, or the rules when {@code seq} is null.
     *
     * @param message the message with that seq in the meeting's room, as read from it; null when there is none
     */
    public Done pin(Actor actor, String groupId, Long seq, ChatMessage message, String ref) throws GroupException {
        return locked(now -> {
            GroupRecord g = runnable(actor, groupId);
            Meeting m = current(g, now);
            if (seq == null) {
                if (g.rules == null) {
                    throw new GroupException(ErrorCode.INVALID_FIELD, "this group has no rules to pin; give 'seq' "
                            + "to pin a message");
                }
                m.rulesPinned = true;
                m.pinnedMessage = null;
            } else {
                if (message == null || !message.room().equals(m.room) || message.isDeleted()) {
                    throw new GroupException(ErrorCode.MESSAGE_NOT_FOUND, "no message " + seq + " in this meeting");
                }
                m.rulesPinned = false;
                m.pinnedMessage = message;
            }
            broadcast(g, m);
            return new Done(ref, "pin");
        });
    }

    /** A facilitator takes down what is pinned. */
    public Done unpin(Actor actor, String groupId, String ref) throws GroupException {
        return locked(now -> {
            GroupRecord g = runnable(actor, groupId);
            Meeting m = current(g, now);
            m.rulesPinned = false;
            m.pinnedMessage = null;
            broadcast(g, m);
            return new Done(ref, "unpin");
        });
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Turns to speak

    /** A participant raises its hand (to the end of the queue) or lowers it. */
    public Done raiseHand(Actor actor, String groupId, boolean raised, String ref) throws GroupException {
        return locked(now -> {
            GroupRecord g = existing(groupId);
            Meeting m = current(g, now);
            present(m, actor.id());
            if (raised) {
                if (m.staff.contains(actor.id())) {
                    throw new GroupException(ErrorCode.INVALID_FIELD, "facilitators give the floor; they do not "
                            + "raise hands");
                }
                if (!Meeting.OPEN.equals(m.phase)) {
                    throw new GroupException(ErrorCode.GROUP_NOT_OPEN, "the facilitator has not opened the meeting "
                            + "yet");
                }
                refuseSilenced(m, actor.id());
                if (actor.id().equals(m.floorHolder)) {
                    throw new GroupException(ErrorCode.INVALID_FIELD, "you hold the floor");
                }
                if (!m.hands.contains(actor.id())) {
                    m.hands.add(actor.id());
                    broadcast(g, m);
                }
            } else if (m.hands.remove(actor.id())) {
                broadcast(g, m);
            }
            return new Done(ref, "raise_hand");
        });
    }

    /** A facilitator gives the floor to a participant, or to the first raised hand when {@code userId} is null. */
    public Done giveFloor(Actor actor, String groupId, String userId, String ref) throws GroupException {
        return locked(now -> {
            GroupRecord g = runnable(actor, groupId);
            Meeting m = current(g, now);
            if (!Meeting.OPEN.equals(m.phase)) {
                throw new GroupException(ErrorCode.GROUP_NOT_OPEN, "open the meeting first");
            }
            String to = userId;
            if (to == null) {
                if (m.hands.isEmpty()) {
                    throw new GroupException(ErrorCode.INVALID_FIELD, "no hand is raised");
                }
                to = m.hands.get(0);
            }
            if (!m.isPresent(to) || m.staff.contains(to)) {
                throw new GroupException(ErrorCode.INVALID_FIELD, "'" + to + "' is not a participant in this meeting");
            }
            if (m.muted.contains(to) || m.listenOnly.contains(to)) {
                throw new GroupException(ErrorCode.INVALID_FIELD, "'" + to + "' is muted or listening only");
            }
            m.hands.remove(to);
            m.floorHolder = to;
            m.floorUntil = now + settings.floorTime().toMillis();
            broadcast(g, m);
            return new Done(ref, "give_floor");
        });
    }

    /** A facilitator takes the floor back. */
    public Done takeFloor(Actor actor, String groupId, String ref) throws GroupException {
        return locked(now -> {
            GroupRecord g = runnable(actor, groupId);
            Meeting m = current(g, now);
            if (m.floorHolder != null) {
                m.floorHolder = null;
                broadcast(g, m);
            }
            return new Done(ref, "take_floor");
        });
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Attendance

    /** Who attended a meeting: the one starting at {@code occurrence}, or the latest one. */
    public ServerMessage.Attendance attendance(Actor actor, String groupId, String occurrence, String ref)
            throws GroupException {
        return locked(now -> {
            GroupRecord g = runnable(actor, groupId);
            Meeting m;
            if (occurrence != null) {
                long start = Instant.parse(occurrence).toEpochMilli();
                m = meetings(g).stream().filter(x -> x.start == start).findFirst().orElse(null);
            } else {
                m = g.meeting != null ? g.meeting : g.past.isEmpty() ? null : g.past.get(g.past.size() - 1);
            }
            if (m == null) {
                throw new GroupException(ErrorCode.GROUP_NOT_OPEN, occurrence == null
                        ? "no meeting of this group has taken place yet"
                        : "no meeting of this group took place at " + occurrence
                                + " (attendance is kept for the last " + GroupRecord.KEPT_MEETINGS + " meetings)");
            }
            return views.attendance(g, m, now, ref);
        });
    }

    // ---------------------------------------------------------------------------------------------------------------
    // What a node checks without a command

    /**
     * Whether this user may post in this meeting room now. Returns the slow-mode period that applies to it (0 when
     * none: no slow mode, or it runs the meeting); a refusal is thrown.
     */
    public int checkPost(String room, Actor actor) throws GroupException {
        lock.lock();
        try {
            GroupRecord g = groups.get(groupOf(room));
            Meeting m = g == null ? null : g.meetingWithRoom(room);
            if (m == null) {
                throw new GroupException(ErrorCode.ROOM_NOT_FOUND, "no room '" + room + "'");
            }
            if (Meeting.CLOSED.equals(m.phase)) {
                throw new GroupException(ErrorCode.GROUP_CLOSED, "this meeting is over");
            }
            if (!m.isPresent(actor.id())) {
                throw new GroupException(ErrorCode.NOT_IN_ROOM, "join room '" + room + "' first");
            }
            if (g.runBy(actor)) {
                return 0;
            }
            if (!Meeting.OPEN.equals(m.phase)) {
                throw new GroupException(ErrorCode.GROUP_NOT_OPEN, "you are in the lobby: the facilitator has not "
                        + "opened the meeting yet");
            }
            refuseSilenced(m, actor.id());
            if (m.locked) {
                throw new GroupException(ErrorCode.CHAT_LOCKED, "the facilitator locked the chat: only facilitators "
                        + "post for now");
            }
            if (m.floorOnly && m.floorHolder != null && !m.floorHolder.equals(actor.id())) {
                throw new GroupException(ErrorCode.NOT_YOUR_TURN, "another member has the floor; raise your hand "
                        + "to speak next");
            }
            return m.slowModeSeconds;
        } finally {
            lock.unlock();
        }
    }

    /** Whether this is the room of a meeting (current or past) of a group. */
    public boolean isMeetingRoom(String room) {
        lock.lock();
        try {
            GroupRecord g = groups.get(groupOf(room));
            return g != null && g.meetingWithRoom(room) != null;
        } finally {
            lock.unlock();
        }
    }

    /** The room of the group's meeting that is on now. */
    public Optional<String> currentRoom(String groupId) {
        lock.lock();
        try {
            GroupRecord g = groups.get(groupId);
            return g == null || g.meeting == null ? Optional.empty() : Optional.of(g.meeting.room);
        } finally {
            lock.unlock();
        }
    }

    /** The facilitators of the group a meeting room belongs to: they hear of a crisis in it. */
    public List<String> facilitatorsOf(String room) {
        lock.lock();
        try {
            GroupRecord g = groups.get(groupOf(room));
            return g == null ? List.of() : g.facilitators.stream().map(UserInfo::id).toList();
        } finally {
            lock.unlock();
        }
    }

    /** Meetings in their lobby or open now. */
    public int meetingsOn() {
        lock.lock();
        try {
            return (int) groups.values().stream().filter(g -> g.meeting != null).count();
        } finally {
            lock.unlock();
        }
    }

    /** Members in meetings now, facilitators not counted. */
    public int participants() {
        lock.lock();
        try {
            return groups.values().stream().filter(g -> g.meeting != null).mapToInt(g -> g.meeting.participants()).sum();
        } finally {
            lock.unlock();
        }
    }

    /** The group id of a meeting room: the room is the group id, a dash and the meeting's start. */
    public static String groupOf(String room) {
        int dash = room.lastIndexOf('-');
        return dash <= 0 ? room : room.substring(0, dash);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Time

    /** Whether {@link #tick()} has anything to do now: a lobby to open, a meeting to close, a floor, a reminder. */
    public boolean due() {
        lock.lock();
        try {
            long now = clock.millis();
            return groups.values().stream().anyMatch(g -> dueFor(g, now));
        } finally {
            lock.unlock();
        }
    }

    private boolean dueFor(GroupRecord g, long now) {
        if (g.cancelled) {
            return false;
        }
        Meeting m = g.meeting;
        if (m != null) {
            return now >= m.end + settings.closeGrace().toMillis() || (m.floorHolder != null && now >= m.floorUntil)
                    || reminderDue(g, m.start, now);
        }
        long start = g.upcomingStart(now, settings.closeGrace().toMillis());
        return start != -1 && (now >= start - settings.lobbyBefore().toMillis() || reminderDue(g, start, now));
    }

    private boolean reminderDue(GroupRecord g, long start, long now) {
        return g.remindedFor < start && !g.registered.isEmpty() && now >= start - settings.reminderBefore().toMillis()
                && now < start;
    }

    /** Opens lobbies, closes meetings past their end, ends floors and sends reminders that are due. */
    public void tick() {
        lock.lock();
        try {
            long now = clock.millis();
            groups.values().forEach(g -> refresh(g, now));
        } finally {
            lock.unlock();
        }
    }

    private void refresh(GroupRecord g, long now) {
        if (g.cancelled) {
            return;
        }
        if (g.meeting != null && now >= g.meeting.end + settings.closeGrace().toMillis()) {
            close(g, g.meeting, now);
        }
        if (g.meeting == null) {
            long start = g.upcomingStart(now, settings.closeGrace().toMillis());
            if (start != -1 && now >= start - settings.lobbyBefore().toMillis()) {
                Meeting m = Meeting.starting(g.id, start, start + g.durationMillis());
                m.floorOnly = g.floorOnly;
                m.rulesPinned = g.rules != null;
                g.meeting = m;
            }
        }
        Meeting m = g.meeting;
        if (m != null && m.floorHolder != null && now >= m.floorUntil) {
            m.floorHolder = null;
            broadcast(g, m);
        }
        long start = m != null ? m.start : g.upcomingStart(now, settings.closeGrace().toMillis());
        if (start != -1 && reminderDue(g, start, now)) {
            g.remindedFor = start;
            for (String member : g.registered.keySet()) {
                notifier.notify(member, new ServerMessage.GroupReminder(views.info(g, member, now),
                        (start - now) / 1000));
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    private GroupRecord existing(String groupId) throws GroupException {
        GroupRecord g = groups.get(groupId);
        if (g == null) {
            throw new GroupException(ErrorCode.GROUP_NOT_FOUND, "no group '" + groupId + "'");
        }
        return g;
    }

    /** The group, when this actor runs it and it is not cancelled. */
    private GroupRecord runnable(Actor actor, String groupId) throws GroupException {
        GroupRecord g = existing(groupId);
        if (!g.runBy(actor)) {
            throw new GroupException(ErrorCode.FORBIDDEN, "only a facilitator of this group or a moderator may do "
                    + "this");
        }
        if (g.cancelled) {
            throw new GroupException(ErrorCode.GROUP_CLOSED, "this group is cancelled");
        }
        return g;
    }

    /** The meeting that is on (lobby or open). */
    private Meeting current(GroupRecord g, long now) throws GroupException {
        refresh(g, now);
        if (g.meeting != null) {
            return g.meeting;
        }
        long start = g.cancelled ? -1 : g.upcomingStart(now, settings.closeGrace().toMillis());
        if (start == -1) {
            throw new GroupException(ErrorCode.GROUP_CLOSED, "this group has no more meetings");
        }
        throw new GroupException(ErrorCode.GROUP_NOT_OPEN, "no meeting is on; the next lobby opens at "
                + GroupViews.iso(start - settings.lobbyBefore().toMillis()));
    }

    private static void present(Meeting m, String userId) throws GroupException {
        if (!m.isPresent(userId)) {
            throw new GroupException(ErrorCode.NOT_IN_ROOM, "join room '" + m.room + "' first");
        }
    }

    private static void notStaff(GroupRecord g, Meeting m, String userId, String what) throws GroupException {
        if (g.isFacilitator(userId) || m.staff.contains(userId)) {
            throw new GroupException(ErrorCode.INVALID_FIELD, "a facilitator cannot be " + what);
        }
    }

    private static void refuseSilenced(Meeting m, String userId) throws GroupException {
        if (m.muted.contains(userId)) {
            throw new GroupException(ErrorCode.MUTED, "a facilitator muted you in this meeting");
        }
        if (m.listenOnly.contains(userId)) {
            throw new GroupException(ErrorCode.LISTEN_ONLY, "you chose to listen only; turn it off to take part");
        }
    }

    private static long futureStart(String startsAt, long now) throws GroupException {
        long start = Instant.parse(startsAt).toEpochMilli();
        if (start <= now) {
            throw new GroupException(ErrorCode.INVALID_FIELD, "field 'startsAt' is in the past; times are UTC");
        }
        return start;
    }

    private static void addCoFacilitators(GroupRecord g, List<String> ids) {
        if (ids != null) {
            ids.stream().distinct().filter(id -> !g.isFacilitator(id))
                    .forEach(id -> g.facilitators.add(new UserInfo(id, CO_FACILITATOR, "facilitator")));
        }
    }

    /** Tells everyone in the meeting's room how it runs now. */
    private void broadcast(GroupRecord g, Meeting m) {
        ServerMessage.GroupState state = views.state(g, m);
        m.present.keySet().forEach(user -> notifier.notify(user, state));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The state a cluster stores

    /** Every group, as JSON. */
    public String exportState() {
        lock.lock();
        try {
            return json.writeValueAsString(groups);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            lock.unlock();
        }
    }

    /** Replaces every group with the ones exported elsewhere. */
    public void importState(String state) {
        lock.lock();
        try {
            groups = json.readValue(state, new TypeReference<LinkedHashMap<String, GroupRecord>>() {
            });
        } catch (IOException e) {
            throw new UncheckedIOException("the group state in Redis cannot be read", e);
        } finally {
            lock.unlock();
        }
    }
}
