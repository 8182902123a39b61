package org.kindred.server.connection;

/**
 * Whether a user has a connection that hears events live, anywhere in the deployment: on one node, that node's
 * connections ({@link ConnectedUsers#isConnected}); in a cluster, any node whose heartbeat has not lapsed. Who is told
 * by a webhook instead (a push notification) is decided with it.
 */
@FunctionalInterface
public interface OnlineUsers {

    /** Whether the user is connected somewhere now (as far as this node has heard). */
    boolean online(String userId);
}
