package org.kindred.server.safety;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServerTextsTest {

    static Properties file(String baseName, Locale locale) throws IOException {
        String suffix = locale.equals(Locale.ENGLISH) ? "" : "_" + locale.getLanguage();
        String path = "/" + baseName.replace('.', '/') + suffix + ".properties";
        Properties properties = new Properties();
        try (InputStream in = ServerTexts.class.getResourceAsStream(path)) {
            assertThat(in).as(path + " is shipped").isNotNull();
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return properties;
    }

    @ParameterizedTest
    @ValueSource(strings = {ServerTexts.SERVER_TEXTS, ServerTexts.CRISIS_TEXTS})
    void everyShippedLanguageHasEveryKeyOfEnglishAndNoOther(String baseName) throws IOException {
        Properties english = file(baseName, Locale.ENGLISH);
        for (Locale locale : ServerTexts.SHIPPED) {
            assertThat(file(baseName, locale).stringPropertyNames())
                    .as(baseName + " in " + locale)
                    .containsExactlyInAnyOrderElementsOf(english.stringPropertyNames());
        }
    }

    @Test
    void theMembersLanguageIsMatchedByRfc4647LookupWithEnglishAsTheFallback() {
        assertThat(ServerTexts.locale("fr-CA")).isEqualTo(Locale.FRENCH);
        assertThat(ServerTexts.locale("es-MX")).isEqualTo(Locale.forLanguageTag("es"));
        assertThat(ServerTexts.locale("de-AT")).isEqualTo(Locale.GERMAN);
        assertThat(ServerTexts.locale("pt-BR")).isEqualTo(Locale.ENGLISH);
        assertThat(ServerTexts.locale(null)).isEqualTo(Locale.ENGLISH);
        assertThat(ServerTexts.locale("not a tag!")).isEqualTo(Locale.ENGLISH);
    }

    @Test
    void supportUnavailableReadsInTheRequestsLanguage() {
        assertThat(ServerTexts.text("fr-BE", "support.unavailable")).startsWith("Aucun mentor n'est disponible");
        assertThat(ServerTexts.text("es", "support.unavailable")).startsWith("Ahora mismo no hay ningún mentor");
        assertThat(ServerTexts.text("de-DE", "support.unavailable")).startsWith("Gerade ist keine Mentorin");
        assertThat(ServerTexts.text("en-GB", "support.unavailable")).startsWith("No mentor is free");
    }

    @Test
    void crisisSupportToAMemberNobodyCanHelpNowReadsItsApostrophesOnce() {
        assertThat(CrisisTexts.words("fr", List.of(), true))
                .startsWith("Contactez dès maintenant l'un de ces numéros")
                .doesNotContain("''");
        assertThat(CrisisTexts.words("fr", List.of(), false)).doesNotContain("''");
    }

    @Test
    void crisisSupportSpeaksSpanishAndGermanToo() {
        assertThat(CrisisTexts.words("es-ES", List.of("moderators"), true)).contains("hemos avisado a los moderadores");
        assertThat(CrisisTexts.words("de-CH", List.of(), true))
                .startsWith("Bitte wende dich jetzt an eine dieser Stellen");
        assertThat(CrisisTexts.words("fr-CA", List.of("mentor"), true)).contains("nous avons prévenu votre mentor");
    }
}
