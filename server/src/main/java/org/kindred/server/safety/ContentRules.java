package org.kindred.server.safety;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kindred.server.config.RoomRule;

/**
 * What new members may not post in rooms: links, e-mail addresses, social handles and phone numbers; and which
 * messages name a medication dose. Scammers and people who prey on vulnerable members start by moving them elsewhere;
 * a member who has been around for a while, and any mentor, facilitator or moderator, is not held to this.
 *
 * <p>The rules read the message's {@link NormalizedText#folded() folded text}, so fullwidth and look-alike characters
 * ("５００ ｍｇ", "ｔ．ｍｅ", a Cyrillic "е" in a domain) are caught like plain ones, and they see through the usual
 * ways of writing contact details so that a filter misses them: "example[.]com", "robin (at) example (dot) org", "at
 * gmail dot com", "t.me/…", "@handle". Dates ("Diagnosed 2019-03-12", "12/03/2019") and decimal readings ("5.4 7.8
 * 6.2") are not phone numbers.
 *
 * <p>Each regular expression runs only when a cheap scan finds what it needs (an "@", a dot inside a word, seven
 * digits, a number), so an ordinary message costs a few passes over its characters.
 *
 * <p>Stateless and thread-safe. Each method takes the raw text, or a {@link NormalizedText} already built for the
 * crisis detector so that the message is normalised once.
 */
public final class ContentRules {

    /** Top-level domains that make "word.tld" a link even without a scheme or a path. */
    private static final String TLD = "(?:com|org|net|edu|gov|io|co|me|ly|gg|tv|app|info|biz|xyz|site|online|link|ai"
            + "|fr|uk|de|es|be|ch|ca|eu|nl|ru|au|ie|pl|pt)";

    /** "[.]", "(dot)", "{punto}", " dot com": a dot written so that filters miss it. */
    private static final Pattern OBFUSCATED_DOT =
            Pattern.compile("\\s*[\\[({<]\\s*(?:\\.|dot|punto|point|punkt)\\s*[\\])}>]\\s*"
                    + "|\\s+(?:dot|punto|point|punkt)\\s+(?=" + TLD + "\\b)");
    /** "[at]", "(@)", "{arroba}": an at sign written so that filters miss it. */
    private static final Pattern OBFUSCATED_AT =
            Pattern.compile("\\s*[\\[({<]\\s*(?:@|at|arroba|chez|aet)\\s*[\\])}>]\\s*");

    private static final Pattern LINK = Pattern.compile(
            "\\b(?:https?://|www\\.)\\S+" + "|\\b(?:[a-z0-9-]+\\.)+" + TLD + "\\b" + "|\\b[a-z0-9-]+\\.[a-z]{2,}/\\S");
    private static final Pattern EMAIL = Pattern.compile("[a-z0-9._%+-]+@[a-z0-9-]+(?:\\.[a-z0-9-]+)*\\.[a-z]{2,}\\b");
    /** "at gmail.com" (after "dot com" became ".com"): an address without its name. */
    private static final Pattern AT_DOMAIN =
            Pattern.compile("(?:\\bat|@)\\s*[a-z0-9-]+(?:\\.[a-z0-9-]+)*\\." + TLD + "\\b");
    /** "at gmail": an address without its name or its domain. */
    private static final Pattern AT_PROVIDER =
            Pattern.compile("(?:\\bat|@)\\s*(?:gmail|googlemail|hotmail|yahoo|icloud|protonmail|gmx|aol)\\b");

    private static final List<String> PROVIDERS = List.of("mail", "yahoo", "icloud", "gmx", "aol");
    /** "@robin_92": a handle on another service (an address's "@" is taken by {@link #EMAIL} first). */
    private static final Pattern HANDLE = Pattern.compile("(?<![\\w@.])@([a-z0-9_][a-z0-9_.]{1,29})");
    /** Words that say a handle is an account elsewhere, not a mention of someone in the room. */
    private static final Pattern ELSEWHERE = Pattern.compile("\\b(?:insta|instagram|ig|snap|snapchat|telegram|tg"
            + "|discord|tiktok|twitter|whatsapp|kik|signal|threads|bluesky|bsky|reddit|facebook|fb|messenger|wechat"
            + "|skype|dm|dms|pm|add me|follow me|message me|text me|hmu)\\b");

    /** Seven or more digits, possibly split by spaces, dots, dashes or brackets, optionally after a plus. */
    private static final Pattern PHONE = Pattern.compile("\\+?\\d(?:[\\s.()-]*\\d){6,}");
    /** Dates (2019-03-12, 12/03/2019, 12.03.19) and decimal readings (7.5): digits that are not a phone number. */
    private static final Pattern NOT_A_PHONE =
            Pattern.compile("(?<![\\d+])\\d{4}([-/.])\\d{1,2}\\1\\d{1,2}(?![-/.]?\\d)"
                    + "|(?<![\\d+.,/-])\\d{1,2}([-/.])\\d{1,2}\\2(?:\\d{4}|\\d{2})(?![-/.]?\\d)"
                    + "|(?<![\\d+]|\\d[.,])\\d{1,3}[.,]\\d{1,2}(?![.,]?\\d)");

    /**
     * A number followed by a unit of medication: "500 mg", "500 milligrams", "2 pills", "10 units", "0.5ml", in English,
     * French, Spanish and German. A glucose reading ("120 mg/dL") is not a dose. Tried only where a number starts.
     */
    private static final Pattern DOSE = Pattern.compile("\\d+(?:[.,]\\d+)?\\s*(?:"
            + "mg(?!\\s*/\\s*d?l)|mgs|milligram(?:me)?s?|miligramos?|milligramm|mcg|ug|µg|μg|micrograms?|microgrammes?"
            + "|microgramos?|mikrogramm|g|grams?|grammes?|gramos?|gramm|ml|millilit(?:re|er)s?|mililitros?"
            + "|units?|unites?|unidades?|einheiten|iu|ui|ie"
            + "|tablets?|tabs?|comprimes?|comprimidos?|tabletten?|pills?|pilules?|pastillas?|pillen?"
            + "|capsules?|caps|gelules?|capsulas?|kapseln?|drops|gouttes|gotas|tropfen)\\b");

    private ContentRules() {}

    /** Whether this rule catches this text: why it is refused, or, for a rule that holds, why it waits. */
    public static Optional<String> caught(RoomRule rule, String text) {
        return switch (rule) {
            case NEW_MEMBER_CONTACTS -> refusalForNewMember(text);
            case NO_LINKS -> refusalOfLinks(text);
            case HOLD_DOSES ->
                namesDose(text)
                        ? Optional.of("this room asks a moderator to review messages that name medication doses; "
                                + "it will appear once approved")
                        : Optional.empty();
        };
    }

    /** Why nobody but staff may post this text in a room that forbids links, or empty when it may. */
    public static Optional<String> refusalOfLinks(String text) {
        return refusalOfLinks(NormalizedText.of(text));
    }

    /** Why nobody but staff may post this text in a room that forbids links, or empty when it may. */
    public static Optional<String> refusalOfLinks(NormalizedText text) {
        return hasLink(contactView(text)) ? Optional.of("links are not allowed in this room") : Optional.empty();
    }

    /** Whether the text names a medication dose: such messages wait for a moderator in rooms that say so. */
    public static boolean namesDose(String text) {
        return namesDose(NormalizedText.of(text));
    }

    /** Whether the text names a medication dose: such messages wait for a moderator in rooms that say so. */
    public static boolean namesDose(NormalizedText text) {
        String folded = text.folded();
        Matcher dose = DOSE.matcher(folded);
        int n = folded.length();
        for (int i = 0; i < n; i++) {
            if (isDigit(folded.charAt(i)) && (i == 0 || !Character.isLetterOrDigit(folded.charAt(i - 1)))) {
                if (dose.region(i, n).lookingAt()) {
                    return true;
                }
                while (i + 1 < n && isDigit(folded.charAt(i + 1))) {
                    i++;
                }
            }
        }
        return false;
    }

    /** Why a new member may not post this text in a room, or empty when it may. */
    public static Optional<String> refusalForNewMember(String text) {
        return refusalForNewMember(NormalizedText.of(text));
    }

    /** Why a new member may not post this text in a room, or empty when it may. */
    public static Optional<String> refusalForNewMember(NormalizedText text) {
        String contacts = contactView(text);
        boolean at = contacts.indexOf('@') >= 0;
        boolean dotted = hasDottedWord(contacts);
        if ((at && EMAIL.matcher(contacts).find())
                || (dotted && AT_DOMAIN.matcher(contacts).find())
                || (PROVIDERS.stream().anyMatch(contacts::contains)
                        && AT_PROVIDER.matcher(contacts).find())) {
            return Optional.of(
                    "new members cannot post e-mail addresses in rooms yet; please keep contact details private");
        }
        if (hasLink(contacts)) {
            return Optional.of("new members cannot post links in rooms yet");
        }
        if (at && namesHandleElsewhere(contacts)) {
            return Optional.of(
                    "new members cannot post accounts on other services in rooms yet; please keep contact details"
                            + " private");
        }
        if (digits(contacts) >= 7
                && PHONE.matcher(NOT_A_PHONE.matcher(contacts).replaceAll(" ")).find()) {
            return Optional.of(
                    "new members cannot post phone numbers in rooms yet; please keep contact details private");
        }
        return Optional.empty();
    }

    /** Links need a scheme, or a dot between a letter or digit and a letter: the regular expression runs only then. */
    private static boolean hasLink(String contacts) {
        return (hasDottedWord(contacts) || contacts.contains("://"))
                && LINK.matcher(contacts).find();
    }

    private static boolean hasDottedWord(String text) {
        for (int i = text.indexOf('.'); i > 0 && i + 1 < text.length(); i = text.indexOf('.', i + 1)) {
            char before = text.charAt(i - 1);
            char after = text.charAt(i + 1);
            if ((isDigit(before) || isLetter(before)) && isLetter(after)) {
                return true;
            }
        }
        return false;
    }

    private static int digits(String text) {
        int count = 0;
        for (int i = 0; i < text.length(); i++) {
            if (isDigit(text.charAt(i))) {
                count++;
            }
        }
        return count;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isLetter(char c) {
        return c >= 'a' && c <= 'z';
    }

    /**
     * Whether an "@name" is an account on another service: it looks like one (a digit, "_" or "."), or the message
     * names a service or asks to be contacted. "@Jo thanks!" alone is a member addressing another in the room.
     */
    private static boolean namesHandleElsewhere(String contacts) {
        Matcher handles = HANDLE.matcher(contacts);
        while (handles.find()) {
            String handle = handles.group(1);
            if (handle.chars().anyMatch(c -> Character.isDigit(c) || c == '_' || c == '.')
                    || ELSEWHERE.matcher(contacts).find()) {
                return true;
            }
        }
        return false;
    }

    /** The folded text with obfuscated dots and at signs written plainly. */
    private static String contactView(NormalizedText text) {
        String folded = text.folded();
        if (folded.indexOf('[') < 0
                && folded.indexOf('(') < 0
                && folded.indexOf('{') < 0
                && folded.indexOf('<') < 0
                && !folded.contains("dot ")
                && !folded.contains("punto ")
                && !folded.contains("point ")
                && !folded.contains("punkt ")) {
            return folded;
        }
        String dots = OBFUSCATED_DOT.matcher(folded).replaceAll(".");
        return OBFUSCATED_AT.matcher(dots).replaceAll("@");
    }
}
