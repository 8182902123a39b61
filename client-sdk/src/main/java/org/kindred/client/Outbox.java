package org.kindred.client;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.kindred.protocol.ServerMessage;

/**
 * Sends not yet acknowledged, in the order the application made them. A send stays here across reconnects, so that
 * it can be sent again with the same {@code clientMsgId} (the server acknowledges a repeat without posting it twice),
 * until it is acknowledged or fails for good.
 *
 * <p>Not thread-safe: the client uses it from its event loop only.
 */
final class Outbox {

    /** Where a send stands. */
    enum Status {
        /** Waiting to be sent (again) once the session is ready. */
        QUEUED,
        /** Sent on the current connection; waiting for its ack. */
        IN_FLIGHT
    }

    /** One send of the application. Identity matters: two sends with the same clientMsgId are two entries. */
    static final class PendingSend {
        final String room;
        final String clientMsgId;
        final String text;
        final CompletableFuture<ServerMessage.Ack> future;
        Status status = Status.QUEUED;
        /** The ref of the latest transmission; replies to older ones are ignored. */
        String ref;
        /** How many transmissions were refused with a retryable error. */
        int refusals;
        /** Whether the server answered a transmission {@code outcome_unknown}: it may be stored, never give it up. */
        boolean mayBeStored;

        PendingSend(String room, String clientMsgId, String text, CompletableFuture<ServerMessage.Ack> future) {
            this.room = room;
            this.clientMsgId = clientMsgId;
            this.text = text;
            this.future = future;
        }
    }

    private final LinkedHashSet<PendingSend> sends = new LinkedHashSet<>();

    /** Adds a send at the end, {@link Status#QUEUED}. */
    PendingSend add(String room, String clientMsgId, String text, CompletableFuture<ServerMessage.Ack> future) {
        PendingSend send = new PendingSend(room, clientMsgId, text, future);
        sends.add(send);
        return send;
    }

    /** Removes a send that was acknowledged or failed for good. */
    void remove(PendingSend send) {
        sends.remove(send);
    }

    /** Whether this send is still waiting (not acknowledged, failed, or cancelled by the application). */
    boolean contains(PendingSend send) {
        return sends.contains(send);
    }

    /**
     * The sends to transmit now: per room, the oldest waiting send, and only when no send of that room is on its way.
     * One send per room at a time keeps a member's messages in the order it wrote them, even when some are refused
     * and retried. Sends whose future the application already completed are dropped on the way.
     */
    List<PendingSend> sendable() {
        Set<String> busy = new HashSet<>();
        List<PendingSend> next = new ArrayList<>();
        for (Iterator<PendingSend> it = sends.iterator(); it.hasNext(); ) {
            PendingSend send = it.next();
            if (send.future.isDone() && send.status == Status.QUEUED) {
                it.remove();
                continue;
            }
            if (busy.add(send.room) && send.status == Status.QUEUED) {
                next.add(send);
            }
        }
        return next;
    }

    /** Removes and returns every send to this room, in order, for failing them when the room is gone for good. */
    List<PendingSend> removeRoom(String room) {
        List<PendingSend> removed = new ArrayList<>();
        for (Iterator<PendingSend> it = sends.iterator(); it.hasNext(); ) {
            PendingSend send = it.next();
            if (send.room.equals(room)) {
                it.remove();
                removed.add(send);
            }
        }
        return removed;
    }

    /** Queues every send again: after a reconnect they all go out again, in order. */
    void requeueAll() {
        for (PendingSend send : sends) {
            send.status = Status.QUEUED;
        }
    }

    /** Removes and returns every send, for failing them when the client gives up. */
    List<PendingSend> drain() {
        List<PendingSend> all = List.copyOf(sends);
        sends.clear();
        return all;
    }

    /** How many sends are waiting. */
    int size() {
        return sends.size();
    }
}
