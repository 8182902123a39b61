package org.kindred.server.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.kindred.protocol.ServerMessage.AppealInfo;
import org.kindred.protocol.ServerMessage.AuditEntry;
import org.kindred.protocol.ServerMessage.HeldMessage;
import org.kindred.protocol.ServerMessage.NoteInfo;
import org.kindred.protocol.ServerMessage.RatingInfo;
import org.kindred.protocol.ServerMessage.SanctionInfo;
import org.kindred.protocol.UserInfo;
import org.kindred.protocol.WireCodec;
import org.kindred.server.safety.Cursor;
import org.kindred.server.safety.ModerationRecords;

/**
 * The moderator queues in SQL: keyset pages over the safety records ({@link SqlSafetyStore}, {@link SqlSessionRecords}
 * write them), appeals and check-ins. Every query reads one more row than the page holds, to know whether another
 * page follows.
 */
public final class SqlModerationRecords implements ModerationRecords {

    private final Database db;
    private final StoredBodies bodies;
    private final java.time.Clock clock;
    private final long retentionMillis;

    /**
     * @param retention how long held messages stay actionable (the audit retention, as for {@link SqlSafetyStore})
     */
    public SqlModerationRecords(Database db, WireCodec codec, java.time.Clock clock, java.time.Duration retention) {
        this.db = db;
        this.bodies = new StoredBodies(codec);
        this.clock = clock;
        this.retentionMillis = retention.toMillis();
    }

    /** A row read: the item, and the key the next page starts after. */
    private record Keyed<T>(T item, Cursor key) {}

    @FunctionalInterface
    private interface RowReader<T> {
        Keyed<T> read(ResultSet r) throws SQLException;
    }

    /** Runs a page query whose last parameter is the row count; {@code limit + 1} rows are asked for. */
    private <T> CompletableFuture<Page<T>> page(String sql, List<Object> args, int limit, RowReader<T> reader) {
        return db.call(c -> {
            List<Keyed<T>> rows = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(sql)) {
                int i = 1;
                for (Object arg : args) {
                    s.setObject(i++, arg);
                }
                s.setInt(i, limit + 1);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        rows.add(reader.read(r));
                    }
                }
            }
            boolean more = rows.size() > limit;
            List<Keyed<T>> shown = more ? rows.subList(0, limit) : rows;
            return new Page<>(
                    shown.stream().map(Keyed::item).toList(),
                    more ? shown.get(shown.size() - 1).key() : null);
        });
    }

    /** The keyset condition "after this cursor" in ascending (time, id) order, with its two or three parameters. */
    private static String after(String time, String id, Cursor cursor, List<Object> args) {
        if (cursor == null) {
            return "";
        }
        args.add(cursor.at());
        args.add(cursor.at());
        args.add(cursor.id());
        return " AND (" + time + " > ? OR (" + time + " = ? AND " + id + " > ?))";
    }

    @Override
    public CompletableFuture<Page<HeldMessage>> held(Cursor cursor, int limit) {
        List<Object> args = new ArrayList<>();
        args.add(clock.millis() - retentionMillis);
        String sql = "SELECT body, held_at, held_id FROM held_messages WHERE held_at >= ?"
                + after("held_at", "held_id", cursor, args) + " ORDER BY held_at, held_id LIMIT ?";
        return page(
                sql,
                args,
                limit,
                r -> new Keyed<>((HeldMessage) bodies.frame(r.getString(1)), new Cursor(r.getLong(2), r.getString(3))));
    }

    @Override
    public CompletableFuture<Page<NoteInfo>> notes(Cursor cursor, int limit) {
        List<Object> args = new ArrayList<>();
        String where = "";
        if (cursor != null) {
            where = " WHERE note_id > ?";
            args.add(cursor.at());
        }
        String sql = "SELECT note_id, session_id, mentor_id, written_at, note FROM mentor_notes" + where
                + " ORDER BY note_id LIMIT ?";
        return page(
                sql,
                args,
                limit,
                r -> new Keyed<>(
                        new NoteInfo(r.getString(2), r.getString(3), r.getLong(4), r.getString(5)),
                        new Cursor(r.getLong(1), "")));
    }

    @Override
    public CompletableFuture<Page<RatingInfo>> ratings(int maxRating, Cursor cursor, int limit) {
        List<Object> args = new ArrayList<>();
        args.add(maxRating);
        String sql = "SELECT session_id, member_id, mentor_ids, ended_at, rating, rating_comment FROM support_sessions"
                + " WHERE rating IS NOT NULL AND rating <= ?" + after("ended_at", "session_id", cursor, args)
                + " ORDER BY ended_at, session_id LIMIT ?";
        return page(sql, args, limit, r -> {
            String mentors = r.getString(3);
            RatingInfo rating = new RatingInfo(
                    r.getString(1),
                    r.getString(2),
                    mentors.isEmpty() ? List.of() : Arrays.asList(mentors.split(",")),
                    r.getLong(4),
                    r.getInt(5),
                    r.getString(6));
            return new Keyed<>(rating, new Cursor(rating.endedAt(), rating.sessionId()));
        });
    }

    @Override
    public CompletableFuture<Page<SanctionInfo>> sanctionsInForce(String userId, long now, Cursor cursor, int limit) {
        List<Object> args = new ArrayList<>();
        args.add(now);
        String sql = "SELECT body, applied_at, sanction_id FROM sanctions WHERE lifted_at IS NULL AND kind <> 'warn'"
                + " AND (ends_at IS NULL OR ends_at > ?)";
        if (userId != null) {
            sql += " AND user_id = ?";
            args.add(userId);
        }
        sql += after("applied_at", "sanction_id", cursor, args) + " ORDER BY applied_at, sanction_id LIMIT ?";
        return page(
                sql,
                args,
                limit,
                r -> new Keyed<>(read(r.getString(1), SanctionInfo.class), new Cursor(r.getLong(2), r.getString(3))));
    }

    @Override
    public CompletableFuture<Page<AuditEntry>> history(
            String userId, List<String> actions, Long since, Long until, Cursor cursor, int limit) {
        List<Object> args = new ArrayList<>();
        args.add(userId);
        StringBuilder sql = new StringBuilder("SELECT body, seq FROM audit_log WHERE target_id = ?");
        if (!actions.isEmpty()) {
            sql.append(" AND action IN (")
                    .append(String.join(", ", actions.stream().map(a -> "?").toList()))
                    .append(")");
            args.addAll(actions);
        }
        if (since != null) {
            sql.append(" AND logged_at >= ?");
            args.add(since);
        }
        if (until != null) {
            sql.append(" AND logged_at < ?");
            args.add(until);
        }
        if (cursor != null) {
            sql.append(" AND seq < ?");
            args.add(cursor.at());
        }
        sql.append(" ORDER BY seq DESC LIMIT ?");
        return page(
                sql.toString(),
                args,
                limit,
                r -> new Keyed<>(read(r.getString(1), AuditEntry.class), new Cursor(r.getLong(2), "")));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Appeals

    @Override
    public CompletableFuture<Optional<SanctionInfo>> standingSanction(String sanctionId, long now) {
        return db.call(c -> SqlSafetyStore.one(
                        c, "SELECT body FROM sanctions WHERE sanction_id = ? AND lifted_at IS NULL", sanctionId)
                .map(body -> read(body, SanctionInfo.class))
                .filter(s -> s.kind().equals("warn") || s.activeAt(now)));
    }

    @Override
    public CompletableFuture<Boolean> fileAppeal(AppealInfo appeal) {
        return db.call(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO appeals"
                    + " (appeal_id, sanction_id, user_id, created_at, status, body) VALUES (?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT DO NOTHING")) {
                s.setString(1, appeal.appealId());
                s.setString(2, appeal.sanction().sanctionId());
                s.setString(3, appeal.sanction().userId());
                s.setLong(4, appeal.createdAt());
                s.setString(5, appeal.status());
                s.setString(6, write(appeal));
                return s.executeUpdate() == 1;
            }
        });
    }

    @Override
    public CompletableFuture<Page<AppealInfo>> openAppeals(Cursor cursor, int limit) {
        List<Object> args = new ArrayList<>();
        String sql = "SELECT body, created_at, appeal_id FROM appeals WHERE status = 'open'"
                + after("created_at", "appeal_id", cursor, args) + " ORDER BY created_at, appeal_id LIMIT ?";
        return page(
                sql,
                args,
                limit,
                r -> new Keyed<>(read(r.getString(1), AppealInfo.class), new Cursor(r.getLong(2), r.getString(3))));
    }

    @Override
    public CompletableFuture<Optional<AppealInfo>> decideAppeal(
            String appealId, UserInfo by, boolean lift, String note, long at) {
        return db.call(c -> {
            Optional<AppealInfo> open = SqlSafetyStore.one(
                            c, "SELECT body FROM appeals WHERE appeal_id = ? AND status = 'open'", appealId)
                    .map(body -> read(body, AppealInfo.class));
            if (open.isEmpty()) {
                return Optional.empty();
            }
            AppealInfo a = open.get();
            AppealInfo decided = new AppealInfo(
                    a.appealId(), a.sanction(), a.text(), a.createdAt(), lift ? "lifted" : "upheld", by, at, note);
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE appeals SET status = ?, body = ? WHERE appeal_id = ? AND status = 'open'")) {
                s.setString(1, decided.status());
                s.setString(2, write(decided));
                s.setString(3, appealId);
                // Of two moderators deciding at once, the one whose update finds it still open decides.
                return s.executeUpdate() == 1 ? Optional.of(decided) : Optional.empty();
            }
        });
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Check-ins

    @Override
    public CompletableFuture<Optional<UserInfo>> acknowledgedBy(String alertId) {
        return db.call(c -> SqlSafetyStore.one(c, "SELECT body FROM alert_acks WHERE alert_id = ?", alertId)
                .map(body -> read(body, Acknowledged.class).by()));
    }

    /** The part of an acknowledgement's stored body read here. */
    @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
    private record Acknowledged(UserInfo by) {}

    @Override
    public CompletableFuture<Boolean> offerCheckIn(CheckIn checkIn) {
        return db.call(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO check_ins (check_in_id, alert_id, member_id,"
                    + " moderator_id, offered_at, status, body) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                s.setString(1, checkIn.checkInId());
                s.setString(2, checkIn.alertId());
                s.setString(3, checkIn.member().id());
                s.setString(4, checkIn.moderator().id());
                s.setLong(5, checkIn.offeredAt());
                s.setString(6, checkIn.status());
                s.setString(7, write(checkIn));
                return s.executeUpdate() == 1;
            }
        });
    }

    @Override
    public CompletableFuture<Optional<CheckIn>> checkInOf(String alertId) {
        return db.call(c -> SqlSafetyStore.one(c, "SELECT body FROM check_ins WHERE alert_id = ?", alertId)
                .map(body -> read(body, CheckIn.class)));
    }

    @Override
    public CompletableFuture<Optional<CheckIn>> answerCheckIn(String checkInId, String memberId, boolean accept) {
        return db.call(c -> {
            Optional<CheckIn> offered = SqlSafetyStore.one(
                            c,
                            "SELECT body FROM check_ins WHERE check_in_id = ? AND member_id = ? AND status = ?",
                            checkInId,
                            memberId,
                            CheckIn.OFFERED)
                    .map(body -> read(body, CheckIn.class));
            if (offered.isEmpty()) {
                return Optional.empty();
            }
            CheckIn answered = offered.get().answered(accept);
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE check_ins SET status = ?, body = ? WHERE check_in_id = ? AND status = ?")) {
                s.setString(1, answered.status());
                s.setString(2, write(answered));
                s.setString(3, checkInId);
                s.setString(4, CheckIn.OFFERED);
                // Two answers at once (two devices): the first update counts.
                return s.executeUpdate() == 1 ? Optional.of(answered) : Optional.empty();
            }
        });
    }

    private String write(Object value) {
        return bodies.write(value);
    }

    private <T> T read(String stored, Class<T> type) {
        return bodies.read(stored, type);
    }
}
