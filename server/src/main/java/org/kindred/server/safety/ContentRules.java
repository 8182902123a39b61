package org.kindred.server.safety;

import java.util.Optional;
import java.util.regex.Pattern;
import org.kindred.server.config.RoomRule;

/**
 * What new members may not post in rooms: links, e-mail addresses and phone numbers. Scammers and people who prey on
 * vulnerable members start by moving them elsewhere; a member who has been around for a while, and any mentor,
 * facilitator or moderator, is not held to this.
 */
public final class ContentRules {

    private static final Pattern LINK = Pattern.compile(
            "(?i)\\b(?:https?://|www\\.)\\S+|\\b[a-z0-9-]{2,63}\\.(?:com|org|net|io|co|fr|uk|de|info|me|app|ly|gg|tv)\\b");
    private static final Pattern EMAIL = Pattern.compile("(?i)\\b[a-z0-9._%+-]+@[a-z0-9.-]+\\.[a-z]{2,}\\b");
    /** Seven or more digits, possibly split by spaces, dots, dashes or brackets, optionally after a plus. */
    private static final Pattern PHONE = Pattern.compile("\\+?\\d(?:[\\s.()-]*\\d){6,}");

    /** A number followed by a unit of medication: "500 mg", "2 pills", "10 units", "0.5ml". */
    private static final Pattern DOSE = Pattern.compile(
            "(?i)\\b\\d+(?:[.,]\\d+)?\\s*(?:mg|mcg|µg|ug|g|ml|units?|iu|tablets?|pills?|capsules?|caps)\\b");

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
        return LINK.matcher(text).find() ? Optional.of("links are not allowed in this room") : Optional.empty();
    }

    /** Whether the text names a medication dose: such messages wait for a moderator in rooms that say so. */
    public static boolean namesDose(String text) {
        return DOSE.matcher(text).find();
    }

    /** Why a new member may not post this text in a room, or empty when it may. */
    public static Optional<String> refusalForNewMember(String text) {
        if (LINK.matcher(text).find()) {
            return Optional.of("new members cannot post links in rooms yet");
        }
        if (EMAIL.matcher(text).find()) {
            return Optional.of(
                    "new members cannot post e-mail addresses in rooms yet; please keep contact details " + "private");
        }
        if (PHONE.matcher(text).find()) {
            return Optional.of(
                    "new members cannot post phone numbers in rooms yet; please keep contact details private");
        }
        return Optional.empty();
    }
}
