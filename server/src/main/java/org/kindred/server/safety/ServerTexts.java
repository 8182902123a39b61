package org.kindred.server.safety;

import java.text.MessageFormat;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;

/**
 * The words the server itself writes to a member, in the member's language: resource bundles shipped in English (the
 * fallback), French, Spanish and German, chosen by RFC 4647 lookup ({@link Locale#lookup}) of the member's BCP 47 tag
 * among the shipped languages, so {@code fr-CA} reads French and {@code pt-BR} English. {@code ServerTexts} holds the
 * texts of the support desk; {@code CrisisTexts} those of {@code crisis_support} ({@link CrisisTexts}).
 */
public final class ServerTexts {

    /** The languages every bundle is shipped in; {@code ServerTextsTest} fails when one lacks a key. */
    public static final List<Locale> SHIPPED =
            List.of(Locale.ENGLISH, Locale.FRENCH, Locale.forLanguageTag("es"), Locale.GERMAN);

    static final String SERVER_TEXTS = "org.kindred.server.safety.ServerTexts";
    static final String CRISIS_TEXTS = "org.kindred.server.safety.CrisisTexts";

    private static final ResourceBundle.Control NO_JVM_LOCALE =
            ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);

    private ServerTexts() {}

    /** The shipped language for a member's BCP 47 tag (or priority list), English when none matches. */
    public static Locale locale(String language) {
        if (language == null || language.isBlank()) {
            return Locale.ENGLISH;
        }
        try {
            Locale found =
                    Locale.lookup(Locale.LanguageRange.parse(language.strip().replace('_', '-')), SHIPPED);
            return found == null ? Locale.ENGLISH : found;
        } catch (IllegalArgumentException notATag) {
            return Locale.ENGLISH;
        }
    }

    /** A text of the support desk in the member's language; {@code args} fill its MessageFormat placeholders. */
    public static String text(String language, String key, Object... args) {
        Locale locale = locale(language);
        String pattern = bundle(SERVER_TEXTS, locale).getString(key);
        return args.length == 0 ? plain(pattern) : new MessageFormat(pattern, locale).format(args);
    }

    /** A text without placeholders, as MessageFormat would write it: the bundles quote an apostrophe as {@code ''}. */
    static String plain(String pattern) {
        return pattern.replace("''", "'");
    }

    static ResourceBundle bundle(String baseName, Locale locale) {
        // English is the base file: a shipped language's own file, else the base, never the JVM's default locale.
        return ResourceBundle.getBundle(baseName, locale, ServerTexts.class.getClassLoader(), NO_JVM_LOCALE);
    }
}
