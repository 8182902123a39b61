package org.kindred.server.safety;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CrisisTextNormalizerTest {

    private static String normalize(String text) {
        return CrisisTextNormalizer.normalize(text).text();
    }

    @Test
    void lowersCaseRemovesAccentsAndTurnsPunctuationIntoSingleSpaces() {
        assertThat(normalize("  Je veux METTRE fin à mes jours!!!  ")).isEqualTo("je veux mettre fin a mes jours");
        assertThat(normalize("I don't—really…")).isEqualTo("i don t really");
        assertThat(CrisisTextNormalizer.normalize("Self-Harm").words()).isEqualTo(List.of("self", "harm"));
    }

    @Test
    void readsLeetspeakDigitsOnlyInsideWordsWithLetters() {
        assertThat(normalize("k1ll mys3lf 4ever 0d")).isEqualTo("kill myself aever od");
        assertThat(normalize("took 20 pills at 7")).isEqualTo("took 20 pills at 7");
    }

    @Test
    void foldsStyledLettersLigaturesAndDropsInvisibleCharacters() {
        assertThat(normalize("𝐤𝐢𝐥𝐥 ｍｙｓｅｌｆ")).isEqualTo("kill myself");
        assertThat(normalize("cœur Straße")).isEqualTo("coeur strasse");
        assertThat(normalize("ki\u200Bll\u00AD")).isEqualTo("kill");
    }

    @Test
    void emptyAndNullTextHaveNoWords() {
        assertThat(CrisisTextNormalizer.normalize(null).words()).isEmpty();
        assertThat(CrisisTextNormalizer.normalize("").words()).isEmpty();
        assertThat(CrisisTextNormalizer.normalize(" ?! 🙂 ").words()).isEmpty();
    }
}
