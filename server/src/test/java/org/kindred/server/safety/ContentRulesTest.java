package org.kindred.server.safety;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ContentRulesTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "see https://example.org/page | links",
                "www.example.org | links",
                "come to example.com | links",
                "join t.me/robin_chat | links",
                "wa.me/33612345678 | links",
                "discord.gg/abcd | links",
                "example[.]com | links",
                "example(.)org has more | links",
                "example [dot] com | links",
                "example dot com | links",
                "ｅｘａｍｐｌｅ．ｃｏｍ | links",
                "ехаmрlе.соm | links",
                "robin@example.org | e-mail",
                "robin (at) example (dot) org | e-mail",
                "robin [at] example [dot] org | e-mail",
                "robin＠ｅｘａｍｐｌｅ．ｏｒｇ | e-mail",
                "write to robin.smith at gmail dot com | e-mail",
                "robin.smith at gmail | e-mail",
                "my insta is @robin | accounts",
                "add me @robin | accounts",
                "@robin_92 | accounts",
                "@robin.smith | accounts",
                "call me on 06 12 34 56 78 | phone",
                "+33 6 12 34 56 78 | phone",
                "555-123-4567 | phone",
                "(555) 123 4567 | phone",
                "06.12.34.56.78 | phone",
                "０６ １２ ３４ ５６ ７８ | phone",
                "diagnosed 2019-03-12, call 555-1234 | phone"
            })
    void refusesEachWayOfPostingContactDetailsForNewMembers(String text, String what) {
        assertThat(ContentRules.refusalForNewMember(text)).get().asString().contains(what);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Diagnosed 2019-03-12",
                "diagnosed on 12/03/2019 and again 2021/04/05",
                "my appointment is on 12.03.2019 at 10:30",
                "readings today: 5.4 7.8 6.2 8.1",
                "HbA1c went from 7.5 to 6.8 in 3 months",
                "@Jo thanks, that helps",
                "I'm at home, feeling better",
                "look at the rules, e.g. rule 3, i.e. be kind",
                "she said: take care.",
                "I walked 10 km (6 miles) today",
                "on a scale of 1 to 10, a 7",
                "dot the i's and cross the t's"
            })
    void letsNewMembersWriteDatesReadingsMentionsAndOrdinarySentences(String text) {
        assertThat(ContentRules.refusalForNewMember(text)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "I take 500 mg of metformin",
                "500mg twice a day",
                "５００ ｍｇ",
                "500 milligrams",
                "500 milligrammes",
                "500 miligramos",
                "500 Milligramm",
                "40 units at night",
                "10 unités le soir",
                "10 IE Insulin",
                "2 tablets",
                "2 comprimés",
                "2 Tabletten",
                "dos pastillas: 2 pastillas",
                "0,5 ml",
                "0.5ml",
                "200 µg",
                "20 drops"
            })
    void namesDosesWhateverTheDigitsAndTheUnitsLanguage(String text) {
        assertThat(ContentRules.namesDose(text)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "my sugar was 120 mg/dL after lunch",
                "glucose 7.8 mmol/l",
                "I slept 8 hours",
                "took my meds this morning",
                "2 kids and a dog"
            })
    void doesNotTakeReadingsOrOrdinaryNumbersForDoses(String text) {
        assertThat(ContentRules.namesDose(text)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"example[.]com", "t.me/x", "ｗｗｗ．example．org"})
    void refusesLinksInRoomsWithoutLinksWhateverTheirDisguise(String text) {
        assertThat(ContentRules.refusalOfLinks(text)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"e.g. this", "version 2.1 is out", "good morning.how are you"})
    void doesNotTakeAbbreviationsOrNumbersForLinks(String text) {
        assertThat(ContentRules.refusalOfLinks(text)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Robin (at) example (dot) org", "５００ ｍｇ"})
    void readsTheNormalisedTextSharedWithTheDetector(String text) {
        NormalizedText normalized = NormalizedText.of(text);

        assertThat(ContentRules.refusalForNewMember(normalized).isPresent() || ContentRules.namesDose(normalized))
                .isTrue();
    }
}
