package org.kindred.server.support;

import org.kindred.server.broker.Broker;
import org.kindred.server.room.RoomRegistry;
import org.kindred.server.runtime.Failures;

/**
 * Session rooms as one node reaches them: stored messages through the broker (shared by every node, so once is
 * enough), the room objects of this node through its registry. A cluster's store runs the room parts on every node.
 */
public final class NodeSessionRooms implements SupportService.SessionRooms {

    private final RoomRegistry rooms;
    private final Broker broker;
    private final Failures failures;

    public NodeSessionRooms(RoomRegistry rooms, Broker broker, Failures failures) {
        this.rooms = rooms;
        this.broker = broker;
        this.failures = failures;
    }

    @Override
    public void erase(String sessionId) {
        failures.watch("transcript erase", broker.erase(sessionId));
    }

    /** The session is past its retention: its stored messages go, and so does anyone still in its room here. */
    @Override
    public void forget(String sessionId) {
        close(sessionId);
        forgetStored(sessionId);
    }

    /** Forgets everything stored of the session's room: messages, sequence, epoch, presence. */
    public void forgetStored(String sessionId) {
        failures.watch("session forget", broker.forget(sessionId));
    }

    /** Takes everyone still in the session's room out of it, on this node. */
    public void close(String sessionId) {
        rooms.discard(sessionId);
    }

    @Override
    public void evict(String sessionId, String userId) {
        rooms.evict(sessionId, userId);
    }
}
