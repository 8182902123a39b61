package org.kindred.server.support;

import java.time.Duration;

/**
 * Estimates how long a request will wait, from how long recent ones waited: an exponentially weighted average of
 * time-to-match, scaled by the request's position and by how many fitting mentors are free. Members on peer platforms
 * complain most about waiting without knowing how long; a rough, honest estimate beats none.
 */
final class WaitEstimator {

    /** Weight of the newest observation. */
    private static final double ALPHA = 0.2;

    private double averageSeconds;

    /** @param prior the average assumed before any match was seen */
    WaitEstimator(Duration prior) {
        this.averageSeconds = prior.toSeconds();
    }

    double averageSeconds() {
        return averageSeconds;
    }

    void restore(double average) {
        averageSeconds = average;
    }

    void recordMatch(long waitedMillis) {
        averageSeconds = ALPHA * (waitedMillis / 1000.0) + (1 - ALPHA) * averageSeconds;
    }

    /**
     * @param position     1 for the next request
     * @param freeMentors  fitting mentors that could take it now
     */
    long estimateSeconds(int position, int freeMentors) {
        return Math.round(averageSeconds * Math.ceil((double) position / Math.max(1, freeMentors)));
    }
}
