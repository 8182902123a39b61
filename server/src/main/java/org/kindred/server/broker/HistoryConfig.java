package org.kindred.server.broker;

import java.time.Duration;

/**
 * How much of each room a broker keeps.
 *
 * @param historySize       most messages kept per room
 * @param historyMaxAge     oldest message kept
 * @param idempotencyWindow how long a client message id is remembered per author and room
 */
public record HistoryConfig(int historySize, Duration historyMaxAge, Duration idempotencyWindow) {}
