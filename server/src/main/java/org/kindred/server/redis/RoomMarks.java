package org.kindred.server.redis;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;

/**
 * Where each room stood the last time this node heard from Redis: its epoch, the highest sequence number seen under
 * that epoch, and the id of that message. A Redis that comes back with older data (restarted from an old snapshot, an
 * {@code everysec} append-only file after an OS crash, a failover to a replica that lagged) holds a room whose counter
 * went back while its epoch stayed: the append and read scripts are given the room's mark and start a new epoch when
 * Redis holds less than the mark (a lower counter, or another message at the mark's sequence number). So a sequence
 * number never means two messages under one epoch, and every node and client hears of the new epoch.
 *
 * <p>Bounded: the rooms touched most recently, up to {@link #MAX_ROOMS}. A node that forgot a room (or never had it)
 * passes no mark and checks nothing; the other nodes still do.
 */
final class RoomMarks {

    static final int MAX_ROOMS = 50_000;

    /** A room's position as this node last saw it; {@code id} is empty when the message at {@code seq} was not seen. */
    record Mark(String epoch, long seq, String id) {
        static final Mark NONE = new Mark("", 0, "");
    }

    private final Cache<String, Mark> marks = Caffeine.newBuilder()
            .maximumSize(MAX_ROOMS)
            .expireAfterAccess(Duration.ofDays(1))
            .build();

    /** The room's mark, or {@link Mark#NONE}. */
    Mark of(String room) {
        Mark mark = marks.getIfPresent(room);
        return mark == null ? Mark.NONE : mark;
    }

    /**
     * Redis said the room holds {@code seq} under {@code epoch} (with message {@code id} at it, or an empty id when not
     * known). The latest epoch heard wins: epochs have no order, and the scripts only act on the epoch Redis holds.
     */
    void saw(String room, String epoch, long seq, String id) {
        if (epoch == null || epoch.isEmpty()) {
            return;
        }
        marks.asMap().compute(room, (ignored, current) -> {
            if (current == null || !current.epoch().equals(epoch) || seq > current.seq()) {
                return new Mark(epoch, seq, id);
            }
            if (seq == current.seq() && current.id().isEmpty() && !id.isEmpty()) {
                return new Mark(epoch, seq, id);
            }
            return current;
        });
    }

    /**
     * Whether a message contradicts the mark: same epoch, same sequence number, another message. Redis then came back
     * with older data and someone appended to it since.
     */
    boolean contradicts(String room, String epoch, long seq, String id) {
        Mark mark = marks.getIfPresent(room);
        return mark != null
                && mark.epoch().equals(epoch)
                && mark.seq() == seq
                && !mark.id().isEmpty()
                && !mark.id().equals(id);
    }

    /** Forgets a room whose data was deleted on purpose. */
    void forget(String room) {
        marks.invalidate(room);
    }
}
