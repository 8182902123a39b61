package org.kindred.server.safety;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.kindred.protocol.DecodeException;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.WireCodec;

/**
 * The stored form of safety records, the same wherever they are kept (the database, Redis): records as Jackson writes
 * them, protocol frames as the wire codec does. A record that cannot be read is a failure that names where it is.
 */
public final class RecordJson {

    private final ObjectMapper json = new ObjectMapper();
    private final WireCodec codec;
    private final String place;

    /**
     * @param place where the records are kept, for the message of a record that cannot be read ("the database")
     */
    public RecordJson(WireCodec codec, String place) {
        this.codec = codec;
        this.place = place;
    }

    public String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public <T> T read(String stored, Class<T> type) {
        try {
            return json.readValue(stored, type);
        } catch (IOException e) {
            throw new UncheckedIOException("an unreadable " + type.getSimpleName() + " in " + place, e);
        }
    }

    /** Reads a value of a generic type (a map of sets, say). */
    public <T> T read(String stored, com.fasterxml.jackson.core.type.TypeReference<T> type) {
        try {
            return json.readValue(stored, type);
        } catch (IOException e) {
            throw new UncheckedIOException("an unreadable record in " + place, e);
        }
    }

    /** A protocol message as the wire carries it. */
    public String frame(ServerMessage message) {
        return new String(codec.encode(message), StandardCharsets.UTF_8);
    }

    public ServerMessage decodeFrame(String stored) {
        try {
            return codec.decodeServer(stored);
        } catch (DecodeException e) {
            throw new IllegalStateException("a safety record in " + place + " cannot be read: " + e.getMessage(), e);
        }
    }
}
