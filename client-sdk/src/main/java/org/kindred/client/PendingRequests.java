package org.kindred.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.kindred.protocol.ServerMessage;

/**
 * Commands waiting for their reply, by {@code ref}, each with a deadline. Time is read from a ticker (nanoseconds,
 * like {@link System#nanoTime()}) so that tests can move it; {@link #expire()} fails the overdue ones and the owner
 * calls it when a deadline passes.
 *
 * <p>Not thread-safe: the client uses it from its event loop only. Futures are completed on the calling thread.
 */
final class PendingRequests {

    private record Entry(CompletableFuture<ServerMessage> future, long deadlineNanos, String what) {}

    private final LongSupplier ticker;
    private final Map<String, Entry> byRef = new LinkedHashMap<>();

    /** @param ticker the current time in nanoseconds, from an arbitrary origin */
    PendingRequests(LongSupplier ticker) {
        this.ticker = ticker;
    }

    /**
     * Registers a command sent with this ref. The future completes with its reply, or fails with the error the server
     * answered, a {@link KindredException#TIMEOUT timeout}, or the reason given to {@link #failAll}.
     *
     * @param what a short description for the timeout message, for example the command type; never message text
     */
    CompletableFuture<ServerMessage> register(String ref, Duration timeout, String what) {
        CompletableFuture<ServerMessage> future = new CompletableFuture<>();
        Entry previous = byRef.putIfAbsent(ref, new Entry(future, ticker.getAsLong() + timeout.toNanos(), what));
        if (previous != null) {
            throw new IllegalStateException("ref already pending: " + ref);
        }
        return future;
    }

    /** Completes the command with this ref; false when none is pending (unknown, expired or already answered). */
    boolean complete(String ref, ServerMessage reply) {
        Entry entry = byRef.remove(ref);
        return entry != null && entry.future.complete(reply);
    }

    /** Fails the command with this ref; false when none is pending. */
    boolean fail(String ref, Throwable error) {
        Entry entry = byRef.remove(ref);
        return entry != null && entry.future.completeExceptionally(error);
    }

    /** Fails every command whose deadline has passed with a timeout; returns how many. */
    int expire() {
        long now = ticker.getAsLong();
        List<Entry> overdue = new ArrayList<>();
        for (Iterator<Entry> it = byRef.values().iterator(); it.hasNext(); ) {
            Entry entry = it.next();
            if (entry.deadlineNanos - now <= 0) {
                it.remove();
                overdue.add(entry);
            }
        }
        overdue.forEach(e -> e.future.completeExceptionally(KindredException.timeout(e.what)));
        return overdue.size();
    }

    /** Fails every pending command with this error, for example when the connection closes. */
    void failAll(Throwable error) {
        List<Entry> all = List.copyOf(byRef.values());
        byRef.clear();
        all.forEach(e -> e.future.completeExceptionally(error));
    }

    /** How many commands are waiting. */
    int size() {
        return byRef.size();
    }
}
