package org.kindred.server.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.kindred.protocol.DecodeException;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.WireCodec;

/**
 * The {@code body} column of a record: its full value as JSON (a frame as the wire codec writes it, or another record
 * as Jackson does). A body that does not read back is a broken database, not bad input: it fails loudly.
 */
final class StoredBodies {

    private final ObjectMapper json = new ObjectMapper();
    private final WireCodec codec;

    StoredBodies(WireCodec codec) {
        this.codec = codec;
    }

    String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    <T> T read(String stored, Class<T> type) {
        try {
            return json.readValue(stored, type);
        } catch (IOException e) {
            throw new UncheckedIOException("an unreadable " + type.getSimpleName() + " in the database", e);
        }
    }

    ServerMessage frame(String stored) {
        try {
            return codec.decodeServer(stored);
        } catch (DecodeException e) {
            throw new IllegalStateException("a record in the database cannot be read: " + e.getMessage(), e);
        }
    }
}
