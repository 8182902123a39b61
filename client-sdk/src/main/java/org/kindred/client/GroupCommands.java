package org.kindred.client;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import org.kindred.protocol.ClientMessage;
import org.kindred.protocol.InvalidMessageException;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.ServerMessage.Attendance;
import org.kindred.protocol.ServerMessage.Group;
import org.kindred.protocol.ServerMessage.GroupInfo;
import org.kindred.protocol.ServerMessage.GroupList;

/**
 * The facilitated group session commands behind {@link KindredClient}: scheduling, registration, the facilitator's
 * controls, turns to speak and attendance. Converts java.time values to the wire's UTC instants (to the second) and
 * whole minutes or seconds, validates by building the protocol records (argument errors throw
 * {@link IllegalArgumentException} on the calling thread) and hands the commands to a {@link Channel}. Stateless, so
 * thread-safe.
 */
final class GroupCommands {

    /** How the commands reach the server. */
    @FunctionalInterface
    interface Channel {
        /**
         * Sends the command when a session is open and completes with {@code result} applied to its typed reply;
         * otherwise fails with {@link KindredException#NOT_CONNECTED}.
         */
        <T extends ServerMessage, R> CompletableFuture<R> call(
                ClientMessage command, Class<T> replyType, Function<T, R> result);
    }

    private final Supplier<String> refs;
    private final Channel channel;

    GroupCommands(Supplier<String> refs, Channel channel) {
        this.refs = refs;
        this.channel = channel;
    }

    CompletableFuture<GroupInfo> createGroup(GroupSchedule schedule) {
        requireField(schedule, "schedule");
        String startsAt = utc(schedule.startsAt());
        Integer minutes = wholeMinutes(schedule.duration());
        return group(validate(() -> new ClientMessage.CreateGroup(
                refs.get(),
                schedule.title(),
                schedule.topic(),
                startsAt,
                minutes,
                schedule.capacity(),
                recurrence(schedule.weekly()),
                zone(schedule.timeZone()),
                schedule.registration(),
                schedule.rules(),
                schedule.floorOnly(),
                schedule.facilitators())));
    }

    CompletableFuture<GroupInfo> updateGroup(String groupId, GroupSchedule changes) {
        requireField(changes, "changes");
        String startsAt = utc(changes.startsAt());
        Integer minutes = wholeMinutes(changes.duration());
        return group(validate(() -> new ClientMessage.UpdateGroup(
                refs.get(),
                groupId,
                changes.title(),
                changes.topic(),
                startsAt,
                minutes,
                changes.capacity(),
                recurrence(changes.weekly()),
                zone(changes.timeZone()),
                changes.registration(),
                changes.rules(),
                changes.floorOnly(),
                changes.facilitators())));
    }

    CompletableFuture<GroupInfo> cancelGroup(String groupId, String reason) {
        return group(validate(() -> new ClientMessage.CancelGroup(refs.get(), groupId, null, reason)));
    }

    CompletableFuture<GroupInfo> cancelMeeting(String groupId, Instant occurrence, String reason) {
        // A null occurrence would cancel the whole series: never let a missing argument do that.
        requireField(occurrence, "occurrence");
        return group(validate(() -> new ClientMessage.CancelGroup(refs.get(), groupId, utc(occurrence), reason)));
    }

    CompletableFuture<List<GroupInfo>> listGroups(String topic) {
        return channel.call(
                validate(() -> new ClientMessage.ListGroups(refs.get(), topic)), GroupList.class, GroupList::groups);
    }

    CompletableFuture<GroupInfo> registerGroup(String groupId) {
        return group(validate(() -> new ClientMessage.RegisterGroup(refs.get(), groupId)));
    }

    CompletableFuture<GroupInfo> unregisterGroup(String groupId) {
        return group(validate(() -> new ClientMessage.UnregisterGroup(refs.get(), groupId)));
    }

    CompletableFuture<Void> openGroup(String groupId) {
        return done(validate(() -> new ClientMessage.OpenGroup(refs.get(), groupId)));
    }

    CompletableFuture<Void> closeGroup(String groupId) {
        return done(validate(() -> new ClientMessage.CloseGroup(refs.get(), groupId)));
    }

    CompletableFuture<Void> setGroupChat(String groupId, Boolean locked, Duration slowMode, Boolean floorOnly) {
        Integer seconds = wholeSeconds(slowMode);
        return done(validate(() -> new ClientMessage.SetGroupChat(refs.get(), groupId, locked, seconds, floorOnly)));
    }

    CompletableFuture<Void> mute(String groupId, String userId, boolean muted) {
        return done(validate(() -> new ClientMessage.Mute(refs.get(), groupId, userId, muted)));
    }

    CompletableFuture<Void> removeParticipant(String groupId, String userId, boolean ban, String reason) {
        return done(validate(() -> new ClientMessage.RemoveParticipant(refs.get(), groupId, userId, ban, reason)));
    }

    CompletableFuture<Void> liftGroupBan(String groupId, String userId) {
        return done(validate(() -> new ClientMessage.LiftGroupBan(refs.get(), groupId, userId)));
    }

    CompletableFuture<Void> listenOnly(String groupId, boolean on) {
        return done(validate(() -> new ClientMessage.ListenOnly(refs.get(), groupId, on)));
    }

    CompletableFuture<Void> pin(String groupId, Long seq) {
        return done(validate(() -> new ClientMessage.Pin(refs.get(), groupId, seq)));
    }

    CompletableFuture<Void> unpin(String groupId) {
        return done(validate(() -> new ClientMessage.Unpin(refs.get(), groupId)));
    }

    CompletableFuture<Void> raiseHand(String groupId, boolean raised) {
        return done(validate(() -> new ClientMessage.RaiseHand(refs.get(), groupId, raised)));
    }

    CompletableFuture<Void> giveFloor(String groupId, String userId) {
        // Null on the wire means "the first raised hand": that is giveFloorToNext, never a forgotten argument.
        requireField(userId, "userId");
        return done(validate(() -> new ClientMessage.GiveFloor(refs.get(), groupId, userId)));
    }

    CompletableFuture<Void> giveFloorToNext(String groupId) {
        return done(validate(() -> new ClientMessage.GiveFloor(refs.get(), groupId, null)));
    }

    CompletableFuture<Void> takeFloor(String groupId) {
        return done(validate(() -> new ClientMessage.TakeFloor(refs.get(), groupId)));
    }

    CompletableFuture<Attendance> latestAttendance(String groupId) {
        return readAttendance(groupId, null);
    }

    CompletableFuture<Attendance> attendance(String groupId, Instant occurrence) {
        requireField(occurrence, "occurrence");
        return readAttendance(groupId, occurrence);
    }

    private CompletableFuture<Attendance> readAttendance(String groupId, Instant occurrence) {
        return channel.call(
                validate(() -> new ClientMessage.ReadAttendance(refs.get(), groupId, utc(occurrence))),
                Attendance.class,
                Function.identity());
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** The wire's form of a group time: ISO-8601 in UTC with a Z, to the second; null stays null. */
    static String utc(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** A duration in whole minutes; null stays null. Out-of-range values are left to the protocol's own check. */
    private static Integer wholeMinutes(Duration duration) {
        if (duration == null) {
            return null;
        }
        long minutes = duration.toMinutes();
        if (!duration.equals(Duration.ofMinutes(minutes))) {
            throw new IllegalArgumentException("field 'duration' must be whole minutes, not " + duration);
        }
        return Math.clamp(minutes, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /** A duration in whole seconds; null stays null. Out-of-range values are left to the protocol's own check. */
    private static Integer wholeSeconds(Duration duration) {
        if (duration == null) {
            return null;
        }
        if (duration.getNano() != 0) {
            throw new IllegalArgumentException("field 'slowMode' must be whole seconds, not " + duration);
        }
        return Math.clamp(duration.getSeconds(), Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    private static String recurrence(Boolean weekly) {
        return weekly == null ? null : weekly ? "weekly" : "none";
    }

    private static String zone(ZoneId zone) {
        return zone == null ? null : zone.getId();
    }

    /** For arguments the wire may leave out, where leaving them out would mean something else. */
    private static void requireField(Object value, String name) {
        if (value == null) {
            throw new IllegalArgumentException("missing field '" + name + "'");
        }
    }

    /** A command answered {@code group}: completes with the group as it now is. */
    private CompletableFuture<GroupInfo> group(ClientMessage command) {
        return channel.call(command, Group.class, Group::group);
    }

    /** A command answered {@code done}: completes with null. */
    private CompletableFuture<Void> done(ClientMessage command) {
        return channel.call(command, ServerMessage.Done.class, done -> null);
    }

    private static <T extends ClientMessage> T validate(Supplier<T> command) {
        try {
            return command.get();
        } catch (InvalidMessageException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
