package org.kindred.server.session;

import java.util.function.LongSupplier;
import org.kindred.protocol.Limits;
import org.kindred.protocol.WireCodec;
import org.kindred.server.auth.TokenVerifier;
import org.kindred.server.config.KindredConfig;
import org.kindred.server.connection.ConnectedUsers;
import org.kindred.server.group.GroupStore;
import org.kindred.server.metrics.KindredMetrics;
import org.kindred.server.room.RoomRegistry;
import org.kindred.server.safety.SafetyService;
import org.kindred.server.support.SupportStore;

/**
 * What every session of a node shares.
 *
 * @param config   the node's configuration
 * @param verifier checks the tokens of {@code hello}
 * @param rooms    the node's rooms
 * @param support  one-to-one support
 * @param groups   facilitated group sessions
 * @param safety   crisis alerts, reports and the audit log
 * @param users    the node's signed-in connections, by user
 * @param codec    the wire codec
 * @param metrics  where to count
 * @param nanoTime monotonic time for rate limits
 */
public record SessionContext(
        KindredConfig config,
        TokenVerifier verifier,
        RoomRegistry rooms,
        SupportStore support,
        GroupStore groups,
        SafetyService safety,
        ConnectedUsers users,
        WireCodec codec,
        KindredMetrics metrics,
        LongSupplier nanoTime) {

    /** The limits announced to clients in {@code welcome}. */
    public Limits limits() {
        return new Limits(
                config.maxTextLength(),
                config.maxFrameBytes(),
                config.ratePerSecond(),
                config.rateBurst(),
                config.historyPageMax(),
                config.joinHistory(),
                config.idleTimeout().toMillis());
    }
}
