package org.kindred.server.redis;

/**
 * The names of everything Kindred keeps in Redis. Every key of one room carries the room id as a hash tag
 * ({@code {room}}), so that a room's keys and its channel live in one Redis Cluster slot and its scripts stay atomic.
 * {@code docs/cluster.md} lists these key families with their lifetimes.
 */
final class RedisKeys {

    private static final String PREFIX = "kindred:";

    private RedisKeys() {}

    static String seq(String room) {
        return PREFIX + "{" + room + "}:seq";
    }

    static String history(String room) {
        return PREFIX + "{" + room + "}:history";
    }

    static String epoch(String room) {
        return PREFIX + "{" + room + "}:epoch";
    }

    static String sent(String room, String userId, String clientMsgId) {
        return PREFIX + "{" + room + "}:sent:" + userId.length() + ":" + userId + ":" + clientMsgId;
    }

    static String deleted(String room) {
        return PREFIX + "{" + room + "}:deleted";
    }

    /** Where a room's history is rebuilt with one entry replaced, before it takes the history's name. */
    static String historyRewrite(String room) {
        return PREFIX + "{" + room + "}:history-rewrite";
    }

    static String presence(String room) {
        return PREFIX + "{" + room + "}:presence";
    }

    static String channel(String room) {
        return PREFIX + "{" + room + "}:events";
    }

    /** The room of a channel name made by {@link #channel}, or null. */
    static String roomOfChannel(String channel) {
        int open = channel.indexOf('{');
        int close = channel.indexOf('}', open + 1);
        return open < 0 || close < 0 ? null : channel.substring(open + 1, close);
    }

    static String nodes() {
        return PREFIX + "nodes";
    }

    static String nodeAlive(String nodeId) {
        return PREFIX + "node:{" + nodeId + "}:alive";
    }

    static String nodeRooms(String nodeId) {
        return PREFIX + "node:{" + nodeId + "}:rooms";
    }

    static String nodeReaper(String nodeId) {
        return PREFIX + "node:{" + nodeId + "}:reaper";
    }

    /** A user's command budget shared by every node ({@code budget.lua}); gone once full again. */
    static String budget(String userId) {
        return PREFIX + "budget:{" + userId + "}";
    }

    /** A webhook event claimed by the node that sends it ({@code SET NX}, a day): the others send it no more. */
    static String webhookSent(String eventKey) {
        return PREFIX + "webhook-sent:" + eventKey;
    }
}
