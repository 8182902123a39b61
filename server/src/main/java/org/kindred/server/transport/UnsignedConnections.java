package org.kindred.server.transport;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts, per remote address, the connections to the chat port that have not signed in yet (from the TCP accept to a
 * successful {@code hello}, or to the close), so that one address cannot hold many sockets open without an account:
 * an opening that would pass {@code maxUnsignedPerAddress} is refused ({@link UnsignedCap}). One entry per address
 * with unsigned connections; it goes when its count drops to zero. Thread-safe.
 */
final class UnsignedConnections {

    private final int most;
    private final ConcurrentHashMap<InetAddress, Integer> counts = new ConcurrentHashMap<>();

    /** @param most the cap per address; 0: no cap (the pipeline then has no {@link UnsignedCap}) */
    UnsignedConnections(int most) {
        this.most = most;
    }

    boolean limited() {
        return most > 0;
    }

    /** Counts one more unsigned connection from this address; false when that makes more than the cap. */
    boolean open(InetAddress address) {
        return counts.merge(address, 1, Integer::sum) <= most;
    }

    /** The connection signed in or closed. */
    void release(InetAddress address) {
        counts.computeIfPresent(address, (ignored, count) -> count > 1 ? count - 1 : null);
    }

    /** Unsigned connections from this address now (for tests and metrics). */
    int count(InetAddress address) {
        return counts.getOrDefault(address, 0);
    }
}
