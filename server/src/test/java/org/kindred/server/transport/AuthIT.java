package org.kindred.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kindred.protocol.ServerMessage;
import org.kindred.server.config.JwtConfig;
import org.kindred.server.testing.RawClient;
import org.kindred.server.testing.TestNode;

/** Sign-in with real JWTs: each failure gets its documented error and close code. */
class AuthIT {

    private static final String SECRET = "a-test-secret-that-is-long-enough-for-hs256!";
    private static TestNode node;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.start(c -> c.jwt(JwtConfig.hs256(SECRET)).authTimeout(Duration.ofSeconds(1)));
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static String token(String secret, String pseudonym, List<String> roles, Instant expires) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject("user-" + pseudonym.toLowerCase())
                .claim("pseudonym", pseudonym)
                .claim("roles", roles)
                .issueTime(Date.from(expires.minus(Duration.ofHours(2))))
                .expirationTime(Date.from(expires))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(secret.getBytes()));
        return jwt.serialize();
    }

    private static String valid(String pseudonym, String... roles) throws Exception {
        return token(SECRET, pseudonym, List.of(roles), Instant.now().plusSeconds(600));
    }

    @Test
    void welcomesAValidTokenWithIdentityRolesAndLimits() throws Exception {
        try (RawClient client = RawClient.connect(node.ws())) {
            client.send("{\"type\":\"hello\",\"ref\":\"h\",\"token\":\"" + valid("Robin", "member", "mentor") + "\"}");

            ServerMessage.Welcome welcome = client.await(ServerMessage.Welcome.class, w -> true);
            assertThat(welcome.ref()).isEqualTo("h");
            assertThat(welcome.user().id()).isNotEqualTo("user-robin").matches("u[A-Za-z0-9_-]{22}");
            assertThat(welcome.user().pseudonym()).isEqualTo("Robin");
            assertThat(welcome.user().role()).isEqualTo("mentor");
            assertThat(welcome.roles()).containsExactlyInAnyOrder("member", "mentor");
            assertThat(welcome.protocolVersion()).isEqualTo(1);
            assertThat(welcome.limits().maxTextLength())
                    .isEqualTo(node.node().config().maxTextLength());
            assertThat(welcome.limits().rateBurst())
                    .isEqualTo(node.node().config().rateBurst());
        }
    }

    @Test
    void refusesSpoofedPseudonymsWithAClearMessageButLetsAModeratorBeOne() throws Exception {
        for (String spoof : List.of("Jo\u202Erotaredom", "Sam\u200B", "M0d3rator Jo", "A d m i n", "\u041Coderator")) {
            try (RawClient client = RawClient.connect(node.ws())) {
                client.send(hello(valid(spoof, "member")));
                ServerMessage.Error refused = client.awaitError("h");
                assertThat(refused.code()).as(spoof).isEqualTo("token_invalid");
                assertThat(refused.message()).as(spoof).contains("pseudonym");
            }
        }
        try (RawClient client = RawClient.connect(node.ws())) {
            client.send(hello(valid("Moderator Jo", "moderator")));
            assertThat(client.await(ServerMessage.Welcome.class, w -> true)
                            .user()
                            .pseudonym())
                    .isEqualTo("Moderator Jo");
        }
    }

    @Test
    void refusesAHelloWithoutTokenAndCloses4100() throws Exception {
        assertRefused("{\"type\":\"hello\",\"ref\":\"h\"}", "token_missing", 4100);
    }

    @Test
    void refusesABadSignatureAndCloses4100() throws Exception {
        String forged = token(
                "another-secret-that-is-also-long-enough!!",
                "Mallory",
                List.of("moderator"),
                Instant.now().plusSeconds(600));
        assertRefused(hello(forged), "token_invalid", 4100);
    }

    @Test
    void refusesGarbageAsATokenAndCloses4100() throws Exception {
        assertRefused(hello("not.a.jwt"), "token_invalid", 4100);
    }

    @Test
    void refusesAnExpiredTokenAndCloses4101() throws Exception {
        String expired = token(SECRET, "Robin", List.of("member"), Instant.now().minus(Duration.ofHours(1)));
        assertRefused(hello(expired), "token_expired", 4101);
    }

    @Test
    void refusesAnUnknownRoleAndCloses4100() throws Exception {
        assertRefused(hello(valid("Robin", "admin")), "unknown_role", 4100);
    }

    @Test
    void refusesAnotherProtocolVersionAndCloses4103() throws Exception {
        assertRefused(
                "{\"type\":\"hello\",\"ref\":\"h\",\"protocolVersion\":7,\"token\":\"" + valid("Robin", "member")
                        + "\"}",
                "unsupported_version",
                4103);
    }

    @Test
    void closesAConnectionThatNeverSaysHelloWith4104() throws Exception {
        try (RawClient client = RawClient.connect(node.ws())) {
            assertThat(client.awaitClose()).isEqualTo(4104);
        }
    }

    @Test
    void offersNoDevSignInWhenARealKeyIsConfigured() throws Exception {
        assertThat(node.post("/dev/token", "{\"pseudonym\":\"Robin\"}").statusCode())
                .isEqualTo(404);
        assertThat(node.node().devTokens()).isEmpty();
    }

    private static String hello(String token) {
        return "{\"type\":\"hello\",\"ref\":\"h\",\"token\":\"" + token + "\"}";
    }

    private static void assertRefused(String hello, String code, int closeCode) throws Exception {
        try (RawClient client = RawClient.connect(node.ws())) {
            client.send(hello);

            ServerMessage.Error error = client.awaitError("h");
            assertThat(error.code()).isEqualTo(code);
            assertThat(error.retryable()).isFalse();
            assertThat(client.awaitClose()).isEqualTo(closeCode);
        }
    }
}
