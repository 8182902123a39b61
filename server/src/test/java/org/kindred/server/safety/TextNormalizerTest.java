package org.kindred.server.safety;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TextNormalizerTest {

    private static String words(String text) {
        return NormalizedText.of(text).text();
    }

    private static String folded(String text) {
        return NormalizedText.of(text).folded();
    }

    @Test
    void lowersCaseRemovesAccentsAndTurnsPunctuationIntoSingleSpaces() {
        assertThat(words("  Je veux METTRE fin à mes jours!!!  ")).isEqualTo("je veux mettre fin a mes jours");
        assertThat(words("I don't—really…")).isEqualTo("i don t really");
        assertThat(NormalizedText.of("Self-Harm").words()).isEqualTo(List.of("self", "harm"));
    }

    @Test
    void readsLeetspeakDigitsOnlyInsideWordsWithLetters() {
        assertThat(words("k1ll mys3lf 4ever 0d")).isEqualTo("kill myself aever od");
        assertThat(words("took 20 pills at 7")).isEqualTo("took 20 pills at 7");
    }

    @Test
    void foldsStyledLettersLigaturesAndDropsInvisibleCharacters() {
        assertThat(words("𝐤𝐢𝐥𝐥 ｍｙｓｅｌｆ")).isEqualTo("kill myself");
        assertThat(words("cœur Straße ﬁn")).isEqualTo("coeur strasse fin");
        assertThat(words("ki\u200Bll\u00AD my\u2060self\u202E")).isEqualTo("kill myself");
        assertThat(words("k̴̡i̷l̸l̵ ṁÿṡëḷḟ")).isEqualTo("kill myself");
    }

    @ParameterizedTest
    @CsvSource({
        // Cyrillic і, о, а, е, с, р; Greek ο, ι; Latin small capital and dotless i; Cherokee and Lisu look-alikes
        "kіll myself, kill myself",
        "ѕеlf һаrm, self harm",
        "κιλλ, kill",
        "dіе, die",
        "suіcіdе, suicide",
        "ɢᴏᴏᴅ, good",
        "kıll, kill",
        "ł ø đ æ, l o d ae",
        "überdosis, uberdosis",
        "КІLL МYSЕLF, kill myself"
    })
    void foldsLookAlikeLettersOfOtherScriptsIntoLatin(String text, String expected) {
        assertThat(words(text)).isEqualTo(expected);
    }

    @Test
    void transliteratesOtherScriptsAndKeepsWhatHasNoLatinForm() {
        // Look-alikes first (what the reader sees: Cyrillic "у" is "y", "б" is "6"), then transliteration ("ж" is "z").
        assertThat(words("убить")).isEqualTo("y6it");
        assertThat(words("ж 你好")).isEqualTo("z nihao");
        assertThat(words("hello 🙂 there")).isEqualTo("hello there");
    }

    @Test
    void keepsPunctuationInTheFoldedTextForTheContentRules() {
        assertThat(folded("Ｗrite me at ｒｏｂｉｎ＠ｅｘａｍｐｌｅ．ｃｏｍ")).isEqualTo("write me at robin@example.com");
        assertThat(folded("５００ ｍｇ, Diagnosed 2019-03-12")).isEqualTo("500 mg, diagnosed 2019-03-12");
        assertThat(folded("t.me/someone")).isEqualTo("t.me/someone");
        assertThat(folded("ехаmрlе.соm")).isEqualTo("example.com");
    }

    @Test
    void leavesAsciiLettersAndDigitsAloneBeyondLowerCase() {
        // A confusable skeleton would read "m" as "rn" and "0" as "O": fine for comparing names, wrong for reading.
        assertThat(folded("Mom took 10 mg")).isEqualTo("mom took 10 mg");
        String lower = "already lower case, plain ascii";
        assertThat(folded(lower)).isSameAs(lower);
    }

    @Test
    void emptyAndNullTextHaveNoWords() {
        assertThat(NormalizedText.of(null).words()).isEmpty();
        assertThat(NormalizedText.of("").words()).isEmpty();
        assertThat(NormalizedText.of(" ?! 🙂 ").words()).isEmpty();
    }

    @Test
    void neverShowsTheTextInToString() {
        assertThat(NormalizedText.of("i want to die").toString()).doesNotContain("die");
    }
}
