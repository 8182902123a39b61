package org.kindred.server.room;

/**
 * The room-related part of the configuration that rooms apply themselves (the broker keeps the history).
 *
 * @param joinHistory    messages returned by a join without {@code since}
 * @param historyPageMax most messages one history page returns
 * @param recoverMax     most messages a join with {@code since} may return (the history size): a client further
 *                       behind cannot be recovered anyway
 */
public record PagingConfig(int joinHistory, int historyPageMax, int recoverMax) {}
