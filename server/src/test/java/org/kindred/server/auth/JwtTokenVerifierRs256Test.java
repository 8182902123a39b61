package org.kindred.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kindred.protocol.ErrorCode;
import org.kindred.server.config.ConfigException;
import org.kindred.server.config.JwtConfig;
import org.kindred.server.identity.Identity;
import org.kindred.server.identity.Role;

/** RS256 with a PEM public key written the way {@code openssl rsa -pubout} writes it. */
class JwtTokenVerifierRs256Test {

    private static KeyPair keys;

    @TempDir
    Path dir;

    private final Clock clock = Clock.fixed(TestTokens.NOW, ZoneOffset.UTC);

    @BeforeAll
    static void generateKeys() throws NoSuchAlgorithmException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        keys = generator.generateKeyPair();
    }

    @Test
    void validRs256TokenYieldsItsIdentity() throws Exception {
        TokenVerifier verifier = new JwtTokenVerifier(JwtConfig.rs256(publicKeyPem()), clock);

        Identity identity = verifier.verify(
                TestTokens.rs256(keys.getPrivate(), c -> c.claim("roles", null).claim("role", "facilitator")));

        assertThat(identity.userId()).isEqualTo("user-42");
        assertThat(identity.primaryRole()).isEqualTo(Role.FACILITATOR);
    }

    @Test
    void tokenSignedByAnotherKeyIsInvalid() throws Exception {
        TokenVerifier verifier = new JwtTokenVerifier(JwtConfig.rs256(publicKeyPem()), clock);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);

        String token = TestTokens.rs256(generator.generateKeyPair().getPrivate(), c -> c);

        assertThat(JwtTokenVerifierTest.rejection(verifier, token).code()).isEqualTo(ErrorCode.TOKEN_INVALID);
    }

    @Test
    void hs256TokenKeyedWithThePublicKeyIsInvalid() throws Exception {
        // The classic algorithm-confusion attack: HMAC "signed" with the public key, which anyone can read.
        Path pem = publicKeyPem();
        TokenVerifier verifier = new JwtTokenVerifier(JwtConfig.rs256(pem), clock);

        String token = TestTokens.hmac(JWSAlgorithm.HS256, Files.readAllBytes(pem), c -> c);

        assertThat(JwtTokenVerifierTest.rejection(verifier, token).code()).isEqualTo(ErrorCode.TOKEN_INVALID);
    }

    @Test
    void rs256TokenAgainstAnHs256ConfigIsInvalid() {
        TokenVerifier verifier = new JwtTokenVerifier(JwtConfig.hs256(TestTokens.SECRET), clock);

        String token = TestTokens.rs256(keys.getPrivate(), c -> c);

        assertThat(JwtTokenVerifierTest.rejection(verifier, token).code()).isEqualTo(ErrorCode.TOKEN_INVALID);
    }

    @Test
    void pkcs1PublicKeyIsRefusedWithAConversionHint() throws IOException {
        Path pem = dir.resolve("pkcs1.pem");
        Files.writeString(pem, "-----BEGIN RSA PUBLIC KEY-----\nAAAA\n-----END RSA PUBLIC KEY-----\n");

        assertThatThrownBy(() -> new JwtTokenVerifier(JwtConfig.rs256(pem), clock))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("openssl rsa -RSAPublicKey_in -pubout");
    }

    @Test
    void fileWithoutPemBlockIsRefused() throws IOException {
        Path pem = dir.resolve("empty.pem");
        Files.writeString(pem, "hello");

        assertThatThrownBy(() -> new JwtTokenVerifier(JwtConfig.rs256(pem), clock))
                .isInstanceOf(ConfigException.class)
                .hasMessage("jwt.rs256PublicKeyFile: " + pem
                        + " holds no PEM block (expected: -----BEGIN PUBLIC KEY-----)");
    }

    private Path publicKeyPem() throws IOException {
        String body = Base64.getMimeEncoder(64, "\n".getBytes())
                .encodeToString(keys.getPublic().getEncoded());
        Path pem = dir.resolve("issuer-public.pem");
        Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n");
        return pem;
    }
}
