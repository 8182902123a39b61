package org.kindred.server.connection;

import org.kindred.protocol.CloseCode;

/**
 * One client connection as the domain sees it. The transport implements it; the domain never sees a socket.
 * Both methods may be called from any thread and never block.
 */
public interface Connection {

    /** A process-unique id of this connection. */
    String id();

    /**
     * Queues a frame for the client. The same {@link EncodedFrame} may be sent to many connections: it is encoded
     * once. A client that has fallen too far behind is closed with {@link CloseCode#SLOW_CONSUMER} instead.
     */
    void send(EncodedFrame frame);

    /** Closes the connection with a close code; queued frames before it are still sent when possible. */
    void close(CloseCode code);

    /**
     * Tells the transport that the connection signed in, so it stops counting against the cap of its address on
     * connections that have not ({@code maxUnsignedPerAddress}). Connections without such a cap ignore it.
     */
    default void signedIn() {}

    /** Runs a task on the thread that serves this connection's commands, after what is already queued there. */
    void execute(Runnable task);
}
