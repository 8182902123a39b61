package org.kindred.server.safety;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.kindred.protocol.ErrorCode;
import org.kindred.protocol.ServerMessage;

class ErrorTextsTest {

    @Test
    void everyErrorCodeHasASentenceInEveryShippedLanguage() {
        for (Locale locale : ServerTexts.SHIPPED) {
            for (ErrorCode code : ErrorCode.values()) {
                assertThat(ErrorTexts.sentence(code, locale))
                        .as(code + " in " + locale)
                        .isNotBlank();
            }
        }
    }

    @Test
    void everyShippedLanguageHasExactlyTheKeysOfTheErrorCodes() throws Exception {
        var codes =
                Arrays.stream(ErrorCode.values()).map(c -> "error." + c.wire()).toList();
        for (Locale locale : ServerTexts.SHIPPED) {
            assertThat(ServerTextsTest.file(ErrorTexts.ERROR_TEXTS, locale).stringPropertyNames())
                    .as("ErrorTexts in " + locale)
                    .containsExactlyInAnyOrderElementsOf(codes);
        }
    }

    @Test
    void aFrenchReaderGetsTheSentenceOfTheCodeThenThePreciseEnglishMessage() {
        ServerMessage.Error error = ErrorTexts.translated(
                ServerMessage.Error.of("4", ErrorCode.NOT_IN_ROOM, "join room 'talk' first"), "fr-CA");

        assertThat(error.message()).isEqualTo("Rejoignez d'abord ce salon. (join room 'talk' first)");
        assertThat(error.code()).isEqualTo("not_in_room");
        assertThat(error.ref()).isEqualTo("4");
    }

    @Test
    void keepsTheRetryDelayOfARateLimit() {
        ServerMessage.Error limited = new ServerMessage.Error("6", "rate_limited", "too many commands", true, 250L);

        ServerMessage.Error german = ErrorTexts.translated(limited, "de");

        assertThat(german.retryAfterMs()).isEqualTo(250L);
        assertThat(german.retryable()).isTrue();
        assertThat(german.message()).startsWith("Zu viel auf einmal");
    }

    @Test
    void anEnglishReaderOrALanguageNotShippedOrNoneGetsThePreciseMessageAlone() {
        ServerMessage.Error error = ServerMessage.Error.of(null, ErrorCode.TEXT_TOO_LONG, "text is 5000 characters");

        assertThat(ErrorTexts.translated(error, "en-GB")).isSameAs(error);
        assertThat(ErrorTexts.translated(error, "pt-BR")).isSameAs(error);
        assertThat(ErrorTexts.translated(error, null)).isSameAs(error);
    }

    @Test
    void aCodeThisBuildDoesNotKnowIsLeftAsItIs() {
        ServerMessage.Error unknown = new ServerMessage.Error(null, "from_the_future", "something new", false, null);

        assertThat(ErrorTexts.translated(unknown, "es")).isSameAs(unknown);
    }
}
