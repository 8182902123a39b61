package org.kindred.server.group;

import java.time.Instant;
import java.util.List;
import org.kindred.protocol.ClientMessage;
import org.kindred.protocol.ErrorCode;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.ServerMessage.ChatMessage;
import org.kindred.protocol.ServerMessage.Done;
import org.kindred.protocol.UserInfo;
import org.kindred.server.connection.Refusal;

/**
 * What a facilitator does in a meeting — open, close, lock, slow mode, mute, remove, pin, give the floor, read the
 * attendance — and what a participant does about its own part: raise a hand, listen only. Each change reaches
 * everyone in the meeting's room as {@code group_state}.
 */
public final class MeetingControls {

    private final GroupLedger book;

    MeetingControls(GroupLedger book) {
        this.book = book;
    }

    /** A facilitator opens the meeting whose lobby is open: members may post. */
    public Done open(Actor actor, String groupId, String ref) {
        return book.locked(now -> {
            GroupRecord g = book.runnable(actor, groupId);
            Meeting m = book.current(g, now);
            if (!Meeting.OPEN.equals(m.phase)) {
                m.phase = Meeting.OPEN;
                m.openedAt = now;
                m.attendance.keySet().stream().filter(m::isPresent).forEach(id -> m.startCounting(id, now));
                book.broadcast(g, m);
            }
            return new Done(ref, "open_group");
        });
    }

    /** A facilitator closes the meeting: no more posts; attendance is final. */
    public Done close(Actor actor, String groupId, String ref) {
        return book.locked(now -> {
            GroupRecord g = book.runnable(actor, groupId);
            book.close(g, book.current(g, now), now);
            return new Done(ref, "close_group");
        });
    }

    /** A facilitator changes how the chat runs: lock, slow mode, floor only. */
    public Done setChat(Actor actor, ClientMessage.SetGroupChat c) {
        return book.locked(now -> {
            GroupRecord g = book.runnable(actor, c.groupId());
            Meeting m = book.current(g, now);
            if (c.locked() != null) {
                m.locked = c.locked();
            }
            if (c.slowModeSeconds() != null) {
                m.slowModeSeconds = c.slowModeSeconds();
            }
            if (c.floorOnly() != null) {
                m.floorOnly = c.floorOnly();
            }
            book.broadcast(g, m);
            return new Done(c.ref(), "set_group_chat");
        });
    }

    /** A facilitator mutes or unmutes a participant (present or not yet); muting lowers its hand. */
    public Done mute(Actor actor, String groupId, String userId, boolean muted, String ref) {
        return book.locked(now -> {
            GroupRecord g = book.runnable(actor, groupId);
            Meeting m = book.current(g, now);
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
            book.audit.record(new ServerMessage.AuditEntry(
                    now,
                    actor.user(),
                    muted ? "participant_muted" : "participant_unmuted",
                    GroupViews.person(m, userId),
                    m.room,
                    g.id,
                    null));
            book.broadcast(g, m);
            return new Done(ref, "mute");
        });
    }

    /** A facilitator removes a participant from the meeting, and with a ban from every meeting of the group. */
    public Done remove(Actor actor, ClientMessage.RemoveParticipant c) {
        return book.locked(now -> {
            GroupRecord g = book.runnable(actor, c.groupId());
            Meeting m = book.current(g, now);
            notStaff(g, m, c.userId(), "removed");
            boolean ban = Boolean.TRUE.equals(c.ban());
            if (ban) {
                g.banned.add(c.userId());
                g.registered.remove(c.userId());
            }
            book.audit.record(new ServerMessage.AuditEntry(
                    now,
                    actor.user(),
                    ban ? "participant_banned" : "participant_removed",
                    GroupViews.person(m, c.userId()),
                    m.room,
                    g.id,
                    c.reason()));
            if (m.isPresent(c.userId())) {
                book.notifier.notify(
                        List.of(c.userId()), new ServerMessage.RemovedFromGroup(g.id, m.room, c.reason(), ban));
                book.rooms.evict(m.room, c.userId());
                book.gone(g, m, c.userId(), now);
            }
            book.broadcast(g, m);
            return new Done(c.ref(), "remove_participant");
        });
    }

    /** A facilitator lets a member it banned come back; at any time, meeting or not. */
    public Done liftBan(Actor actor, String groupId, String userId, String ref) {
        return book.locked(now -> {
            GroupRecord g = book.runnable(actor, groupId);
            if (!g.banned.remove(userId)) {
                throw new Refusal(ErrorCode.INVALID_FIELD, "'" + userId + "' is not banned from this group");
            }
            UserInfo member = g.meeting != null ? GroupViews.person(g.meeting, userId) : GroupViews.unknown(userId);
            book.audit.record(
                    new ServerMessage.AuditEntry(now, actor.user(), "participant_unbanned", member, null, g.id, null));
            return new Done(ref, "lift_group_ban");
        });
    }

    /** A participant chooses to only listen, or stops; listening lowers its hand and gives back the floor. */
    public Done listenOnly(Actor actor, String groupId, boolean on, String ref) {
        return book.locked(now -> {
            GroupRecord g = book.existing(groupId);
            Meeting m = book.current(g, now);
            m.requirePresent(actor.id());
            if (on) {
                m.listenOnly.add(actor.id());
                m.hands.remove(actor.id());
                if (actor.id().equals(m.floorHolder)) {
                    m.floorHolder = null;
                }
            } else {
                m.listenOnly.remove(actor.id());
            }
            book.broadcast(g, m);
            return new Done(ref, "listen_only");
        });
    }

    /**
     * A facilitator pins a message, or the rules when {@code seq} is null.
     *
     * @param message the message with that seq in the meeting's room, as read from it; null when there is none
     */
    public Done pin(Actor actor, String groupId, Long seq, ChatMessage message, String ref) {
        return book.locked(now -> {
            GroupRecord g = book.runnable(actor, groupId);
            Meeting m = book.current(g, now);
            if (seq == null) {
                if (g.rules == null) {
                    throw new Refusal(
                            ErrorCode.INVALID_FIELD,
                            "this group has no rules to pin; give 'seq' " + "to pin a message");
                }
                m.rulesPinned = true;
                m.pinnedMessage = null;
            } else {
                if (message == null || !message.room().equals(m.room) || message.isDeleted()) {
                    throw new Refusal(ErrorCode.MESSAGE_NOT_FOUND, "no message " + seq + " in this meeting");
                }
                m.rulesPinned = false;
                m.pinnedMessage = message;
            }
            book.broadcast(g, m);
            return new Done(ref, "pin");
        });
    }

    /** A facilitator takes down what is pinned. */
    public Done unpin(Actor actor, String groupId, String ref) {
        return book.locked(now -> {
            GroupRecord g = book.runnable(actor, groupId);
            Meeting m = book.current(g, now);
            m.rulesPinned = false;
            m.pinnedMessage = null;
            book.broadcast(g, m);
            return new Done(ref, "unpin");
        });
    }

    /** A participant raises its hand (to the end of the queue) or lowers it. */
    public Done raiseHand(Actor actor, String groupId, boolean raised, String ref) {
        return book.locked(now -> {
            GroupRecord g = book.existing(groupId);
            Meeting m = book.current(g, now);
            m.requirePresent(actor.id());
            if (raised) {
                if (m.staff.contains(actor.id())) {
                    throw new Refusal(
                            ErrorCode.INVALID_FIELD, "facilitators give the floor; they do not " + "raise hands");
                }
                if (!Meeting.OPEN.equals(m.phase)) {
                    throw new Refusal(ErrorCode.GROUP_NOT_OPEN, "the facilitator has not opened the meeting " + "yet");
                }
                m.refuseSilenced(actor.id());
                if (actor.id().equals(m.floorHolder)) {
                    throw new Refusal(ErrorCode.INVALID_FIELD, "you hold the floor");
                }
                if (!m.hands.contains(actor.id())) {
                    m.hands.add(actor.id());
                    book.broadcast(g, m);
                }
            } else if (m.hands.remove(actor.id())) {
                book.broadcast(g, m);
            }
            return new Done(ref, "raise_hand");
        });
    }

    /** A facilitator gives the floor to a participant, or to the first raised hand when {@code userId} is null. */
    public Done giveFloor(Actor actor, String groupId, String userId, String ref) {
        return book.locked(now -> {
            GroupRecord g = book.runnable(actor, groupId);
            Meeting m = book.current(g, now);
            if (!Meeting.OPEN.equals(m.phase)) {
                throw new Refusal(ErrorCode.GROUP_NOT_OPEN, "open the meeting first");
            }
            String to = userId;
            if (to == null) {
                if (m.hands.isEmpty()) {
                    throw new Refusal(ErrorCode.INVALID_FIELD, "no hand is raised");
                }
                to = m.hands.get(0);
            }
            if (!m.isPresent(to) || m.staff.contains(to)) {
                throw new Refusal(ErrorCode.INVALID_FIELD, "'" + to + "' is not a participant in this meeting");
            }
            if (m.muted.contains(to) || m.listenOnly.contains(to)) {
                throw new Refusal(ErrorCode.INVALID_FIELD, "'" + to + "' is muted or listening only");
            }
            m.hands.remove(to);
            m.floorHolder = to;
            m.floorUntil = now + book.settings.floorTime().toMillis();
            book.broadcast(g, m);
            return new Done(ref, "give_floor");
        });
    }

    /** A facilitator takes the floor back. */
    public Done takeFloor(Actor actor, String groupId, String ref) {
        return book.locked(now -> {
            GroupRecord g = book.runnable(actor, groupId);
            Meeting m = book.current(g, now);
            if (m.floorHolder != null) {
                m.floorHolder = null;
                book.broadcast(g, m);
            }
            return new Done(ref, "take_floor");
        });
    }

    /** Who attended a meeting: the one starting at {@code occurrence}, or the latest one. */
    public ServerMessage.Attendance attendance(Actor actor, String groupId, String occurrence, String ref) {
        return book.locked(now -> {
            GroupRecord g = book.facilitated(actor, groupId);
            String room = occurrence != null
                    ? Meeting.roomOf(g.id, Instant.parse(occurrence).toEpochMilli())
                    : g.meeting != null
                            ? g.meeting.room
                            : g.pastRooms.isEmpty() ? null : g.pastRooms.get(g.pastRooms.size() - 1);
            Meeting m = room == null ? null : g.currentWithRoom(room);
            if (m == null && room != null && g.held(room)) {
                m = book.archived(room).orElse(null);
            }
            if (m == null) {
                throw new Refusal(
                        ErrorCode.GROUP_NOT_OPEN,
                        occurrence == null
                                ? "no meeting of this group has taken place yet"
                                : "no meeting of this group took place at " + occurrence
                                        + " (attendance is kept for the last " + GroupRecord.KEPT_MEETINGS
                                        + " meetings)");
            }
            return book.views.attendance(g, m, now, ref);
        });
    }

    private static void notStaff(GroupRecord g, Meeting m, String userId, String what) {
        if (g.isFacilitator(userId) || m.staff.contains(userId)) {
            throw new Refusal(ErrorCode.INVALID_FIELD, "a facilitator cannot be " + what);
        }
    }
}
