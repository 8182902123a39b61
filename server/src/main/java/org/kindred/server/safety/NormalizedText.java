package org.kindred.server.safety;

import java.util.List;

/**
 * One message as the safety rules read it, normalised once and shared between the crisis detector and the content
 * rules (see {@link TextNormalizer} for what the folding does). The folded text is computed at once; the words, which
 * only the crisis detector needs, on first use. Build one per message with {@link #of} and pass it to
 * {@link CrisisDetector#detect(NormalizedText)} and to {@link ContentRules}.
 *
 * <p>Immutable in what it returns; safe to share between threads (a word list computed twice is the same list).
 */
public final class NormalizedText {

    private static final NormalizedText EMPTY = new NormalizedText("", "");

    private final String raw;
    private final String folded;
    private volatile List<String> words;

    private NormalizedText(String raw, String folded) {
        this.raw = raw;
        this.folded = folded;
    }

    /** Normalises a message's text; {@code null} reads as empty. */
    public static NormalizedText of(String raw) {
        if (raw == null || raw.isEmpty()) {
            return EMPTY;
        }
        return new NormalizedText(raw, TextNormalizer.fold(raw));
    }

    /** The text as the member wrote it. */
    public String raw() {
        return raw;
    }

    /**
     * The text folded: lower case, compatibility forms ("５００" is "500"), no accents or invisible characters,
     * look-alike letters of other scripts replaced by Latin ones; punctuation and spacing kept in place.
     */
    public String folded() {
        return folded;
    }

    /** The words of the folded text (letters and digits), leetspeak digits read as letters in words with a letter. */
    public List<String> words() {
        List<String> result = words;
        if (result == null) {
            result = List.copyOf(TextNormalizer.words(folded));
            words = result;
        }
        return result;
    }

    /** The words joined by single spaces: what crisis patterns run on. */
    public String text() {
        return String.join(" ", words());
    }

    @Override
    public String toString() {
        // Never the text: this may end up in a log line.
        return "NormalizedText[" + raw.length() + " chars]";
    }
}
