package org.kindred.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.ServerMessage.ChatMessage;
import org.kindred.server.testing.RawClient;
import org.kindred.server.testing.TestNode;

/** Every malformed input gets its documented error, and neither the server nor other members notice. */
class MalformedInputIT {

    private static TestNode node;
    private static RawClient bystander;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.start(
                c -> c.maxTextLength(100).maxFrameBytes(2048).rateBurst(1000).ratePerSecond(1000));
        bystander = RawClient.signedIn(node.ws(), node.token("Bystander"));
        bystander.send("{\"type\":\"join\",\"ref\":\"j\",\"room\":\"diabetes\"}");
        bystander.await(ServerMessage.Joined.class, j -> true);
    }

    @AfterAll
    static void stop() {
        bystander.close();
        node.close();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            {"ref":"r1","type":"join","room":                                      | bad_json
            [1,2,3]                                                                | bad_json
            {"ref":"r1","type":"ping"} trailing                                    | bad_json
            {"ref":"r1","room":"diabetes"}                                         | missing_field
            {"ref":"r1","type":"shout","room":"diabetes"}                          | unknown_type
            {"ref":"r1","type":"send","room":"diabetes","clientMsgId":"c1"}        | missing_field
            {"ref":"r1","type":"join"}                                             | missing_field
            {"ref":"r1","type":"join","room":"diabetes","since":"yesterday"}       | invalid_field
            {"ref":"r1","type":"join","room":"diabetes","since":-4}                | invalid_field
            {"ref":"r1","type":"typing","room":"diabetes","active":"yes"}          | invalid_field
            {"ref":"r1","type":"join","room":"no-such-room"}                       | room_not_found
            {"ref":"r1","type":"send","room":"long-covid","clientMsgId":"c","text":"x"} | not_in_room
            """)
    void answersEachMalformedCommandWithItsDocumentedErrorAndKeepsTheConnection(String frame, String code)
            throws Exception {
        try (RawClient client = RawClient.signedIn(node.ws(), node.token("Sender"))) {
            client.send(frame.strip());

            ServerMessage.Error error = client.await(ServerMessage.Error.class, e -> true);
            assertThat(error.code()).isEqualTo(code);
            assertThat(error.ref()).isEqualTo(frame.contains("\"ref\"") ? "r1" : null);
            assertThat(error.retryable()).isFalse();
            assertThat(error.message()).isNotBlank();

            client.send("{\"type\":\"ping\",\"ref\":\"still-there\"}");
            client.await(ServerMessage.Pong.class, p -> "still-there".equals(p.ref()));
        }
        assertServerStillDelivers();
    }

    @Test
    void refusesTextLongerThanTheLimitWithoutStoringIt() throws Exception {
        try (RawClient client = RawClient.signedIn(node.ws(), node.token("Long"))) {
            client.send("{\"type\":\"join\",\"ref\":\"j\",\"room\":\"diabetes\"}");
            client.await(ServerMessage.Joined.class, j -> true);
            client.send("{\"type\":\"send\",\"ref\":\"long\",\"room\":\"diabetes\",\"clientMsgId\":\"c1\",\"text\":\""
                    + "é".repeat(101) + "\"}");

            ServerMessage.Error error = client.awaitError("long");
            assertThat(error.code()).isEqualTo("text_too_long");
            assertThat(error.message()).contains("101").contains("100");
        }
        assertServerStillDelivers();
    }

    @Test
    void refusesBinaryFramesAndKeepsTheConnectionOpen() throws Exception {
        try (RawClient client = RawClient.signedIn(node.ws(), node.token("Binary"))) {
            client.sendBinary(new byte[] {1, 2, 3});

            ServerMessage.Error error = client.await(ServerMessage.Error.class, e -> true);
            assertThat(error.code()).isEqualTo("binary_not_supported");
            client.send("{\"type\":\"ping\",\"ref\":\"p\"}");
            client.await(ServerMessage.Pong.class, p -> true);
        }
        assertServerStillDelivers();
    }

    @Test
    void answersAnOversizedFrameWithAnErrorThenCloses1009() throws Exception {
        try (RawClient client = RawClient.signedIn(node.ws(), node.token("Huge"))) {
            client.send("{\"type\":\"ping\",\"ref\":\"" + "x".repeat(4096) + "\"}");

            ServerMessage.Error error = client.await(ServerMessage.Error.class, e -> true);
            assertThat(error.code()).isEqualTo("frame_too_large");
            assertThat(client.awaitClose()).isEqualTo(1009);
        }
        assertServerStillDelivers();
    }

    @Test
    void refusesCommandsBeforeHelloButKeepsTheConnection() throws Exception {
        try (RawClient client = RawClient.connect(node.ws())) {
            client.send("{\"type\":\"list_rooms\",\"ref\":\"early\"}");

            assertThat(client.awaitError("early").code()).isEqualTo("not_authenticated");
            client.send("{\"type\":\"hello\",\"ref\":\"h\",\"token\":\"" + node.token("Late") + "\"}");
            client.await(ServerMessage.Welcome.class, w -> true);
        }
    }

    @Test
    void refusesASecondHello() throws Exception {
        try (RawClient client = RawClient.signedIn(node.ws(), node.token("Twice"))) {
            client.send("{\"type\":\"hello\",\"ref\":\"again\",\"token\":\"" + node.token("Twice") + "\"}");

            assertThat(client.awaitError("again").code()).isEqualTo("already_authenticated");
        }
    }

    private static void assertServerStillDelivers() throws Exception {
        try (RawClient poster = RawClient.signedIn(node.ws(), node.token("Poster"))) {
            poster.send("{\"type\":\"join\",\"ref\":\"j\",\"room\":\"diabetes\"}");
            poster.await(ServerMessage.Joined.class, j -> true);
            String id = "check-" + System.nanoTime();
            poster.send("{\"type\":\"send\",\"ref\":\"s\",\"room\":\"diabetes\",\"clientMsgId\":\"" + id
                    + "\",\"text\":\"still here\"}");
            bystander.await(ChatMessage.class, m -> id.equals(m.clientMsgId()));
        }
    }
}
