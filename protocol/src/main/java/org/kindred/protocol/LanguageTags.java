package org.kindred.protocol;

import java.util.IllformedLocaleException;
import java.util.Locale;
import java.util.Optional;

/**
 * The language tags the protocol takes ({@code hello.language}): a well-formed BCP 47 tag whose language is an ISO 639
 * code ({@code fr}, {@code fr-CA}, {@code es-419}), at most {@value #MAX_LENGTH} characters.
 */
public final class LanguageTags {

    /** The longest tag accepted: RFC 5646 section 4.4.1's advice for the tags an implementation must hold. */
    public static final int MAX_LENGTH = 35;

    private LanguageTags() {}

    /** The tag in its canonical form ({@code fr-ca} gives {@code fr-CA}), or empty when it is not one. */
    public static Optional<String> canonical(String tag) {
        if (tag == null || tag.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        try {
            Locale locale = new Locale.Builder().setLanguageTag(tag.strip()).build();
            int language = locale.getLanguage().length();
            // An ISO 639 code: BCP 47 allows 5 to 8 letters too, which would let "french" through.
            return language < 2 || language > 3 ? Optional.empty() : Optional.of(locale.toLanguageTag());
        } catch (IllformedLocaleException e) {
            return Optional.empty();
        }
    }
}
