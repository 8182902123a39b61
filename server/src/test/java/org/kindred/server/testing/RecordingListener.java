package org.kindred.server.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.kindred.client.KindredListener;
import org.kindred.protocol.ServerMessage;

/** Keeps every event a client delivers to its application. */
public final class RecordingListener implements KindredListener {

    public final List<ServerMessage.ChatMessage> messages = new CopyOnWriteArrayList<>();
    public final List<ServerMessage.PresenceJoined> joins = new CopyOnWriteArrayList<>();
    public final List<ServerMessage.PresenceLeft> leaves = new CopyOnWriteArrayList<>();
    public final List<ServerMessage.TypingEvent> typing = new CopyOnWriteArrayList<>();
    public final List<Integer> disconnects = new CopyOnWriteArrayList<>();
    public final List<String> resumed = new CopyOnWriteArrayList<>();

    @Override
    public void onMessage(ServerMessage.ChatMessage message) {
        messages.add(message);
    }

    @Override
    public void onPresenceJoined(ServerMessage.PresenceJoined event) {
        joins.add(event);
    }

    @Override
    public void onPresenceLeft(ServerMessage.PresenceLeft event) {
        leaves.add(event);
    }

    @Override
    public void onTyping(ServerMessage.TypingEvent event) {
        typing.add(event);
    }

    @Override
    public void onDisconnected(int closeCode, String reason, boolean willReconnect) {
        disconnects.add(closeCode);
    }

    @Override
    public void onResumed(String room, boolean recovered) {
        resumed.add(room + ":" + recovered);
    }

    public List<String> texts(String room) {
        return messages.stream()
                .filter(m -> m.room().equals(room))
                .map(ServerMessage.ChatMessage::text)
                .toList();
    }

    public List<Long> seqs(String room) {
        return messages.stream()
                .filter(m -> m.room().equals(room))
                .map(ServerMessage.ChatMessage::seq)
                .toList();
    }
}
