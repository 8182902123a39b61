package org.kindred.server.safety;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.kindred.protocol.LanguageTags;

/**
 * The languages to answer a member in about something it wrote, as an RFC 4647 priority list for
 * {@link ServerTexts#locale} and {@link CrisisLines#lookup}: the language the member reads first ({@code fr-CA}), then
 * the language it wrote in within the member's region ({@code en-CA}: Canada's lines, in English), then the language
 * it wrote in ({@code en}). A member who named no language is answered in the language it wrote in, as before
 * {@code hello.language} existed.
 */
public final class MemberLanguage {

    private MemberLanguage() {}

    /**
     * @param reads   the BCP 47 tag the member reads, or null when it named none
     * @param written the language of what it wrote (a crisis phrase's language), or null
     * @return a priority list such as {@code "fr-CA, en-CA;q=0.9, en;q=0.8"}, or null when both are null
     */
    public static String priorities(String reads, String written) {
        List<String> tags = new ArrayList<>(3);
        if (reads != null) {
            tags.add(reads);
            Locale member = Locale.forLanguageTag(reads);
            if (written != null
                    && LanguageTags.canonical(written).isPresent()
                    && !member.getCountry().isEmpty()
                    && !member.getLanguage().equals(written)) {
                tags.add(written + "-" + member.getCountry());
            }
        }
        if (written != null && LanguageTags.canonical(written).isPresent() && !tags.contains(written)) {
            tags.add(written);
        }
        if (tags.isEmpty()) {
            return null;
        }
        StringBuilder list = new StringBuilder(tags.get(0));
        for (int i = 1; i < tags.size(); i++) {
            list.append(", ").append(tags.get(i)).append(";q=0.").append(10 - i);
        }
        return list.toString();
    }
}
