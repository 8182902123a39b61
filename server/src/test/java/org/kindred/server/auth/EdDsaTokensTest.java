package org.kindred.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.EdECPublicKey;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kindred.protocol.ErrorCode;
import org.kindred.server.config.JwtConfig;
import org.kindred.server.testing.FakeTime;

/**
 * EdDSA (Ed25519) tokens, signed here with the JDK the way an identity provider signs them: verified with the key of a
 * JWKS URL (served by a JWKS server written in the test, rotating from RSA to Ed25519) and with a static PEM key; a
 * token signed by another Ed25519 key, or whose payload was changed, is refused.
 */
class EdDsaTokensTest {

    private final FakeTime clock = new FakeTime(TestTokens.NOW);

    @TempDir
    Path dir;

    private static KeyPair ed25519() throws Exception {
        return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    /** A compact JWS signed with the JDK's Ed25519. */
    private static String token(KeyPair keys, JWSAlgorithm algorithm, String keyId, JWTClaimsSet claims)
            throws Exception {
        JWSHeader header = new JWSHeader.Builder(algorithm)
                .keyID(keyId)
                .type(JOSEObjectType.JWT)
                .build();
        String signingInput = header.toBase64URL() + "." + Base64URL.encode(claims.toString());
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(keys.getPrivate());
        signer.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + Base64URL.encode(signer.sign());
    }

    private static JWTClaimsSet claims() {
        return TestTokens.validClaims()
                .issuer("https://id.example.org")
                .audience("kindred")
                .build();
    }

    @Test
    void anEd25519KeyOfTheJwksVerifiesEdDsaTokensAfterARotationFromRsa() throws Exception {
        try (JwksServer jwks = new JwksServer()) {
            RSAKey rsa = new RSAKeyGenerator(2048).keyID("2025-01").generate();
            jwks.publish(new JWKSet(List.<JWK>of(rsa.toPublicJWK())));
            JwtTokenVerifier verifier = new JwtTokenVerifier(
                    JwtConfig.jwks(jwks.url())
                            .withIssuer("https://id.example.org")
                            .withAudience("kindred"),
                    clock);

            KeyPair ed = ed25519();
            JWK edJwk = new com.nimbusds.jose.jwk.OctetKeyPair.Builder(
                            Ed25519Verification.jwk((EdECPublicKey) ed.getPublic()))
                    .keyID("2025-02")
                    .build();
            jwks.publish(new JWKSet(List.of(rsa.toPublicJWK(), edJwk)));

            assertThat(verifier.verify(token(ed, JWSAlgorithm.EdDSA, "2025-02", claims()))
                            .userId())
                    .isEqualTo("user-42");
            assertThat(verifier.verify(token(ed, JWSAlgorithm.Ed25519, "2025-02", claims()))
                            .userId())
                    .as("RFC 9864's fully specified name")
                    .isEqualTo("user-42");

            String forged = token(ed25519(), JWSAlgorithm.EdDSA, "2025-02", claims());
            assertThat(JwtTokenVerifierTest.rejection(verifier, forged).code()).isEqualTo(ErrorCode.TOKEN_INVALID);
        }
    }

    @Test
    void aStaticEd25519PemKeyVerifiesEdDsaTokensAndRefusesAChangedPayload() throws Exception {
        KeyPair ed = ed25519();
        Path pem = dir.resolve("issuer-ed25519.pem");
        Files.writeString(
                pem,
                "-----BEGIN PUBLIC KEY-----\n"
                        + Base64.getMimeEncoder().encodeToString(ed.getPublic().getEncoded())
                        + "\n-----END PUBLIC KEY-----\n");
        JwtTokenVerifier verifier = new JwtTokenVerifier(
                JwtConfig.rs256(pem).withIssuer("https://id.example.org").withAudience("kindred"), clock);

        String token = token(ed, JWSAlgorithm.EdDSA, null, claims());
        assertThat(verifier.verify(token).pseudonym()).isNotBlank();

        String[] parts = token.split("\\.");
        String changed = parts[0] + "."
                + Base64URL.encode(TestTokens.validClaims()
                        .issuer("https://id.example.org")
                        .audience("kindred")
                        .subject("someone-else")
                        .build()
                        .toString())
                + "." + parts[2];
        assertThat(JwtTokenVerifierTest.rejection(verifier, changed).code()).isEqualTo(ErrorCode.TOKEN_INVALID);

        KeyPair rsa = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        String rs256 = TestTokens.rs256(
                rsa.getPrivate(), c -> c.issuer("https://id.example.org").audience("kindred"));
        assertThat(JwtTokenVerifierTest.rejection(verifier, rs256).code())
                .as("only EdDSA with an Ed25519 key")
                .isEqualTo(ErrorCode.TOKEN_INVALID);
    }
}
