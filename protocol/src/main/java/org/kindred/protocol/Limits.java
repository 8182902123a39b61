package org.kindred.protocol;

/**
 * The server's limits, announced in {@link ServerMessage.Welcome} so that a client can respect them up front.
 *
 * @param maxTextLength     longest message text, in characters
 * @param maxFrameBytes     largest frame the server reads, in bytes
 * @param ratePerSecond     commands per second a connection may sustain
 * @param rateBurst         commands a connection may send in a burst above the sustained rate
 * @param historyPageMax    most messages one history page returns
 * @param joinHistory       how many recent messages a join without {@code since} returns
 * @param idleTimeoutMillis how long the server waits for any frame before closing with {@link CloseCode#IDLE_TIMEOUT}
 */
public record Limits(
        int maxTextLength,
        int maxFrameBytes,
        double ratePerSecond,
        int rateBurst,
        int historyPageMax,
        int joinHistory,
        long idleTimeoutMillis) {}
