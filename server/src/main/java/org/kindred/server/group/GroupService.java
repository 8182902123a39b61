package org.kindred.server.group;

import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.kindred.protocol.ServerMessage;
import org.kindred.server.config.GroupConfig;

/**
 * Facilitated group sessions on this node ({@code docs/groups.md}): {@link #scheduling()} of groups,
 * {@link #access()} to their meetings, and the {@link #controls()} facilitators and participants use in them. Every
 * change happens under one lock; events go out through {@link Notifier} while it is held (sending never blocks). Time
 * comes from a clock and {@link #tick()} is called every second, so tests move time instead of waiting.
 *
 * <p>A meeting's lifecycle: its lobby opens {@code lobbyBefore} its start (members enter, read the rules, cannot post);
 * a facilitator opens it; a facilitator closes it, or it closes by itself {@code closeGrace} after its end. Each
 * meeting has its own room, so nothing said in one is shown in the next.
 */
public final class GroupService {

    /** Delivers one event to every connection of each of these users: encode it once, however many they are. */
    @FunctionalInterface
    public interface Notifier {
        void notify(Collection<String> userIds, ServerMessage event);
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

    private final GroupLedger book;
    private final GroupScheduling scheduling;
    private final MeetingAccess access;
    private final MeetingControls controls;

    /**
     * @param archive where closed meetings (their attendance) are kept, apart from the live state
     */
    public GroupService(
            GroupConfig settings,
            Notifier notifier,
            MeetingRooms rooms,
            Audit audit,
            MeetingArchive archive,
            Clock clock) {
        this.book = new GroupLedger(settings, notifier, rooms, audit, archive, clock);
        this.scheduling = new GroupScheduling(book);
        this.access = new MeetingAccess(book);
        this.controls = new MeetingControls(book);
    }

    /** Creating, changing, cancelling, listing and registering for groups. */
    public GroupScheduling scheduling() {
        return scheduling;
    }

    /** Entering and leaving meetings, and whether a member may post in one now. */
    public MeetingAccess access() {
        return access;
    }

    /** What facilitators and participants do in a meeting. */
    public MeetingControls controls() {
        return controls;
    }

    /** Whether {@link #tick()} has anything to do now: a lobby to open, a meeting to close, a floor, a reminder. */
    public boolean due() {
        return book.due();
    }

    /** Opens lobbies, closes meetings past their end, ends floors and sends reminders that are due. */
    public void tick() {
        book.tick();
    }

    /** The groups with something due now: a cluster runs each as a command of its own. */
    public List<String> dueGroups() {
        return book.dueGroups();
    }

    /** Runs what is due for one group; forgets it once it is long over. */
    public void tick(String groupId) {
        book.tick(groupId);
    }

    /** Every group as JSON, by key {@code group:<id>}: what a cluster keeps one by one. */
    public Map<String, String> entities() {
        return book.entities();
    }

    /** Swaps groups in, as {@link #entities()} names them (null removes one). */
    public void apply(Map<String, String> changes) {
        book.apply(changes);
    }

    /** The group of a meeting room. */
    public static String groupOfRoom(String room) {
        return GroupLedger.groupOf(room);
    }

    /** The group an entity key names. */
    public static String groupOfEntity(String key) {
        return key.substring(GroupLedger.GROUP.length());
    }

    /** Every group, as JSON: what a cluster stores. */
    public String exportState() {
        return book.exportState();
    }

    /** Replaces every group with the ones exported elsewhere. */
    public void importState(String state) {
        book.importState(state);
    }
}
