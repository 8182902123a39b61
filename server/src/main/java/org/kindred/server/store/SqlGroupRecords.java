package org.kindred.server.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.kindred.server.group.GroupRecords;
import org.kindred.server.group.MeetingArchive;
import org.kindred.server.runtime.DaemonThreads;
import org.kindred.server.runtime.Failures;

/**
 * Groups and closed meetings in SQL. On a single node, saves go through one thread in the order they were asked for,
 * so a later state of a group never lands before an earlier one and the caller (an event loop) never waits for them.
 * In a cluster ({@link #inCluster}) each save is written at once, under the cluster's group lock on the store's own
 * thread, so that two nodes' saves land in the order the lock gave them.
 */
public final class SqlGroupRecords implements GroupRecords, AutoCloseable {

    private final Database db;
    private final Failures failures;
    private final Clock clock;
    private final ExecutorService writer = DaemonThreads.single("kindred-db-groups");
    private final boolean inCluster;

    private SqlGroupRecords(Database db, Failures failures, Clock clock, boolean inCluster) {
        this.db = db;
        this.failures = failures;
        this.clock = clock;
        this.inCluster = inCluster;
    }

    /** For a single node: saves queued in order on a thread of their own. */
    public static SqlGroupRecords onOneNode(Database db, Failures failures, Clock clock) {
        return new SqlGroupRecords(db, failures, clock, false);
    }

    /** For a cluster's Redis store: saves written at once, under its lock. */
    public static SqlGroupRecords inCluster(Database db, Failures failures, Clock clock) {
        return new SqlGroupRecords(db, failures, clock, true);
    }

    /** Runs a write: at once in a cluster (failing the command), else queued in order (failures counted). */
    private void write(String task, Database.Work<Void> work) {
        if (inCluster) {
            try {
                db.now(work);
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(task + " failed: " + e.getMessage(), e);
            }
            return;
        }
        writer.execute(() -> {
            try {
                db.now(work);
            } catch (Exception e) {
                failures.record(task, e);
            }
        });
    }

    @Override
    public Map<String, String> load() {
        flush();
        return db.atStart(c -> {
            Map<String, String> groups = new LinkedHashMap<>();
            try (PreparedStatement s =
                            c.prepareStatement("SELECT group_id, body FROM group_records ORDER BY group_id");
                    ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    groups.put(r.getString(1), r.getString(2));
                }
            }
            return groups;
        });
    }

    @Override
    public void save(Map<String, String> changed, Set<String> removed) {
        long now = clock.millis();
        Map<String, String> copy = Map.copyOf(changed);
        Set<String> gone = Set.copyOf(removed);
        write("group records save", c -> {
            for (Map.Entry<String, String> e : copy.entrySet()) {
                int updated;
                try (PreparedStatement s =
                        c.prepareStatement("UPDATE group_records SET body = ?, updated_at = ? WHERE group_id = ?")) {
                    s.setString(1, e.getValue());
                    s.setLong(2, now);
                    s.setString(3, e.getKey());
                    updated = s.executeUpdate();
                }
                if (updated == 0) {
                    try (PreparedStatement s = c.prepareStatement(
                            "INSERT INTO group_records (group_id, updated_at, body) VALUES (?, ?, ?)")) {
                        s.setString(1, e.getKey());
                        s.setLong(2, now);
                        s.setString(3, e.getValue());
                        s.executeUpdate();
                    }
                }
            }
            for (String id : gone) {
                try (PreparedStatement s = c.prepareStatement("DELETE FROM group_records WHERE group_id = ?")) {
                    s.setString(1, id);
                    s.executeUpdate();
                }
            }
            return null;
        });
    }

    /** Waits for the saves asked for so far (tests, shutdown). */
    public void flush() {
        try {
            writer.submit(() -> {}).get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed: nothing more will be written
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            failures.record("group records flush", e);
        }
    }

    /** Closed meetings with their attendance, in the same database, written in order with the groups. */
    public MeetingArchive archive() {
        return new MeetingArchive() {
            @Override
            public void keep(String room, String meeting) {
                long now = clock.millis();
                write("meeting archive keep", c -> {
                    try (PreparedStatement s = c.prepareStatement("DELETE FROM meeting_archive WHERE room = ?")) {
                        s.setString(1, room);
                        s.executeUpdate();
                    }
                    try (PreparedStatement s = c.prepareStatement(
                            "INSERT INTO meeting_archive" + " (room, group_id, closed_at, body) VALUES (?, ?, ?, ?)")) {
                        s.setString(1, room);
                        s.setString(2, groupOf(room));
                        s.setLong(3, now);
                        s.setString(4, meeting);
                        s.executeUpdate();
                    }
                    return null;
                });
            }

            @Override
            public Optional<String> find(String room) {
                flush(); // a meeting just closed may still be on its way
                try {
                    return db.now(c -> SqlSafetyStore.one(c, "SELECT body FROM meeting_archive WHERE room = ?", room));
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException("the meeting archive cannot be read: " + e.getMessage(), e);
                }
            }

            @Override
            public void forget(String room) {
                write("meeting archive forget", c -> {
                    try (PreparedStatement s = c.prepareStatement("DELETE FROM meeting_archive WHERE room = ?")) {
                        s.setString(1, room);
                        s.executeUpdate();
                    }
                    return null;
                });
            }
        };
    }

    /** The group id of a meeting room: the room is the group id, a dash and the meeting's start. */
    private static String groupOf(String room) {
        int dash = room.lastIndexOf('-');
        return dash <= 0 ? room : room.substring(0, dash);
    }

    @Override
    public void close() {
        flush();
        writer.shutdown();
    }
}
