package org.kindred.loadtest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Reads a server frame with Jackson's streaming parser, keeping only what the load generator uses (type, ref, room,
 * seq, the load-test payload of the text, error code, ...) and skipping everything else (authors, presence lists,
 * limits) without building a tree. The text of a message is parsed straight from the parser's char buffer.
 *
 * <p>{@link FrameReader} reads most {@code message} frames with {@link MessageScanner} instead: a field read here for a
 * {@code message} must be read there too (or make it decline).
 */
public final class FrameScanner {

    private static final JsonFactory JSON = new JsonFactory();

    private FrameScanner() {}

    /** Scans a frame's UTF-8 bytes into {@code out} (reset first). */
    public static void scan(byte[] bytes, int offset, int length, Frame out) throws IOException {
        out.reset();
        try (JsonParser p = JSON.createParser(bytes, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("frame is not a JSON object");
            }
            String type = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                switch (name) {
                    case "type" -> type = p.getText();
                    case "ref" -> out.ref = t == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "room" -> {
                        out.room = t == JsonToken.VALUE_STRING ? p.getText() : null;
                        out.message.room = out.room;
                    }
                    case "seq" -> {
                        out.seq = t == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : -1;
                        out.message.seq = out.seq;
                    }
                    case "text" -> {
                        if (t == JsonToken.VALUE_STRING) {
                            out.message.lt = Payload.parse(
                                    p.getTextCharacters(), p.getTextOffset(), p.getTextLength(), out.message.payload);
                        }
                    }
                    case "code" -> out.code = t == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "duplicate" -> out.duplicate = t == JsonToken.VALUE_TRUE;
                    case "recovered" -> out.recovered = t == JsonToken.VALUE_TRUE;
                    case "epoch" -> out.epoch = t == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "requestId" -> out.requestId = t == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "sessionId" -> out.sessionId = t == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "lastSeq" -> out.lastSeq = t == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : -1;
                    case "messages" -> readMessages(p, t, out);
                    case "rooms" -> readRooms(p, t, out);
                    default -> p.skipChildren();
                }
            }
            if (type == null) {
                throw new IOException("frame has no type");
            }
            out.type = Frame.typeOf(type);
        }
    }

    private static void readMessages(JsonParser p, JsonToken t, Frame out) throws IOException {
        if (t != JsonToken.START_ARRAY) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.START_OBJECT) {
            Frame.Msg m = out.nextJoinedMessage();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (name) {
                    case "room" -> m.room = v == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "seq" -> m.seq = v == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : -1;
                    case "text" -> {
                        if (v == JsonToken.VALUE_STRING) {
                            m.lt = Payload.parse(
                                    p.getTextCharacters(), p.getTextOffset(), p.getTextLength(), m.payload);
                        }
                    }
                    default -> p.skipChildren();
                }
            }
        }
    }

    private static void readRooms(JsonParser p, JsonToken t, Frame out) throws IOException {
        if (t != JsonToken.START_ARRAY) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.START_OBJECT) {
            String id = null;
            boolean writable = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (name) {
                    case "id" -> id = v == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "writable" -> writable = v == JsonToken.VALUE_TRUE;
                    default -> p.skipChildren();
                }
            }
            if (id != null) {
                out.rooms.add(new Frame.RoomInfo(id, writable));
            }
        }
    }
}
