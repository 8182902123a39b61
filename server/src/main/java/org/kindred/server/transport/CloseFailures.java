package org.kindred.server.transport;

import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import org.kindred.server.runtime.Failures;

/** The listener on a connection's close (and its close timer) that counts a failure; shared by every connection. */
final class CloseFailures {

    private CloseFailures() {}

    /** A listener that records a close that failed (it should not); a cancelled close timer is no failure. */
    static GenericFutureListener<Future<Object>> countedIn(Failures failures) {
        return done -> {
            if (!done.isSuccess() && !done.isCancelled()) {
                failures.record("connection close", done.cause());
            }
        };
    }
}
