package org.kindred.server.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.ServerMessage.ChatMessage;
import org.kindred.protocol.UserInfo;
import org.kindred.server.broker.Broker;
import org.kindred.server.members.MemberData;
import org.kindred.server.safety.SafetyStore;

/**
 * A member's export and erasure over the system of record and the rooms' history. Room messages are found by reading
 * the history of the configured rooms and of the member's sessions (the database is never on the message path, so it
 * holds no index of them); records are found by the user id columns, and inside JSON bodies (reports' snapshots, group
 * records, meetings' attendance) by the id itself.
 *
 * <p>An erasure tombstones the member's messages everywhere (the broker rewrites the Redis stream, so the text leaves
 * Redis), deletes its sessions' transcripts, rows and notes, its alerts, held messages, blocks and first sign-in,
 * redacts its words in reports' snapshots, and replaces its id and pseudonym in the records kept (reports, the audit
 * log, groups, meetings) by an opaque id. A sanction in force is kept, in minimal form, so that a ban outlives the
 * erasure; ended sanctions are deleted.
 */
public final class SqlMemberData implements MemberData {

    /** The pseudonym that stands for an erased member in the records kept. */
    static final String ERASED_PSEUDONYM = "erased member";

    private final Database db;
    private final Broker broker;
    private final List<String> rooms;
    private final int historySize;
    private final SafetyStore safety;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();

    /**
     * @param rooms       the configured rooms, whose history is searched for the member's messages
     * @param historySize the most messages a room keeps
     * @param safety      the safety store: blocks are lifted on every node through it, and it keeps the audit log
     */
    public SqlMemberData(
            Database db, Broker broker, List<String> rooms, int historySize, SafetyStore safety, Clock clock) {
        this.db = db;
        this.broker = broker;
        this.rooms = List.copyOf(rooms);
        this.historySize = historySize;
        this.safety = safety;
        this.clock = clock;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Export

    @Override
    public CompletableFuture<Map<String, Object>> export(String userId, UserInfo operator) {
        return db.call(c -> records(c, userId))
                .thenCompose(records -> {
                    @SuppressWarnings("unchecked")
                    List<String> sessions = (List<String>) records.remove("sessionIds");
                    return messagesOf(userId, sessions).thenApply(messages -> {
                        Map<String, Object> export = new LinkedHashMap<>();
                        export.put("userId", userId);
                        export.put("exportedAt", clock.millis());
                        export.put("messages", messages);
                        export.putAll(records);
                        return export;
                    });
                })
                .thenCompose(export -> safety.audit(new ServerMessage.AuditEntry(
                                clock.millis(), operator, "member_exported", member(userId), null, null, null))
                        .thenApply(ignored -> export));
    }

    private Map<String, Object> records(Connection c, String userId) throws SQLException {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(
                "firstSeen",
                SqlSafetyStore.one(c, "SELECT CAST(first_seen AS VARCHAR) FROM members WHERE user_id = ?", userId)
                        .map(Long::parseLong)
                        .orElse(null));
        out.put(
                "reportsFiled",
                bodies(c, "SELECT body FROM reports WHERE reporter_id = ? ORDER BY created_at", userId));
        List<JsonNode> about = new ArrayList<>();
        for (JsonNode report :
                bodies(c, "SELECT body FROM reports WHERE reported_id = ? ORDER BY created_at", userId)) {
            about.add(aboutMember((ObjectNode) report, userId));
        }
        out.put("reportsAboutMember", about);
        List<Map<String, Object>> sessions = new ArrayList<>();
        List<String> sessionIds = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(
                "SELECT session_id, member_id, started_at, ended_at, rating,"
                        + " rating_comment FROM support_sessions WHERE member_id = ? OR ',' || mentor_ids || ',' LIKE ? ORDER BY started_at")) {
            s.setString(1, userId);
            s.setString(2, "%," + userId + ",%");
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    boolean asMember = userId.equals(r.getString(2));
                    Map<String, Object> session = new LinkedHashMap<>();
                    session.put("sessionId", r.getString(1));
                    session.put("as", asMember ? "member" : "mentor");
                    session.put("startedAt", r.getLong(3));
                    session.put("endedAt", r.getLong(4));
                    int rating = r.getInt(5);
                    session.put("rating", r.wasNull() ? null : rating);
                    session.put("ratingComment", asMember ? r.getString(6) : null);
                    sessions.add(session);
                    sessionIds.add(r.getString(1));
                }
            }
        }
        out.put("sessions", sessions);
        out.put("sessionIds", sessionIds);
        List<Map<String, Object>> notes = new ArrayList<>();
        for (String session : sessionIds) {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT mentor_id, written_at, note FROM mentor_notes WHERE session_id = ? ORDER BY written_at")) {
                s.setString(1, session);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        Map<String, Object> note = new LinkedHashMap<>();
                        note.put("sessionId", session);
                        note.put("writtenByMember", userId.equals(r.getString(1)));
                        note.put("writtenAt", r.getLong(2));
                        note.put("note", r.getString(3));
                        notes.add(note);
                    }
                }
            }
        }
        out.put("mentorNotes", notes);
        List<Map<String, Object>> attendance = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(
                "SELECT room, group_id, closed_at FROM meeting_archive WHERE body LIKE ? ORDER BY closed_at")) {
            s.setString(1, "%\"" + userId + "\"%");
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    attendance.add(
                            Map.of("meeting", r.getString(1), "groupId", r.getString(2), "closedAt", r.getLong(3)));
                }
            }
        }
        out.put("attendance", attendance);
        out.put("groups", strings(c, "SELECT group_id FROM group_records WHERE body LIKE ?", "%\"" + userId + "\"%"));
        out.put(
                "auditEntries",
                bodies(
                        c,
                        "SELECT body FROM audit_log WHERE actor_id = ? OR target_id = ? ORDER BY logged_at, seq",
                        userId,
                        userId));
        out.put("sanctions", bodies(c, "SELECT body FROM sanctions WHERE user_id = ? ORDER BY applied_at", userId));
        out.put("blocks", strings(c, "SELECT blocked_id FROM blocks WHERE blocker_id = ? ORDER BY blocked_at", userId));
        out.put(
                "crisisAlerts",
                bodies(c, "SELECT body FROM crisis_alerts WHERE user_id = ? ORDER BY created_at", userId));
        out.put(
                "heldMessages",
                bodies(c, "SELECT body FROM held_messages WHERE author_id = ? ORDER BY held_at", userId));
        return out;
    }

    /** A report about the member, without what would identify its reporter (who filed it, and its comment). */
    private static JsonNode aboutMember(ObjectNode report, String userId) {
        report.remove("reporter");
        report.remove("comment");
        ArrayNode context = report.withArray("context");
        for (int i = context.size() - 1; i >= 0; i--) {
            if (!userId.equals(context.get(i).path("author").path("id").asText())) {
                context.remove(i);
            }
        }
        return report;
    }

    /**
     * The member's messages still kept in the history of the configured rooms, of the rooms made at run time (archived
     * ones too) and of its sessions.
     */
    private CompletableFuture<List<ChatMessage>> messagesOf(String userId, List<String> sessions) {
        return db.call(c -> strings(c, "SELECT room_id FROM rooms")).thenCompose(runtimeRooms -> {
            Set<String> searched = new LinkedHashSet<>(rooms);
            searched.addAll(runtimeRooms);
            searched.addAll(sessions);
            return messagesIn(searched, userId);
        });
    }

    private CompletableFuture<List<ChatMessage>> messagesIn(Set<String> searched, String userId) {
        List<CompletableFuture<List<ChatMessage>>> reads = searched.stream()
                .map(room -> broker.readAfter(room, 0, historySize)
                        .thenApply(slice -> slice.messages().stream()
                                .filter(m -> m.author().id().equals(userId) && !m.isDeleted())
                                .toList()))
                .toList();
        return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
                .thenApply(ignored ->
                        reads.stream().flatMap(read -> read.join().stream()).toList());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Erasure

    @Override
    public CompletableFuture<Erasure> erase(String userId, UserInfo operator) {
        String opaqueId = "erased-" + UUID.randomUUID();
        Map<String, Integer> removed = new LinkedHashMap<>();
        return db.call(c -> strings(
                        c,
                        "SELECT session_id FROM support_sessions WHERE member_id = ? OR ',' || mentor_ids || ',' LIKE ?",
                        userId,
                        "%," + userId + ",%"))
                .thenCompose(sessions -> tombstones(userId, sessions).thenCompose(messages -> {
                    removed.put("messages", messages);
                    CompletableFuture<?>[] transcripts =
                            sessions.stream().map(broker::erase).toArray(CompletableFuture[]::new);
                    removed.put("transcripts", sessions.size());
                    return CompletableFuture.allOf(transcripts);
                }))
                .thenCompose(ignored -> db.call(c -> eraseRecords(c, userId, opaqueId, removed)))
                .thenCompose(erasure -> liftBlocks(erasure.blocks()).thenApply(ignored -> erasure))
                .thenCompose(erasure -> safety.audit(new ServerMessage.AuditEntry(
                                clock.millis(),
                                operator,
                                "member_erased",
                                new UserInfo(opaqueId, ERASED_PSEUDONYM, "member"),
                                null,
                                null,
                                null))
                        .thenApply(ignored -> new Erasure(opaqueId, removed, erasure.kept())));
    }

    /**
     * Replaces each of the member's messages in the rooms and its sessions by its tombstone (which also takes the text
     * out of the idempotency records); how many there were.
     */
    private CompletableFuture<Integer> tombstones(String userId, List<String> sessions) {
        return messagesOf(userId, sessions).thenCompose(messages -> {
            CompletableFuture<?>[] redactions = messages.stream()
                    .map(m -> broker.redact(m.room(), m.seq(), null))
                    .toArray(CompletableFuture[]::new);
            return CompletableFuture.allOf(redactions).thenApply(ignored -> messages.size());
        });
    }

    /** What the transaction leaves to do: the blocks to lift on every node (blocker, blocked), and what was kept. */
    private record Erased(List<String[]> blocks, List<Map<String, Object>> kept) {}

    private Erased eraseRecords(Connection c, String userId, String opaqueId, Map<String, Integer> removed)
            throws SQLException {
        removed.put("reportsRedacted", rewrite(c, "reports", "report_id", userId, opaqueId));
        update(c, "UPDATE reports SET reporter_id = ? WHERE reporter_id = ?", opaqueId, userId);
        update(c, "UPDATE reports SET reported_id = ? WHERE reported_id = ?", opaqueId, userId);
        removed.put("auditEntriesPseudonymised", rewrite(c, "audit_log", "seq", userId, opaqueId));
        update(c, "UPDATE audit_log SET actor_id = ? WHERE actor_id = ?", opaqueId, userId);
        update(c, "UPDATE audit_log SET target_id = ? WHERE target_id = ?", opaqueId, userId);
        removed.put("groupsPseudonymised", rewrite(c, "group_records", "group_id", userId, opaqueId));
        removed.put("meetingsPseudonymised", rewrite(c, "meeting_archive", "room", userId, opaqueId));
        removed.put("alertAcksPseudonymised", rewrite(c, "alert_acks", "alert_id", userId, opaqueId));
        update(c, "UPDATE alert_acks SET by_id = ? WHERE by_id = ?", opaqueId, userId);

        List<String> sessions = strings(
                c,
                "SELECT session_id FROM support_sessions WHERE member_id = ? OR ',' || mentor_ids || ',' LIKE ?",
                userId,
                "%," + userId + ",%");
        int notes = 0;
        for (String session : sessions) {
            notes += update(c, "DELETE FROM mentor_notes WHERE session_id = ?", session);
        }
        removed.put("mentorNotes", notes);
        removed.put(
                "sessions",
                update(
                        c,
                        "DELETE FROM support_sessions WHERE member_id = ? OR ',' || mentor_ids || ',' LIKE ?",
                        userId,
                        "%," + userId + ",%"));
        update(
                c,
                "DELETE FROM alert_acks WHERE alert_id IN (SELECT alert_id FROM crisis_alerts WHERE user_id = ?)",
                userId);
        removed.put("crisisAlerts", update(c, "DELETE FROM crisis_alerts WHERE user_id = ?", userId));
        removed.put("heldMessages", update(c, "DELETE FROM held_messages WHERE author_id = ?", userId));
        List<String[]> blocks = new ArrayList<>();
        for (String other : strings(c, "SELECT blocked_id FROM blocks WHERE blocker_id = ?", userId)) {
            blocks.add(new String[] {userId, other});
        }
        for (String other : strings(c, "SELECT blocker_id FROM blocks WHERE blocked_id = ?", userId)) {
            blocks.add(new String[] {other, userId});
        }
        removed.put("blocks", update(c, "DELETE FROM blocks WHERE blocker_id = ? OR blocked_id = ?", userId, userId));
        removed.put("firstSeen", update(c, "DELETE FROM members WHERE user_id = ?", userId));

        long now = clock.millis();
        List<Map<String, Object>> kept = new ArrayList<>();
        for (JsonNode sanction : bodies(
                c,
                "SELECT body FROM sanctions WHERE user_id = ? AND lifted_at IS NULL"
                        + " AND (ends_at IS NULL OR ends_at > ?)",
                userId,
                now)) {
            ObjectNode minimal = (ObjectNode) sanction;
            minimal.put("reason", "kept after the member's erasure");
            update(
                    c,
                    "UPDATE sanctions SET body = ? WHERE sanction_id = ?",
                    write(minimal),
                    minimal.path("sanctionId").asText());
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("record", "sanction");
            entry.put("sanctionId", minimal.path("sanctionId").asText());
            entry.put("kind", minimal.path("kind").asText());
            entry.put("room", minimal.hasNonNull("room") ? minimal.path("room").asText() : null);
            entry.put(
                    "until", minimal.hasNonNull("until") ? minimal.path("until").asLong() : null);
            entry.put("why", "a sanction in force is enforced by the member's id until it ends or is lifted");
            kept.add(entry);
        }
        removed.put(
                "sanctions",
                update(
                        c,
                        "DELETE FROM sanctions WHERE user_id = ? AND (lifted_at IS NOT NULL"
                                + " OR (ends_at IS NOT NULL AND ends_at <= ?))",
                        userId,
                        now));
        return new Erased(blocks, kept);
    }

    /** Lifts the blocks by and of the member on every node (their rows are gone already). */
    private CompletableFuture<Void> liftBlocks(List<String[]> blocks) {
        return CompletableFuture.allOf(
                blocks.stream().map(pair -> safety.unblock(pair[0], pair[1])).toArray(CompletableFuture[]::new));
    }

    /**
     * Rewrites the JSON bodies of a table's rows that mention the member: its messages quoted in them lose their text,
     * and it is named by the opaque id. Returns how many rows changed.
     */
    private int rewrite(Connection c, String table, String key, String userId, String opaqueId) throws SQLException {
        Map<String, String> changed = new LinkedHashMap<>();
        try (PreparedStatement s =
                c.prepareStatement("SELECT CAST(" + key + " AS VARCHAR), body FROM " + table + " WHERE body LIKE ?")) {
            s.setString(1, "%\"" + userId + "\"%");
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    JsonNode body = read(r.getString(2));
                    changed.put(r.getString(1), write(redact(body, userId, opaqueId)));
                }
            }
        }
        for (Map.Entry<String, String> row : changed.entrySet()) {
            update(
                    c,
                    "UPDATE " + table + " SET body = ? WHERE CAST(" + key + " AS VARCHAR) = ?",
                    row.getValue(),
                    row.getKey());
        }
        return changed.size();
    }

    /**
     * The member's traces in a JSON tree: a message it wrote keeps its place but not its text; a user object that is
     * the member becomes the opaque id and pseudonym; a comment it wrote as a reporter goes; any other string that is
     * its id becomes the opaque id.
     */
    static JsonNode redact(JsonNode node, String userId, String opaqueId) {
        if (node instanceof ObjectNode object) {
            boolean itsMessage = object.has("text")
                    && userId.equals(object.path("author").path("id").asText());
            if (itsMessage) {
                object.put("text", "");
                object.put("deleted", true);
                object.remove("editedAt");
            }
            if (userId.equals(object.path("reporter").path("id").asText())) {
                object.remove("comment");
            }
            if (userId.equals(object.path("id").asText()) && object.has("pseudonym")) {
                object.put("id", opaqueId);
                object.put("pseudonym", ERASED_PSEUDONYM);
                return object;
            }
            List<String> fields = new ArrayList<>();
            object.fieldNames().forEachRemaining(fields::add);
            for (String field : fields) {
                JsonNode value = object.get(field);
                if (value.isTextual() && value.asText().equals(userId)) {
                    object.put(field, opaqueId);
                } else if (value.isContainerNode()) {
                    redact(value, userId, opaqueId);
                }
            }
            // a map keyed by user id (attendance, registrations)
            if (object.has(userId)) {
                object.set(opaqueId, object.remove(userId));
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                JsonNode value = array.get(i);
                if (value.isTextual() && value.asText().equals(userId)) {
                    array.set(i, opaqueId);
                } else {
                    redact(value, userId, opaqueId);
                }
            }
        }
        return node;
    }

    // ---------------------------------------------------------------------------------------------------------------

    private static UserInfo member(String userId) {
        return new UserInfo(userId, userId, "member");
    }

    private List<JsonNode> bodies(Connection c, String sql, Object... args) throws SQLException {
        List<JsonNode> found = new ArrayList<>();
        for (String body : strings(c, sql, args)) {
            found.add(read(body));
        }
        return found;
    }

    private static List<String> strings(Connection c, String sql, Object... args) throws SQLException {
        List<String> found = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    found.add(r.getString(1));
                }
            }
        }
        return found;
    }

    private static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            return s.executeUpdate();
        }
    }

    private JsonNode read(String body) {
        try {
            return json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a record in the database cannot be read: " + e.getOriginalMessage(), e);
        }
    }

    private String write(JsonNode body) {
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
