package org.kindred.server.redis;

import java.util.function.IntSupplier;
import org.kindred.server.metrics.KindredMetrics;

/**
 * The support metrics of a command, counted once it is committed: a command that lost a race runs again, and must not
 * count a request or a match twice.
 */
final class CommittedMetrics implements KindredMetrics {

    private final KindredMetrics metrics;
    private final EntityDesk<?> desk;

    CommittedMetrics(KindredMetrics metrics, EntityDesk<?> desk) {
        this.metrics = metrics;
        this.desk = desk;
    }

    @Override
    public void supportRequested() {
        desk.afterSave(metrics::supportRequested);
    }

    @Override
    public void supportMatched(long waitedMillis) {
        desk.afterSave(() -> metrics.supportMatched(waitedMillis));
    }

    @Override
    public void supportCancelled() {
        desk.afterSave(metrics::supportCancelled);
    }

    @Override
    public void supportAbandoned() {
        desk.afterSave(metrics::supportAbandoned);
    }

    @Override
    public void sessionEnded(long durationMillis) {
        desk.afterSave(() -> metrics.sessionEnded(durationMillis));
    }

    @Override
    public void sessionRated(int rating) {
        desk.afterSave(() -> metrics.sessionRated(rating));
    }

    @Override
    public void bindActiveSessions(IntSupplier activeSessions) {
        metrics.bindActiveSessions(activeSessions);
    }

    @Override
    public void failure(String task) {
        metrics.failure(task);
    }
}
