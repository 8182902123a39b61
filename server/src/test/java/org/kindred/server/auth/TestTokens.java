package org.kindred.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.function.UnaryOperator;

/** Signs test tokens. Claims start as a valid member token issued at {@link #NOW}, expiring an hour later. */
final class TestTokens {

    static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
    static final String SECRET = "0123456789abcdef0123456789abcdef-test-secret";

    private TestTokens() {}

    static JWTClaimsSet.Builder validClaims() {
        return new JWTClaimsSet.Builder()
                .subject("user-42")
                .claim("pseudonym", "Robin")
                .claim("roles", List.of("member"))
                .issueTime(Date.from(NOW))
                .expirationTime(Date.from(NOW.plus(Duration.ofHours(1))));
    }

    static String hs256(UnaryOperator<JWTClaimsSet.Builder> claims) {
        return hs256(SECRET, claims);
    }

    static String hs256(String secret, UnaryOperator<JWTClaimsSet.Builder> claims) {
        return hmac(JWSAlgorithm.HS256, secret.getBytes(StandardCharsets.UTF_8), claims);
    }

    static String hmac(JWSAlgorithm alg, byte[] secret, UnaryOperator<JWTClaimsSet.Builder> claims) {
        try {
            return sign(new MACSigner(secret), alg, claims);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static String rs256(PrivateKey key, UnaryOperator<JWTClaimsSet.Builder> claims) {
        return sign(new RSASSASigner(key), JWSAlgorithm.RS256, claims);
    }

    static String unsigned(UnaryOperator<JWTClaimsSet.Builder> claims) {
        return new PlainJWT(claims.apply(validClaims()).build()).serialize();
    }

    private static String sign(JWSSigner signer, JWSAlgorithm alg, UnaryOperator<JWTClaimsSet.Builder> claims) {
        SignedJWT jwt =
                new SignedJWT(new JWSHeader(alg), claims.apply(validClaims()).build());
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }
}
