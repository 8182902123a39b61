package org.kindred.server.safety;

import java.text.MessageFormat;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;

/**
 * The words of {@code crisis_support}, in the author's language ({@link ServerTexts#SHIPPED}, chosen by RFC 4647
 * lookup; English for any other), from the resource bundle {@code CrisisTexts}: who has been told, or, honestly, that nobody who can help is connected, with
 * the crisis lines first.
 */
final class CrisisTexts {

    private CrisisTexts() {}

    /**
     * @param language  a BCP 47 tag (the language the author wrote in), may be null
     * @param told      who has been told: {@code moderators}, {@code mentor}, {@code facilitator}; empty for nobody
     * @param aboutSelf false when the author may be writing about someone else (a report, a mentor's note)
     */
    static String words(String language, List<String> told, boolean aboutSelf) {
        Locale locale = ServerTexts.locale(language);
        ResourceBundle bundle = ServerTexts.bundle(ServerTexts.CRISIS_TEXTS, locale);
        String prefix = aboutSelf ? "" : "other.";
        if (told.isEmpty()) {
            // Through MessageFormat too, which reads the doubled apostrophes of the files ("l''un") as one.
            return new MessageFormat(bundle.getString(prefix + "nobody"), locale).format(new Object[0]);
        }
        String helper = told.contains("mentor") ? "mentor" : told.contains("facilitator") ? "facilitator" : null;
        String who = helper == null
                ? "who.moderators"
                : told.contains("moderators") ? "who." + helper + ".moderators" : "who." + helper;
        return new MessageFormat(bundle.getString(prefix + "told"), locale)
                .format(new Object[] {bundle.getString(who)});
    }

    /**
     * Another text of the bundle, in this language (English for any other), formatted with these arguments: the words
     * of {@code check_in_offer} and {@code report_outcome}.
     */
    static String text(String language, String key, Object... args) {
        Locale locale = ServerTexts.locale(language);
        return new MessageFormat(
                        ServerTexts.bundle(ServerTexts.CRISIS_TEXTS, locale).getString(key), locale)
                .format(args);
    }
}
