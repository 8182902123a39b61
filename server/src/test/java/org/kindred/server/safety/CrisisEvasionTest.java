package org.kindred.server.safety;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.kindred.server.safety.CrisisDetector.CrisisHit;

/**
 * The ways members write around a word list (look-alike letters, letters spelled apart, stretched letters, fullwidth
 * forms, mixed case), tried on crisis phrases of every shipped language; and the idioms of each language that look
 * like a crisis and are not.
 */
class CrisisEvasionTest {

    private static final PhraseCrisisDetector DEFAULTS = PhraseCrisisDetector.defaults();

    /** Crisis messages as members write them, by language. */
    private static final Map<String, List<String>> CRISES = Map.of(
            "en", List.of("i want to kill myself", "i just want to die tonight", "thinking about suicide again"),
            "fr", List.of("je veux mourir", "je vais mettre fin à mes jours", "j'ai envie de me suicider"),
            "es", List.of("me quiero matar", "quiero suicidarme ya", "no quiero vivir más"),
            "de", List.of("ich will sterben", "ich will mich umbringen", "ich habe Suizidgedanken"));

    private static final Map<String, UnaryOperator<String>> EVASIONS = Map.of(
            "Cyrillic and Greek look-alikes",
            CrisisEvasionTest::lookAlikes,
            "letters spelled apart with dots",
            text -> spelledApart(text, "."),
            "letters spelled apart with spaces",
            text -> spelledApart(text, " "),
            "stretched letters",
            CrisisEvasionTest::stretched,
            "fullwidth forms",
            CrisisEvasionTest::fullwidth,
            "mixed case",
            CrisisEvasionTest::mixedCase,
            "look-alikes in mixed case",
            text -> mixedCase(lookAlikes(text)),
            "zero-width spaces between letters",
            text -> text.replace("e", "e\u200B"));

    static Stream<Arguments> evasions() {
        return CRISES.entrySet().stream()
                .flatMap(crises -> crises.getValue().stream()
                        .flatMap(message -> EVASIONS.entrySet().stream()
                                .map(evasion -> Arguments.of(
                                        crises.getKey(),
                                        evasion.getKey(),
                                        message,
                                        evasion.getValue().apply(message)))));
    }

    @ParameterizedTest(name = "{0}, {1}: {3}")
    @MethodSource("evasions")
    void everyEvasionOfACrisisPhraseIsCaughtInItsLanguage(
            String language, String evasion, String message, String evaded) {
        assertThat(evaded).as("the evasion changes the text").isNotEqualTo(message);
        assertThat(DEFAULTS.detect(message))
                .get()
                .extracting(CrisisHit::language)
                .isEqualTo(language);

        assertThat(DEFAULTS.detect(evaded))
                .as(evaded)
                .get()
                .extracting(CrisisHit::language)
                .isEqualTo(language);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "en | kіll myself",
                "en | k.i.l.l myself",
                "en | k i l l m y s e l f",
                "en | k-i-l-l-m-y-s-e-l-f tonight",
                "en | kiiiiill myseeeelf",
                "en | i want to dieeeeee",
                "en | ＫＩＬＬ ＭＹＳＥＬＦ",
                "en | KiLl MySeLf",
                "en | s u i c i d e",
                "fr | jе vеux mоurіr",
                "fr | je veux m.o.u.r.i.r",
                "es | me quiero m a t a r",
                "de | ich will stеrbеn",
                "de | Überdosis",
                "de | ueberdosis",
                "de | uberdosis",
                "de | ich will nicht mehr leeeeben"
            })
    void catchesTheProbesOfTheIssue(String language, String message) {
        assertThat(DEFAULTS.detect(message))
                .get()
                .extracting(CrisisHit::language)
                .isEqualTo(language);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "en | this traffic is killing me",
                "en | my feet are killing me",
                "en | I'm killing it at work",
                "en | I'm dead tired",
                "en | I could die laughing",
                "en | I nearly died of embarrassment",
                "en | I want to die of embarrassment",
                "en | I'm going to die of boredom in this meeting",
                "en | that cake is to die for",
                "en | I'm dying to see the new film",
                "en | I'd kill for a coffee",
                "en | walked 5 kms today, 10 kms tomorrow",
                "en | killing time before my appointment",
                "fr | je suis mort de rire",
                "fr | je suis morte de fatigue",
                "fr | je meurs de faim",
                "fr | j'ai failli mourir de rire",
                "fr | j'ai envie de mourir de rire",
                "fr | ce trafic me tue",
                "fr | tu me tues",
                "fr | c'est à mourir d'ennui",
                "es | me muero de risa",
                "es | me muero de hambre",
                "es | me muero por verte",
                "es | este tráfico me está matando",
                "es | estoy muerto de cansancio",
                "es | me quiero morir de vergüenza",
                "es | ya no puedo más con este calor",
                "de | ich lach mich tot",
                "de | ich lache mich tot",
                "de | ich sterbe vor Hunger",
                "de | das bringt mich um",
                "de | bist du lebensmüde?",
                "de | das war zum Sterben langweilig",
                "de | ich bin todmüde"
            })
    void nearMissIdiomsOfEveryLanguageRaiseNothing(String language, String message) {
        assertThat(DEFAULTS.detect(message)).as(language + ": " + message).isEmpty();
    }

    @Test
    void aNearMissDoesNotExcuseTheSamePhraseElsewhereInTheMessage() {
        assertThat(DEFAULTS.detect("lol I want to die of embarrassment. no really, I want to die"))
                .contains(new CrisisHit("en", "want to die"));
    }

    @Test
    void aNearMissNeverExcusesALongerPhraseThatGoesOnPastIt() {
        var detector = new PhraseCrisisDetector(
                Map.of("fr", List.of("en finir", "en finir avec la vie")),
                Map.of(),
                Map.of("fr", List.of("en finir avec")));

        assertThat(detector.detect("il faut en finir avec ce dossier")).isEmpty();
        assertThat(detector.detect("je veux en finir avec la vie"))
                .contains(new CrisisHit("fr", "en finir avec la vie"));
    }

    @Test
    void aNearMissCanExcuseAPatternHit() {
        var detector = new PhraseCrisisDetector(
                Map.of(), Map.of("en", List.of("\\bwant to die\\b")), Map.of("en", List.of("die laughing")));

        assertThat(detector.detect("i want to die laughing")).isEmpty();
        assertThat(detector.detect("i want to die")).isPresent();
    }

    @Test
    void stretchedLettersReachPatternsToo() {
        var detector = new PhraseCrisisDetector(Map.of(), Map.of("en", List.of("\\bi (?:want|plan) to die\\b")));

        assertThat(detector.detect("i plannnn to diiiie")).isPresent();
    }

    @Test
    void ordinaryDoubleLettersAndInitialsAreLeftAlone() {
        // "odd on" must not read as "od on", nor "a b c" as a word of the rules.
        assertThat(DEFAULTS.detect("the odds are odd on weekends")).isEmpty();
        assertThat(DEFAULTS.detect("plan a b c for the trip")).isEmpty();
        assertThat(DEFAULTS.detect("I looove this community sooo much")).isEmpty();
    }

    @Test
    void evasionsCostNothingWhenTheMessageHasNone() {
        Optional<CrisisHit> plain = DEFAULTS.detect("had a good day, my sugar was 5.4 after lunch");
        assertThat(plain).isEmpty();
    }

    private static String lookAlikes(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(
                    switch (c) {
                        case 'a' -> 'а'; // Cyrillic
                        case 'e' -> 'е'; // Cyrillic
                        case 'o' -> 'ο'; // Greek
                        case 'i' -> 'і'; // Cyrillic (Ukrainian)
                        case 'c' -> 'с'; // Cyrillic
                        case 'p' -> 'р'; // Cyrillic
                        case 's' -> 'ѕ'; // Cyrillic (Macedonian)
                        case 'y' -> 'у'; // Cyrillic
                        default -> c;
                    });
        }
        return out.toString();
    }

    /** The longest word of the message spelled apart: "k.i.l.l myself". */
    private static String spelledApart(String text, String separator) {
        String longest = Stream.of(text.split(" "))
                .max((a, b) -> Integer.compare(a.length(), b.length()))
                .orElseThrow();
        return text.replaceFirst(java.util.regex.Pattern.quote(longest), String.join(separator, longest.split("")));
    }

    /** The first vowel of the longest word written five times: "kiiiiill". */
    private static String stretched(String text) {
        String longest = Stream.of(text.split(" "))
                .max((a, b) -> Integer.compare(a.length(), b.length()))
                .orElseThrow();
        String stretched = longest.replaceFirst("([aeiou])", "$1$1$1$1$1");
        return text.replaceFirst(java.util.regex.Pattern.quote(longest), stretched);
    }

    private static String fullwidth(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.chars().forEach(c -> out.append(c > ' ' && c < 0x7F ? (char) (c - 0x21 + 0xFF01) : (char) c));
        return out.toString();
    }

    private static String mixedCase(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(i % 2 == 0 ? Character.toUpperCase(c) : c);
        }
        return out.toString();
    }
}
