package org.kindred.client;

/**
 * Joins the parts of a text message that the WebSocket delivers in several calls ({@code last == false} for all but
 * the final part). Not thread-safe: the WebSocket delivers one part at a time.
 */
final class TextAssembler {

    private final int maxChars;
    private final StringBuilder partial = new StringBuilder();

    /** @param maxChars the longest message accepted, in characters */
    TextAssembler(int maxChars) {
        this.maxChars = maxChars;
    }

    /**
     * Adds a part; returns the whole message when this part is the last one, otherwise null.
     *
     * @throws IllegalStateException when the message grows beyond {@code maxChars}
     */
    String append(CharSequence part, boolean last) {
        if (last && partial.isEmpty()) {
            return part.toString();
        }
        if (partial.length() + part.length() > maxChars) {
            partial.setLength(0);
            throw new IllegalStateException("text message longer than " + maxChars + " characters");
        }
        partial.append(part);
        if (!last) {
            return null;
        }
        String whole = partial.toString();
        partial.setLength(0);
        return whole;
    }
}
