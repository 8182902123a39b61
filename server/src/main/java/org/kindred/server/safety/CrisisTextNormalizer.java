package org.kindred.server.safety;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Folds a message (or a rule) into the form that crisis rules are matched against: words of lower-case letters and
 * digits separated by single spaces.
 *
 * <ul>
 * <li>Compatibility decomposition (NFKD) then removal of combining marks: accents go ("à" is "a"), and the styled
 * letters of "fancy text" generators and fullwidth letters become plain letters ("𝐤𝐢𝐥𝐥" is "kill").</li>
 * <li>Lower case with {@link Locale#ROOT}; a few letters without a decomposition are spelled out (œ, æ, ß, ø, ł,
 * đ).</li>
 * <li>Invisible format characters (zero-width space, soft hyphen, joiners) are dropped, so they cannot split a
 * word.</li>
 * <li>Every other character that is not a letter or a digit (punctuation, apostrophes, emoji, white space) separates
 * words; separators collapse into one space, with none at either end.</li>
 * <li>In a word that contains a letter, the leetspeak digits 0 1 3 4 5 7 read as o i e a s t ("k1ll" is "kill");
 * words made only of digits ("20 pills") are kept.</li>
 * </ul>
 *
 * Stateless and thread-safe.
 */
final class CrisisTextNormalizer {

    private CrisisTextNormalizer() {}

    /** The normalised text: its words joined by single spaces. */
    record Normalized(String text, List<String> words) {}

    static Normalized normalize(String raw) {
        if (raw == null || raw.isEmpty()) {
            return new Normalized("", List.of());
        }
        String decomposed = Normalizer.normalize(raw, Normalizer.Form.NFKD);
        List<String> words = new ArrayList<>();
        StringBuilder text = new StringBuilder(decomposed.length());
        StringBuilder word = new StringBuilder();
        boolean wordHasLetter = false;
        for (int i = 0; i < decomposed.length(); ) {
            int cp = decomposed.codePointAt(i);
            i += Character.charCount(cp);
            int type = Character.getType(cp);
            if (type == Character.NON_SPACING_MARK
                    || type == Character.COMBINING_SPACING_MARK
                    || type == Character.ENCLOSING_MARK
                    || type == Character.FORMAT) {
                continue;
            }
            if (Character.isLetter(cp)) {
                appendLetter(word, cp);
                wordHasLetter = true;
            } else if (Character.isDigit(cp)) {
                // NFKD already turned superscript and fullwidth digits into ASCII ones; other scripts' digits stay.
                word.appendCodePoint(cp);
            } else if (!word.isEmpty()) {
                endWord(word, wordHasLetter, words, text);
                wordHasLetter = false;
            }
        }
        if (!word.isEmpty()) {
            endWord(word, wordHasLetter, words, text);
        }
        return new Normalized(text.toString(), List.copyOf(words));
    }

    private static void appendLetter(StringBuilder word, int cp) {
        switch (cp) {
            case 'œ', 'Œ' -> word.append("oe");
            case 'æ', 'Æ' -> word.append("ae");
            case 'ß', 'ẞ' -> word.append("ss");
            case 'ø', 'Ø' -> word.append('o');
            case 'ł', 'Ł' -> word.append('l');
            case 'đ', 'Đ' -> word.append('d');
            default -> {
                if (cp < 0x80) {
                    word.append((char) (cp >= 'A' && cp <= 'Z' ? cp + ('a' - 'A') : cp));
                } else {
                    word.append(new String(Character.toChars(cp)).toLowerCase(Locale.ROOT));
                }
            }
        }
    }

    private static void endWord(StringBuilder word, boolean hasLetter, List<String> words, StringBuilder text) {
        if (hasLetter) {
            for (int j = 0; j < word.length(); j++) {
                char c = word.charAt(j);
                char mapped = switch (c) {
                    case '0' -> 'o';
                    case '1' -> 'i';
                    case '3' -> 'e';
                    case '4' -> 'a';
                    case '5' -> 's';
                    case '7' -> 't';
                    default -> c;
                };
                if (mapped != c) {
                    word.setCharAt(j, mapped);
                }
            }
        }
        String w = word.toString();
        word.setLength(0);
        words.add(w);
        if (!text.isEmpty()) {
            text.append(' ');
        }
        text.append(w);
    }
}
