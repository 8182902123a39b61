package org.kindred.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kindred.protocol.ErrorCode;
import org.kindred.server.config.JwtConfig;
import org.kindred.server.identity.Identity;
import org.kindred.server.testing.FakeTime;

/**
 * Tokens verified with the keys an identity provider publishes at a JWKS URL, served here by a JWKS server written in
 * the test: fetched once and cached, fetched again when a token names a key the cache does not hold (a rotation),
 * RS256 and ES256.
 */
class JwksRotationTest {

    private final FakeTime clock = new FakeTime(TestTokens.NOW);
    private JwksServer jwks;
    private JwtTokenVerifier verifier;

    @BeforeEach
    void startJwksServer() throws IOException {
        jwks = new JwksServer();
        verifier = new JwtTokenVerifier(
                JwtConfig.jwks(jwks.url()).withIssuer("https://id.example.org").withAudience("kindred"), clock);
    }

    @AfterEach
    void stopJwksServer() {
        jwks.close();
    }

    @Test
    void aRotatedKeyIsFetchedWhenATokenNamesItAndTheSetIsCachedOtherwise() throws Exception {
        RSAKey first = new RSAKeyGenerator(2048).keyID("2025-01").generate();
        jwks.publish(new JWKSet(List.<JWK>of(first.toPublicJWK())));

        assertThat(verifier.verify(token(new RSASSASigner(first), JWSAlgorithm.RS256, first.getKeyID()))
                        .userId())
                .isEqualTo("user-42");
        verifier.verify(token(new RSASSASigner(first), JWSAlgorithm.RS256, first.getKeyID()));
        assertThat(jwks.fetches).hasValue(1);

        // The provider rotates to an EC key; the old RSA key is withdrawn.
        ECKey second = new ECKeyGenerator(Curve.P_256).keyID("2025-02").generate();
        jwks.publish(new JWKSet(List.<JWK>of(second.toPublicJWK())));

        Identity es256 = verifier.verify(token(new ECDSASigner(second), JWSAlgorithm.ES256, second.getKeyID()));

        assertThat(es256.userId()).isEqualTo("user-42");
        assertThat(jwks.fetches).hasValue(2);
    }

    @Test
    void aKeyThePublishedSetDoesNotHoldIsRefused() throws Exception {
        RSAKey published = new RSAKeyGenerator(2048).keyID("real").generate();
        RSAKey forged = new RSAKeyGenerator(2048).keyID("real").generate();
        jwks.publish(new JWKSet(List.<JWK>of(published.toPublicJWK())));

        String token = token(new RSASSASigner(forged), JWSAlgorithm.RS256, "real");

        assertThat(JwtTokenVerifierTest.rejection(verifier, token).code()).isEqualTo(ErrorCode.TOKEN_INVALID);
    }

    @Test
    void aTokenOlderThanTheMaximumAgeIsRefusedAsExpiredAndItsValidityEndsThere() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("k").generate();
        jwks.publish(new JWKSet(List.<JWK>of(key.toPublicJWK())));
        JwtTokenVerifier strict =
                new JwtTokenVerifier(JwtConfig.jwks(jwks.url()).withMaxTokenAge(Duration.ofMinutes(30)), clock);
        String token = token(new RSASSASigner(key), JWSAlgorithm.RS256, "k");

        assertThat(strict.signIn(token).validUntil()).isEqualTo(TestTokens.NOW.plus(Duration.ofMinutes(30)));
        clock.advance(Duration.ofMinutes(31));

        assertThat(JwtTokenVerifierTest.rejection(strict, token).code()).isEqualTo(ErrorCode.TOKEN_EXPIRED);
    }

    private static String token(JWSSigner signer, JWSAlgorithm algorithm, String keyId) throws JOSEException {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(algorithm)
                        .keyID(keyId)
                        .type(JOSEObjectType.JWT)
                        .build(),
                TestTokens.validClaims()
                        .issuer("https://id.example.org")
                        .audience("kindred")
                        .build());
        jwt.sign(signer);
        return jwt.serialize();
    }
}
