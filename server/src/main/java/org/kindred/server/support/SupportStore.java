package org.kindred.server.support;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.UserInfo;

/**
 * Where a node's sessions bring support commands. {@link LocalSupportStore} runs them on this node's
 * {@link SupportService}; {@code RedisSupportStore} runs each one on the state the cluster keeps in Redis, one
 * command at a time cluster-wide, so that two mentors accepting the same request on two nodes cannot both get it.
 */
public interface SupportStore extends AutoCloseable {

    /** A command on the support service. */
    @FunctionalInterface
    interface Call {
        ServerMessage run(SupportService service);
    }

    /**
     * Carries out a command. The future completes with its reply, or fails with a {@link Refusal} (the
     * command was refused) or another exception (the state could not be reached: the client should retry).
     */
    CompletableFuture<ServerMessage> execute(Call call);

    /** Whether the user takes part in the session now. */
    CompletableFuture<Boolean> canAccess(String userId, String sessionId);

    /** Whether the session takes messages; may lag a change made elsewhere by a moment. */
    boolean isOpen(String sessionId);

    /** The session's mentor now, if any; may lag a change made elsewhere by a moment. */
    Optional<String> mentorOf(String sessionId);

    /**
     * Tells a user's other devices, on every node, what one of its connections just did (a mentor accepted an offer
     * on its phone: its laptop learns of the session); that connection has its reply already.
     */
    void toOtherDevices(String userId, String connectionId, ServerMessage event);

    /** A message was posted in the session. */
    void touched(String sessionId);

    /** A user's first connection on this node. */
    void connected(UserInfo user);

    /** A user's last connection on this node is gone. */
    void disconnected(String userId);

    /** Runs what is due; called every second. */
    void tick();

    /** The record of a session. */
    Optional<SupportService.SessionRecord> record(String sessionId);

    @Override
    void close();
}
