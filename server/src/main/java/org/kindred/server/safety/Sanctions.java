package org.kindred.server.safety;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.kindred.protocol.ServerMessage.SanctionInfo;

/**
 * The sanctions in force, as this node knows them: read on every command of a sanctioned member, so they live in
 * memory and the store keeps them up to date on every node.
 */
public final class Sanctions {

    private final Map<String, SanctionInfo> byId = new ConcurrentHashMap<>();

    public void put(SanctionInfo sanction) {
        if (SanctionKind.fromWire(sanction.kind()).lasts()) {
            byId.put(sanction.sanctionId(), sanction);
        }
    }

    public void remove(String sanctionId) {
        byId.remove(sanctionId);
    }

    public void replaceAll(Collection<SanctionInfo> sanctions) {
        byId.clear();
        sanctions.forEach(this::put);
    }

    /** Whether this node knows the sanction as in force (a store restoring sanctions asks before re-applying one). */
    public boolean has(String sanctionId) {
        return byId.containsKey(sanctionId);
    }

    Optional<SanctionInfo> get(String sanctionId) {
        return Optional.ofNullable(byId.get(sanctionId));
    }

    /** The first sanction of this kind in force for the user (for a room ban, in that room). */
    public Optional<SanctionInfo> find(String userId, SanctionKind kind, String room, long now) {
        for (SanctionInfo sanction : byId.values()) {
            if (sanction.userId().equals(userId)
                    && sanction.kind().equals(kind.wire())
                    && sanction.activeAt(now)
                    && (room == null || room.equals(sanction.room()))) {
                return Optional.of(sanction);
            }
        }
        return Optional.empty();
    }
}
