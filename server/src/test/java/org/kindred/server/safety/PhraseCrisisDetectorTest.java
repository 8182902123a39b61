package org.kindred.server.safety;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kindred.server.safety.CrisisDetector.CrisisHit;

class PhraseCrisisDetectorTest {

    private static final PhraseCrisisDetector DEFAULTS = PhraseCrisisDetector.defaults();

    private static Optional<CrisisHit> detect(String text) {
        return DEFAULTS.detect(text);
    }

    private static String repeat(String text, int totalLength) {
        StringBuilder builder = new StringBuilder(totalLength + text.length());
        while (builder.length() < totalLength) {
            builder.append(text);
        }
        return builder.toString();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "i want to kill myself.",
                "I don't want to be alive anymore",
                "honestly i dont want to be alive",
                "there's no reason to live",
                "everyone would be better off dead... i mean me",
                "I've been thinking about suicide",
                "I feel suicidal tonight",
                "i'm going to end it all",
                "I want to take my own life",
                "I can't go on like this",
                "i cut myself again",
                "started self-harm again",
                "i might od on my meds",
                "thinking about an overdose"
            })
    void detectsEnglishCrisisPhrases(String message) {
        assertThat(detect(message)).get().extracting(CrisisHit::language).isEqualTo("en");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Je veux me suicider",
                "j'ai envie de mourir",
                "je veux mourir",
                "Je vais mettre fin à mes jours",
                "je vais mettre fin a mes jours",
                "je veux en finir",
                "j'ai plus envie de vivre",
                "je ne veux plus vivre",
                "je veux plus vivre",
                "je me sens suicidaire",
                "j'ai envie de me faire du mal",
                "je vais avaler tous mes médicaments",
                "je vais avaler tous mes medicaments"
            })
    void detectsFrenchCrisisPhrasesWithOrWithoutAccents(String message) {
        assertThat(detect(message)).get().extracting(CrisisHit::language).isEqualTo("fr");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "I WANT TO KILL MYSELF",
                "i want to   kill\t\n myself",
                "kill...myself",
                "kill-myself!!!",
                "\"kill myself\"",
                "k1ll mys3lf",
                "K1LL MY5ELF",
                "𝐤𝐢𝐥𝐥 𝐦𝐲𝐬𝐞𝐥𝐟",
                "ｋｉｌｌ ｍｙｓｅｌｆ",
                "ki\u200Bll my\u00ADself",
                "kíll mysélf"
            })
    void detectsPhrasesWhateverTheCasePunctuationSpacingLeetspeakOrStyledLetters(String message) {
        assertThat(detect(message)).contains(new CrisisHit("en", "kill myself"));
    }

    @Test
    void detectsFrenchWhateverTheCaseAndAccents() {
        assertThat(detect("Je veux MOURIR")).contains(new CrisisHit("fr", "je veux mourir"));
        assertThat(detect("JE VEUX METTRE FIN À MES JOURS")).contains(new CrisisHit("fr", "mettre fin à mes jours"));
        assertThat(detect("plus envie de vivre...")).contains(new CrisisHit("fr", "plus envie de vivre"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ugh kms",
                "kys",
                "i want to unalive myself",
                "thinking about sewerslide",
                "sewer slide tbh",
                "i wanna die"
            })
    void detectsAlgospeak(String message) {
        assertThat(detect(message)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "I'm going to end it tonight",
                "im going to die",
                "i plan to die",
                "im gonna end it",
                "I am gonna end it"
            })
    void detectsSayingOneWillDieOrEndIt(String message) {
        assertThat(detect(message)).get().extracting(CrisisHit::language).isEqualTo("en");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "   ",
                "?!...",
                "I'm killing it at work",
                "this skill myself",
                "I'm dead tired",
                "this diet is killing me",
                "I could die laughing",
                "saved it to my bookmarks",
                "kmsq",
                "my kids are skyping",
                "the odds are good",
                "je meurs de faim",
                "j'ai failli mourir de rire",
                "on finira en fin de semaine",
                "hello, how is everyone today?",
                "bonjour tout le monde, ça va ?",
                "my A1C is 7.5 after 30 days",
                "took 2 pills for my migraine"
            })
    void doesNotDetectOrdinaryMessagesOrNearMisses(String message) {
        assertThat(detect(message)).isEmpty();
    }

    @Test
    void handlesNullText() {
        assertThat(DEFAULTS.detect((String) null)).isEmpty();
    }

    @Test
    void keepsSingleWordSuicideForRecallEvenInAMovieTitle() {
        // A conscious choice: recall matters more for this audience; a moderator dismisses the false alarm.
        assertThat(detect("the suicide squad movie was fun")).contains(new CrisisHit("en", "suicide"));
    }

    @Test
    void reportsTheLanguageWhosePhraseIsSpecificRatherThanAPhraseBothLanguagesShare() {
        // "overdose" and "suicide" are in both lists: the French-only phrase decides the language.
        assertThat(detect("overdose, suicide... je veux mourir")).contains(new CrisisHit("fr", "je veux mourir"));
        // A shared phrase alone goes to the first language.
        assertThat(detect("suicide")).contains(new CrisisHit("en", "suicide"));
    }

    @Test
    void reportsThePhraseListedFirstWithinALanguage() {
        var detector = new PhraseCrisisDetector(Map.of("en", List.of("end it all", "kill myself")), Map.of());

        assertThat(detector.detect("kill myself, end it all")).contains(new CrisisHit("en", "end it all"));
    }

    @Test
    void customRulesFromTheConstructorWorkIncludingARegex() {
        Map<String, List<String>> phrases = new LinkedHashMap<>();
        phrases.put("es", List.of("quiero morir", "Me quiero MATAR"));
        Map<String, List<String>> patterns = new LinkedHashMap<>();
        patterns.put("es", List.of("\\bno (?:aguanto|puedo) m[aá]s\\b"));
        patterns.put("de", List.of("\\bich will (?:sterben|nicht mehr leben)\\b"));
        var detector = new PhraseCrisisDetector(phrases, patterns);

        assertThat(detector.languages()).containsExactly("es", "de");
        assertThat(detector.detect("Quiero   MORIR")).contains(new CrisisHit("es", "quiero morir"));
        assertThat(detector.detect("me quiero matar")).contains(new CrisisHit("es", "Me quiero MATAR"));
        assertThat(detector.detect("Ya no puedo más."))
                .contains(new CrisisHit("es", "\\bno (?:aguanto|puedo) m[aá]s\\b"));
        assertThat(detector.detect("Ich will nicht mehr leben!"))
                .contains(new CrisisHit("de", "\\bich will (?:sterben|nicht mehr leben)\\b"));
        assertThat(detector.detect("kill myself")).isEmpty();
    }

    @Test
    void hitNamesTheRuleAsWrittenNeverTheMessage() {
        var detector = new PhraseCrisisDetector(Map.of("fr", List.of("Mettre fin à mes jours")), Map.of());

        Optional<CrisisHit> hit = detector.detect("Ce soir je vais METTRE FIN A MES JOURS, adieu Paul");

        assertThat(hit).contains(new CrisisHit("fr", "Mettre fin à mes jours"));
    }

    @Test
    void rejectsPatternsThatDoNotCompileAndPhrasesWithoutWords() {
        assertThatThrownBy(() -> new PhraseCrisisDetector(Map.of(), Map.of("en", List.of("(unclosed"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("en");
        assertThatThrownBy(() -> new PhraseCrisisDetector(Map.of("en", List.of("...")), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("...");
    }

    @Test
    void readsRuleFilesWithCommentsBlankLinesAndPatterns() throws IOException {
        String file =
                "\uFEFF# a comment\n\n  kill myself  \nre: \\bi want to die\\b\n#re:ignored\nmourir\nnot: die laughing\n";
        List<String> phrases = new ArrayList<>();
        List<String> patterns = new ArrayList<>();

        List<String> nearMisses = new ArrayList<>();
        PhraseCrisisDetector.readRules(
                new ByteArrayInputStream(file.getBytes(StandardCharsets.UTF_8)), phrases, patterns, nearMisses);

        assertThat(phrases).containsExactly("kill myself", "mourir");
        assertThat(patterns).containsExactly("\\bi want to die\\b");
        assertThat(nearMisses).containsExactly("die laughing");
    }

    @Test
    void defaultListsCoverEnglishFrenchSpanishAndGermanWithNearMissesAndNoPatterns() {
        assertThat(DEFAULTS.languages()).containsExactly("en", "fr", "es", "de");
        assertThat(DEFAULTS.phraseCount()).isGreaterThan(150);
        assertThat(DEFAULTS.nearMissCount()).isGreaterThan(10);
        // Phrases cost one hash lookup per word; the shipped lists need no regular expression.
        assertThat(DEFAULTS.patternCount()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"en", "fr", "es", "de"})
    void everyDefaultPhraseIsDetectedInItsOwnLanguageOrAsASharedWord(String language) throws IOException {
        List<String> phrases = new ArrayList<>();
        List<String> nearMisses = new ArrayList<>();
        try (var in = PhraseCrisisDetector.class.getResourceAsStream("crisis-" + language + ".txt")) {
            PhraseCrisisDetector.readRules(in, phrases, new ArrayList<>(), nearMisses);
        }

        assertThat(phrases).isNotEmpty();
        assertThat(nearMisses).isNotEmpty();
        for (String phrase : phrases) {
            assertThat(detect("well... " + phrase + "!"))
                    .as(phrase)
                    .get()
                    .satisfies(hit -> assertThat(hit.language().equals(language)
                                    || NormalizedText.of(hit.rule())
                                            .words()
                                            .equals(NormalizedText.of(phrase).words()))
                            .isTrue());
        }
    }

    @Test
    void handlesVeryLongTextQuickly() {
        String ordinary = repeat("I had a long day at work, my sugar was 7.5 and I'm so tired. ", 100_000);
        String crisisAtTheEnd = ordinary + " i want to die";

        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            assertThat(detect(ordinary)).isEmpty();
            assertThat(detect(crisisAtTheEnd)).isPresent();
            assertThat(detect(repeat("a", 100_000))).isEmpty();
            assertThat(detect(repeat("i ", 100_000))).isEmpty();
        });
    }

    @Test
    void abandonsABacktrackingOperatorPatternWithoutBlockingOrThrowing() {
        var detector = new PhraseCrisisDetector(
                Map.of("en", List.of("kill myself")), Map.of("en", List.of("(a+)+b", "(?:a|b)*c", "want to die")));
        String evil = repeat("a", 100_000) + "!";

        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            assertThat(detector.detect(evil)).isEmpty();
            // The other rules still work on the same detector.
            assertThat(detector.detect("aaaa i want to die")).contains(new CrisisHit("en", "want to die"));
            assertThat(detector.detect(evil + " kill myself")).contains(new CrisisHit("en", "kill myself"));
        });
    }

    @Test
    void isSafeToShareBetweenThreads() {
        List<String> messages = List.of("k1ll myself", "je veux mourir", "hello there", "ugh kms", "dead tired");
        List<Optional<CrisisHit>> expected =
                messages.stream().map(DEFAULTS::detect).toList();

        IntStream.range(0, 2_000)
                .parallel()
                .forEach(i -> assertThat(DEFAULTS.detect(messages.get(i % messages.size())))
                        .isEqualTo(expected.get(i % messages.size())));
    }
}
