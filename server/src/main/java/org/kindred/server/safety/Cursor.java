package org.kindred.server.safety;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Where the next page of a moderator queue starts: the sort key of the last item sent (a time or a sequence number,
 * and an id that breaks ties). Clients get it as an opaque {@code nextCursor} and send it back unchanged.
 */
public record Cursor(long at, String id) {

    public Cursor {
        if (id == null) {
            throw new IllegalArgumentException("id: null (expected: an item id, or empty)");
        }
    }

    /** The wire form: URL-safe base64 of {@code at:id}, no padding. */
    public String encode() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((at + ":" + id).getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor a client sent back; empty when it is not one this server gave. */
    public static Optional<Cursor> decode(String wire) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(wire), StandardCharsets.UTF_8);
            int colon = text.indexOf(':');
            if (colon <= 0) {
                return Optional.empty();
            }
            return Optional.of(new Cursor(Long.parseLong(text.substring(0, colon)), text.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
