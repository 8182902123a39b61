package org.kindred.server.room;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.kindred.server.config.RoomConfig;

/**
 * The rooms made at run time, kept in the system of record (docs/data.md): what {@link RoomAdmin} creates, edits,
 * archives and restores, and what every node loads at start. Never on the path of a chat message. Calls complete on a
 * database thread.
 */
public interface RoomRecords {

    /**
     * One room made at run time.
     *
     * @param archived  archived rooms are kept (their history too) but are not listed nor joinable
     * @param createdBy who made it (a moderator's id, or {@code api:NAME})
     * @param createdAt when, milliseconds since the epoch
     * @param updatedAt last create, edit, archive or restore
     */
    record Stored(RoomConfig config, boolean archived, String createdBy, long createdAt, long updatedAt) {

        public String id() {
            return config.id();
        }
    }

    /** Every room made at run time, archived ones too, oldest first. */
    CompletableFuture<List<Stored>> all();

    /** One room made at run time. */
    CompletableFuture<Optional<Stored>> find(String id);

    /** Stores a new room: completes with false, storing nothing, when a room with its id exists (archived or not). */
    CompletableFuture<Boolean> create(Stored room);

    /** Replaces a stored room's configuration and archived flag: completes with false when there is no such room. */
    CompletableFuture<Boolean> update(Stored room);
}
