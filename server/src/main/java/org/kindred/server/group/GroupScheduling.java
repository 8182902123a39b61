package org.kindred.server.group;

import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.kindred.protocol.ClientMessage;
import org.kindred.protocol.ErrorCode;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.ServerMessage.Group;
import org.kindred.protocol.UserInfo;
import org.kindred.server.connection.Refusal;

/**
 * Scheduling group sessions: a facilitator (or a moderator) creates, edits and cancels groups; members list them and
 * register. Times are UTC on the wire; a weekly group keeps its local time in its zone.
 */
public final class GroupScheduling {

    private static final String CO_FACILITATOR = "Co-facilitator";

    private final GroupLedger book;

    GroupScheduling(GroupLedger book) {
        this.book = book;
    }

    /** A facilitator or a moderator schedules a group; it becomes its first facilitator. */
    public Group create(Actor actor, ClientMessage.CreateGroup c) {
        return book.locked(now -> {
            if (!actor.facilitator() && !actor.moderator()) {
                throw new Refusal(ErrorCode.FORBIDDEN, "only a facilitator or a moderator may schedule a group");
            }
            GroupRecord g = new GroupRecord();
            g.id = MeetingRoomPolicy.KIND.idPrefix()
                    + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
            g.title = c.title();
            g.topic = c.topic();
            g.facilitators.add(actor.user());
            addCoFacilitators(g, c.facilitators());
            g.firstStart = futureStart(c.startsAt(), now);
            g.durationMinutes = c.durationMinutes();
            g.capacity = c.capacity() != null ? c.capacity() : book.settings.defaultCapacity();
            g.recurrence = c.recurrence() != null ? c.recurrence() : "none";
            g.timeZone = c.timeZone() != null ? c.timeZone() : "UTC";
            g.registration = Boolean.TRUE.equals(c.registration());
            g.rules = c.rules();
            g.floorOnly = Boolean.TRUE.equals(c.floorOnly());
            book.groups.put(g.id, g);
            book.refresh(g, now);
            return new Group(c.ref(), book.views.info(g, actor.id(), now));
        });
    }

    /** A facilitator of the group changes it; a meeting in progress keeps its times. */
    public Group update(Actor actor, ClientMessage.UpdateGroup c) {
        return book.locked(now -> {
            GroupRecord g = book.runnable(actor, c.groupId());
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
                g.facilitators.removeIf(
                        f -> f != g.facilitators.get(0) && !c.facilitators().contains(f.id()));
                addCoFacilitators(g, c.facilitators());
            }
            book.refresh(g, now);
            List<String> others = g.registered.keySet().stream()
                    .filter(id -> !id.equals(actor.id()))
                    .toList();
            book.notifier.notify(
                    others, new ServerMessage.GroupChanged(book.views.info(g, true, now), "updated", null, null));
            if (g.meeting != null) {
                book.broadcast(g, g.meeting);
            }
            return new Group(c.ref(), book.views.info(g, actor.id(), now));
        });
    }

    /** A facilitator of the group cancels it, or one meeting of a weekly group. */
    public Group cancel(Actor actor, ClientMessage.CancelGroup c) {
        return book.locked(now -> {
            GroupRecord g = book.runnable(actor, c.groupId());
            Long occurrence = c.occurrence() == null
                    ? null
                    : Instant.parse(c.occurrence()).toEpochMilli();
            boolean whole = occurrence == null || !g.weekly();
            if (occurrence != null
                    && (!g.isOccurrence(occurrence)
                            || occurrence <= g.doneThrough
                            || occurrence + g.durationMillis() <= now)) {
                throw new Refusal(
                        ErrorCode.INVALID_FIELD,
                        "no meeting of this group that is still to come " + "starts at " + c.occurrence());
            }
            Set<String> registered = new LinkedHashSet<>(g.registered.keySet());
            Set<String> inTheRoom = new LinkedHashSet<>();
            if (g.meeting != null && (whole || g.meeting.start == occurrence)) {
                inTheRoom.addAll(g.meeting.present.keySet());
                inTheRoom.removeAll(registered);
                book.close(g, g.meeting, now);
            }
            if (whole) {
                g.cancelled = true;
            } else {
                g.skipped.add(occurrence);
            }
            book.refresh(g, now);
            book.audit.record(new ServerMessage.AuditEntry(
                    now, actor.user(), whole ? "group_cancelled" : "meeting_cancelled", null, null, g.id, c.reason()));
            String change = whole ? "cancelled" : "occurrence_cancelled";
            String skipped = whole ? null : c.occurrence();
            book.notifier.notify(
                    registered,
                    new ServerMessage.GroupChanged(book.views.info(g, true, now), change, skipped, c.reason()));
            book.notifier.notify(
                    inTheRoom,
                    new ServerMessage.GroupChanged(book.views.info(g, false, now), change, skipped, c.reason()));
            return new Group(c.ref(), book.views.info(g, actor.id(), now));
        });
    }

    /** Groups with a meeting still to come or on now, soonest first; with a topic, only those about it. */
    public ServerMessage.GroupList list(String viewerId, String topic, String ref) {
        book.lock.lock();
        try {
            long now = book.clock.millis();
            long grace = book.settings.closeGrace().toMillis();
            List<ServerMessage.GroupInfo> listed = book.groups.values().stream()
                    .filter(g -> !g.cancelled && (topic == null || topic.equals(g.topic)))
                    .filter(g -> g.upcomingStart(now, grace) != -1)
                    .sorted(Comparator.comparingLong(g -> g.upcomingStart(now, grace)))
                    .map(g -> book.views.info(g, viewerId, now))
                    .toList();
            return new ServerMessage.GroupList(ref, listed);
        } finally {
            book.lock.unlock();
        }
    }

    /** A member registers (idempotent); with registration required, places are capped by capacity. */
    public Group register(UserInfo user, String groupId, String ref) {
        return book.locked(now -> {
            GroupRecord g = book.existing(groupId);
            if (g.cancelled || g.upcomingStart(now, book.settings.closeGrace().toMillis()) == -1) {
                throw new Refusal(ErrorCode.GROUP_CLOSED, "this group has no more meetings");
            }
            if (g.banned.contains(user.id())) {
                throw new Refusal(ErrorCode.REMOVED_FROM_GROUP, "a facilitator removed you from this group");
            }
            if (!g.registered.containsKey(user.id()) && g.registration && g.registered.size() >= g.capacity) {
                throw new Refusal(ErrorCode.GROUP_FULL, "all " + g.capacity + " places are taken");
            }
            g.registered.put(user.id(), user);
            return new Group(ref, book.views.info(g, user.id(), now));
        });
    }

    /** A member withdraws its registration. */
    public Group unregister(UserInfo user, String groupId, String ref) {
        return book.locked(now -> {
            GroupRecord g = book.existing(groupId);
            g.registered.remove(user.id());
            return new Group(ref, book.views.info(g, user.id(), now));
        });
    }

    private static long futureStart(String startsAt, long now) {
        long start = Instant.parse(startsAt).toEpochMilli();
        if (start <= now) {
            throw new Refusal(ErrorCode.INVALID_FIELD, "field 'startsAt' is in the past; times are UTC");
        }
        return start;
    }

    private static void addCoFacilitators(GroupRecord g, List<String> ids) {
        if (ids != null) {
            ids.stream()
                    .distinct()
                    .filter(id -> !g.isFacilitator(id))
                    .forEach(id -> g.facilitators.add(new UserInfo(id, CO_FACILITATOR, "facilitator")));
        }
    }
}
