package org.kindred.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kindred.protocol.CloseCode;
import org.kindred.protocol.ServerMessage;
import org.kindred.server.auth.DevTokenIssuer;
import org.kindred.server.identity.Role;
import org.kindred.server.testing.FakeTime;
import org.kindred.server.testing.RawClient;
import org.kindred.server.testing.TestNode;

/**
 * A live connection outlives its token only through {@code refresh}: without it the node closes the connection with
 * 4101 once the token expires (dev tokens: 12 hours, plus the 30-second clock skew), on the node's clock.
 */
class TokenRefreshIT {

    private final FakeTime time = new FakeTime();
    private TestNode node;
    private DevTokenIssuer issuer;

    @BeforeEach
    void start() throws Exception {
        node = TestNode.start(c -> c, time);
        issuer = node.node().devTokens().orElseThrow();
    }

    @AfterEach
    void stop() {
        node.close();
    }

    @Test
    void aConnectionWhoseTokenExpiresWithoutRefreshIsClosedWith4101() throws Exception {
        try (RawClient idle = RawClient.signedIn(node.ws(), issuer.signIn("Idle", Role.MEMBER))) {
            time.advance(DevTokenIssuer.TOKEN_LIFETIME.minusMinutes(1));
            idle.send("{\"type\":\"ping\",\"ref\":\"p\"}");
            idle.awaitReply("p");

            time.advance(Duration.ofMinutes(2));

            assertThat(idle.await(ServerMessage.Error.class, e -> e.code().equals("token_expired"))
                            .message())
                    .contains("refresh");
            assertThat(idle.awaitClose()).isEqualTo(CloseCode.TOKEN_EXPIRED.code());
        }
    }

    @Test
    void aRefreshedConnectionLivesOnUntilItsNewTokenExpires() throws Exception {
        String token = issuer.signIn("Robin", Role.MEMBER);
        try (RawClient robin = RawClient.signedIn(node.ws(), token)) {
            time.advance(Duration.ofHours(11));
            String fresh = issuer.renew(token);

            robin.send("{\"type\":\"refresh\",\"ref\":\"r\",\"token\":\"" + fresh + "\"}");
            ServerMessage.Refreshed refreshed = (ServerMessage.Refreshed) robin.awaitReply("r");
            assertThat(refreshed.validUntil())
                    .isEqualTo(
                            time.instant().plus(DevTokenIssuer.TOKEN_LIFETIME).toEpochMilli() / 1000 * 1000);

            time.advance(Duration.ofHours(2)); // past the first token's expiry
            robin.send("{\"type\":\"ping\",\"ref\":\"p\"}");
            assertThat(robin.awaitReply("p")).isInstanceOf(ServerMessage.Pong.class);
            assertThat(robin.isClosed()).isFalse();

            time.advance(Duration.ofHours(11));
            assertThat(robin.awaitClose()).isEqualTo(CloseCode.TOKEN_EXPIRED.code());
        }
    }

    @Test
    void aRefreshWithAnotherUsersTokenIsRefusedAndTheConnectionStaysOnItsOwn() throws Exception {
        try (RawClient robin = RawClient.signedIn(node.ws(), issuer.signIn("Robin", Role.MEMBER))) {
            robin.send(
                    "{\"type\":\"refresh\",\"ref\":\"r\",\"token\":\"" + issuer.signIn("Robin", Role.MEMBER) + "\"}");

            ServerMessage.Error refused = (ServerMessage.Error) robin.awaitReply("r");
            assertThat(refused.code()).isEqualTo("token_invalid");
            assertThat(refused.message()).contains("another user");
            robin.send("{\"type\":\"ping\",\"ref\":\"p\"}");
            assertThat(robin.awaitReply("p")).isInstanceOf(ServerMessage.Pong.class);
        }
    }
}
