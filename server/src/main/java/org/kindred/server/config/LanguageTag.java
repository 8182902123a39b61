package org.kindred.server.config;

import java.util.IllformedLocaleException;
import java.util.Locale;
import java.util.Optional;

/**
 * The language tags the configuration takes (the keys of {@code crisisResources}): a well-formed BCP 47 tag whose
 * language is an ISO 639 code ({@code fr}, {@code fr-CA}), or {@value #ANY} for "any language".
 */
public final class LanguageTag {

    /** The RFC 4647 wildcard: any language. */
    public static final String ANY = "*";

    private LanguageTag() {}

    /** The tag in its canonical form ({@code fr-ca} gives {@code fr-CA}), or empty when it is not one. */
    public static Optional<String> canonical(String tag) {
        if (tag == null) {
            return Optional.empty();
        }
        String stripped = tag.strip();
        if (stripped.equals(ANY)) {
            return Optional.of(ANY);
        }
        try {
            Locale locale = new Locale.Builder().setLanguageTag(stripped).build();
            int language = locale.getLanguage().length();
            // An ISO 639 code: BCP 47 allows 5 to 8 letters too, which would let "french" through.
            return language < 2 || language > 3 ? Optional.empty() : Optional.of(locale.toLanguageTag());
        } catch (IllformedLocaleException e) {
            return Optional.empty();
        }
    }

    /** Why a text is not such a tag, or empty when it is. */
    public static Optional<String> problemWith(String tag) {
        return canonical(tag).isPresent()
                ? Optional.empty()
                : Optional.of("'" + tag + "' is not a BCP 47 language tag (expected a two- or three-letter language"
                        + " with an optional region, such as fr or fr-CA, or " + ANY + " for the default lines)");
    }
}
