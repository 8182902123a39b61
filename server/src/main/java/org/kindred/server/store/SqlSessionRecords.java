package org.kindred.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import org.kindred.server.runtime.Failures;
import org.kindred.server.support.SessionRecords;
import org.kindred.server.support.SupportService;

/**
 * Ended one-to-one sessions, ratings and mentors' notes in SQL. Each write stands alone and touches its own columns
 * (a session row is created by whichever of its end or its rating lands first), so their order does not matter.
 */
public final class SqlSessionRecords implements SessionRecords {

    private final Database db;
    private final Failures failures;

    public SqlSessionRecords(Database db, Failures failures) {
        this.db = db;
        this.failures = failures;
    }

    @Override
    public void ended(SupportService.SessionRecord session) {
        failures.watch("session record", db.call(c -> {
            ensureRow(c, session);
            return null;
        }));
    }

    @Override
    public void rated(SupportService.SessionRecord session) {
        failures.watch("session rating", db.call(c -> {
            ensureRow(c, session);
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE support_sessions SET rating = ?, rating_comment = ? WHERE session_id = ?")) {
                if (session.rating() == null) {
                    s.setNull(1, Types.INTEGER);
                } else {
                    s.setInt(1, session.rating());
                }
                SqlSafetyStore.setNullable(s, 2, session.comment());
                s.setString(3, session.id());
                s.executeUpdate();
            }
            return null;
        }));
    }

    @Override
    public void noted(String sessionId, String mentorId, String note, long at) {
        failures.watch("mentor note", db.call(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO mentor_notes (session_id, mentor_id, written_at, note) VALUES (?, ?, ?, ?)")) {
                s.setString(1, sessionId);
                s.setString(2, mentorId);
                s.setLong(3, at);
                s.setString(4, note);
                s.executeUpdate();
            }
            return null;
        }));
    }

    private static void ensureRow(Connection c, SupportService.SessionRecord session) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO support_sessions"
                + " (session_id, member_id, mentor_ids, started_at, ended_at) VALUES (?, ?, ?, ?, ?)"
                + " ON CONFLICT DO NOTHING")) {
            s.setString(1, session.id());
            s.setString(2, session.member().id());
            s.setString(3, String.join(",", session.mentorIds()));
            s.setLong(4, session.startedAt());
            s.setLong(5, session.endedAt());
            s.executeUpdate();
        }
    }
}
