package org.kindred.server.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.kindred.server.config.RoomAudience;
import org.kindred.server.config.RoomConfig;
import org.kindred.server.room.RoomRecords;

/** Rooms made at run time in the {@code rooms} table, their configuration as JSON beside the columns searched by. */
public final class SqlRoomRecords implements RoomRecords {

    private static final String COLUMNS = "room_id, archived, created_by, created_at, updated_at, body";

    private final Database db;
    private final ObjectMapper json = new ObjectMapper();

    public SqlRoomRecords(Database db) {
        this.db = db;
    }

    @Override
    public CompletableFuture<List<Stored>> all() {
        return db.call(c -> {
            List<Stored> rooms = new ArrayList<>();
            try (PreparedStatement s =
                            c.prepareStatement("SELECT " + COLUMNS + " FROM rooms ORDER BY created_at, room_id");
                    ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rooms.add(stored(r));
                }
            }
            return rooms;
        });
    }

    @Override
    public CompletableFuture<Optional<Stored>> find(String id) {
        return db.call(c -> find(c, id));
    }

    private Optional<Stored> find(Connection c, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM rooms WHERE room_id = ?")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(stored(r)) : Optional.empty();
            }
        }
    }

    @Override
    public CompletableFuture<Boolean> create(Stored room) {
        return db.call(c -> {
            if (find(c, room.id()).isPresent()) {
                return false;
            }
            try (PreparedStatement s =
                    c.prepareStatement("INSERT INTO rooms (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)")) {
                s.setString(1, room.id());
                s.setBoolean(2, room.archived());
                s.setString(3, room.createdBy());
                s.setLong(4, room.createdAt());
                s.setLong(5, room.updatedAt());
                s.setString(6, body(room.config()));
                s.executeUpdate();
            }
            return true;
        });
    }

    @Override
    public CompletableFuture<Boolean> update(Stored room) {
        return db.call(c -> {
            try (PreparedStatement s =
                    c.prepareStatement("UPDATE rooms SET archived = ?, updated_at = ?, body = ? WHERE room_id = ?")) {
                s.setBoolean(1, room.archived());
                s.setLong(2, room.updatedAt());
                s.setString(3, body(room.config()));
                s.setString(4, room.id());
                return s.executeUpdate() == 1;
            }
        });
    }

    private Stored stored(ResultSet r) throws SQLException {
        return new Stored(
                config(r.getString(1), r.getString(6)), r.getBoolean(2), r.getString(3), r.getLong(4), r.getLong(5));
    }

    private String body(RoomConfig config) {
        try {
            return json.writeValueAsString(config.settings());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private RoomConfig config(String id, String text) throws SQLException {
        try {
            JsonNode body = json.readTree(text);
            return RoomConfig.withRuleNames(
                            id,
                            body.path("title").asText(),
                            body.path("description").asText(""),
                            texts(body.path("tags")),
                            new LinkedHashSet<>(texts(body.path("writers"))),
                            new LinkedHashSet<>(texts(body.path("rules"))))
                    .withAudience(RoomAudience.fromJson("audience", body.get("audience")))
                    // rooms stored before presence was kept show names, as every room did then
                    .withPresence(body.path("presence").asText("names"));
        } catch (JsonProcessingException e) {
            throw new SQLException("room '" + id + "': stored body is not JSON", e);
        }
    }

    private static List<String> texts(JsonNode node) {
        List<String> values = new ArrayList<>();
        node.forEach(value -> values.add(value.asText()));
        return values;
    }
}
