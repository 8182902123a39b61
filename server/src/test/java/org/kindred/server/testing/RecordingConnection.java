package org.kindred.server.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.kindred.protocol.CloseCode;
import org.kindred.protocol.DecodeException;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.WireCodec;
import org.kindred.server.connection.Connection;
import org.kindred.server.connection.EncodedFrame;

/** A connection for unit tests of the domain: it decodes and keeps everything it is sent. */
public final class RecordingConnection implements Connection {

    private static final WireCodec CODEC = new WireCodec();

    private final String id;
    private final List<ServerMessage> received = new CopyOnWriteArrayList<>();
    private final List<EncodedFrame> frames = new CopyOnWriteArrayList<>();
    private volatile CloseCode closedWith;
    private volatile Consumer<ServerMessage> onReceive = message -> {};

    public RecordingConnection(String id) {
        this.id = id;
    }

    /** Runs a check on each message as it arrives, on the sender's thread (to see what was true at that moment). */
    public RecordingConnection onReceive(Consumer<ServerMessage> check) {
        this.onReceive = check;
        return this;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public void send(EncodedFrame frame) {
        frames.add(frame);
        try {
            ServerMessage message =
                    CODEC.decodeServer(new String(frame.utf8(), java.nio.charset.StandardCharsets.UTF_8));
            received.add(message);
            onReceive.accept(message);
        } catch (DecodeException e) {
            throw new AssertionError("server sent an undecodable frame: " + e.getMessage(), e);
        }
    }

    @Override
    public void close(CloseCode code) {
        closedWith = code;
    }

    @Override
    public void execute(Runnable task) {
        task.run();
    }

    public List<ServerMessage> received() {
        return received;
    }

    public List<EncodedFrame> frames() {
        return frames;
    }

    public <T extends ServerMessage> List<T> received(Class<T> type) {
        return received.stream().filter(type::isInstance).map(type::cast).toList();
    }

    public <T extends ServerMessage> T last(Class<T> type) {
        List<T> all = received(type);
        if (all.isEmpty()) {
            throw new AssertionError("no " + type.getSimpleName() + " among " + received);
        }
        return all.getLast();
    }

    public CloseCode closedWith() {
        return closedWith;
    }

    public void clear() {
        received.clear();
        frames.clear();
    }
}
