package org.kindred.server.group;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.kindred.protocol.ErrorCode;
import org.kindred.protocol.ServerMessage;
import org.kindred.server.config.GroupConfig;
import org.kindred.server.connection.Refusal;

/**
 * The groups' state, the one lock every read and change takes, and what the parts of the service share: finding a
 * group and its meeting, the lifecycle of meetings (lobby, auto close, floor expiry, reminders) and telling a
 * meeting's participants how it runs.
 */
final class GroupLedger {

    final GroupConfig settings;
    final GroupService.Notifier notifier;
    final GroupService.MeetingRooms rooms;
    final GroupService.Audit audit;
    final MeetingArchive archive;
    final Clock clock;
    final GroupViews views;
    final ReentrantLock lock = new ReentrantLock();
    private final ObjectMapper json = new ObjectMapper();
    Map<String, GroupRecord> groups = new LinkedHashMap<>();

    GroupLedger(
            GroupConfig settings,
            GroupService.Notifier notifier,
            GroupService.MeetingRooms rooms,
            GroupService.Audit audit,
            MeetingArchive archive,
            Clock clock) {
        this.settings = settings;
        this.notifier = notifier;
        this.rooms = rooms;
        this.audit = audit;
        this.archive = archive;
        this.clock = clock;
        this.views = new GroupViews(settings);
    }

    @FunctionalInterface
    interface Action<T> {
        T run(long now);
    }

    <T> T locked(Action<T> action) {
        lock.lock();
        try {
            return action.run(clock.millis());
        } finally {
            lock.unlock();
        }
    }

    /** The node of a connection key ("node/connection"). */
    static String nodeOf(String connection) {
        int slash = connection.indexOf('/');
        return slash < 0 ? connection : connection.substring(0, slash);
    }

    /** A user's last connection left the room: its attendance stops, its hand and floor go. */
    void gone(GroupRecord g, Meeting m, String userId, long now) {
        m.present.remove(userId);
        boolean wasStaff = m.staff.remove(userId);
        m.stopCounting(userId, now);
        Meeting.Attendance a = m.attendance.get(userId);
        if (a != null) {
            a.lastLeft = now;
        }
        boolean changed = m.hands.remove(userId);
        if (userId.equals(m.floorHolder)) {
            m.floorHolder = null;
            changed = true;
        }
        if (changed) {
            broadcast(g, m);
        } else if (!wasStaff) {
            toStaff(g, m);
        }
    }

    /** Closes a meeting: everyone still there is counted as leaving now, and it moves to the archive. */
    void close(GroupRecord g, Meeting m, long now) {
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
        archive.keep(m.room, write(m));
        g.keep(m.room).forEach(archive::forget);
    }

    /** The group id of a meeting room: the room is the group id, a dash and the meeting's start. */
    static String groupOf(String room) {
        int dash = room.lastIndexOf('-');
        return dash <= 0 ? room : room.substring(0, dash);
    }

    /** Whether {@link #tick()} has anything to do now: a lobby to open, a meeting to close, a floor, a reminder. */
    boolean due() {
        lock.lock();
        try {
            long now = clock.millis();
            return groups.values().stream().anyMatch(g -> dueFor(g, now) || prunable(g, now));
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
            return now >= m.end + settings.closeGrace().toMillis()
                    || (m.floorHolder != null && now >= m.floorUntil)
                    || reminderDue(g, m.start, now);
        }
        long start = g.upcomingStart(now, settings.closeGrace().toMillis());
        return start != -1 && (now >= start - settings.lobbyBefore().toMillis() || reminderDue(g, start, now));
    }

    private boolean reminderDue(GroupRecord g, long start, long now) {
        return g.remindedFor < start
                && !g.registered.isEmpty()
                && now >= start - settings.reminderBefore().toMillis()
                && now < start;
    }

    /** The groups that have something due now (see {@link #due()}): each is a command of its own in a cluster. */
    List<String> dueGroups() {
        lock.lock();
        try {
            long now = clock.millis();
            return groups.values().stream()
                    .filter(g -> dueFor(g, now) || prunable(g, now))
                    .map(g -> g.id)
                    .toList();
        } finally {
            lock.unlock();
        }
    }

    /** Runs what is due for one group, or forgets it once it is over (see {@link #prunable}). */
    void tick(String groupId) {
        lock.lock();
        try {
            long now = clock.millis();
            GroupRecord g = groups.get(groupId);
            if (g == null) {
                return;
            }
            if (prunable(g, now)) {
                groups.remove(groupId);
            } else {
                refresh(g, now);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * A group is forgotten {@link #FORGET_AFTER} after its last meeting, once it has none on and none to come
     * (cancelled, or a single meeting that is over); its meetings' attendance stays in the archive for its own time.
     */
    boolean prunable(GroupRecord g, long now) {
        if (g.meeting != null) {
            return false;
        }
        long closeGrace = settings.closeGrace().toMillis();
        if (!g.cancelled && g.upcomingStart(now, closeGrace) != -1) {
            return false;
        }
        long last = Math.max(g.firstStart, g.doneThrough) + g.durationMillis() + closeGrace;
        return now - last >= FORGET_AFTER.toMillis();
    }

    /** How long a group with no meeting to come is kept after its last one. */
    static final java.time.Duration FORGET_AFTER = java.time.Duration.ofDays(30);

    /** Opens lobbies, closes meetings past their end, ends floors and sends reminders that are due. */
    void tick() {
        lock.lock();
        try {
            long now = clock.millis();
            groups.values().removeIf(g -> prunable(g, now));
            groups.values().forEach(g -> refresh(g, now));
        } finally {
            lock.unlock();
        }
    }

    void refresh(GroupRecord g, long now) {
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
        long start =
                m != null ? m.start : g.upcomingStart(now, settings.closeGrace().toMillis());
        if (start != -1 && reminderDue(g, start, now)) {
            g.remindedFor = start;
            notifier.notify(
                    g.registered.keySet(),
                    new ServerMessage.GroupReminder(views.info(g, true, now), (start - now) / 1000));
        }
    }

    GroupRecord existing(String groupId) {
        GroupRecord g = groups.get(groupId);
        if (g == null) {
            throw new Refusal(ErrorCode.GROUP_NOT_FOUND, "no group '" + groupId + "'");
        }
        return g;
    }

    /** The group, when this actor runs it, cancelled or not. */
    GroupRecord facilitated(Actor actor, String groupId) {
        GroupRecord g = existing(groupId);
        if (!g.runBy(actor)) {
            throw new Refusal(ErrorCode.FORBIDDEN, "only a facilitator of this group or a moderator may do " + "this");
        }
        return g;
    }

    /** The group, when this actor runs it and it is not cancelled. */
    GroupRecord runnable(Actor actor, String groupId) {
        GroupRecord g = facilitated(actor, groupId);
        if (g.cancelled) {
            throw new Refusal(ErrorCode.GROUP_CLOSED, "this group is cancelled");
        }
        return g;
    }

    /** The meeting that is on (lobby or open). */
    Meeting current(GroupRecord g, long now) {
        refresh(g, now);
        if (g.meeting != null) {
            return g.meeting;
        }
        long start =
                g.cancelled ? -1 : g.upcomingStart(now, settings.closeGrace().toMillis());
        if (start == -1) {
            throw new Refusal(ErrorCode.GROUP_CLOSED, "this group has no more meetings");
        }
        throw new Refusal(
                ErrorCode.GROUP_NOT_OPEN,
                "no meeting is on; the next lobby opens at "
                        + GroupViews.iso(start - settings.lobbyBefore().toMillis()));
    }

    /**
     * Tells those running the meeting that a member came or went (its count and who may get the floor). Members learn
     * who is there from the room's presence events; re-sending everyone the state on each arrival would cost the
     * square of the meeting's size.
     */
    void toStaff(GroupRecord g, Meeting m) {
        ServerMessage.GroupState state = views.state(g, m);
        notifier.notify(m.staff, state);
    }

    /** Tells everyone in the meeting's room how it runs now. */
    void broadcast(GroupRecord g, Meeting m) {
        ServerMessage.GroupState state = views.state(g, m);
        notifier.notify(m.present.keySet(), state);
    }

    /** Every group, as JSON. */
    /** A closed meeting from the archive. */
    Optional<Meeting> archived(String room) {
        return archive.find(room).map(stored -> {
            try {
                return json.readValue(stored, Meeting.class);
            } catch (IOException e) {
                throw new UncheckedIOException("an archived meeting cannot be read", e);
            }
        });
    }

    private String write(Meeting meeting) {
        try {
            return json.writeValueAsString(meeting);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every group as JSON, by key {@code group:<id>}: what a cluster keeps one by one. */
    Map<String, String> entities() {
        lock.lock();
        try {
            Map<String, String> all = new HashMap<>(groups.size() * 2 + 1);
            for (GroupRecord g : groups.values()) {
                all.put(GROUP + g.id, json.writeValueAsString(g));
            }
            return all;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            lock.unlock();
        }
    }

    /** Swaps groups in (null removes one); read before the lock is taken, so readers wait only for the swap. */
    void apply(Map<String, String> changes) {
        Map<String, GroupRecord> read = new HashMap<>();
        changes.forEach((key, stored) -> {
            try {
                read.put(
                        key.substring(GROUP.length()),
                        stored == null ? null : json.readValue(stored, GroupRecord.class));
            } catch (IOException e) {
                throw new UncheckedIOException("the group " + key + " cannot be read", e);
            }
        });
        lock.lock();
        try {
            read.forEach((id, g) -> {
                if (g == null) {
                    groups.remove(id);
                } else {
                    groups.put(id, g);
                }
            });
        } finally {
            lock.unlock();
        }
    }

    static final String GROUP = "group:";

    String exportState() {
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
    void importState(String state) {
        lock.lock();
        try {
            groups = json.readValue(state, new TypeReference<LinkedHashMap<String, GroupRecord>>() {});
        } catch (IOException e) {
            throw new UncheckedIOException("the group state in Redis cannot be read", e);
        } finally {
            lock.unlock();
        }
    }
}
