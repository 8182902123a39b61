package org.kindred.server.testing;

import java.util.ArrayList;
import java.util.List;
import org.kindred.client.KindredListener;
import org.kindred.protocol.CloseCode;
import org.kindred.protocol.ServerMessage;

/**
 * What one client's application saw, in the order it saw it: messages, disconnects and resumes on one list, so a test
 * can ask what came after a room's history was reset (close 4004).
 */
public final class Timeline implements KindredListener {

    private sealed interface Entry {}

    private record Message(ServerMessage.ChatMessage message) implements Entry {}

    private record Disconnected(int code) implements Entry {}

    private record Resumed(String room, boolean recovered) implements Entry {}

    private final List<Entry> entries = new ArrayList<>();

    @Override
    public synchronized void onMessage(ServerMessage.ChatMessage message) {
        entries.add(new Message(message));
    }

    @Override
    public synchronized void onDisconnected(int closeCode, String reason, boolean willReconnect) {
        entries.add(new Disconnected(closeCode));
    }

    @Override
    public synchronized void onResumed(String room, boolean recovered) {
        entries.add(new Resumed(room, recovered));
    }

    /** Every message's text, in delivery order. */
    public synchronized List<String> texts() {
        return messagesFrom(0).stream().map(ServerMessage.ChatMessage::text).toList();
    }

    /** Texts of the messages delivered after the last close 4004 (all of them when there was none). */
    public synchronized List<String> afterLastReset() {
        return messagesFrom(lastReset()).stream()
                .map(ServerMessage.ChatMessage::text)
                .toList();
    }

    /** Sequence numbers of the messages delivered after the last close 4004. */
    public synchronized List<Long> seqsAfterLastReset() {
        return messagesFrom(lastReset()).stream()
                .map(ServerMessage.ChatMessage::seq)
                .toList();
    }

    public synchronized List<Integer> disconnects() {
        return entries.stream()
                .filter(Disconnected.class::isInstance)
                .map(e -> ((Disconnected) e).code())
                .toList();
    }

    /** {@code room:recovered} for every resume. */
    public synchronized List<String> resumed() {
        return entries.stream()
                .filter(Resumed.class::isInstance)
                .map(e -> ((Resumed) e).room() + ":" + ((Resumed) e).recovered())
                .toList();
    }

    private int lastReset() {
        for (int i = entries.size() - 1; i >= 0; i--) {
            if (entries.get(i) instanceof Disconnected d && d.code() == CloseCode.ROOM_RESET.code()) {
                return i + 1;
            }
        }
        return 0;
    }

    private List<ServerMessage.ChatMessage> messagesFrom(int index) {
        List<ServerMessage.ChatMessage> messages = new ArrayList<>();
        for (Entry entry : entries.subList(index, entries.size())) {
            if (entry instanceof Message m) {
                messages.add(m.message());
            }
        }
        return messages;
    }
}
