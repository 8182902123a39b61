package org.kindred.server.group;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.kindred.protocol.ServerMessage;

/**
 * Where a node's sessions bring group commands. {@link LocalGroupStore} runs them on this node's {@link GroupService};
 * the Redis store runs each one on the state the cluster keeps in Redis, one command at a time cluster-wide, and every
 * node applies the result to its own copy within milliseconds, so controls hold on every node.
 */
public interface GroupStore extends AutoCloseable {

    /** A command on the group service. */
    @FunctionalInterface
    interface Call {
        ServerMessage run(GroupService service);
    }

    /**
     * Carries out a command. The future completes with its reply, or fails with a {@link Refusal} (the command
     * was refused) or another exception (the state could not be reached: the client should retry).
     */
    CompletableFuture<ServerMessage> execute(Call call);

    /**
     * Carries out a command that changes nothing (a list, an attendance) on this node's copy of the state, without
     * taking the cluster's lock; it may lag a change made elsewhere by a moment.
     */
    CompletableFuture<ServerMessage> read(Call call);

    /** A connection left a meeting's room, or closed while in it. */
    void left(String userId, String room, String connectionId);

    /** This node's name for a connection, unique in the cluster. */
    String connectionKey(String connectionId);

    /**
     * Whether this user may post in this meeting room now, on this node's copy of the state (which may lag a change
     * made elsewhere by a moment). Returns the slow-mode period that applies to it, in seconds (0: none).
     */
    int checkPost(String room, Actor actor);

    /**
     * Takes a member's slow-mode turn for one message. Completes with 0 when it may post now, or with the milliseconds
     * to wait. The same client message id may take its turn again (a send repeated after a lost ack).
     */
    CompletableFuture<Long> takeTurn(String room, String userId, String clientMsgId, int periodSeconds);

    /** Gives a turn back: the message it was taken for could not be posted. */
    void giveBackTurn(String room, String userId, String clientMsgId);

    /** Whether this is a meeting room of a group this node knows. */
    boolean isMeetingRoom(String room);

    /** The room of the group's meeting on now. */
    Optional<String> currentRoom(String groupId);

    /** The facilitators of the group of a meeting room. */
    List<String> facilitatorsOf(String room);

    /** Meetings in their lobby or open now, as this node's copy of the state has them. */
    int meetingsOn();

    /** Members in meetings now (facilitators not counted), as this node's copy of the state has them. */
    int participants();

    /** Runs what is due; called every second. */
    void tick();

    @Override
    void close();
}
