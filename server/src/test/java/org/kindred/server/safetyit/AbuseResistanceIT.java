package org.kindred.server.safetyit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kindred.protocol.ServerMessage;
import org.kindred.server.testing.RawClient;
import org.kindred.server.testing.TestNode;

/** One account cannot multiply its limits by opening more connections. Over real sockets, on one node. */
class AbuseResistanceIT {

    private TestNode node;
    private final List<RawClient> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        node = TestNode.start(c -> c.ratePerSecond(0.5).rateBurst(5).maxConnectionsPerUser(3));
    }

    @AfterEach
    void stop() {
        clients.forEach(RawClient::close);
        node.close();
    }

    private RawClient signedIn(String pseudonym) throws Exception {
        RawClient client = RawClient.signedIn(node.ws(), node.token(pseudonym));
        clients.add(client);
        return client;
    }

    @Test
    void aSecondConnectionOfTheSameUserCannotExceedTheUsersBudget() throws Exception {
        RawClient first = signedIn("Spammer");
        RawClient second = signedIn("Spammer");
        RawClient someoneElse = signedIn("Robin");

        for (int i = 0; i < 4; i++) {
            first.send("{\"type\":\"ping\",\"ref\":\"p" + i + "\"}");
            first.await(ServerMessage.Pong.class, p -> true);
        }
        // The hello of the second connection and these four pings used the user's burst of five, less the welcome.
        second.send("{\"type\":\"ping\",\"ref\":\"q1\"}");
        second.send("{\"type\":\"ping\",\"ref\":\"q2\"}");

        assertThat(second.awaitError("q2").code()).isEqualTo("rate_limited");
        someoneElse.send("{\"type\":\"ping\",\"ref\":\"r\"}");
        assertThat(someoneElse.awaitReply("r"))
                .as("another user's budget is its own")
                .isInstanceOf(ServerMessage.Pong.class);
    }

    @Test
    void aUserCannotHoldMoreConnectionsThanTheCap() throws Exception {
        for (int i = 0; i < 3; i++) {
            signedIn("Many");
        }

        RawClient fourth = RawClient.connect(node.ws());
        clients.add(fourth);
        fourth.send("{\"type\":\"hello\",\"ref\":\"h\",\"token\":\"" + node.token("Many") + "\"}");

        assertThat(fourth.awaitError("h").code()).isEqualTo("too_many_connections");
        assertThat(fourth.awaitClose()).isEqualTo(4105);
        signedIn("Other").send("{\"type\":\"ping\",\"ref\":\"p\"}");
    }
}
