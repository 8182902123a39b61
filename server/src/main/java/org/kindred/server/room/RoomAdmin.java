package org.kindred.server.room;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.kindred.protocol.ClientMessage;
import org.kindred.protocol.ErrorCode;
import org.kindred.protocol.ManagedRoom;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.UserInfo;
import org.kindred.server.config.ConfigException;
import org.kindred.server.config.RoomConfig;
import org.kindred.server.connection.Refusal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the rooms made at run time: creates, edits, archives and restores them in the system of record
 * ({@link RoomRecords}), then tells every node ({@link Notices}), each of which reads the room again and applies it to
 * its {@link RoomRegistry} — within a second in a cluster, since the notice travels by Redis pub/sub.
 *
 * <p>The configuration file's rooms are not run here: the file is their one source, and a stored room with the id of
 * a room in the file is ignored (logged at start). Ids of runtime rooms may not name a session or a meeting
 * ({@code s-}, {@code g-}). Archiving keeps the room and its history: members in it are told by a system message in
 * the room and taken out; it is no longer listed nor joinable until it is restored. Who may call these is the
 * caller's business (moderators on the protocol, API keys on the server API, which reads its bodies as the same
 * commands); each refusal is a {@link Refusal}, and each change is audited ({@code room_created}, ...) here, so
 * that both ways in leave the same trace.
 */
public final class RoomAdmin {

    private static final Logger LOG = LoggerFactory.getLogger(RoomAdmin.class);

    /** The author of the notice an archived room's members read. */
    static final UserInfo SYSTEM = new UserInfo("system", "Kindred", "moderator");

    static final String ARCHIVED_NOTICE = "This room was archived by the moderators. It is closed for now.";

    /** Tells every node, this one included, that a stored room changed. */
    @FunctionalInterface
    public interface Notices {
        void changed(String roomId);
    }

    /** Where each change is written: the audit log. */
    @FunctionalInterface
    public interface Audit {
        CompletableFuture<Void> record(ServerMessage.AuditEntry entry);
    }

    private final RoomRegistry rooms;
    private final RoomRecords records;
    private final Audit audit;
    private final Clock clock;
    private volatile Notices notices = id -> {};

    public RoomAdmin(RoomRegistry rooms, RoomRecords records, Audit audit, Clock clock) {
        this.rooms = rooms;
        this.records = records;
        this.audit = audit;
        this.clock = clock;
    }

    /** Where changes are announced: set once the cluster channel is open. */
    public void announceWith(Notices notices) {
        this.notices = notices;
    }

    /** Puts the stored rooms that are not archived into the registry: at start, before the node serves. */
    public void loadAtStart() {
        for (RoomRecords.Stored room : records.all().join()) {
            if (rooms.inFile(room.id())) {
                LOG.warn(
                        "stored room '{}' has the id of a room in the configuration file: the file's room is used",
                        room.id());
            } else if (!room.archived()) {
                rooms.put(room.config());
            }
        }
    }

    /** Every room made at run time, archived ones too, oldest first, as moderators read them. */
    public CompletableFuture<List<ManagedRoom>> all() {
        return records.all()
                .thenApply(all -> all.stream().map(RuntimeRoomConfigs::view).toList());
    }

    /** Makes a room, listed at once on every node. */
    public CompletableFuture<ManagedRoom> create(UserInfo actor, ClientMessage.CreateRoom command) {
        RoomConfig config;
        try {
            refuseReservedId(command.room());
            config = RuntimeRoomConfigs.created(command);
        } catch (ConfigException e) {
            return CompletableFuture.failedFuture(new Refusal(ErrorCode.INVALID_FIELD, e.getMessage()));
        } catch (Refusal e) {
            return CompletableFuture.failedFuture(e);
        }
        long now = clock.millis();
        RoomRecords.Stored room = new RoomRecords.Stored(config, false, actor.id(), now, now);
        return records.create(room).thenCompose(created -> {
            if (!created) {
                throw exists(config.id(), "");
            }
            applied(room);
            return audited(actor, "room_created", room);
        });
    }

    /** Edits a room, archived or not: the fields the command sends replace the room's. */
    public CompletableFuture<ManagedRoom> edit(UserInfo actor, ClientMessage.EditRoom command) {
        return stored(command.room()).thenCompose(current -> {
            RoomConfig edited;
            try {
                edited = RuntimeRoomConfigs.edited(current.config(), command);
            } catch (ConfigException e) {
                throw new Refusal(ErrorCode.INVALID_FIELD, e.getMessage());
            }
            return save(new RoomRecords.Stored(
                            edited, current.archived(), current.createdBy(), current.createdAt(), clock.millis()))
                    .thenCompose(room -> audited(actor, "room_edited", room));
        });
    }

    /** Archives a room: its members are told and taken out; it is no longer listed nor joinable. */
    public CompletableFuture<ManagedRoom> archive(UserInfo actor, String roomId) {
        return stored(roomId).thenCompose(current -> {
            if (current.archived()) {
                return CompletableFuture.completedFuture(RuntimeRoomConfigs.view(current));
            }
            CompletableFuture<?> told = rooms.find(roomId)
                    .<CompletableFuture<?>>map(
                            room -> room.publish(SYSTEM, "archived-" + UUID.randomUUID(), ARCHIVED_NOTICE))
                    .orElseGet(() -> CompletableFuture.completedFuture(null));
            return told.exceptionally(error -> null)
                    .thenCompose(ignored -> save(new RoomRecords.Stored(
                            current.config(), true, current.createdBy(), current.createdAt(), clock.millis())))
                    .thenCompose(room -> audited(actor, "room_archived", room));
        });
    }

    /** Restores an archived room: listed and joinable again, with its history. */
    public CompletableFuture<ManagedRoom> restore(UserInfo actor, String roomId) {
        return stored(roomId)
                .thenCompose(current -> current.archived()
                        ? save(new RoomRecords.Stored(
                                        current.config(),
                                        false,
                                        current.createdBy(),
                                        current.createdAt(),
                                        clock.millis()))
                                .thenCompose(room -> audited(actor, "room_restored", room))
                        : CompletableFuture.completedFuture(RuntimeRoomConfigs.view(current)));
    }

    /** Writes the change to the audit log (who, what, which room; never more), then answers with the room. */
    private CompletableFuture<ManagedRoom> audited(UserInfo actor, String action, RoomRecords.Stored room) {
        return audit.record(new ServerMessage.AuditEntry(clock.millis(), actor, action, null, room.id(), null, null))
                .thenApply(ignored -> RuntimeRoomConfigs.view(room));
    }

    /** Another node changed a stored room (or this one did): reads it and applies it to this node's registry. */
    public CompletableFuture<Void> reload(String roomId) {
        return records.find(roomId).thenAccept(found -> found.ifPresent(this::apply));
    }

    private CompletableFuture<RoomRecords.Stored> save(RoomRecords.Stored room) {
        return records.update(room).thenApply(saved -> {
            if (!saved) {
                throw notFound(room.id());
            }
            applied(room);
            return room;
        });
    }

    /** Applies a change here at once, then tells every node. */
    private void applied(RoomRecords.Stored room) {
        apply(room);
        notices.changed(room.id());
    }

    private void apply(RoomRecords.Stored room) {
        if (rooms.inFile(room.id())) {
            return;
        }
        if (room.archived()) {
            rooms.remove(room.id());
        } else {
            rooms.put(room.config());
        }
    }

    private CompletableFuture<RoomRecords.Stored> stored(String roomId) {
        if (rooms.inFile(roomId)) {
            return CompletableFuture.failedFuture(new Refusal(
                    ErrorCode.FORBIDDEN,
                    "room '" + roomId + "' is configured in the configuration file: change it there"));
        }
        return records.find(roomId).thenApply(found -> found.orElseThrow(() -> notFound(roomId)));
    }

    private void refuseReservedId(String id) {
        if (rooms.inFile(id)) {
            throw exists(id, " (in the configuration file)");
        }
        Optional<RoomKind> kind = rooms.kindNamedBy(id);
        if (kind.isPresent()) {
            throw new Refusal(
                    ErrorCode.INVALID_FIELD,
                    "room id '" + id + "' starts with '" + kind.get().idPrefix() + "', which names a "
                            + kind.get().title().toLowerCase(java.util.Locale.ROOT));
        }
    }

    private static Refusal exists(String roomId, String where) {
        return new Refusal(ErrorCode.ROOM_EXISTS, "room '" + roomId + "' exists already" + where);
    }

    private static Refusal notFound(String roomId) {
        return new Refusal(ErrorCode.ROOM_NOT_FOUND, "no room '" + roomId + "' made at run time");
    }
}
