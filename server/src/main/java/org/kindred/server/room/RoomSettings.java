package org.kindred.server.room;

import java.time.Duration;

/**
 * The room-related part of the configuration.
 *
 * @param historySize       most messages kept per room
 * @param historyMaxAge     oldest message kept
 * @param joinHistory       messages returned by a join without {@code since}
 * @param historyPageMax    most messages one history page returns
 * @param idempotencyWindow how long a client message id is remembered
 */
public record RoomSettings(int historySize, Duration historyMaxAge, int joinHistory, int historyPageMax,
                           Duration idempotencyWindow) {
}
