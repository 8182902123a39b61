package org.kindred.client;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.kindred.protocol.ServerMessage.ChatMessage;
import org.kindred.protocol.ServerMessage.Joined;

/**
 * Remembers, per joined room, the room's history epoch and the last sequence number delivered to the application, so
 * that every message is delivered once and in order: a message at or below the cursor is a duplicate and is dropped.
 * A join reply in a new epoch (the room's history was reset) starts the room's sequence again.
 *
 * <p>Not thread-safe: the client uses it from its event loop only.
 */
final class DeliveryTracker {

    /** Where delivery stands in one room: its epoch and the last delivered sequence number (0 before any). */
    record RoomCursor(String epoch, long lastSeq) {}

    /**
     * What a join reply means for the application.
     *
     * @param toDeliver messages not delivered before, in ascending sequence order
     * @param recovered true when the room was already tracked and nothing was missed since its cursor
     */
    record JoinOutcome(List<ChatMessage> toDeliver, boolean recovered) {}

    private final Map<String, RoomCursor> cursors = new LinkedHashMap<>();

    /**
     * Takes a join reply into account and returns the messages it holds that the application has not seen. The
     * cursor moves to the reply's {@code lastSeq}: live messages follow above it.
     */
    JoinOutcome joined(Joined joined) {
        RoomCursor previous = cursors.get(joined.room());
        boolean reset = previous == null
                || !previous.epoch().equals(joined.epoch())
                || joined.lastSeq() < previous.lastSeq(); // the server lost history without a new epoch
        long last = reset ? 0 : previous.lastSeq();
        List<ChatMessage> sorted = new ArrayList<>(joined.messages());
        sorted.sort(Comparator.comparingLong(ChatMessage::seq));
        List<ChatMessage> toDeliver = new ArrayList<>();
        for (ChatMessage message : sorted) {
            if (message.seq() > last) {
                toDeliver.add(message);
                last = message.seq();
            }
        }
        cursors.put(joined.room(), new RoomCursor(joined.epoch(), Math.max(last, joined.lastSeq())));
        return new JoinOutcome(List.copyOf(toDeliver), !reset && joined.recovered());
    }

    /** Whether a live message should reach the application: its room is joined and it is newer than the cursor. */
    boolean accept(ChatMessage message) {
        RoomCursor cursor = cursors.get(message.room());
        if (cursor == null || message.seq() <= cursor.lastSeq()) {
            return false;
        }
        cursors.put(message.room(), new RoomCursor(cursor.epoch(), message.seq()));
        return true;
    }

    /** The cursor of a joined room. */
    Optional<RoomCursor> cursor(String room) {
        return Optional.ofNullable(cursors.get(room));
    }

    /** Every joined room with its cursor, in the order the rooms were first joined. */
    Map<String, RoomCursor> cursors() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(cursors));
    }

    /** Stops tracking a room: it is no longer joined. */
    void forget(String room) {
        cursors.remove(room);
    }

    /** Stops tracking every room. */
    void clear() {
        cursors.clear();
    }
}
