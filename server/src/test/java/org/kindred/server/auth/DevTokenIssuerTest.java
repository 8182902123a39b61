package org.kindred.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.kindred.protocol.ErrorCode;
import org.kindred.server.identity.Identity;
import org.kindred.server.identity.Role;
import org.kindred.server.testing.FakeTime;

class DevTokenIssuerTest {

    private final FakeTime clock = new FakeTime(TestTokens.NOW);
    private final DevTokenIssuer issuer = new DevTokenIssuer(clock);

    @Test
    void issuedTokenVerifiesToThePseudonymAndRole() {
        Identity identity = issuer.verifier().verify(issuer.issue("Robin", Role.FACILITATOR));

        assertThat(identity.userId()).isEqualTo("dev:robin");
        assertThat(identity.pseudonym()).isEqualTo("Robin");
        assertThat(identity.roles()).containsExactly(Role.FACILITATOR);
    }

    @Test
    void everySignInIsANewUserWhateverThePseudonymAndRole() {
        Identity member = issuer.verifier().verify(issuer.signIn("Robin", Role.MEMBER));
        Identity again = issuer.verifier().verify(issuer.signIn("Robin", Role.MEMBER));
        Identity moderator = issuer.verifier().verify(issuer.signIn("Robin", Role.MODERATOR));

        assertThat(java.util.Set.of(member.userId(), again.userId(), moderator.userId()))
                .hasSize(3);
        assertThat(member.userId()).matches("dev:[0-9a-f]{32}");
    }

    @Test
    void renewalKeepsTheUserPseudonymAndRoleWithANewExpiry() {
        String token = issuer.signIn("Robin", Role.FACILITATOR);
        clock.advance(Duration.ofHours(11));

        String renewed = issuer.renew(token);
        clock.advance(Duration.ofHours(2));

        Identity before = issuer.verifier().verify(issuer.renew(renewed));
        assertThat(before.pseudonym()).isEqualTo("Robin");
        assertThat(before.roles()).containsExactly(Role.FACILITATOR);
        assertThat(JwtTokenVerifierTest.rejection(issuer.verifier(), token).code())
                .isEqualTo(ErrorCode.TOKEN_EXPIRED);
    }

    @Test
    void anExpiredTokenCannotBeRenewed() {
        String token = issuer.signIn("Robin", Role.MEMBER);
        clock.advance(Duration.ofHours(13));

        assertThatThrownBy(() -> issuer.renew(token)).hasMessageContaining("expired");
    }

    @Test
    void samePseudonymInAnyCaseIsTheSameUserInProcess() {
        Identity phone = issuer.verifier().verify(issuer.issue("Sam River", Role.MEMBER));
        Identity laptop = issuer.verifier().verify(issuer.issue("sam river", Role.MEMBER));

        assertThat(phone.userId()).isEqualTo(laptop.userId()).isEqualTo("dev:sam river");
    }

    @Test
    void verifierConfigVerifiesTheSameTokens() {
        TokenVerifier fromConfig = new JwtTokenVerifier(issuer.verifierConfig(), clock);

        assertThat(fromConfig.verify(issuer.issue("Robin", Role.MEMBER)).userId())
                .isEqualTo("dev:robin");
        assertThat(issuer.verifierConfig().toString()).contains("hs256Secret=<set>");
    }

    @Test
    void tokenLastsTwelveHours() {
        String token = issuer.issue("Robin", Role.MEMBER);

        clock.advance(Duration.ofHours(12));
        issuer.verifier().verify(token);
        clock.advance(Duration.ofSeconds(31));

        assertThat(JwtTokenVerifierTest.rejection(issuer.verifier(), token).code())
                .isEqualTo(ErrorCode.TOKEN_EXPIRED);
    }

    @Test
    void anotherIssuersTokensAreRefused() {
        String foreign = new DevTokenIssuer(clock).issue("Robin", Role.MODERATOR);

        assertThat(JwtTokenVerifierTest.rejection(issuer.verifier(), foreign).code())
                .isEqualTo(ErrorCode.TOKEN_INVALID);
    }

    @Test
    void pseudonymIsTrimmedAndMayUseLettersOfAnyScript() {
        Identity identity = issuer.verifier().verify(issuer.issue("  Zoë_B-2.0 ", Role.MENTOR));

        assertThat(identity.pseudonym()).isEqualTo("Zoë_B-2.0");
    }

    @Test
    void badPseudonymsAreRefusedWithPreciseMessages() {
        assertThatThrownBy(() -> issuer.issue("   ", Role.MEMBER))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pseudonym: '   ' has 0 characters (expected: 1-32)");
        assertThatThrownBy(() -> issuer.issue("x".repeat(33), Role.MEMBER))
                .hasMessage("pseudonym: '" + "x".repeat(33) + "' has 33 characters (expected: 1-32)");
        assertThatThrownBy(() -> issuer.issue("<script>", Role.MEMBER))
                .hasMessage("pseudonym: '<script>' contains '<' (expected: letters, digits, spaces, '.', '_' or '-')");
        assertThatThrownBy(() -> issuer.issue(null, Role.MEMBER))
                .hasMessage("pseudonym: null (expected: 1-32 characters)");
        assertThatThrownBy(() -> issuer.issue("Robin", null))
                .hasMessage("role: null (expected: one of [member, mentor, facilitator, moderator])");
    }
}
