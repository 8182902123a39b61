package org.kindred.server.safety;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Pseudonyms that spoof staff or hide characters are refused; ordinary names, in any script, are not. */
class PseudonymsTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Jo\u202Erotaredom", // right-to-left override: shows as "Jomoderator"
                "Sam\u200B", // zero-width space
                "\u2066Robin\u2069", // isolates
                "Ro\u00ADbin" // soft hyphen
            })
    void invisibleOrDirectionChangingCharactersAreRefused(String name) {
        assertThat(Pseudonyms.refusal(name, true))
                .hasValueSatisfying(why -> assertThat(why).contains("invisible"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Moderator",
                "The Moderator",
                "m0d3rat0r",
                "M o d e r a t o r",
                "mod.erator",
                "\u041Coderator", // Cyrillic capital Em
                "Admin",
                "sysadmin42",
                "\u0430dmin", // Cyrillic a
                "Kindred Team",
                "rnoderator" // "rn" reads as "m"
            })
    void namesThatReadLikeAReservedWordAreRefusedToMembersWithAClearMessage(String name) {
        assertThat(Pseudonyms.refusal(name, false))
                .hasValueSatisfying(why -> assertThat(why).contains("kept for the service's staff"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Robin", "Léa", "Jürgen", "Мария", "山田", "Mod Squad fan", "Admiral", "Sam_99"})
    void ordinaryNamesAreAccepted(String name) {
        assertThat(Pseudonyms.refusal(name, false)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Moderator Jo", "Admin"})
    void aModeratorMayCallItselfOne(String name) {
        assertThat(Pseudonyms.refusal(name, true)).isEmpty();
    }
}
