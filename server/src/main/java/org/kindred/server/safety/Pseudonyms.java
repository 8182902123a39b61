package org.kindred.server.safety;

import com.ibm.icu.text.SpoofChecker;
import java.util.List;
import java.util.Optional;

/**
 * What a pseudonym may not be ({@code docs/safety.md#pseudonyms}): a name with invisible or direction-changing
 * characters ("Jo\u202Erotaredom" shows as "Jomoderator"), or, for anyone but a moderator, a name that reads like a
 * reserved word — "moderator", "admin", "kindred" — however it is written: other scripts' look-alike letters, spacing,
 * punctuation, leetspeak digits, case ("M0d3rator", "A d m i n", "Моderator" with a Cyrillic "М").
 */
public final class Pseudonyms {

    /** Words only the service's own staff may use in a name. */
    static final List<String> RESERVED = List.of("moderator", "admin", "kindred");

    private static final SpoofChecker CONFUSABLES = new SpoofChecker.Builder().build();

    private Pseudonyms() {}

    /**
     * Why this pseudonym is refused, in words to show the person choosing it; empty when it may be used.
     *
     * @param moderator whether its owner is a moderator (who may call itself one)
     */
    public static Optional<String> refusal(String pseudonym, boolean moderator) {
        if (pseudonym.codePoints().anyMatch(Pseudonyms::invisible)) {
            return Optional.of("a pseudonym may not contain invisible or direction-changing characters");
        }
        if (moderator) {
            return Optional.empty();
        }
        String joined = String.join("", TextNormalizer.words(TextNormalizer.fold(pseudonym)));
        String skeleton = CONFUSABLES.getSkeleton(joined);
        for (String word : RESERVED) {
            if (joined.contains(word) || skeleton.contains(CONFUSABLES.getSkeleton(word))) {
                return Optional.of("'" + pseudonym + "' reads like '" + word
                        + "', a word kept for the service's staff; please choose another pseudonym");
            }
        }
        return Optional.empty();
    }

    /** Format characters (zero-width, joiners, bidirectional controls) and other invisible ones. */
    private static boolean invisible(int cp) {
        int type = Character.getType(cp);
        return type == Character.FORMAT
                || type == Character.PRIVATE_USE
                || type == Character.UNASSIGNED
                || cp == 0x115F
                || cp == 0x1160
                || cp == 0x3164
                || cp == 0xFFA0; // Hangul fillers, which render as blank
    }
}
