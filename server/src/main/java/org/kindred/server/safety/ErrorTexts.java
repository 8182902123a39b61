package org.kindred.server.safety;

import java.util.Locale;
import org.kindred.protocol.ErrorCode;
import org.kindred.protocol.ServerMessage;

/**
 * The words of an {@code error} frame in the member's language, from the resource bundle {@code ErrorTexts}: one
 * sentence per {@link ErrorCode}, followed by the precise English message in brackets. The precise message names
 * fields, values and times that a sentence per code cannot; clients switch on the code, never on the words. A member
 * who reads English, or a language Kindred does not ship, gets the precise message alone.
 */
public final class ErrorTexts {

    static final String ERROR_TEXTS = "org.kindred.server.safety.ErrorTexts";

    private ErrorTexts() {}

    /** The error as a member who reads this language (a BCP 47 tag, null for the server's default) should see it. */
    public static ServerMessage.Error translated(ServerMessage.Error error, String language) {
        Locale locale = ServerTexts.locale(language);
        if (locale.equals(Locale.ENGLISH) || error.errorCode().isEmpty()) {
            return error;
        }
        String sentence = sentence(error.errorCode().get(), locale);
        return new ServerMessage.Error(
                error.ref(),
                error.code(),
                sentence + " (" + error.message() + ")",
                error.retryable(),
                error.retryAfterMs());
    }

    /** The sentence for a code in a shipped language, English included: what translators and tests read. */
    static String sentence(ErrorCode code, Locale locale) {
        return ServerTexts.plain(ServerTexts.bundle(ERROR_TEXTS, locale).getString("error." + code.wire()));
    }
}
