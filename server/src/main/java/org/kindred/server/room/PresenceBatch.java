package org.kindred.server.room;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.kindred.protocol.UserInfo;

/**
 * The presence changes of a busy room waiting for their interval to end, to be told as one {@code presence_diff}
 * instead of one event per change. Each user changed in the interval is kept once, with whether it was present when
 * the interval began and whether it is present now.
 *
 * <p>What is told: every user whose presence differs from the start of the interval. A user who came and went within
 * it (or went and came back) is left out — unless a connection still in the room took a snapshot of it meanwhile (a
 * {@code joined} reply or a {@code presence} page): that snapshot may hold the passing state, so the diff then states
 * every changed user's final state, which is right whatever the snapshot held. Applying a diff is idempotent.
 *
 * <p>Not thread-safe: the room guards it with its lock.
 */
final class PresenceBatch {

    /** A user changed in the interval: present when it began ({@code before}) and at the latest change ({@code now}). */
    private record Change(UserInfo user, boolean before, boolean now) {}

    /** What the interval changed: users present at its end, and users gone at its end. */
    record Diff(List<UserInfo> joins, List<UserInfo> leaves) {
        boolean isEmpty() {
            return joins.isEmpty() && leaves.isEmpty();
        }
    }

    private final Map<String, Change> changes = new LinkedHashMap<>();
    /** Connections that were given the room's presence during the interval. */
    private final Set<String> snapshotTakers = new HashSet<>();

    private boolean open;

    /** Whether an interval is running: changes go into it until it is drained. */
    boolean isOpen() {
        return open;
    }

    /** Starts an interval; the caller schedules its end. */
    void open() {
        open = true;
    }

    /** A user arrived ({@code present}) or left. */
    void record(UserInfo user, boolean present) {
        Change earlier = changes.get(user.id());
        boolean before = earlier == null ? !present : earlier.before();
        changes.put(user.id(), new Change(user, before, present));
    }

    /** A connection was given the room's presence as it is now, in the middle of the interval. */
    void snapshotTaken(String connectionId) {
        if (open) {
            snapshotTakers.add(connectionId);
        }
    }

    /**
     * Ends the interval: what it changed, in the order of the users' first change.
     *
     * @param stillHere whether a connection is still in the room (only the snapshots of those count)
     */
    Diff drain(Predicate<String> stillHere) {
        boolean snapshotTaken = snapshotTakers.stream().anyMatch(stillHere);
        List<UserInfo> joins = new ArrayList<>();
        List<UserInfo> leaves = new ArrayList<>();
        for (Change change : changes.values()) {
            if (change.now() != change.before() || snapshotTaken) {
                (change.now() ? joins : leaves).add(change.user());
            }
        }
        clear();
        return new Diff(joins, leaves);
    }

    /** Forgets the interval and closes it (also when the room's presence is read again from scratch). */
    void clear() {
        changes.clear();
        snapshotTakers.clear();
        open = false;
    }
}
