package org.kindred.server.safety;

import com.ibm.icu.text.Normalizer2;
import com.ibm.icu.text.SpoofChecker;
import com.ibm.icu.text.Transliterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Folds what a member writes into the forms that safety rules match, so that look-alike letters, styled letters,
 * accents, case and invisible characters do not hide a word. One normaliser for the crisis detector and the content
 * rules; {@link NormalizedText} carries its result for one message.
 *
 * <p><b>Folded text</b> (for the content rules): every character kept in place, punctuation included, but
 *
 * <ul>
 *   <li>case-folded and in compatibility form (Unicode NFKC_Casefold): fullwidth and "fancy text" letters and digits
 *       become plain ones ("ｋｉｌｌ" and "𝐤𝐢𝐥𝐥" are "kill", "５００" is "500", "＠" is "@"); invisible format
 *       characters (zero-width space, soft hyphen, joiners, bidirectional controls) are dropped;
 *   <li>without accents or other combining marks ("à" is "a", Zalgo text loses its marks);
 *   <li>a letter of another script that looks like a Latin one is replaced by it, from the Unicode confusables
 *       (UTS #39 skeleton, ICU {@link SpoofChecker}): the Cyrillic "і" of "kіll" is "i", the Greek "ο" is "o";
 *   <li>any other letter is transliterated (ICU {@code Any-Latin; Latin-ASCII}): "ł" is "l", "œ" is "oe", the Cyrillic
 *       "к" is "k", "ж" is "z"; what has no Latin form (an emoji) stays as it is.
 * </ul>
 *
 * ASCII letters, digits and punctuation are never changed beyond lower case: a confusable skeleton maps "m" to "rn"
 * and "0" to "O", which is right for comparing two names and wrong for reading a message.
 *
 * <p><b>Words</b> (for the crisis rules): the folded text cut at every character that is not a letter or a digit, and
 * inside a word that has a letter, the leetspeak digits 0 1 3 4 5 7 read as o i e a s t ("k1ll" is "kill"); words made
 * only of digits ("20 pills") are kept.
 *
 * <p><b>Cost.</b> Text that is all ASCII (most messages) is only lower-cased, without ICU. Any other character is
 * folded once per code point and remembered (a fixed table for the Basic Multilingual Plane, a bounded map beyond it),
 * so ICU runs only on characters never seen before. Stateless apart from that memo; thread-safe.
 */
final class TextNormalizer {

    private TextNormalizer() {}

    private static final Normalizer2 NFKC_CASEFOLD = Normalizer2.getNFKCCasefoldInstance();
    private static final Normalizer2 NFD = Normalizer2.getNFDInstance();
    private static final SpoofChecker CONFUSABLES = new SpoofChecker.Builder().build();
    private static final Transliterator TO_LATIN = Transliterator.getInstance("Any-Latin; Latin-ASCII");

    /** Folded forms of BMP code points beyond ASCII, filled as they are met (a benign race: same value). */
    private static final AtomicReferenceArray<String> BMP = new AtomicReferenceArray<>(0x10000);
    /** Folded forms beyond the BMP (styled letters, emoji), up to a bound so that no text can grow it forever. */
    private static final ConcurrentHashMap<Integer, String> SUPPLEMENTARY = new ConcurrentHashMap<>();

    private static final int SUPPLEMENTARY_MEMO_LIMIT = 4096;

    /** The folded text: lower case, compatibility forms, no marks, look-alikes and other scripts in Latin. */
    static String fold(String raw) {
        if (raw == null || raw.isEmpty()) {
            return "";
        }
        int n = raw.length();
        int firstNonAscii = 0;
        boolean hasUpper = false;
        while (firstNonAscii < n) {
            char c = raw.charAt(firstNonAscii);
            if (c >= 0x80) {
                break;
            }
            hasUpper |= c >= 'A' && c <= 'Z';
            firstNonAscii++;
        }
        if (firstNonAscii == n) {
            return hasUpper ? raw.toLowerCase(Locale.ROOT) : raw;
        }
        StringBuilder out = new StringBuilder(n + 8);
        for (int i = 0; i < n; ) {
            int cp = raw.codePointAt(i);
            i += Character.charCount(cp);
            if (cp < 0x80) {
                out.append((char) (cp >= 'A' && cp <= 'Z' ? cp + ('a' - 'A') : cp));
            } else {
                out.append(foldCodePoint(cp));
            }
        }
        return out.toString();
    }

    /**
     * The words of a folded text (see {@link #fold}): runs of letters and digits, leetspeak digits read as letters in
     * words that have a letter.
     */
    static List<String> words(String folded) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean wordHasLetter = false;
        for (int i = 0; i < folded.length(); ) {
            int cp = folded.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isLetter(cp)) {
                word.appendCodePoint(cp);
                wordHasLetter = true;
            } else if (Character.isDigit(cp)) {
                word.appendCodePoint(cp);
            } else if (!word.isEmpty()) {
                words.add(endWord(word, wordHasLetter));
                wordHasLetter = false;
            }
        }
        if (!word.isEmpty()) {
            words.add(endWord(word, wordHasLetter));
        }
        return words;
    }

    /** Reads the leetspeak digits of a word that has a letter, and empties the builder. */
    static String endWord(StringBuilder word, boolean hasLetter) {
        if (hasLetter) {
            for (int j = 0; j < word.length(); j++) {
                char mapped = leet(word.charAt(j));
                if (mapped != word.charAt(j)) {
                    word.setCharAt(j, mapped);
                }
            }
        }
        String w = word.toString();
        word.setLength(0);
        return w;
    }

    private static char leet(char c) {
        return switch (c) {
            case '0' -> 'o';
            case '1' -> 'i';
            case '3' -> 'e';
            case '4' -> 'a';
            case '5' -> 's';
            case '7' -> 't';
            default -> c;
        };
    }

    private static String foldCodePoint(int cp) {
        if (cp < 0x10000) {
            String folded = BMP.get(cp);
            if (folded == null) {
                folded = computeFold(cp);
                BMP.set(cp, folded);
            }
            return folded;
        }
        String folded = SUPPLEMENTARY.get(cp);
        if (folded == null) {
            folded = computeFold(cp);
            if (SUPPLEMENTARY.size() < SUPPLEMENTARY_MEMO_LIMIT) {
                SUPPLEMENTARY.put(cp, folded);
            }
        }
        return folded;
    }

    /** The folded form of one code point beyond ASCII: "" for marks and invisible characters. */
    static String computeFold(int cp) {
        if (isMark(Character.getType(cp))) {
            return "";
        }
        String compatible = withoutMarks(NFKC_CASEFOLD.normalize(new String(Character.toChars(cp))));
        if (isAscii(compatible)) {
            return compatible;
        }
        StringBuilder out = new StringBuilder();
        compatible.codePoints().forEach(c -> out.append(c < 0x80 ? String.valueOf((char) c) : toLatin(c)));
        return out.toString();
    }

    /** A non-ASCII letter, digit or sign after compatibility folding: its Latin look-alike, or its transliteration. */
    private static String toLatin(int cp) {
        String original = new String(Character.toChars(cp));
        if (!Character.isLetterOrDigit(cp) && !isPunctuation(Character.getType(cp))) {
            return original; // symbols, emoji, spaces of other kinds: kept as they are (they separate words)
        }
        String lookAlike;
        synchronized (CONFUSABLES) {
            lookAlike = CONFUSABLES.getSkeleton(original);
        }
        lookAlike = withoutMarks(NFKC_CASEFOLD.normalize(lookAlike));
        if (isAscii(lookAlike) && !lookAlike.isEmpty()) {
            return lookAlike;
        }
        String transliterated;
        synchronized (TO_LATIN) {
            transliterated = TO_LATIN.transliterate(original);
        }
        transliterated = withoutMarks(transliterated).toLowerCase(Locale.ROOT);
        return isAscii(transliterated) && !transliterated.isEmpty() ? transliterated : original;
    }

    private static String withoutMarks(String text) {
        String decomposed = NFD.normalize(text);
        StringBuilder out = new StringBuilder(decomposed.length());
        decomposed.codePoints().filter(c -> !isMark(Character.getType(c))).forEach(out::appendCodePoint);
        return out.toString();
    }

    private static boolean isMark(int type) {
        return type == Character.NON_SPACING_MARK
                || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK
                || type == Character.FORMAT;
    }

    private static boolean isPunctuation(int type) {
        return type == Character.OTHER_PUNCTUATION
                || type == Character.DASH_PUNCTUATION
                || type == Character.START_PUNCTUATION
                || type == Character.END_PUNCTUATION
                || type == Character.CONNECTOR_PUNCTUATION
                || type == Character.MATH_SYMBOL;
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
