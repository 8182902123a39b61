package org.kindred.server.safety;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.kindred.protocol.CrisisResource;

class CrisisLinesTest {

    private static final CrisisLines DEFAULTS = CrisisLines.defaults();

    private static List<String> contacts(List<CrisisResource> resources) {
        return resources.stream().map(CrisisResource::contact).toList();
    }

    @Test
    void aFrenchCanadianMemberGetsTheCanadianLineNotFrancesNumber() {
        List<String> contacts = contacts(DEFAULTS.lookup("fr-CA"));

        assertThat(contacts).contains("911", "appel ou texto au 988").doesNotContain("3114");
        assertThat(contacts).anyMatch(contact -> contact.contains("1 866 APPELLE"));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "fr-CA | appel ou texto au 988",
                "fr-BE | 0800 32 123",
                "fr-FR | 3114",
                "fr-CH | 143",
                "en-GB | 116 123",
                "en-US | call or text 988, or chat at 988lifeline.org",
                "en-CA | call or text 988",
                "en-IE | 116 123",
                "es-ES | 024",
                "es-MX | 800 911 2000",
                "de-DE | 0800 111 0 111, 0800 111 0 222 oder 116 123",
                "de-AT | 142",
                "de-CH | 143"
            })
    void everyShippedRegionHasItsOwnNationalLine(String tag, String contact) {
        assertThat(DEFAULTS.tags()).contains(tag);
        assertThat(contacts(DEFAULTS.lookup(tag))).contains(contact);
    }

    @Test
    void aRegionWithoutLinesFallsBackToItsLanguageWhoseLinesNameTheirCountry() {
        List<CrisisResource> belgianGerman = DEFAULTS.lookup("de-BE");

        assertThat(belgianGerman).isEqualTo(DEFAULTS.lookup("de"));
        assertThat(belgianGerman).extracting(CrisisResource::name).anyMatch(name -> name.startsWith("Österreich"));
    }

    @Test
    void followsAnRfc4647PriorityListAndTruncatesLongerTags() {
        assertThat(DEFAULTS.lookup("it-IT, fr-BE;q=0.9, en;q=0.5")).isEqualTo(DEFAULTS.lookup("fr-BE"));
        assertThat(DEFAULTS.lookup("fr-CA-x-quebec")).isEqualTo(DEFAULTS.lookup("fr-CA"));
        assertThat(DEFAULTS.lookup("FR_ca")).isEqualTo(DEFAULTS.lookup("fr-CA"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"it", "pt-BR", "", "   ", "not a tag!", "*"})
    void anUnknownOrUnreadableLanguageGetsTheInternationalLines(String language) {
        assertThat(contacts(DEFAULTS.lookup(language))).contains("findahelpline.com");
        assertThat(contacts(DEFAULTS.lookup(null))).contains("findahelpline.com");
    }

    @Test
    void aConfiguredDefaultComesBeforeTheInternationalLines() {
        CrisisResource samaritans = new CrisisResource("Samaritans", "116 123", null);
        CrisisResource home = new CrisisResource("Ligne d'écoute", "0800 000 000", null);
        CrisisLines configured = CrisisLines.of(Map.of("en-GB", List.of(samaritans), "*", List.of(home)));

        assertThat(configured.lookup("it")).containsExactly(home);
        assertThat(configured.lookup("en-US")).containsExactly(samaritans); // same language, another region
        assertThat(CrisisLines.of(Map.of("en-GB", List.of(samaritans))).lookup("it"))
                .extracting(CrisisResource::contact)
                .contains("findahelpline.com");
    }

    @Test
    void joinsTheRegionsOfALanguageWhenItHasNoLinesOfItsOwn() {
        CrisisResource quebec = new CrisisResource("Québec", "1 866 277-3553", null);
        CrisisResource france = new CrisisResource("France", "3114", null);
        CrisisLines configured = CrisisLines.of(Map.of("fr-CA", List.of(quebec), "fr-FR", List.of(france)));

        assertThat(configured.lookup("fr")).containsExactlyInAnyOrder(quebec, france);
    }

    @Test
    void rejectsAKeyThatIsNotALanguageTag() {
        assertThat(CrisisLines.problemWithTag("fr-CA")).isEmpty();
        assertThat(CrisisLines.problemWithTag("*")).isEmpty();
        assertThat(CrisisLines.problemWithTag("french")).isPresent();
        assertThatThrownBy(() -> CrisisLines.of(Map.of("fr CA", List.of(new CrisisResource("x", "y", null)))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'fr CA' is not a BCP 47 language tag");
    }

    @Test
    void everyLanguageOfTheDetectorHasLinesOfItsOwn() {
        for (String language : PhraseCrisisDetector.DEFAULT_LANGUAGES) {
            assertThat(DEFAULTS.tags()).contains(language);
            assertThat(DEFAULTS.lookup(language)).isNotEmpty();
        }
    }
}
