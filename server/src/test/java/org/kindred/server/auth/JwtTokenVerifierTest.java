package org.kindred.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.nimbusds.jose.JWSAlgorithm;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.kindred.protocol.ErrorCode;
import org.kindred.server.config.ConfigException;
import org.kindred.server.config.JwtConfig;
import org.kindred.server.connection.Refusal;
import org.kindred.server.identity.Identity;
import org.kindred.server.identity.Role;
import org.kindred.server.testing.FakeTime;

/** HS256 verification and the claim rules shared by every algorithm. */
class JwtTokenVerifierTest {

    private final Clock clock = Clock.fixed(TestTokens.NOW, ZoneOffset.UTC);
    private final TokenVerifier verifier = new JwtTokenVerifier(JwtConfig.hs256(TestTokens.SECRET), clock);

    @Test
    void validTokenYieldsItsIdentity() {
        Identity identity = verifier.verify(TestTokens.hs256(c -> c.claim("roles", List.of("member", "mentor"))));

        assertThat(identity.userId()).isEqualTo("user-42");
        assertThat(identity.pseudonym()).isEqualTo("Robin");
        assertThat(identity.roles()).containsExactly(Role.MEMBER, Role.MENTOR);
        assertThat(identity.primaryRole()).isEqualTo(Role.MENTOR);
    }

    @Test
    void singleRoleClaimIsAccepted() {
        String token = TestTokens.hs256(c -> c.claim("roles", null).claim("role", "moderator"));

        assertThat(verifier.verify(token).roles()).containsExactly(Role.MODERATOR);
    }

    @Test
    void tokenWithoutRolesMakesAMember() {
        String token = TestTokens.hs256(c -> c.claim("roles", null));

        assertThat(verifier.verify(token).roles()).containsExactly(Role.MEMBER);
    }

    @Test
    void pseudonymIsTrimmed() {
        assertThat(verifier.verify(TestTokens.hs256(c -> c.claim("pseudonym", "  Robin  ")))
                        .pseudonym())
                .isEqualTo("Robin");
    }

    @Test
    void nullOrBlankTokenIsMissing() {
        assertThat(rejection(null).code()).isEqualTo(ErrorCode.TOKEN_MISSING);
        assertThat(rejection("  ").code()).isEqualTo(ErrorCode.TOKEN_MISSING);
    }

    @Test
    void garbageIsInvalidAndTheMessageDoesNotQuoteIt() {
        String garbage = "not-a-jwt-secret-looking-string";

        Refusal e = rejection(garbage);

        assertThat(e.code()).isEqualTo(ErrorCode.TOKEN_INVALID);
        assertThat(e.getMessage()).doesNotContain(garbage);
    }

    @Test
    void tokenSignedWithAnotherSecretIsInvalid() {
        String token = TestTokens.hs256("another-secret-another-secret-another-secret", c -> c);

        Refusal e = rejection(token);

        assertThat(e.code()).isEqualTo(ErrorCode.TOKEN_INVALID);
        assertThat(e.getMessage()).contains("Invalid signature").doesNotContain(token);
    }

    @Test
    void tokenWithAnotherAlgorithmIsInvalidEvenWithTheRightSecret() {
        String token = TestTokens.hmac(
                JWSAlgorithm.HS512, (TestTokens.SECRET + TestTokens.SECRET).getBytes(StandardCharsets.UTF_8), c -> c);

        assertThat(rejection(token).code()).isEqualTo(ErrorCode.TOKEN_INVALID);
    }

    @Test
    void unsignedTokenWithAlgNoneIsInvalid() {
        assertThat(rejection(TestTokens.unsigned(c -> c)).code()).isEqualTo(ErrorCode.TOKEN_INVALID);
    }

    @Test
    void expiredTokenIsExpired() {
        String token = TestTokens.hs256(c -> c.expirationTime(Date.from(TestTokens.NOW.minusSeconds(31))));

        Refusal e = rejection(token);

        assertThat(e.code()).isEqualTo(ErrorCode.TOKEN_EXPIRED);
        assertThat(e.getMessage()).isEqualTo("token has expired");
    }

    @Test
    void tokenExpiredWithinClockSkewIsStillAccepted() {
        String token = TestTokens.hs256(c -> c.expirationTime(Date.from(TestTokens.NOW.minusSeconds(29))));

        assertThat(verifier.verify(token).userId()).isEqualTo("user-42");
    }

    @Test
    void tokenExpiresWhenTheClockMovesOn() {
        FakeTime moving = new FakeTime(TestTokens.NOW);
        TokenVerifier v = new JwtTokenVerifier(JwtConfig.hs256(TestTokens.SECRET), moving);
        String token = TestTokens.hs256(c -> c);
        v.verify(token);

        moving.advance(Duration.ofHours(1).plusSeconds(31));

        assertThatThrownBy(() -> v.verify(token))
                .isInstanceOfSatisfying(Refusal.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TOKEN_EXPIRED));
    }

    @Test
    void tokenNotYetValidCountsAsExpired() {
        String token = TestTokens.hs256(c -> c.notBeforeTime(Date.from(TestTokens.NOW.plusSeconds(120))));

        Refusal e = rejection(token);

        assertThat(e.code()).isEqualTo(ErrorCode.TOKEN_EXPIRED);
        assertThat(e.getMessage()).isEqualTo("token is not yet valid");
    }

    @Test
    void tokenWithoutExpiryIsInvalid() {
        Refusal e = rejection(TestTokens.hs256(c -> c.expirationTime(null)));

        assertThat(e.code()).isEqualTo(ErrorCode.TOKEN_INVALID);
        assertThat(e.getMessage()).contains("exp");
    }

    @Test
    void tokenWithoutIssuedAtIsInvalidSinceItsAgeCannotBeKnown() {
        String token = TestTokens.hs256(c -> c.issueTime(null));

        assertThat(rejection(token).code()).isEqualTo(ErrorCode.TOKEN_INVALID);
    }

    @Test
    void tokenOlderThanTheDefaultThirtyDaysIsExpiredWhateverItsExp() {
        FakeTime time = new FakeTime(TestTokens.NOW);
        TokenVerifier moving = new JwtTokenVerifier(JwtConfig.hs256(TestTokens.SECRET), time);
        String tenYears = TestTokens.hs256(
                c -> c.expirationTime(java.util.Date.from(TestTokens.NOW.plus(java.time.Duration.ofDays(3650)))));
        moving.verify(tenYears);

        time.advance(java.time.Duration.ofDays(31));

        assertThat(rejection(moving, tenYears).code()).isEqualTo(ErrorCode.TOKEN_EXPIRED);
        assertThat(rejection(moving, tenYears).getMessage()).contains("maxTokenAge");
    }

    @Test
    void tokenWithoutSubjectIsInvalid() {
        Refusal e = rejection(TestTokens.hs256(c -> c.subject(null)));

        assertThat(e.code()).isEqualTo(ErrorCode.TOKEN_INVALID);
        assertThat(e.getMessage()).contains("sub");
    }

    @Test
    void tokenWithoutPseudonymIsInvalid() {
        Refusal e = rejection(TestTokens.hs256(c -> c.claim("pseudonym", null)));

        assertThat(e.code()).isEqualTo(ErrorCode.TOKEN_INVALID);
        assertThat(e.getMessage()).isEqualTo("claim 'pseudonym' is missing");
    }

    @Test
    void pseudonymOfBlanksOrTooLongOrWithControlCharactersIsInvalid() {
        assertThat(rejection(TestTokens.hs256(c -> c.claim("pseudonym", "   "))).getMessage())
                .isEqualTo("claim 'pseudonym' has 0 characters (expected: 1-32)");
        assertThat(rejection(TestTokens.hs256(c -> c.claim("pseudonym", "x".repeat(33))))
                        .getMessage())
                .isEqualTo("claim 'pseudonym' has 33 characters (expected: 1-32)");
        assertThat(rejection(TestTokens.hs256(c -> c.claim("pseudonym", "Ro\u0007bin")))
                        .getMessage())
                .isEqualTo("claim 'pseudonym' contains a control character");
        assertThat(rejection(TestTokens.hs256(c -> c.claim("pseudonym", 42))).code())
                .isEqualTo(ErrorCode.TOKEN_INVALID);
    }

    @Test
    void unknownRoleIsReportedByName() {
        Refusal e = rejection(TestTokens.hs256(c -> c.claim("roles", List.of("member", "admin"))));

        assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_ROLE);
        assertThat(e.getMessage()).isEqualTo("unknown role 'admin'");
    }

    @Test
    void rolesOfTheWrongTypeAreInvalid() {
        assertThat(rejection(TestTokens.hs256(c -> c.claim("roles", "member"))).code())
                .isEqualTo(ErrorCode.TOKEN_INVALID);
    }

    @Test
    void issuerIsCheckedWhenConfigured() {
        TokenVerifier strict =
                new JwtTokenVerifier(JwtConfig.hs256(TestTokens.SECRET).withIssuer("https://id.example.org"), clock);

        assertThat(strict.verify(TestTokens.hs256(c -> c.issuer("https://id.example.org")))
                        .userId())
                .isEqualTo("user-42");
        assertThat(rejection(strict, TestTokens.hs256(c -> c.issuer("https://evil.example.org")))
                        .code())
                .isEqualTo(ErrorCode.TOKEN_INVALID);
        assertThat(rejection(strict, TestTokens.hs256(c -> c)).code()).isEqualTo(ErrorCode.TOKEN_INVALID);
    }

    @Test
    void audienceIsCheckedWhenConfigured() {
        TokenVerifier strict =
                new JwtTokenVerifier(JwtConfig.hs256(TestTokens.SECRET).withAudience("kindred"), clock);

        assertThat(strict.verify(TestTokens.hs256(c -> c.audience(List.of("other", "kindred"))))
                        .userId())
                .isEqualTo("user-42");
        Refusal wrong = rejection(strict, TestTokens.hs256(c -> c.audience("other")));
        assertThat(wrong.code()).isEqualTo(ErrorCode.TOKEN_INVALID);
        assertThat(wrong.getMessage()).contains("aud");
        assertThat(rejection(strict, TestTokens.hs256(c -> c)).code()).isEqualTo(ErrorCode.TOKEN_INVALID);
    }

    @Test
    void anyIssuerAndAudienceAreAcceptedWhenNotConfigured() {
        String token = TestTokens.hs256(c -> c.issuer("whoever").audience("whatever"));

        assertThat(verifier.verify(token).userId()).isEqualTo("user-42");
    }

    @Test
    void configWithoutKeyCannotMakeAVerifier() {
        assertThatThrownBy(() -> new JwtTokenVerifier(JwtConfig.none(), clock))
                .isInstanceOf(ConfigException.class)
                .hasMessage("jwt: no key (expected: hs256Secret or rs256PublicKeyFile)");
    }

    @Test
    void identityRolesAreRankOrdered() {
        Identity identity = new Identity("u", "p", Set.of(Role.MODERATOR, Role.MEMBER));

        assertThat(identity.roleNames()).containsExactly("member", "moderator");
        assertThat(identity.primaryRole()).isEqualTo(Role.MODERATOR);
        assertThat(identity.has(Role.MENTOR)).isFalse();
    }

    private Refusal rejection(String token) {
        return rejection(verifier, token);
    }

    static Refusal rejection(TokenVerifier verifier, String token) {
        try {
            Identity identity = verifier.verify(token);
            return fail("expected a rejection, got " + identity);
        } catch (Refusal e) {
            return e;
        }
    }
}
