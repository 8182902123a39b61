package org.kindred.server.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kindred.protocol.ServerMessage;
import org.kindred.server.testing.RawClient;
import org.kindred.server.testing.TestNode;

/** One address may hold only a few connections that have not signed in; signed-in ones do not count. */
class UnsignedConnectionsIT {

    private TestNode node;
    private final List<RawClient> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        node = TestNode.start(c -> c.maxUnsignedPerAddress(2));
    }

    @AfterEach
    void stop() {
        clients.forEach(RawClient::close);
        node.close();
    }

    private RawClient connect() throws Exception {
        RawClient client = RawClient.connect(node.ws());
        clients.add(client);
        return client;
    }

    private static int handshakeStatus(String uri) {
        try {
            WebSocket socket = HttpClient.newHttpClient()
                    .newWebSocketBuilder()
                    .buildAsync(URI.create(uri), new WebSocket.Listener() {})
                    .join();
            socket.abort();
            return 101;
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                assertThat(refused.getResponse().headers().firstValue("retry-after"))
                        .hasValue("5");
                return refused.getResponse().statusCode();
            }
            throw e;
        }
    }

    @Test
    void aConnectionPastTheCapOfUnsignedConnectionsFromOneAddressIsRefusedWith429() throws Exception {
        connect();
        connect();

        assertThat(handshakeStatus(node.ws())).isEqualTo(429);
    }

    @Test
    void plainHttpRequestsPastTheCapAreRefusedToo() throws Exception {
        connect();
        connect();

        HttpResponse<String> health = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(node.node().httpUri() + "/healthz"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(429);
    }

    @Test
    void signingInFreesThePlaceForTheNextConnection() throws Exception {
        RawClient first = connect();
        connect();
        first.send("{\"type\":\"hello\",\"ref\":\"h\",\"token\":\"" + node.token("Robin") + "\"}");
        first.await(ServerMessage.Welcome.class, w -> true);

        await().atMost(Duration.ofSeconds(5)).until(() -> handshakeStatus(node.ws()) == 101);
    }

    @Test
    void aClosedUnsignedConnectionFreesItsPlace() throws Exception {
        RawClient first = connect();
        connect();
        first.close();

        await().atMost(Duration.ofSeconds(5)).until(() -> handshakeStatus(node.ws()) == 101);
    }
}
