package org.kindred.server.config;

import java.util.Optional;
import org.kindred.protocol.LanguageTags;

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
        return tag.strip().equals(ANY) ? Optional.of(ANY) : LanguageTags.canonical(tag);
    }

    /** Why a text is not such a tag, or empty when it is. */
    public static Optional<String> problemWith(String tag) {
        return canonical(tag).isPresent()
                ? Optional.empty()
                : Optional.of("'" + tag + "' is not a BCP 47 language tag (expected a two- or three-letter language"
                        + " with an optional region, such as fr or fr-CA, or " + ANY + " for the default lines)");
    }
}
