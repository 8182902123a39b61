package org.kindred.server.safety;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.kindred.protocol.CrisisResource;

class MemberLanguageTest {

    private static final CrisisLines LINES = CrisisLines.defaults();

    @Test
    void theLanguageTheMemberReadsComesFirstThenWhatItWroteInItsRegionThenWhatItWrote() {
        assertThat(MemberLanguage.priorities("fr-CA", "en")).isEqualTo("fr-CA, en-CA;q=0.9, en;q=0.8");
        assertThat(MemberLanguage.priorities("fr-CA", "fr")).isEqualTo("fr-CA, fr;q=0.9");
        assertThat(MemberLanguage.priorities("de", "en")).isEqualTo("de, en;q=0.9");
        assertThat(MemberLanguage.priorities(null, "es")).isEqualTo("es");
        assertThat(MemberLanguage.priorities("it", null)).isEqualTo("it");
        assertThat(MemberLanguage.priorities(null, null)).isNull();
    }

    @Test
    void aFrenchCanadianWhoWritesInEnglishReadsFrenchWithCanadasLines() {
        String languages = MemberLanguage.priorities("fr-CA", "en");

        assertThat(ServerTexts.locale(languages)).isEqualTo(Locale.FRENCH);
        assertThat(LINES.lookup(languages)).extracting(CrisisResource::contact).contains("appel ou texto au 988");
    }

    @Test
    void aMemberInALanguageNotShippedReadsTheLanguageItWroteInWithTheLinesOfItsRegion() {
        String languages = MemberLanguage.priorities("it-CH", "de");

        assertThat(ServerTexts.locale(languages)).isEqualTo(Locale.GERMAN);
        assertThat(LINES.lookup(languages)).isEqualTo(LINES.lookup("de-CH"));
    }

    @Test
    void aLanguageOfTheDetectorThatIsNotATagIsLeftOut() {
        assertThat(MemberLanguage.priorities("fr-CA", "custom rules")).isEqualTo("fr-CA");
    }
}
